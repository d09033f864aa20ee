import type { CiaConfig } from '../config/cia-config.ts';
import { decimalDigits, toCents, toScaled } from './exact.ts';

/**
 * Resources per unit of consumption and quartile membership (DOMAIN.md "First quartile").
 *
 * - UC: 1 for the first person, 0.5 for each other person aged 14 or more, 0.3 for each child under 14
 *   (weights from `uc` of cia.yaml, the arrêté's exact scale being unconfirmed).
 * - Resources per UC = monthly resources × 12 ÷ UC.
 * - A household is Q1 when its resources per UC are AT OR BELOW the threshold of the year (L441-1 CCH
 *   "inférieur ou égal", as DOMAIN.md and issue 3 say; DATA-FORMAT.md writes `<`: see docs/indicators.md).
 *   The test is `ressources × 12 × 10^k ≤ seuil × (UC × 10^k)` in integers of cents, never in floats.
 */

export type PoidsUc = CiaConfig['uc'];

/** What the quartile rules read of a household (an allocation with its request's fields filled in, or a request). */
export interface MenageRessources {
  /** Monthly resources of the whole household, € (a number, or a decimal string as DuckDB returns DECIMAL). */
  readonly ressources_mensuelles: number | string | null;
  readonly nb_personnes: number | null;
  readonly nb_moins_14_ans: number | null;
}

/** The UC weights as integers: each weight × 10^echelle. */
export interface PoidsEntiers {
  readonly premiere_personne: bigint;
  readonly autre_14_ans_et_plus: bigint;
  readonly moins_14_ans: bigint;
  /** Decimal digits of the weights (1 for the default 1 / 0.5 / 0.3). */
  readonly echelle: number;
}

export function poidsEntiers(poids: PoidsUc): PoidsEntiers {
  const echelle = Math.max(decimalDigits(poids.premiere_personne), decimalDigits(poids.autre_14_ans_et_plus), decimalDigits(poids.moins_14_ans));
  return {
    premiere_personne: toScaled(poids.premiere_personne, echelle),
    autre_14_ans_et_plus: toScaled(poids.autre_14_ans_et_plus, echelle),
    moins_14_ans: toScaled(poids.moins_14_ans, echelle),
    echelle,
  };
}

/**
 * Number of children under 14 counted in the UC: the first person is the applicant (an adult), so at most
 * nb_personnes − 1 children; an unknown count is 0 (every other person then weighs as 14 or more).
 */
export function enfantsComptes(nbPersonnes: number, nbMoins14: number | null): number {
  return Math.min(Math.max(nbMoins14 ?? 0, 0), Math.max(nbPersonnes - 1, 0));
}

/** UC × 10^echelle, exactly; null when the household size is unknown. */
export function ucEntieres(nbPersonnes: number | null, nbMoins14: number | null, poids: PoidsEntiers): bigint | null {
  if (nbPersonnes === null || !Number.isInteger(nbPersonnes) || nbPersonnes < 1) return null;
  const enfants = enfantsComptes(nbPersonnes, nbMoins14);
  const autres = nbPersonnes - 1 - enfants;
  return poids.premiere_personne + BigInt(autres) * poids.autre_14_ans_et_plus + BigInt(enfants) * poids.moins_14_ans;
}

/** The household's UC as a number (for display). */
export function unitesDeConsommation(menage: Pick<MenageRessources, 'nb_personnes' | 'nb_moins_14_ans'>, poids: PoidsUc): number | null {
  const entiers = poidsEntiers(poids);
  const uc = ucEntieres(menage.nb_personnes, menage.nb_moins_14_ans, entiers);
  return uc === null ? null : Number(uc) / 10 ** entiers.echelle;
}

/** Annual resources per UC, € (floating point: for display and the quantiles of the demand, never for a membership test). */
export function ressourcesParUc(menage: MenageRessources, poids: PoidsUc): number | null {
  const entiers = poidsEntiers(poids);
  const uc = ucEntieres(menage.nb_personnes, menage.nb_moins_14_ans, entiers);
  if (uc === null || menage.ressources_mensuelles === null) return null;
  return (Number(toCents(menage.ressources_mensuelles)) * 12) / 100 / (Number(uc) / 10 ** entiers.echelle);
}

/**
 * Annual resources per UC in cents, rounded half up, exactly: (2 × ressources_cents × 12 × 10^k + UC×10^k) div
 * (2 × UC×10^k). The quartile limits of the demand are computed on these values, so that they do not depend on
 * floating-point rounding.
 */
export function ressourcesParUcCentimes(menage: MenageRessources, poids: PoidsUc | PoidsEntiers): bigint | null {
  const entiers = 'echelle' in poids ? poids : poidsEntiers(poids);
  const uc = ucEntieres(menage.nb_personnes, menage.nb_moins_14_ans, entiers);
  if (uc === null || uc <= 0n || menage.ressources_mensuelles === null) return null;
  const r = toCents(menage.ressources_mensuelles) * 12n * 10n ** BigInt(entiers.echelle);
  return (2n * r + uc) / (2n * uc);
}

/**
 * Whether the household's resources per UC are at or below `limite` (€ per UC per year), exactly:
 * ressources_cents × 12 × 10^k ≤ limite_cents × UC × 10^k. Null when something is unknown.
 */
export function auPlusLaLimite(menage: MenageRessources, limite: number | string | null, poids: PoidsUc | PoidsEntiers): boolean | null {
  if (limite === null || menage.ressources_mensuelles === null) return null;
  const entiers = 'echelle' in poids ? poids : poidsEntiers(poids);
  const uc = ucEntieres(menage.nb_personnes, menage.nb_moins_14_ans, entiers);
  if (uc === null) return null;
  const gauche = toCents(menage.ressources_mensuelles) * 12n * 10n ** BigInt(entiers.echelle);
  return gauche <= toCents(limite) * uc;
}

/** Q1 membership against the published threshold (at or below is Q1). */
export const estQ1 = (menage: MenageRessources, seuilQ1: number | string | null, poids: PoidsUc | PoidsEntiers): boolean | null =>
  auPlusLaLimite(menage, seuilQ1, poids);

export const QUARTILES = [1, 2, 3, 4] as const;
export type Quartile = (typeof QUARTILES)[number];

/**
 * The limits that place a household in a quartile, € per UC per year: the published Q1 threshold, and the
 * median and third quartile computed from the demand (not published: DOMAIN.md).
 */
export interface LimitesQuartiles {
  readonly seuil_q1: number | string | null;
  readonly mediane: number | string | null;
  readonly q3: number | string | null;
}

/** Quartile 1 to 4 (each limit belongs to the quartile below it), or null when a needed limit or field is unknown. */
export function quartileDe(menage: MenageRessources, limites: LimitesQuartiles, poids: PoidsUc | PoidsEntiers): Quartile | null {
  const q1 = auPlusLaLimite(menage, limites.seuil_q1, poids);
  if (q1 === null) return null;
  if (q1) return 1;
  const q2 = auPlusLaLimite(menage, limites.mediane, poids);
  if (q2 === null) return null;
  if (q2) return 2;
  const q3 = auPlusLaLimite(menage, limites.q3, poids);
  if (q3 === null) return null;
  return q3 ? 3 : 4;
}

/** A row of seuils.csv (empty code_epci = the threshold for every EPCI of the arrêté, e.g. Île-de-France). */
export interface SeuilPublie {
  readonly annee: number;
  readonly code_epci: string | null;
  readonly seuil_q1: number | string;
  readonly source?: string | null;
  /** Limits of the second and third quartiles when the arrêté publishes them (optional columns, issue 17). */
  readonly seuil_q2?: number | string | null;
  readonly seuil_q3?: number | string | null;
}

/**
 * The threshold that applies to a date of year `annee` in EPCI `codeEpci`: the arrêté of year N applies to
 * the allocations of year N; a row for the EPCI wins over a row with an empty code_epci.
 */
export function seuilApplicable<S extends SeuilPublie>(seuils: readonly S[], annee: number, codeEpci: string | null): S | null {
  let general: S | null = null;
  for (const seuil of seuils) {
    if (seuil.annee !== annee) continue;
    const code = seuil.code_epci === null || seuil.code_epci === '' ? null : seuil.code_epci;
    if (code !== null && code === codeEpci) return seuil;
    if (code === null) general = seuil;
  }
  return general;
}

/** The year of an ISO date `YYYY-MM-DD`. */
export const anneeDe = (date: string): number => Number(date.slice(0, 4));

/**
 * Linear-interpolation quantile of sorted values (R-7, as DuckDB's quantile_cont): position (n − 1) × p.
 */
export function quantileContinu(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

/**
 * The quartile limits of a demand stock (the requests active on 31 December of year N−1, for year N), from the
 * resources per UC of each request in cents (ressourcesParUcCentimes): linear-interpolation quantiles, rounded
 * half up to the cent — exact, since an interpolated value of integers at 1/4, 1/2 or 3/4 is a binary fraction.
 * Returned in €.
 */
export function limitesDeLaDemande(centimes: readonly (number | bigint)[]): { q1: number | null; mediane: number | null; q3: number | null } {
  const sorted = centimes.map(Number).sort((a, b) => a - b);
  const arrondi = (x: number | null) => (x === null ? null : Math.round(x) / 100);
  return { q1: arrondi(quantileContinu(sorted, 0.25)), mediane: arrondi(quantileContinu(sorted, 0.5)), q3: arrondi(quantileContinu(sorted, 0.75)) };
}
