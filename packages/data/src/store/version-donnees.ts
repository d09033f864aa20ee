import type { Store } from './store.ts';
import { FILE_NAMES } from '@mixite/core';
import { ident } from './sql-types.ts';

/**
 * The version of the store's data (issue 18, warm start): a number bumped inside every transaction that writes the
 * data tables — an import, the retention purge, a change of the income thresholds (all three through
 * `recordTableCounts`), a CALEOL decision or its outcome — so that what depends on the data (the indicators kept in
 * the store) knows in one row read whether it is still current, where a checksum of the allocations scanned them all
 * (0.5 to 0.8 s at IDF scale, at every dashboard call of a new generation). Written in the writer's transaction, it
 * is committed or lost with the rows.
 */
export async function marquerDonneesModifiees(store: Store): Promise<void> {
  await store.run(`UPDATE version_donnees SET version = version + 1, modifiee_le = now()::TIMESTAMP`);
}

/**
 * What the figures computed from the store depend on, read cheaply: the version above, and the row count of every
 * data table (DuckDB answers `count(*)` of a whole table from its metadata) — a guard against a writer that would
 * forget the version: rows added or deleted without it still make the state differ. A row edited in place by a tool
 * outside Mixité is not seen: edits go through the product (docs/architecture.md, « Démarrage à chaud »).
 */
export async function etatDesDonnees(store: Store): Promise<string> {
  const comptes = FILE_NAMES.map((name) => `(SELECT count(*) FROM ${ident(name)})::VARCHAR AS ${ident(name)}`).join(', ');
  const [etat] = await store.all<Record<string, string>>(
    `SELECT (SELECT max(version) FROM version_donnees)::VARCHAR AS version, ${comptes}`,
  );
  return JSON.stringify(etat);
}
