import type { ColumnSpec, FileSpec } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal, sqlType } from '../store/sql-types.ts';
import { provenLineCount } from './line-proof.ts';
import type { PreparedFile } from './source-file.ts';
import { rejectsScan, rejectsTable } from './staging.ts';
import { validiteTypeeSql } from './relation-typee.ts';

/**
 * The first try of the fast staging (issue 18, decision 0010, session 10): DuckDB reads the file with the contract's
 * types (INTEGER, DECIMAL(18,2), DATE, BOOLEAN) instead of text: ≈ 20 % less processor time for `demandes` and
 * `logements` at IDF scale with the scan of the lines below, ≈ 40 % without it (decision 0010). The native read accepts more
 * than the format and leaves no trace of it (`1.5` read as the integer 2, `1e3`, `1_000`, `2024-1-5`, `yes`, the
 * ambiguous `1.500` read as 1.50: decision 0009), so it only counts when a second, cheaper scan vouches for every
 * typed cell: each line of the file, read whole, matches `canonicalLineRegex` (line-proof.ts), which lets a typed column hold only
 * canonical spellings (`-12`, `1500.5`, `2024-01-05`, `0`/`1`) whose native value is the format's value; a code
 * column only its codes; no line holds a quote, so lines and rows are the same. Then each cell's verdict is read off
 * its value (validiteTypeeSql: the ranges, the required cells, the text patterns and code lists). Anything else —
 * a French date, a decimal comma, `oui`, a quoted cell, an impossible date DuckDB rejects — and the caller reads the
 * file as text (typed-staging.ts), which accepts every spelling of the format. The property test
 * (cell-rules-native.property.test.ts) checks, through a real CSV read, that a cell the pattern lets through has the
 * format's value and verdict.
 */

/** Kinds DuckDB reads natively here; the others (text, code, list, and `real`, rare) stay text. */
const NATIVE = new Set<ColumnSpec['kind']>(['integer', 'decimal', 'date', 'boolean']);
const isNative = (col: ColumnSpec | undefined): col is ColumnSpec => col !== undefined && NATIVE.has(col.kind);

/**
 * Reads `file` natively into the TEMP table `typed` (its columns, and the per-row flag `failure` computes, named
 * `flag`) when the line scan vouches for it; false, with nothing left behind but what dropStaging drops, when it does
 * not. `valueRules`: the file's rules and event dates over typed values (typed-staging.ts), OR-ed into the flag with
 * each cell's verdict. `typed` may instead be a sink (direct-write.ts: the rows whose flag is not set go straight into
 * the final table); it answers how many rows it kept, and true means that every line of the file was kept.
 */
export async function readNatively(
  store: Store,
  file: PreparedFile,
  spec: FileSpec,
  typed: string | TypedRowsSink,
  flag: string,
  valueRules: readonly string[],
): Promise<boolean> {
  // A relation handed over has no file to scan; coordinates (`real`) are not read natively and would stay text.
  if (file.relation !== undefined || file.columns.some((c) => spec.columns[c]?.kind === 'real')) return false;
  // Every line of the file canonical, or the text read decides (line-proof.ts).
  const lines = await provenLineCount(store, file, spec);
  if (lines === null) return false;
  const columnsStruct = `{${file.columns.map((c) => `${literal(c)}: ${literal(isNative(spec.columns[c]) ? sqlType(spec.columns[c] as ColumnSpec) : 'VARCHAR')}`).join(', ')}}`;
  // Text cells as the text read gives them (cellsSql); typed cells hold no space (the line pattern).
  const cells = file.columns.map((c) => (file.mayHaveEdgeSpaces && !isNative(spec.columns[c]) ? `nullif(trim(${ident(c)}), '') AS ${ident(c)}` : ident(c)));
  // Each cell's verdict off its value; a code column's is the line pattern's, and a free text needs none.
  const verdicts = file.columns.flatMap((c) => {
    const col = spec.columns[c];
    const free = col === undefined || col.kind === 'code' || ((col.kind === 'text' || col.kind === 'list') && !col.required && !(col.kind === 'text' && col.pattern));
    return free ? [] : [`NOT coalesce(${validiteTypeeSql(col, c)}, FALSE)`];
  });
  // A row of empty cells fails a required cell; without one, it is flagged for the exact staging, which drops it.
  const anyRequired = file.columns.some((c) => spec.columns[c]?.required);
  const blank = anyRequired ? [] : [`(${file.columns.map((c) => `${ident(c)} IS NULL`).join(' AND ')})`];
  const rows = `SELECT ${file.columns.map(ident).join(', ')}, (${[...verdicts, ...blank, ...valueRules].join(' OR ') || 'FALSE'}) AS ${ident(flag)}
      FROM (SELECT ${cells.join(', ')}
            FROM read_csv(${literal(file.csvPath)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)}, quote = '"', escape = '"',
                          columns = ${columnsStruct}, strict_mode = true, null_padding = false, store_rejects = true,
                          rejects_table = ${literal(rejectsTable(file))}, rejects_scan = ${literal(rejectsScan(file))}, max_line_size = 1048576))`;
  const sink = typeof typed === 'string' ? tempTableSink(store, typed) : typed;
  let kept: number;
  try {
    kept = await sink(rows, flag);
  } catch {
    return false;
  }
  const [read] = await store.all<{ rejects: number }>(`SELECT count(*)::INTEGER AS rejects FROM ${ident(rejectsTable(file))}`);
  // Every line a row (none skipped, none split), none rejected (an impossible date): else the text read decides.
  return kept === lines && read !== undefined && read.rejects === 0;
}

/**
 * Where the typed rows of a read go, given their SELECT (the file's columns and the per-row `flag`): answers how
 * many rows it kept. A TEMP table keeps them all (the caller counts the flags); the final table of a direct write
 * (direct-write.ts) only those whose flag is not set.
 */
export type TypedRowsSink = (rows: string, flag: string) => Promise<number>;

/** The TEMP table `typed`, holding every row and its flag. */
const tempTableSink =
  (store: Store, typed: string): TypedRowsSink =>
  async (rows) => {
    await store.run(`CREATE TEMP TABLE ${ident(typed)} AS ${rows}`);
    const [read] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(typed)}`);
    return read?.n ?? 0;
  };
