import type { CiaConfig, LegalIndicatorId, Periode } from '@mixite/core';
import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import { sql } from '../store/sql.ts';
import { ident } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import { faitsTableSql, flagColumns, tranchesDeLAnnee, tranchesDeLaPeriode } from './indicators-sql.ts';
import { limitesDesAnnees } from './limites.ts';
import { menageAttributionSql } from './regles-sql.ts';

/**
 * The household-level list behind an indicator row (the allocations of its denominator, each marked when it is in the
 * numerator), read from the engine's own facts table so that it counts exactly what the engine counts. The facts
 * table's columns stay private to packages/data: callers name a row (indicator, period, perimeter) and, for a
 * scoped viewer, the perimeter the list is narrowed to.
 */

export interface LigneDeLIndicateur {
  readonly indicateur: LegalIndicatorId;
  readonly periode: Periode;
  /** A perimeter type of the engine (`territoire`, `commune`, `qpv`, `bailleur`, `contingent`, `type_contingent`), or `non_reserve`. */
  readonly perimetre_type: string;
  readonly perimetre_id: string | null;
}

/** The perimeter a list is narrowed to, whatever the row asks: a bailleur's dwellings, a contingent, a commune. */
export interface RestrictionListe {
  readonly type: 'bailleur' | 'contingent' | 'commune';
  readonly id: string;
}

export interface AttributionListee {
  id: string;
  nur: string;
  date_cal: string;
  date_bail: string | null;
  bailleur_id: string | null;
  code_insee: string | null;
  code_qpv: string | null;
  contingent: string;
  type_contingent: string;
  issue: string | null;
  est_q1: boolean | null;
  quartile: number | null;
  prioritaire: boolean;
  mutation: boolean;
  relogement: boolean;
  au_numerateur: boolean;
}

/** A year's facts table, built once and read by as many lists as wanted, until `supprimerFaits`. */
export interface FaitsDeLAnnee {
  readonly annee: number;
  readonly table: string;
}

let compteur = 0;

/** Builds the facts table of a year with the limits that apply (limites.ts), as the engine does. */
export async function creerFaits(store: Store, config: CiaConfig, annee: number): Promise<FaitsDeLAnnee> {
  const { parEpci } = await limitesDesAnnees(store, config, [annee - 1, annee]);
  const table = `mixite_liste_faits_${process.pid}_${++compteur}`;
  await store.run(faitsTableSql(table, config, annee, parEpci));
  return { annee, table };
}

export async function supprimerFaits(store: Store, faits: FaitsDeLAnnee): Promise<void> {
  await store.run(`DROP TABLE IF EXISTS ${ident(faits.table)}`);
}

const COLONNE_DU_PERIMETRE: Readonly<Record<string, string | null>> = {
  territoire: null,
  commune: 'code_insee',
  qpv: 'code_qpv',
  bailleur: 'bailleur_id',
  contingent: 'contingent',
  non_reserve: 'contingent',
  type_contingent: 'type_contingent',
};

const COLONNE_DE_LA_RESTRICTION: Readonly<Record<RestrictionListe['type'], string>> = {
  bailleur: 'bailleur_id',
  contingent: 'contingent',
  commune: 'code_insee',
};

/** A list behind an indicator row: its first allocations, and how many it holds in all. */
export interface ListeDeLaLigne {
  /** The first `limite` allocations, in the order of their counting date. */
  readonly attributions: AttributionListee[];
  /** Allocations in the denominator (narrowed to the restriction), whatever the limit. */
  readonly total: number;
  /** Of which in the numerator. */
  readonly total_numerateur: number;
}

/**
 * The allocations counted in the denominator of one indicator row, in the order of their counting date, narrowed to
 * `restriction` when given, the first `limite` of them read. The counts come first, from one aggregate: a page that
 * shows 500 rows, or an export refused beyond its cap, does not read a territory's year of households into memory.
 * The household flags shown beside each allocation are resolved by the one rule (regles-sql.ts), since the facts
 * table keeps only what its counts need.
 */
export async function attributionsDeLaLigne(
  store: Store,
  faits: FaitsDeLAnnee,
  ligne: LigneDeLIndicateur,
  restriction: RestrictionListe | null,
  limite: number,
): Promise<ListeDeLaLigne> {
  const i = LEGAL_INDICATOR_IDS.indexOf(ligne.indicateur);
  if (i < 0) throw new RangeError(`indicateur inconnu : ${ligne.indicateur}`);
  if (!Number.isInteger(limite) || limite < 0) throw new RangeError(`limite invalide : ${limite}`);
  const { den, num } = flagColumns(i);
  const tranches = tranchesDeLaPeriode(ligne.periode, tranchesDeLAnnee(faits.annee));
  const colonne = COLONNE_DU_PERIMETRE[ligne.perimetre_type] ?? null;
  // Column names come from the declarations (code); the perimeter's and the viewer's ids are values: parameters.
  const where = [sql.raw(`f.${den}`), sql`f.tranche IN (${sql.list(tranches)})`];
  if (colonne && ligne.perimetre_id !== null) where.push(sql`f.${sql.ident(colonne)} = ${ligne.perimetre_id}`);
  // The viewer's perimeter, whatever the row asked: a bailleur asking for the territory gets its own allocations.
  if (restriction) where.push(sql`f.${sql.ident(COLONNE_DE_LA_RESTRICTION[restriction.type])} = ${restriction.id}`);
  const filtre = sql.join(where, ' AND ');
  const [compte] = await store.all<{ total: number; total_numerateur: number }>(
    sql`${sql.raw(`SELECT count(*)::INTEGER AS total, count(*) FILTER (WHERE f.${num})::INTEGER AS total_numerateur FROM ${ident(faits.table)} f WHERE `)}${filtre}`,
  );
  const total = compte?.total ?? 0;
  const total_numerateur = compte?.total_numerateur ?? 0;
  if (limite === 0 || total === 0) return { attributions: [], total, total_numerateur };
  const menage = menageAttributionSql();
  const attributions = await store.allInBatches<AttributionListee>(sql`${sql.raw(`SELECT f.id, a.nur, strftime(a.date_cal, '%Y-%m-%d') AS date_cal, strftime(a.date_bail, '%Y-%m-%d') AS date_bail,
       f.bailleur_id, f.code_insee, f.code_qpv, f.contingent, f.type_contingent, f.issue, f.est_q1, f.quartile::INTEGER AS quartile,
       ${menage.prioritaire} AS prioritaire, ${menage.mutation} AS mutation, ${menage.relogement} AS relogement,
       f.${num} AS au_numerateur
     FROM ${ident(faits.table)} f JOIN attributions a ON a.id = f.id LEFT JOIN demandes d ON d.nur = a.nur
     WHERE `)}${filtre}
     ORDER BY CASE WHEN f.base = 'baux' THEN a.date_bail ELSE a.date_cal END, f.id
     LIMIT ${limite}`,
  );
  return { attributions, total, total_numerateur };
}
