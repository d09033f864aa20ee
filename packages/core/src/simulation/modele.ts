/**
 * What the simulation of an allocation year reads (a territory's calibrated state: issue 16) and what one run gives.
 * Everything is plain data, so that it crosses to worker threads by structured clone.
 */

/** Resource class of a household against the year's limits: Q1, Q2, Q3–Q4, unknown (resources or limits missing). */
export const CLASSES_SIMULEES = ['q1', 'q2', 'q3_q4', 'inconnue'] as const;
export type ClasseSimulee = (typeof CLASSES_SIMULEES)[number];
export const CLASSE_Q1 = 0;
export const CLASSE_Q2 = 1;
export const CLASSE_Q3_Q4 = 2;
export const CLASSE_INCONNUE = 3;
export type IndiceClasse = 0 | 1 | 2 | 3;

/** A request of the simulated year: one active on 1 January, or an arrival drawn among the recent deposits. */
export interface DemandeSimulee {
  readonly nur: string;
  readonly classe: IndiceClasse;
  /** DALO or labelled priority (L441-1 CCH). */
  readonly prioritaire: boolean;
  /** Relocated by a renewal operation (NPNRU, ORCOD): counts with Q1 outside QPV. */
  readonly relogement: boolean;
  readonly typologieMin: number;
  readonly typologieMax: number;
  /** Wished communes (INSEE codes); empty = anywhere. */
  readonly communes: readonly string[];
  /** Deposit day, counted from 1 January of the simulated year (negative before it). */
  readonly depot: number;
  /** Note of the cotation grid in hundredths at 1 January (0 when the policy orders without a grid). */
  readonly note: number;
  /** Refusals already counted by the grid's refusal rule. */
  readonly nbRefus: number;
}

/** A vacancy profile: a dwelling that was let in the calibration years, with what the rules read of it. */
export interface LogementSimule {
  readonly id: string;
  readonly enQpv: boolean;
  readonly nbPieces: number;
  readonly codeInsee: string;
  readonly bailleurId: string;
  /** Réservataire id, or `non_reserve:<bailleur>`. */
  readonly contingent: string;
  readonly typeContingent: string;
}

/** A contingent's share of a bailleur's yearly flow of vacancies (a reservation convention, or the bailleur's own rest). */
export interface PartFlux {
  /** Réservataire id, or `non_reserve:<bailleur>` for the bailleur's own share. */
  readonly contingent: string;
  readonly typeContingent: string;
  /** 0–1; a bailleur's shares sum to 1. */
  readonly part: number;
}

/** Zone of a vacancy for the calibrated rates: 0 = outside QPV, 1 = in QPV. */
export type Zone = 0 | 1;

/**
 * The calibrated territory of a year (packages/data/src/simulation computes it in SQL from the store; the unit tests
 * build tiny ones by hand).
 */
export interface TerritoireSimule {
  readonly annee: number;
  /** Requests active on 1 January. */
  readonly stock: readonly DemandeSimulee[];
  /** New requests: how many a year, and the profiles they are drawn from (with replacement, deposit day redrawn). */
  readonly arrivees: { readonly parAn: number; readonly profils: readonly DemandeSimulee[] };
  /** Share of the active requests struck off (not housed) in a year: the daily hazard is its yearly rate. */
  readonly radiationsParAn: number;
  /** Vacancies: how many a year, and the dwellings they are drawn from (with replacement). */
  readonly vacances: { readonly parAn: number; readonly profils: readonly LogementSimule[] };
  /**
   * Probability that a household refuses a proposal, per zone (0 hors QPV, 1 QPV) and resource class: observed
   * refusals ÷ proposals of the calibration years.
   */
  readonly refus: readonly (readonly number[])[];
  /**
   * Selection weights of the observed practice: per zone, type of contingent (key `*` = every type) and category
   * (categorieDe), the share of the category among the proposals ÷ its share among the active requests.
   */
  readonly poidsObserves: Readonly<Record<string, readonly number[]>>;
  /**
   * The counts behind the observed weights, when calibrated from data: per key, the proposals of each category, and
   * the active requests of each category. Each run then redraws the weights from these counts (Bayesian bootstrap:
   * Gamma(n) per category), so the interval carries the uncertainty of a practice read on a few thousand proposals,
   * not only the randomness of one year.
   */
  readonly comptesObserves?: { readonly demande: readonly number[]; readonly propositions: Readonly<Record<string, readonly number[]>> };
  /**
   * The reservation conventions of the simulated year (gestion en flux, R441-5), per bailleur id: each réservataire's
   * share of the bailleur's flow and the bailleur's own rest, summing to 1. Read by a policy with `flux: conventions`
   * (the vacancies of a bailleur listed here take their contingent from these shares); a bailleur without convention
   * is absent and keeps its observed contingents.
   */
  readonly partsFlux?: Readonly<Record<string, readonly PartFlux[]>>;
  /** Change of the note (hundredths) per refusal, from the grid's refusal rule; 0 without grid. */
  readonly penaliteRefus: { readonly centiemes: number; readonly parRefus: boolean; readonly maxRefus: number | null };
}

/**
 * Category of a request for the lists: (class × 2 + priority) × 2 + relocation (16 categories). Relocation is a
 * category of its own because relocated households count with Q1 outside QPV (L441-1 CCH) and commissions favour them
 * far beyond their share of the demand: weights without it would miss part of the hors-QPV rate.
 */
export const categorieDe = (d: Pick<DemandeSimulee, 'classe' | 'prioritaire' | 'relogement'>): number => (d.classe * 2 + (d.prioritaire ? 1 : 0)) * 2 + (d.relogement ? 1 : 0);
export const CATEGORIES_SIMULEES = 16;
export const classeDeCategorie = (c: number): number => c >> 2;
export const prioritaireDeCategorie = (c: number): boolean => ((c >> 1) & 1) === 1;

/** Key of the observed weights of a zone and a contingent type. */
export const clePoids = (zone: Zone, typeContingent: string): string => `${zone === 1 ? 'qpv' : 'hors_qpv'}|${typeContingent}`;
