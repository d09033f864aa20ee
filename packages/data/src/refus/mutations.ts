import type { CiaConfig, MotifDemande } from '@mixite/core';
import { LIBELLES_MOTIF_DEMANDE, MOTIFS_DEMANDE, fluxParametres, part } from '@mixite/core';
import { allocationsFluxSql } from '../flux/flux-sql.ts';
import { ident } from '../store/sql-types.ts';
import { propositionsBrutesSql } from './propositions-sql.ts';
import type { Store } from '../store/store.ts';

/**
 * Mutations of year N (issue 15 item 4, seed 004 §III.5): requests from social tenants by motive and how many were
 * satisfied, against first access; leases of N to social tenants, internal (same bailleur as the current one) or
 * inter-bailleurs; under-occupying households freed; their weight in the flux exclusions.
 *
 * Definitions (docs/refus-mutations.md):
 * - the requests of N are those in the demand on at least one day of N: filed by 31 December N and not radiated
 *   before 1 January N; a request is a mutation when its `mutation` flag is set (else first access);
 * - a request is satisfied in N when a lease of its NUR is signed in N: satisfaction = satisfied ÷ requests of N
 *   (a satisfied request was in the demand that year, so the rate stays within 0–100 %);
 * - a lease of N is a mutation when its household is (the allocation's flag, else the request's); internal when the
 *   request's current bailleur is the dwelling's, inter-bailleurs when both are known and differ;
 * - an under-occupying household freed: a mutation lease of N whose request's motive is `trop_grand`;
 * - the flux (when conventions.csv was imported): the leases of N kept out of the flow by the CIA's exclusions, and
 *   how many of them are internal mutations (R441-5: the bailleur's internal mutations are outside the flow).
 */

export type MotifMutation = MotifDemande | 'non_renseigne';

export interface SatisfactionMotif {
  readonly motif: MotifMutation;
  readonly libelle: string;
  readonly demandes: number;
  readonly satisfaites: number;
  readonly taux: number | null;
}

export interface Satisfaction {
  readonly demandes: number;
  readonly satisfaites: number;
  readonly taux: number | null;
}

export interface Mutations {
  readonly annee: number;
  readonly par_motif: readonly SatisfactionMotif[];
  readonly mutation: Satisfaction;
  readonly premier_acces: Satisfaction;
  /** Satisfaction of both kinds over the years of the trend. */
  readonly tendance: readonly { readonly annee: number; readonly mutation: Satisfaction; readonly premier_acces: Satisfaction }[];
  readonly baux: {
    readonly total: number;
    readonly mutations: number;
    readonly internes: number;
    readonly inter_bailleurs: number;
    readonly bailleur_inconnu: number;
  };
  readonly sous_occupation_liberee: number;
  /** Null when no convention of the flux was imported. */
  readonly flux: null | {
    readonly exclusion_mutations_active: boolean;
    readonly baux_exclus: number;
    readonly mutations_internes_exclues: number;
    readonly part: number | null;
  };
}

type N = number | string | null;
const n = (v: N | undefined) => Number(v ?? 0);
const satisfaction = (demandes: number, satisfaites: number): Satisfaction => ({ demandes, satisfaites, taux: part(satisfaites, demandes) });

export async function analyserMutations(
  store: Store,
  options: { readonly annee: number; readonly config: CiaConfig; readonly table: string; readonly anneesTendance?: number },
): Promise<Mutations> {
  const { annee, config } = options;
  const t = ident(options.table);
  const premiere = annee - (options.anneesTendance ?? 5) + 1;
  // The requests of each year of the trend and whether a lease of their NUR was signed that year. A request is in the
  // demand of year y when filed by 31 December y and not radiated before 1 January y, i.e. year(date_depot) ≤ y ≤
  // year(date_radiation). One pass counts the requests of every year (a FILTER per year: expanding each request to
  // its years made millions of rows at a region's scale); a second joins the leases of the trend to their request.
  const annees: number[] = [];
  for (let y = premiere; y <= annee; y++) annees.push(y);
  const presente = (y: number | string) => `year(d.date_depot) <= ${y} AND (d.date_radiation IS NULL OR year(d.date_radiation) >= ${y})`;
  const comptes = await store.all<Record<string, N> & { mutation: boolean; motif: string }>(
    `SELECT coalesce(d.mutation, FALSE) AS mutation, coalesce(d.motif, 'non_renseigne') AS motif,
  ${annees.map((y) => `count(*) FILTER (WHERE ${presente(y)})::INTEGER AS d_${y}`).join(', ')}
FROM demandes d
WHERE d.date_depot <= DATE '${annee}-12-31' AND (d.date_radiation IS NULL OR d.date_radiation >= DATE '${premiere}-01-01')
GROUP BY ALL`,
  );
  const satisfaites = await store.all<{ annee: number; mutation: boolean; motif: string; satisfaites: N }>(
    `WITH baux AS (SELECT DISTINCT nur, year(date_bail)::INTEGER AS y FROM ${propositionsBrutesSql(annee)} WHERE bail AND year(date_bail) BETWEEN ${premiere} AND ${annee})
SELECT baux.y AS annee, coalesce(d.mutation, FALSE) AS mutation, coalesce(d.motif, 'non_renseigne') AS motif, count(*)::INTEGER AS satisfaites
FROM baux JOIN demandes d ON d.nur = baux.nur
WHERE ${presente('baux.y')}
GROUP BY ALL`,
  );
  const cle = (y: number, mutation: boolean, motif: string) => `${y}|${mutation}|${motif}`;
  const satisfaitesPar = new Map(satisfaites.map((r) => [cle(r.annee, r.mutation, r.motif), n(r.satisfaites)] as const));
  const demandes = comptes.flatMap((c) =>
    annees.map((y) => ({ annee: y, mutation: c.mutation, motif: c.motif, demandes: n(c[`d_${y}`]), satisfaites: satisfaitesPar.get(cle(y, c.mutation, c.motif)) ?? 0 })),
  );
  const de = (y: number, mutation: boolean) => {
    const l = demandes.filter((d) => d.annee === y && d.mutation === mutation);
    return satisfaction(
      l.reduce((s, d) => s + n(d.demandes), 0),
      l.reduce((s, d) => s + n(d.satisfaites), 0),
    );
  };
  const motifs: MotifMutation[] = [...MOTIFS_DEMANDE, 'non_renseigne'];
  const par_motif = motifs.map((motif) => {
    const l = demandes.find((d) => d.annee === annee && d.mutation && d.motif === motif);
    const s = satisfaction(n(l?.demandes), n(l?.satisfaites));
    return { motif, libelle: motif === 'non_renseigne' ? 'Motif non renseigné' : LIBELLES_MOTIF_DEMANDE[motif], ...s };
  });
  const tendance = [];
  for (let y = premiere; y <= annee; y++) tendance.push({ annee: y, mutation: de(y, true), premier_acces: de(y, false) });

  const [b] = await store.all<{ total: N; mutations: N; internes: N; inter: N; inconnu: N; sous_occupation: N }>(
    `SELECT count(*)::INTEGER AS total, count(*) FILTER (WHERE mutation)::INTEGER AS mutations,
  count(*) FILTER (WHERE mutation AND bailleur_actuel_id = bailleur_id)::INTEGER AS internes,
  count(*) FILTER (WHERE mutation AND bailleur_actuel_id <> bailleur_id)::INTEGER AS inter,
  count(*) FILTER (WHERE mutation AND (bailleur_actuel_id IS NULL OR bailleur_id IS NULL))::INTEGER AS inconnu,
  count(*) FILTER (WHERE mutation AND motif_demande = 'trop_grand')::INTEGER AS sous_occupation
FROM ${t} WHERE bail AND year(date_bail) = ${annee}`,
  );

  const [{ conventions } = { conventions: 0 }] = await store.all<{ conventions: N }>(`SELECT count(*)::INTEGER AS conventions FROM conventions`);
  let flux: Mutations['flux'] = null;
  if (n(conventions) > 0) {
    const parametres = fluxParametres(config.flux);
    // The flux's own rules (flux-sql.ts) over the leases of N only: the CTEs named like the tables stand for them in
    // that SQL — the year's leases, their dwellings, their requests — so nothing joins the whole stock or demand (the
    // filter on the outer query was applied after the joins: 5 s at a region's scale).
    const [x] = await store.all<{ exclus: N; mutations: N }>(
      `WITH attributions AS MATERIALIZED (SELECT * FROM main.attributions WHERE issue = 'bail_signe' AND year(date_bail) = ${annee}),
logements AS (SELECT * FROM main.logements WHERE id IN (SELECT logement_id FROM attributions)),
demandes AS (SELECT * FROM main.demandes WHERE nur IN (SELECT nur FROM attributions))
SELECT count(*) FILTER (WHERE exclu)::INTEGER AS exclus, count(*) FILTER (WHERE exclu AND x_mutations_internes)::INTEGER AS mutations
FROM (${allocationsFluxSql(config, parametres)}) WHERE est_bail AND year(date_bail) = ${annee}`,
    );
    const active = parametres.exclusions.includes('mutations_internes');
    flux = { exclusion_mutations_active: active, baux_exclus: n(x?.exclus), mutations_internes_exclues: n(x?.mutations), part: part(n(x?.mutations), n(x?.exclus)) };
  }
  return {
    annee,
    par_motif,
    mutation: de(annee, true),
    premier_acces: de(annee, false),
    tendance,
    baux: { total: n(b?.total), mutations: n(b?.mutations), internes: n(b?.internes), inter_bailleurs: n(b?.inter), bailleur_inconnu: n(b?.inconnu) },
    sous_occupation_liberee: n(b?.sous_occupation),
    flux,
  };
}
