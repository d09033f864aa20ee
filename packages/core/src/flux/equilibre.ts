import { DonneesInvalidesError } from '../erreurs.ts';

/**
 * The balance columns of a reservation convention (conventions.csv: `part_qpv_min`, `part_hors_qpv_min`,
 * `part_t1_t2_min`, `part_t4_plus_min`, shares 0–1): the least share of the réservataire's dwellings that must be in
 * QPV, outside QPV, small (T1–T2) or large (T4 and more) — so that a réservataire served only with large dwellings,
 * or only in QPV, shows it. The realised share is counted among the réservataire's dwellings of the year at that
 * bailleur: its orientations (leases in the flow) on the flux page, its allocated dwellings in the R441-5-1 bilan.
 * Below the minimum: an alert. Without any dwelling the share is unknown (no alert: nothing to judge yet).
 */

export const COLONNES_EQUILIBRE = ['part_qpv_min', 'part_hors_qpv_min', 'part_t1_t2_min', 'part_t4_plus_min'] as const;
export type ColonneEquilibre = (typeof COLONNES_EQUILIBRE)[number];

/** Which modalities of which dimension each column counts (the bilan's and the flux's own codes). */
export const MODALITES_EQUILIBRE: Readonly<Record<ColonneEquilibre, { readonly dimension: 'qpv' | 'typologie'; readonly modalites: readonly string[]; readonly libelle: string }>> = {
  part_qpv_min: { dimension: 'qpv', modalites: ['qpv'], libelle: 'en QPV' },
  part_hors_qpv_min: { dimension: 'qpv', modalites: ['hors_qpv'], libelle: 'hors QPV' },
  part_t1_t2_min: { dimension: 'typologie', modalites: ['T1', 'T2'], libelle: 'en T1–T2' },
  part_t4_plus_min: { dimension: 'typologie', modalites: ['T4', 'T5', 'T6+'], libelle: 'en T4 et plus' },
};

export type MinimaEquilibre = Partial<Readonly<Record<ColonneEquilibre, number | null>>>;

export interface LigneEquilibre {
  readonly reservataireId: string;
  readonly colonne: ColonneEquilibre;
  readonly minimum: number;
  /** The réservataire's dwellings of the year at the bailleur. */
  readonly logements: number;
  /** Among them, those in the column's modalities. */
  readonly dansLesModalites: number;
  /** dansLesModalites ÷ logements; null without any dwelling. */
  readonly part: number | null;
  readonly sousLeMinimum: boolean;
}

/** Counts of a réservataire's dwellings: its total, and per dimension and modality. */
export interface ComptesReservataire {
  readonly total: number;
  readonly parModalite: (dimension: 'qpv' | 'typologie', modalite: string) => number;
}

/** The balance lines of one réservataire's convention: one per column the convention sets, in the columns' order. */
export function equilibreDeLaConvention(reservataireId: string, minima: MinimaEquilibre, comptes: ComptesReservataire): LigneEquilibre[] {
  const lignes: LigneEquilibre[] = [];
  for (const colonne of COLONNES_EQUILIBRE) {
    const minimum = minima[colonne];
    if (minimum === null || minimum === undefined) continue;
    if (!(minimum >= 0 && minimum <= 1)) throw new DonneesInvalidesError(`${colonne} = ${minimum} pour ${reservataireId} : une part est comprise entre 0 et 1`);
    const { dimension, modalites } = MODALITES_EQUILIBRE[colonne];
    const dans = modalites.reduce((s, m) => s + comptes.parModalite(dimension, m), 0);
    const part = comptes.total > 0 ? dans / comptes.total : null;
    // Compared as counts (dans < minimum × total), with a tolerance for the decimal share: 1 of 4 meets 25 %.
    lignes.push({ reservataireId, colonne, minimum, logements: comptes.total, dansLesModalites: dans, part, sousLeMinimum: part !== null && dans < minimum * comptes.total - 1e-9 });
  }
  return lignes;
}
