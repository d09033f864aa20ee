import { createHash } from 'node:crypto';
import type { CiaConfig, IndicatorResults, IndicatorRow } from '@mixite/core';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import { etatDesDonnees } from '../store/version-donnees.ts';
import { calculerIndicateurs, configurationCourante } from './engine.ts';
import { demandSql, faitsTableSql, legalIndicatorsSql } from './indicators-sql.ts';
import { precalculerLaPublication } from './publication-conservee.ts';

/**
 * The indicators of every year, computed once and kept in the store (issue 18, warm start): a server that starts
 * on a store imported by the command line answers its first dashboard call from here instead of running the
 * engine over every year (4 s at IDF scale). A kept year is used only when its fingerprint equals the store's
 * now; anything else is computed again and kept. The table is a cache: dropping it loses nothing.
 */

/**
 * Bumped when the shape of IndicatorResults changes (2: the places of the allocations in `contexte.croisements`; 3: the sectors counted out of QPV, `contexte.secteursHorsQpv`; 4: the rows kept in their own table, migration 13). The engine's code is in the fingerprint too (see
 * `empreinteDuMoteur`), so that a new version of Mixité never serves figures an older engine computed.
 */
const FORMAT_DES_RESULTATS = 4;

/**
 * The engine's own text: its declarations and the source of its SQL builders and entry point. Function sources are
 * what the running code is (transpiled or not): any change to the counting rules changes this hash.
 */
const empreinteDuMoteur = createHash('sha256')
  .update(JSON.stringify({ format: FORMAT_DES_RESULTATS, declarations: LEGAL_DECLARATIONS }))
  .update([faitsTableSql, legalIndicatorsSql, demandSql, calculerIndicateurs].map((f) => f.toString()).join('\n'))
  .digest('hex');

/**
 * What the figures of a year depend on, cheaply: the version of the data (bumped by every write of the data tables,
 * store/version-donnees.ts) with the tables' row counts, the settings and the engine. One small query: the server
 * asks it at the first dashboard call of every generation, where a checksum of the allocations took 0.5 to 0.8 s at
 * IDF scale.
 */
export async function empreinteDesDonnees(store: Store, config: CiaConfig): Promise<string> {
  const etat = await etatDesDonnees(store);
  return createHash('sha256').update(empreinteDuMoteur).update(etat).update(JSON.stringify(config)).digest('hex');
}

/** The columns of an indicator row, as `json_transform` reads them from the engine's rows. */
const FORME_DES_LIGNES = JSON.stringify([
  { indicateur: 'VARCHAR', perimetre_type: 'VARCHAR', perimetre_id: 'VARCHAR', periode: 'VARCHAR', numerateur: 'BIGINT', denominateur: 'BIGINT', taux: 'DOUBLE', cible: 'DOUBLE', ecart: 'DOUBLE', atteint: 'BOOLEAN' },
]);

const COLONNES_DES_LIGNES = `indicateur, perimetre_type, perimetre_id, periode, numerateur::INTEGER AS numerateur, denominateur::INTEGER AS denominateur, taux, cible, ecart, atteint`;

/** The rest of a year's figures, kept as JSON beside its rows (a few MB at IDF scale, the rows twenty). */
type Reste = Omit<IndicatorResults, 'indicateurs'>;

/** Whether the figures of a year are kept under this fingerprint: its JSON row is written last (see `conserver`). */
async function reste(store: Store, annee: number, empreinte: string): Promise<Reste | null> {
  const [row] = await store.all<{ resultats: string }>(
    `SELECT CAST(resultats AS VARCHAR) AS resultats FROM resultats_indicateurs WHERE annee = $annee AND empreinte = $empreinte`,
    { annee, empreinte },
  );
  return row ? (JSON.parse(row.resultats) as Reste) : null;
}

/** The kept figures of a year when they were computed from the store as it is now, else null. */
export async function resultatsConserves(store: Store, annee: number, empreinte: string): Promise<IndicatorResults | null> {
  const autres = await reste(store, annee, empreinte);
  if (!autres) return null;
  // Tens of thousands of rows at regional scale: converted a chunk at a time, so that the server's other requests (the
  // first dashboard call, served from `lignesConservees`) pass between the chunks of the warm-up.
  const indicateurs = await store.allInBatches<IndicatorRow>(
    sql`SELECT ${sql.raw(COLONNES_DES_LIGNES)} FROM resultats_indicateurs_lignes WHERE annee = ${annee} AND empreinte = ${empreinte} ORDER BY ordre`,
  );
  return { ...autres, indicateurs };
}

/**
 * The kept rows of one perimeter type of a year (all types when absent), in the engine's order, when the year is kept
 * under this fingerprint, else null: the dashboard's first call after a start, answered in one indexed read while the
 * whole year is loaded behind it.
 */
export async function lignesConservees(store: Store, annee: number, empreinte: string, perimetreType?: string): Promise<IndicatorRow[] | null> {
  const [kept] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM resultats_indicateurs WHERE annee = $annee AND empreinte = $empreinte`, { annee, empreinte });
  if (!kept?.n) return null;
  return store.all<IndicatorRow>(
    `SELECT ${COLONNES_DES_LIGNES} FROM resultats_indicateurs_lignes
     WHERE annee = $annee AND empreinte = $empreinte AND ($type IS NULL OR perimetre_type = $type) ORDER BY ordre`,
    { annee, empreinte, type: perimetreType ?? null },
  );
}

/**
 * Keeps a year: its rows first, then its JSON row — the mark that the year is kept — so that an interruption between
 * the two leaves rows nobody reads (the next keeping of the year deletes them). No transaction: the server keeps years
 * from concurrent readers sharing one connection.
 */
async function conserver(store: Store, resultats: IndicatorResults, empreinte: string): Promise<void> {
  const { indicateurs, ...autres } = resultats;
  const annee = resultats.annee;
  await store.run(`DELETE FROM resultats_indicateurs WHERE annee = $annee`, { annee });
  await store.run(`DELETE FROM resultats_indicateurs_lignes WHERE annee = $annee`, { annee });
  await store.run(
    `INSERT INTO resultats_indicateurs_lignes
     SELECT $annee, $empreinte, ordre, l.indicateur, l.perimetre_type, l.perimetre_id, l.periode, l.numerateur, l.denominateur, l.taux, l.cible, l.ecart, l.atteint
     FROM (SELECT unnest(lignes) AS l, generate_subscripts(lignes, 1) AS ordre FROM (SELECT json_transform($lignes::JSON, $forme) AS lignes))`,
    { annee, empreinte, lignes: JSON.stringify(indicateurs), forme: FORME_DES_LIGNES },
  );
  await store.run(
    `INSERT INTO resultats_indicateurs (annee, empreinte, resultats, calcule_le) VALUES ($annee, $empreinte, $resultats, now()::TIMESTAMP)`,
    { annee, empreinte, resultats: JSON.stringify(autres) },
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
export async function precalculerLesAnnees(
  store: Store,
  onYear: (annee: number, fait: number, total: number) => void = () => undefined,
  onSecret: () => void = () => undefined,
): Promise<number[]> {
  const config = await configurationCourante(store);
  const empreinte = await empreinteDesDonnees(store, config);
  await store.run(`DELETE FROM resultats_indicateurs WHERE empreinte <> $empreinte`, { empreinte });
  await store.run(`DELETE FROM resultats_indicateurs_lignes WHERE empreinte <> $empreinte`, { empreinte });
  const annees = (await anneesAvecDecisions(store)).reverse();
  // The years computed here, handed to the secrecy pass below without reading them back.
  const calculees = new Map<number, IndicatorResults>();
  for (const [i, annee] of annees.entries()) {
    onYear(annee, i, annees.length);
    const [deja] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM resultats_indicateurs WHERE annee = $annee AND empreinte = $empreinte`, { annee, empreinte });
    if (deja?.n) continue;
    const resultats = await calculerIndicateurs(store, { annee, config });
    await conserver(store, resultats, empreinte);
    calculees.set(annee, resultats);
  }
  // Then the public edition of the years masked together (publication-conservee.ts): the bilan and the first public
  // reader read its rows instead of running the secrecy pass.
  onSecret();
  await precalculerLaPublication(
    store,
    empreinte,
    async (annee) => calculees.get(annee) ?? (await resultatsConserves(store, annee, empreinte)) ?? calculerIndicateurs(store, { annee, config }),
  );
  return annees;
}
