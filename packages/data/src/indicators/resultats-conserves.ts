import { createHash } from 'node:crypto';
import type { CiaConfig, IndicatorResults } from '@mixite/core';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { calculerIndicateurs, configurationCourante } from './engine.ts';
import { demandSql, faitsTableSql, legalIndicatorsSql } from './indicators-sql.ts';

/**
 * The indicators of every year, computed once and kept in the store (issue 18, warm start): a server that starts
 * on a store imported by the command line answers its first dashboard call from here instead of running the
 * engine over every year (4 s at IDF scale). A kept year is used only when its fingerprint equals the store's
 * now; anything else is computed again and kept. The table is a cache: dropping it loses nothing.
 */

/**
 * Bumped when the shape of IndicatorResults changes (2: the places of the allocations in `contexte.croisements`; 3: the sectors counted out of QPV, `contexte.secteursHorsQpv`). The engine's code is in the fingerprint too (see
 * `empreinteDuMoteur`), so that a new version of Mixité never serves figures an older engine computed.
 */
const FORMAT_DES_RESULTATS = 3;

/**
 * The engine's own text: its declarations and the source of its SQL builders and entry point. Function sources are
 * what the running code is (transpiled or not): any change to the counting rules changes this hash.
 */
const empreinteDuMoteur = createHash('sha256')
  .update(JSON.stringify({ format: FORMAT_DES_RESULTATS, declarations: LEGAL_DECLARATIONS }))
  .update([faitsTableSql, legalIndicatorsSql, demandSql, calculerIndicateurs].map((f) => f.toString()).join('\n'))
  .digest('hex');

/**
 * What the figures of a year depend on, cheaply: the last import (every table but the allocations changes only
 * through an import), the row counts (the retention purge deletes rows), a checksum of the allocation rows
 * (decisions recorded in the product write or update some without an import), the settings and the engine.
 */
export async function empreinteDesDonnees(store: Store, config: CiaConfig): Promise<string> {
  const [etat] = await store.all<Record<string, unknown>>(
    `SELECT (SELECT max(id) FROM imports)::VARCHAR AS import,
            (SELECT count(*) FROM demandes)::VARCHAR AS demandes,
            (SELECT count(*) FROM logements)::VARCHAR AS logements,
            (SELECT count(*) || ':' || coalesce(sum(hash(a)), 0) FROM attributions a)::VARCHAR AS attributions`,
  );
  return createHash('sha256').update(empreinteDuMoteur).update(JSON.stringify(etat)).update(JSON.stringify(config)).digest('hex');
}

/** The kept figures of a year when they were computed from the store as it is now, else null. */
export async function resultatsConserves(store: Store, annee: number, empreinte: string): Promise<IndicatorResults | null> {
  const [row] = await store.all<{ resultats: string }>(
    `SELECT CAST(resultats AS VARCHAR) AS resultats FROM resultats_indicateurs WHERE annee = $annee AND empreinte = $empreinte`,
    { annee, empreinte },
  );
  return row ? (JSON.parse(row.resultats) as IndicatorResults) : null;
}

async function conserver(store: Store, resultats: IndicatorResults, empreinte: string): Promise<void> {
  await store.run(
    `INSERT OR REPLACE INTO resultats_indicateurs (annee, empreinte, resultats, calcule_le) VALUES ($annee, $empreinte, $resultats, now()::TIMESTAMP)`,
    { annee: resultats.annee, empreinte, resultats: JSON.stringify(resultats) },
  );
}

/**
 * The figures of a year: the kept ones when still valid, else computed by the engine and kept. Keeping is a cache
 * write: when it fails (a store opened read-only, a full disk), the figures are returned all the same and
 * `onCacheFailure` is told why.
 */
export async function resultatsDeLAnnee(
  store: Store,
  annee: number,
  config: CiaConfig,
  onCacheFailure: (error: Error) => void = () => undefined,
): Promise<IndicatorResults> {
  const empreinte = await empreinteDesDonnees(store, config);
  const kept = await resultatsConserves(store, annee, empreinte);
  if (kept) return kept;
  const resultats = await calculerIndicateurs(store, { annee, config });
  await conserver(store, resultats, empreinte).catch((error: unknown) => onCacheFailure(error as Error));
  return resultats;
}

/** The years the dashboard shows: calendar years with CALEOL decisions, oldest first. */
export async function anneesAvecDecisions(store: Store): Promise<number[]> {
  const rows = await store.all<{ annee: number }>(
    `SELECT DISTINCT year(date_cal)::INTEGER AS annee FROM attributions WHERE date_cal IS NOT NULL ORDER BY annee`,
  );
  return rows.map((r) => r.annee);
}

/**
 * Computes and keeps every year of the store (newest first, the one a dashboard opens on), after an import or a
 * settings change; years already kept with the current fingerprint are skipped. Kept years of a former state are
 * deleted first, so that the table never grows past the years of the store.
 */
export async function precalculerLesAnnees(store: Store, onYear: (annee: number, fait: number, total: number) => void = () => undefined): Promise<number[]> {
  const config = await configurationCourante(store);
  const empreinte = await empreinteDesDonnees(store, config);
  await store.run(`DELETE FROM resultats_indicateurs WHERE empreinte <> $empreinte`, { empreinte });
  const annees = (await anneesAvecDecisions(store)).reverse();
  for (const [i, annee] of annees.entries()) {
    onYear(annee, i, annees.length);
    const [deja] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM resultats_indicateurs WHERE annee = $annee AND empreinte = $empreinte`, { annee, empreinte });
    if (!deja?.n) await conserver(store, await calculerIndicateurs(store, { annee, config }), empreinte);
  }
  return annees;
}
