import { z } from 'zod';

/**
 * Parameters of the gestion en flux (CCH R441-5, décret 2020-145), the `flux` section of cia.yaml. Every key is
 * optional: a configuration without it (all those written before issue 13) reads the defaults below, and is stored
 * unchanged.
 */

/**
 * What the law keeps out of the flow that the data lets us recognise (R441-5): the bailleur's internal mutations
 * (a mutation household whose current bailleur is the dwelling's), NPNRU/ORCOD relocations (`relogement_anru`),
 * and the dwellings of identified programmes (defence, internal security, hospitals: `logements.csv` `hors_flux`).
 * Relocations for HLM sales and under L521-3-1 to L521-3-3 have no field in the data contract (docs/flux.md).
 */
export const EXCLUSIONS_FLUX = ['mutations_internes', 'relogements_anru', 'logements_hors_flux'] as const;
export type ExclusionFlux = (typeof EXCLUSIONS_FLUX)[number];

export const LIBELLES_EXCLUSION: Readonly<Record<ExclusionFlux, string>> = {
  mutations_internes: 'mutations internes au bailleur',
  relogements_anru: 'relogements NPNRU / ORCOD',
  logements_hors_flux: 'logements hors flux (défense, sécurité intérieure, programmes hospitaliers)',
};

/** Number of past years whose mean gives the forecast, by default. */
export const ANNEES_PREVISION_PAR_DEFAUT = 3;

/**
 * Default construction-period bands of the R441-5-1 bilan, as their first years: `avant_1949`, `1949_1974`,
 * `1975_1989`, `1990_2004`, `2005_2014`, `2015_et_apres` (and `inconnue` without `annee_construction`).
 */
export const BORNES_CONSTRUCTION_PAR_DEFAUT = [1949, 1975, 1990, 2005, 2015] as const;

/** The State's ceilings in a bailleur's flow (R441-5): 30 % in all, of which 5 % for its agents. */
export const PLAFONDS_ETAT = { total: 0.3, agents: 0.05 } as const;

export interface FluxParametres {
  readonly exclusions: readonly ExclusionFlux[];
  readonly annees_prevision: number;
  /** Increasing first years of the construction bands after the first one. */
  readonly periodes_construction: readonly number[];
}

export const FLUX_PAR_DEFAUT: FluxParametres = {
  exclusions: [...EXCLUSIONS_FLUX],
  annees_prevision: ANNEES_PREVISION_PAR_DEFAUT,
  periodes_construction: [...BORNES_CONSTRUCTION_PAR_DEFAUT],
};

/** The `flux` section's schema; `object` is the strict or lenient object builder of the configuration. */
export function fluxSchema(object: <T extends z.ZodRawShape>(shape: T) => z.ZodObject<T>) {
  return object({
    exclusions: z.array(z.enum(EXCLUSIONS_FLUX)).optional(),
    annees_prevision: z.number().int().min(1, 'au moins 1 année').max(10, 'au plus 10 années').optional(),
    periodes_construction: z
      .array(z.number().int().min(1800).max(2100))
      .min(1, 'au moins une borne')
      .refine((b) => b.every((x, i) => i === 0 || x > (b[i - 1] as number)), 'des années croissantes (première année de chaque tranche après la première)')
      .optional(),
  });
}

/** The parameters of a configuration's `flux` section, defaults filled. */
export function fluxParametres(section: { exclusions?: readonly ExclusionFlux[]; annees_prevision?: number; periodes_construction?: readonly number[] } | null | undefined): FluxParametres {
  return {
    exclusions: section?.exclusions ?? FLUX_PAR_DEFAUT.exclusions,
    annees_prevision: section?.annees_prevision ?? FLUX_PAR_DEFAUT.annees_prevision,
    periodes_construction: section?.periodes_construction ?? FLUX_PAR_DEFAUT.periodes_construction,
  };
}
