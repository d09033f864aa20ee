import type { FileName } from '@mixite/core';
import { BaseEndommageeError, FILE_NAMES, FILE_SPECS } from '@mixite/core';
import type { Store } from './store.ts';
import { ident, literal } from './sql-types.ts';
import { marquerDonneesModifiees } from './version-donnees.ts';

/**
 * The integrity of a store, checked every time the server or the CLI opens one (issue 10): a crash must never
 * leave a store that is silently served half-imported. Two families of checks, both plain SQL and fast:
 *  - no duplicate key in a data table (the key of its file in the canonical format);
 *  - each data table holds exactly the number of rows recorded in `etat_tables` by the last transaction that
 *    changed it (import, retention purge, edited thresholds), and that record names the last successful import.
 * A store older than migration 3 has no record yet: only the keys are checked until its next import.
 */

export type IntegrityProblem =
  | { readonly type: 'doublons'; readonly table: FileName; readonly cle: readonly string[]; readonly lignes: number }
  | { readonly type: 'lignes'; readonly table: FileName; readonly attendu: number; readonly trouve: number }
  | { readonly type: 'historique'; readonly importEnregistre: number | null; readonly dernierImport: number | null };

/** A store whose data contradicts itself: it must not be served. The message says what is wrong and how to restore it. */
export class StoreIntegrityError extends BaseEndommageeError {
  constructor(
    readonly path: string,
    /** What is wrong, typed (the family's `problemes` say it in French, one per table). */
    readonly defauts: readonly IntegrityProblem[],
  ) {
    super(integrityMessage(path, defauts), { problemes: defauts.map((p) => ({ fichier: path, message: describeProblem(p) })) });
  }

  /** The data tables that a re-import must replace to repair the store. */
  get tablesEndommagees(): FileName[] {
    return FILE_NAMES.filter((t) => this.defauts.some((p) => p.type !== 'historique' && p.table === t));
  }
}

const nf = (n: number) => n.toLocaleString('fr-FR');

export function describeProblem(p: IntegrityProblem): string {
  switch (p.type) {
    case 'doublons':
      return `${p.table} : ${nf(p.lignes)} ligne${p.lignes > 1 ? 's' : ''} en double sur la clé (${p.cle.join(', ')})`;
    case 'lignes':
      return `${p.table} : ${nf(p.trouve)} lignes au lieu des ${nf(p.attendu)} enregistrées par la dernière modification validée`;
    case 'historique':
      return `historique des imports incohérent : les tables correspondent à l’import n° ${p.importEnregistre ?? '(aucun)'}, le dernier import réussi est le n° ${p.dernierImport ?? '(aucun)'}`;
  }
}

export function integrityMessage(path: string, problemes: readonly IntegrityProblem[]): string {
  return [
    `La base ${path} est endommagée (probablement un arrêt brutal pendant une écriture) : Mixité refuse de la servir.`,
    ...problemes.map((p) => `  - ${describeProblem(p)}`),
    'Pour la remettre en état :',
    `  - soit restaurez la dernière sauvegarde de ce fichier (${path}), application arrêtée ;`,
    `  - soit réimportez les derniers fichiers du territoire : « mixite import DOSSIER --base ${path} » (le dossier doit contenir au moins les fichiers des tables citées ; l’import remplace leurs lignes).`,
  ].join('\n');
}

/** Every integrity problem of the store (none: the store is consistent). Read-only. */
export async function checkIntegrity(store: Store): Promise<IntegrityProblem[]> {
  // One query for all tables. Distinct 64-bit hashes of the key cost a third less than distinct strings at IDF scale;
  // a collision (odds about 1 in 10^7 for 1.5 million keys) could only report a false duplicate, so a table whose
  // hashes collide is recounted exactly below before anything is reported.
  const parts = FILE_NAMES.map((name) => {
    const t = ident(name);
    return `SELECT ${literal(name)} AS nom, (SELECT count(*) FROM ${t})::BIGINT AS lignes,
              (SELECT count(DISTINCT hash(${keyOf(name)})) FROM ${t})::BIGINT AS distinctes`;
  });
  const rows = await store.all<{ nom: FileName; lignes: string | number; distinctes: string | number; attendu: string | number | null }>(
    `WITH t AS (${parts.join(' UNION ALL ')})
     SELECT t.nom, t.lignes::VARCHAR AS lignes, t.distinctes::VARCHAR AS distinctes, e.lignes::VARCHAR AS attendu
     FROM t LEFT JOIN etat_tables e ON e.nom = t.nom`,
  );
  const problems: IntegrityProblem[] = [];
  const byName = new Map(rows.map((r) => [r.nom, r]));
  for (const name of FILE_NAMES) {
    const r = byName.get(name);
    if (!r) continue;
    const lignes = Number(r.lignes);
    const distinctes = Number(r.distinctes) < lignes ? await exactDistinct(store, name) : lignes;
    if (distinctes < lignes) problems.push({ type: 'doublons', table: name, cle: FILE_SPECS[name].key, lignes: lignes - distinctes });
    if (r.attendu !== null && Number(r.attendu) !== lignes) problems.push({ type: 'lignes', table: name, attendu: Number(r.attendu), trouve: lignes });
  }
  const [history] = await store.all<{ enregistre: number | null; dernier: number | null; etats: number }>(
    `SELECT (SELECT max(import_id) FROM etat_tables)::INTEGER AS enregistre,
            (SELECT max(id) FROM imports WHERE statut = 'reussi')::INTEGER AS dernier,
            (SELECT count(*) FROM etat_tables)::INTEGER AS etats`,
  );
  // A store imported before migration 3 has successful imports but no record yet: nothing to compare.
  if (history && history.etats > 0 && history.enregistre !== history.dernier) {
    problems.push({ type: 'historique', importEnregistre: history.enregistre, dernierImport: history.dernier });
  }
  return problems;
}

/** The key of a data table as one SQL value (NULL parts compare equal, like the import's uniqueness check). */
function keyOf(name: FileName): string {
  const key = FILE_SPECS[name].key;
  return key.length === 1 ? ident(key[0] as string) : `(${key.map(ident).join(', ')})`;
}

async function exactDistinct(store: Store, name: FileName): Promise<number> {
  const [row] = await store.all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM (SELECT DISTINCT ${FILE_SPECS[name].key.map(ident).join(', ')} FROM ${ident(name)})`);
  return Number(row?.n ?? 0);
}

/** Throws StoreIntegrityError when the store is damaged. Called by the server and the CLI right after opening it. */
export async function assertIntegrity(store: Store): Promise<void> {
  const problems = await checkIntegrity(store);
  if (problems.length > 0) throw new StoreIntegrityError(store.path, problems);
}

/**
 * Records the row count of the data tables a transaction changed, with the last successful import (the transaction's
 * own import when it is one). To be called inside that transaction, after the change: the record and the rows are
 * then committed, or lost, together. Tables never recorded yet (a store imported before migration 3) are recorded
 * as they are, so that from now on every table is compared.
 */
export async function recordTableCounts(store: Store, origine: string, tables: readonly FileName[]): Promise<void> {
  const counts = FILE_NAMES.map((name) => `SELECT ${literal(name)} AS nom, (SELECT count(*) FROM ${ident(name)})::BIGINT AS lignes`).join(' UNION ALL ');
  const changed = tables.map(literal).join(', ');
  if (tables.length > 0) await store.run(`DELETE FROM etat_tables WHERE nom IN (${changed})`);
  await store.run(
    `INSERT INTO etat_tables
     SELECT nom, lignes, (SELECT max(id) FROM imports WHERE statut = 'reussi'), $1, now() FROM (${counts})
     WHERE nom NOT IN (SELECT nom FROM etat_tables)`,
    [origine],
  );
  // Every record names the same last import: the history check compares it with the imports table.
  await store.run(`UPDATE etat_tables SET import_id = (SELECT max(id) FROM imports WHERE statut = 'reussi')`);
  // Every writer of the data tables comes here inside its transaction: the data's version moves with the rows.
  await marquerDonneesModifiees(store);
}
