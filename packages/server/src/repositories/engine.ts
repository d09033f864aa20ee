import type { CiaConfig, IndicatorResults, LegalIndicatorId, Periode, SeuilPublie } from '@mixite/core';
import { LEGAL_INDICATOR_IDS, seuilApplicable, toCents } from '@mixite/core';
import type { LimiteSql, Store } from '@mixite/data';
import { calculerIndicateurs, faitsTableSql, flagColumns, ident, literal, quartileLimitsSql, tranchesDeLAnnee, tranchesDeLaPeriode } from '@mixite/data';

/**
 * The one place where the server calls the indicator engine of issue 3 (packages/data/src/indicators).
 * Every figure the API shows is computed there, from the declarations of packages/core/src/indicators.
 */
export function computeYear(store: Store, annee: number, config: CiaConfig): Promise<IndicatorResults> {
  return calculerIndicateurs(store, { annee, config });
}

export interface AllocationQuery {
  readonly indicateur: LegalIndicatorId;
  readonly periode: Periode;
  readonly perimetre_type: string;
  readonly perimetre_id: string | null;
}

/** The perimeter an account's allocation lists are narrowed to: a column of the facts table and its value. */
export interface AllocationScope {
  readonly column: 'bailleur_id' | 'contingent' | 'code_insee';
  readonly id: string;
}

export interface AllocationDbo {
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

let factsCounter = 0;

/**
 * Creates the engine's temporary facts table of a year (`faitsTableSql`: every proposal and lease of the window,
 * resolved once, with for each declared indicator whether it is in the denominator and the numerator) and gives
 * its name. The allocation lists read it: they count exactly what the engine counts.
 */
export async function createFacts(store: Store, config: CiaConfig, limites: readonly LimiteSql[], annee: number): Promise<string> {
  const table = `mixite_web_faits_${process.pid}_${++factsCounter}`;
  await store.run(faitsTableSql(table, config, annee, limites));
  return table;
}

export async function dropFacts(store: Store, table: string): Promise<void> {
  await store.run(`DROP TABLE IF EXISTS ${ident(table)}`);
}

/**
 * The allocations counted in the denominator of one indicator row, each marked when it is in the numerator, in the
 * order of their counting date. Reads only the facts table's documented columns (perimeters, slice, flags).
 */
export async function allocationsOf(store: Store, facts: string, query: AllocationQuery, scope: AllocationScope | null): Promise<AllocationDbo[]> {
  const i = LEGAL_INDICATOR_IDS.indexOf(query.indicateur);
  const { den, num } = flagColumns(i);
  const tranches = tranchesDeLaPeriode(query.periode, tranchesDeLAnnee(query.periode.annee));
  const perimetre = perimeterColumn(query.perimetre_type);
  const where = [`f.${den}`, `f.tranche IN (${tranches.join(', ') || 'NULL'})`];
  if (perimetre && query.perimetre_id !== null) where.push(`f.${perimetre} = ${literal(query.perimetre_id)}`);
  // The viewer's perimeter, whatever the row asked: a bailleur asking for the territory gets its own allocations.
  if (scope) where.push(`f.${scope.column} = ${literal(scope.id)}`);
  return store.all<AllocationDbo>(
    `SELECT f.id, a.nur, strftime(a.date_cal, '%Y-%m-%d') AS date_cal, strftime(a.date_bail, '%Y-%m-%d') AS date_bail,
       f.bailleur_id, f.code_insee, f.code_qpv, f.contingent, f.type_contingent, f.issue, f.est_q1, f.quartile::INTEGER AS quartile,
       -- The facts table keeps only what its counts need: the household's flags shown beside each allocation are
       -- read as the engine reads them, the allocation's own value first, else the request's.
       coalesce(a.dalo, d.dalo, FALSE) OR coalesce(a.prioritaire, d.prioritaire, FALSE) AS prioritaire,
       coalesce(a.mutation, d.mutation, FALSE) AS mutation,
       coalesce(a.relogement_anru, d.relogement_anru, FALSE) AS relogement,
       f.${num} AS au_numerateur
     FROM ${ident(facts)} f JOIN attributions a ON a.id = f.id LEFT JOIN demandes d ON d.nur = a.nur
     WHERE ${where.join(' AND ')}
     ORDER BY CASE WHEN f.base = 'baux' THEN a.date_bail ELSE a.date_cal END, f.id`,
  );
}

function perimeterColumn(type: string): string | null {
  switch (type) {
    case 'territoire':
      return null;
    case 'commune':
      return 'code_insee';
    case 'qpv':
      return 'code_qpv';
    case 'bailleur':
      return 'bailleur_id';
    case 'contingent':
    case 'non_reserve':
      return 'contingent';
    case 'type_contingent':
      return 'type_contingent';
    default:
      return null;
  }
}

/**
 * The quartile limits the engine applies to a year and the year before, per EPCI ('' = the territory): the
 * published threshold (the EPCI's, else the general one), else the Q1 limit computed from the demand.
 * The engine's `quartileLimits` computes the same from the same exported functions but keeps the result private;
 * TODO(issue 3): export it and drop this copy. The allocation-list tests check both agree on every row.
 */
export async function limitesSql(store: Store, config: CiaConfig, annee: number): Promise<LimiteSql[]> {
  const annees = [annee - 1, annee];
  const seuils = await store.all<SeuilPublie>(`SELECT annee, code_epci, CAST(seuil_q1 AS VARCHAR) AS seuil_q1, source FROM seuils`);
  const epcis = (await store.all<{ code_epci: string }>(`SELECT DISTINCT code_epci FROM communes WHERE code_epci IS NOT NULL ORDER BY 1`)).map((r) => r.code_epci);
  const territoire = config.code_epci ?? (epcis.length === 1 ? (epcis[0] ?? null) : null);
  const calcul = await store.all<{ annee: number; q1: number | null; mediane: number | null; q3: number | null }>(quartileLimitsSql(config, annees));
  // quartileLimitsSql gives quantiles of integer cents (interpolated): rounded half up to the cent, as the engine does.
  const cents = (x: number | null | undefined) => (x === null || x === undefined ? null : BigInt(Math.round(x)));
  const out: LimiteSql[] = [];
  for (const a of annees) {
    const c = calcul.find((r) => r.annee === a);
    for (const key of [...epcis, '']) {
      const publie = seuilApplicable(seuils, a, key === '' ? territoire : key);
      out.push({ annee: a, codeEpci: key, seuilQ1: publie ? toCents(publie.seuil_q1) : cents(c?.q1), mediane: cents(c?.mediane), q3: cents(c?.q3) });
    }
  }
  return out;
}
