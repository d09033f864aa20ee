import type { FileSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { FileMapping } from './mapping.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerFile, problem } from './problems.ts';
import type { PreparedFile } from './source-file.ts';

/**
 * Loads a prepared CSV into a TEMP staging table of trimmed VARCHAR cells (empty = NULL) with the line
 * number the spreadsheet shows (LINE_SQL, header = 1). Temporary tables live outside the store file:
 * a rejected import never writes to it.
 */

export const stagingTable = (file: PreparedFile) => `stg_${file.table}`;

/**
 * The spreadsheet line of a staged row (header = line 1). Rowids survive the deletion of blank rows. A row inserted
 * by a transaction not yet committed — a TEMP table staged inside the direct write's transaction (direct-write.ts) —
 * has the row id 36 028 797 018 960 000 (DuckDB's MAX_ROW_ID) + its index, in the order of the insert; committed
 * rows have ids below it: the remainder is the index either way.
 */
export const LINE_SQL = '(rowid % 36028797018960000 + 2)::INTEGER';
export const rejectsTable = (file: PreparedFile) => `rej_${file.table}`;
export const rejectsScan = (file: PreparedFile) => `rejscan_${file.table}`;
/** The typed table of the fast staging (typed-staging.ts); `stagingTable` is then a view of it. */
export const typedTable = (file: PreparedFile) => `typ_${file.table}`;

export interface Staged {
  readonly file: PreparedFile;
  readonly table: string;
  readonly rows: number;
  /** Line of the first structurally broken row; value checks only run on the lines before it. */
  readonly firstBrokenLine: number | null;
  /**
   * Set by the fast staging: the TEMP table of typed values (the table's columns, the free columns as text, in the
   * file's order, rowid + 2 = line) that the load copies; `table` is then a view of its cells as text.
   */
  readonly typed?: string;
}

export async function stage(
  store: Store,
  file: PreparedFile,
  mapping: FileMapping | undefined,
): Promise<{ ok: true; staged: Staged; problems: ImportProblem[] } | { ok: false; problems: ImportProblem[] }> {
  const table = stagingTable(file);
  await dropStaging(store, file);
  try {
    // The line of a row is its rowid + 2 (header = line 1): CTAS keeps the file's order (preserve_insertion_order).
    await store.run(`CREATE TEMP TABLE ${ident(table)} AS SELECT ${cellsSql(file)} FROM ${readCsvSql(file)}`);
  } catch (error) {
    return { ok: false, problems: [problem({ fichier: file.fichier, message: `fichier CSV illisible : ${describeDuckDbError(error)}` })] };
  }

  const problems: ImportProblem[] = [];
  // A relation handed over (PreparedFile.relation) was read, and its broken rows reported, by whoever made it.
  const rejects =
    file.relation !== undefined
      ? []
      : await store.all<{ line: number; error_type: string; csv_line: string | null; column_name: string | null; error_message: string }>(
          `SELECT DISTINCT ON (line) line::INTEGER AS line, error_type, csv_line, column_name, error_message
           FROM ${ident(rejectsTable(file))} ORDER BY line LIMIT ${maxProblemsPerFile()}`,
        );
  for (const r of rejects) {
    problems.push(
      problem({
        fichier: file.fichier,
        ligne: r.line,
        valeur: r.csv_line,
        message: rejectMessage(r.error_type, file),
      }),
    );
  }

  if (mapping) await applyCodeMapping(store, table, file, mapping);
  // Blank lines (kept as rows so that numbering stays right) carry no data.
  await store.run(`DELETE FROM ${ident(table)} WHERE ${file.columns.map((c) => `${ident(c)} IS NULL`).join(' AND ')}`);
  const [count] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
  const rows = count?.n ?? 0;
  const spec: FileSpec = FILE_SPECS[file.table];
  if (rows === 0 && rejects.length === 0 && !CAN_BE_EMPTY.has(file.table)) {
    problems.push(problem({ fichier: file.fichier, ligne: 2, message: `aucune ligne de données : le fichier ne contient que l’en-tête (${spec.libelle.toLowerCase()} attendues)` }));
  }
  return { ok: true, staged: { file, table, rows, firstBrokenLine: rejects[0]?.line ?? null }, problems };
}

/** The file's cells as text, trimmed and empty = NULL, under their canonical names. */
export function cellsSql(file: PreparedFile): string {
  // Trimming every cell of a large file costs as much as reading it: only when some cell has edge spaces.
  return file.columns.map((c) => (file.mayHaveEdgeSpaces ? `nullif(trim(${ident(c)}), '') AS ${ident(c)}` : ident(c))).join(', ');
}

/** DuckDB's reader of a prepared file, every cell as VARCHAR. */
export function readCsvSql(file: PreparedFile): string {
  // The RPLS preset's converted rows, already in DuckDB (source-file.ts, attacherRelation): no CSV to read.
  if (file.relation !== undefined) return ident(file.relation);
  const columnsStruct = `{${file.columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`;
  // strict_mode + store_rejects: a row with too many or too few cells is listed with its line instead of aborting the read.
  return `read_csv(${literal(file.csvPath)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)},
                    quote = '"', escape = '"', columns = ${columnsStruct}, strict_mode = true, null_padding = false,
                    store_rejects = true, rejects_table = ${literal(rejectsTable(file))}, rejects_scan = ${literal(rejectsScan(file))},
                    max_line_size = 1048576)`;
}

/** Files that a territory may legitimately leave with no row (a territory without QPV, without reservations…). */
const CAN_BE_EMPTY = new Set<string>(['qpv', 'reservataires', 'residences', 'occupation', 'seuils', 'attributions', 'logements', 'conventions']);

export async function dropStaging(store: Store, file: PreparedFile): Promise<void> {
  // The staging relation is a table, or a view of the fast staging's typed table; the typed relation a table, or a
  // view of the final table written directly (direct-write.ts). DuckDB refuses to drop one kind under the other's
  // name: trying the view first costs less than listing duckdb_views() (≈ 10 ms a call).
  for (const view of [stagingTable(file), typedTable(file)]) {
    try {
      await store.run(`DROP VIEW IF EXISTS temp.${ident(view)}`);
    } catch {
      // A table: dropped below.
    }
  }
  for (const t of [stagingTable(file), typedTable(file), rejectsTable(file), rejectsScan(file)]) await store.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);
}

async function applyCodeMapping(store: Store, table: string, file: PreparedFile, mapping: FileMapping): Promise<void> {
  for (const [column, codes] of Object.entries(mapping.codes)) {
    const entries = Object.entries(codes);
    if (!file.columns.includes(column) || entries.length === 0) continue;
    const c = ident(column);
    const cases = entries.map(([from, to]) => `WHEN ${literal(from.trim())} THEN ${literal(to)}`).join(' ');
    await store.run(`UPDATE ${ident(table)} SET ${c} = CASE ${c} ${cases} ELSE ${c} END`);
  }
}

function rejectMessage(errorType: string, file: PreparedFile): string {
  const expected = `${file.columns.length} colonnes attendues d’après l’en-tête, séparées par « ${file.delimiter === '\t' ? 'tabulation' : file.delimiter} »`;
  switch (errorType) {
    case 'MISSING COLUMNS':
      return `il manque des cellules sur cette ligne (${expected}) : ligne tronquée ou séparateur différent ?`;
    case 'TOO MANY COLUMNS':
      return `trop de cellules sur cette ligne (${expected}) : un « ${file.delimiter} » dans une valeur doit être entre guillemets`;
    case 'UNQUOTED VALUE':
      return 'guillemet mal placé : une valeur entre guillemets doit commencer et finir par « " » (doublez les guillemets internes)';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'caractères illisibles : enregistrez le fichier en UTF-8';
    case 'LINE SIZE OVER MAXIMUM':
      return 'ligne démesurément longue (plus de 1 Mo) : guillemet non refermé ?';
    default:
      return `ligne illisible (${errorType.toLowerCase()})`;
  }
}

export function describeDuckDbError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // DuckDB's first line is the useful one; the rest repeats the reader options.
  return message.split('\n')[0]?.replace(/^[A-Za-z ]+Error: /, '') ?? message;
}
