import type { CiaConfig } from '../config/cia-config.ts';
import type { DemandIndicatorId } from './declarations.ts';
import { DEMAND_INDICATORS } from './declarations.ts';
import type { PeriodeId } from './periods.ts';
import type { TypeContingent } from './perimeters.ts';
import type { CroisementsDuSecret } from './secret-croisements.ts';
import type { IndicatorRow } from './targets.ts';

/**
 * What the indicator engine returns for a year: the legal indicators in the long format of indicateurs.csv,
 * the demand side, the quartile limits beside the published threshold, and the consistency checks.
 */

/** One demand-side value, territory-wide. `modalite` is '' for the whole, else a quartile, typology or refusal motive. */
export interface DemandRow {
  readonly indicateur: DemandIndicatorId;
  readonly periode: PeriodeId;
  readonly modalite: string;
  readonly numerateur: number;
  /** Null for a plain count. */
  readonly denominateur: number | null;
  /** The count, the share, the ratio or the mean (see the declaration's unit); null when the denominator is 0. */
  readonly valeur: number | null;
}

/** Builds a demand row, its value following the unit of the declaration. */
export function ligneDemande(indicateur: DemandIndicatorId, periode: PeriodeId, modalite: string, numerateur: number, denominateur: number | null): DemandRow {
  const unite = DEMAND_INDICATORS[indicateur].unite;
  const valeur = unite === 'nombre' ? numerateur : denominateur === null || denominateur === 0 ? null : numerateur / denominateur;
  return { indicateur, periode, modalite, numerateur, denominateur: unite === 'nombre' ? null : denominateur, valeur };
}

/** Where the Q1 threshold applied to a year comes from. */
export type OrigineSeuil = 'publie' | 'calcule' | 'absent';

/**
 * The quartile limits of year N, computed from the requests active on 31 December of N−1 (the reference the
 * arrêté uses), beside the published threshold; € per UC per year, rounded to the cent.
 */
export interface LimitesDeLAnnee {
  readonly annee: number;
  readonly date_reference: string;
  readonly demandes: number;
  readonly q1: number | null;
  readonly mediane: number | null;
  readonly q3: number | null;
  readonly seuil_publie: number | null;
  readonly source_seuil: string | null;
  /** The threshold the engine applied: the published one, else the computed Q1 limit. */
  readonly seuil_applique: number | null;
  readonly origine_seuil: OrigineSeuil;
}

export interface Controles {
  /** Proposals or leases of the window whose `q1` flag (allocation, else request) disagrees with the computed membership. */
  readonly q1_desaccords: number;
  readonly q1_desaccords_exemples: readonly string[];
  /** Proposals or leases of the window whose Q1 membership is unknown (no threshold, resources or size): never counted as Q1. */
  readonly q1_inconnus: number;
  /** Overrides of cibles_par_perimetre naming no known indicator. */
  readonly cibles_inconnues: readonly string[];
}

/** What the secrecy rules need to know of the perimeters (see secret.ts). */
export interface ContexteSecret {
  readonly typesContingent: Readonly<Record<string, TypeContingent>>;
  /** Per period, the commune of each QPV whose QPV proposals of the period all lie in a commune of its own (see secret.ts). */
  readonly communesDesQpv: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the allocations lie, for the coincidences between breakdowns (secret-croisements.ts); absent: none known. */
  readonly croisements?: CroisementsDuSecret;
  /**
   * The QPV codes whose dwellings the year counts out of QPV (assimilated sectors when the CIA does not count them
   * as QPV): in their perimeter every proposal is out of QPV, not in QPV (secret.ts). Absent: every QPV counts.
   */
  readonly secteursHorsQpv?: readonly string[];
}

export interface IndicatorResults {
  readonly annee: number;
  readonly configuration: CiaConfig;
  readonly indicateurs: readonly IndicatorRow[];
  readonly demande: readonly DemandRow[];
  readonly limites: readonly LimitesDeLAnnee[];
  readonly controles: Controles;
  readonly contexte: ContexteSecret;
}
