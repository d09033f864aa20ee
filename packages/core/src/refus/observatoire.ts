import type { MotifRefus } from '../format/codes.ts';
import { MOTIFS_REFUS } from '../format/codes.ts';

/**
 * The refusal observatory and the mutations (issue 15, seed 002 §3.4.3, seed 004 §III.5): the pure rules the SQL
 * of packages/data/src/refus applies and the page prints — the dimensions a refusal rate is read by, the rent
 * bands, the profiles of the "refusals before a lease" reading, and the rate itself.
 *
 * Counting (DATA-FORMAT.md "Counting bases"): a proposal is an allocation row with decision `attribution` (or
 * `attribution_sous_condition`) and issue ≠ `non_proposee`, dated by its CALEOL; a refusal is a proposal with
 * issue `refus_demandeur`. The refusal rate of a cell = refusals ÷ proposals of the cell (proposals still
 * `en_cours` count in the denominator, as on the Demande page's « refus par motif »).
 */

/** The breakdowns of the observatory, in the page's order. */
export const DIMENSIONS_REFUS = ['residence', 'typologie', 'qpv', 'reservataire', 'bailleur', 'loyer', 'quartile'] as const;
export type DimensionRefus = (typeof DIMENSIONS_REFUS)[number];

export const LIBELLES_DIMENSION_REFUS: Record<DimensionRefus, string> = {
  residence: 'Résidence',
  typologie: 'Typologie',
  qpv: 'QPV / hors QPV',
  reservataire: 'Contingent (réservataire)',
  bailleur: 'Bailleur',
  loyer: 'Tranche de loyer',
  quartile: 'Premier quartile',
};

/** A refusal without motive in the file. */
export const MOTIF_NON_RENSEIGNE = 'non_renseigne';
export type MotifRefusObserve = MotifRefus | typeof MOTIF_NON_RENSEIGNE;
export const MOTIFS_REFUS_OBSERVES: readonly MotifRefusObserve[] = [...MOTIFS_REFUS, MOTIF_NON_RENSEIGNE];

/**
 * Monthly rent bands (main rent of the dwelling, €, the allocation's rent else the dwelling's): lower bounds of the
 * bands after the first. Chosen to split the social stock's usual rents (PLAI ≈ 300 €, PLUS 400–500 €, PLS 600 €+)
 * in five; a dwelling without rent is « inconnu » (logements.csv allows an empty rent).
 */
export const BORNES_LOYER = [300, 400, 500, 600] as const;

/** The band code of a monthly rent: `moins_300`, `300_399`, …, `600_plus`, `inconnu`. */
export function trancheLoyer(loyer: number | null): string {
  if (loyer === null || !Number.isFinite(loyer)) return 'inconnu';
  const bornes = BORNES_LOYER;
  if (loyer < bornes[0]) return `moins_${bornes[0]}`;
  for (let i = 1; i < bornes.length; i++) if (loyer < (bornes[i] as number)) return `${bornes[i - 1]}_${(bornes[i] as number) - 1}`;
  return `${bornes[bornes.length - 1]}_plus`;
}

/** The same rule as SQL over a rent expression (DECIMAL or DOUBLE): the codes of `trancheLoyer`. */
export function trancheLoyerSql(loyer: string): string {
  const bornes = BORNES_LOYER;
  const cas = [`WHEN ${loyer} IS NULL THEN 'inconnu'`, `WHEN ${loyer} < ${bornes[0]} THEN 'moins_${bornes[0]}'`];
  for (let i = 1; i < bornes.length; i++) cas.push(`WHEN ${loyer} < ${bornes[i]} THEN '${bornes[i - 1]}_${(bornes[i] as number) - 1}'`);
  return `(CASE ${cas.join(' ')} ELSE '${bornes[bornes.length - 1]}_plus' END)`;
}

/** « Moins de 300 € », « 300 à 399 € », « 600 € et plus », « Loyer inconnu ». */
export function libelleTrancheLoyer(code: string): string {
  if (code === 'inconnu') return 'Loyer inconnu';
  const moins = /^moins_(\d+)$/.exec(code);
  if (moins) return `Moins de ${moins[1]} €`;
  const plus = /^(\d+)_plus$/.exec(code);
  if (plus) return `${plus[1]} € et plus`;
  const entre = /^(\d+)_(\d+)$/.exec(code);
  if (entre) return `${entre[1]} à ${entre[2]} €`;
  return code;
}

/** The band codes in order (the page lists every band, empty ones included). */
export const TRANCHES_LOYER: readonly string[] = [
  `moins_${BORNES_LOYER[0]}`,
  ...BORNES_LOYER.slice(1).map((b, i) => `${BORNES_LOYER[i]}_${b - 1}`),
  `${BORNES_LOYER[BORNES_LOYER.length - 1]}_plus`,
  'inconnu',
];

/** Profiles of the household for « how many refusals before a lease ». */
export const PROFILS_REFUS = ['ensemble', 'quartile', 'prioritaire', 'mutation', 'typologie'] as const;
export type ProfilRefus = (typeof PROFILS_REFUS)[number];

export const LIBELLES_PROFIL_REFUS: Record<ProfilRefus, string> = {
  ensemble: 'Ensemble des baux',
  quartile: 'Premier quartile',
  prioritaire: 'Ménage prioritaire (DALO ou labellisé)',
  mutation: 'Mutation ou premier accès',
  typologie: 'Typologie du logement obtenu',
};

/** Labels of the modalities the SQL writes for the fixed dimensions (the others are named from the store). */
export const LIBELLES_MODALITE_REFUS: Readonly<Record<string, string>> = {
  qpv: 'En QPV',
  hors_qpv: 'Hors QPV',
  q1: 'Premier quartile',
  non_q1: 'Quartiles 2 à 4',
  inconnu: 'Inconnu',
  oui: 'Oui',
  non: 'Non',
  mutation: 'Mutation (déjà locataire HLM)',
  premier_acces: 'Premier accès',
  ensemble: 'Ensemble',
  inconnue: 'Inconnue',
};

/** refusals ÷ proposals, null when there is no proposal (never 0/0 = 0). */
export function tauxRefus(refus: number, propositions: number): number | null {
  if (!Number.isInteger(refus) || !Number.isInteger(propositions) || refus < 0 || refus > propositions) {
    throw new RangeError(`effectifs de refus incohérents : ${refus} refus pour ${propositions} propositions`);
  }
  return propositions === 0 ? null : refus / propositions;
}

/** A share (satisfied ÷ requests, leases ÷ …): null on an empty denominator. */
export const part = (numerateur: number, denominateur: number): number | null => (denominateur === 0 ? null : numerateur / denominateur);
