import type { ColumnSpec, FileSpec } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal, sqlType } from '../store/sql-types.ts';
import type { PreparedFile } from './source-file.ts';
import { rejectsScan, rejectsTable } from './staging.ts';
import { validiteTypeeSql } from './relation-typee.ts';

/**
 * The first try of the fast staging (issue 18, decision 0010, session 10): DuckDB reads the file with the contract's
 * types (INTEGER, DECIMAL(18,2), DATE, BOOLEAN) instead of text: ≈ 20 % less processor time for `demandes` and
 * `logements` at IDF scale with the scan of the lines below, ≈ 40 % without it (decision 0010). The native read accepts more
 * than the format and leaves no trace of it (`1.5` read as the integer 2, `1e3`, `1_000`, `2024-1-5`, `yes`, the
 * ambiguous `1.500` read as 1.50: decision 0009), so it only counts when a second, cheaper scan vouches for every
 * typed cell: each line of the file, read whole, matches `canonicalLineRegex`, which lets a typed column hold only
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

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DELIMITER_REGEX: Record<PreparedFile['delimiter'], string> = { ';': ';', ',': ',', '\t': '\\t' };

/**
 * The spelling a cell of `col` may have for the native read to be trusted, as an RE2 fragment (null: any cell without
 * delimiter or quote). Each accepts a subset of the format's language (core, cells.ts) on which DuckDB's native value
 * is the format's: at most nine digits for an integer, at most fifteen whole digits and two decimals for an amount
 * (never the ambiguous `1.500`, never rounded), `AAAA-MM-JJ` for a date (an impossible one is rejected by the read),
 * `0`/`1` for a boolean, a code of the list. Required columns refuse the empty cell here too.
 */
export function canonicalCellRegex(col: ColumnSpec | undefined): string | null {
  const form = ((): string | null => {
    switch (col?.kind) {
      case 'integer':
        return '-?(?:0|[1-9][0-9]{0,8})';
      case 'decimal':
        return '-?(?:0|[1-9][0-9]{0,14})(?:\\.[0-9]{1,2})?';
      case 'date':
        return '[0-9]{4}-[0-9]{2}-[0-9]{2}';
      case 'boolean':
        return '[01]';
      case 'code':
        return `(?:${col.codes.map(escapeRegex).join('|')})`;
      default:
        return null;
    }
  })();
  if (form === null || col === undefined) return null;
  return col.required ? form : `(?:${form})?`;
}

/** A whole line (without its line break) whose typed and code cells are all canonical (`canonicalCellRegex`). */
export function canonicalLineRegex(spec: FileSpec, columns: readonly string[], delimiter: PreparedFile['delimiter']): string {
  const d = DELIMITER_REGEX[delimiter];
  const anyCell = `[^${d}"\\r\\n]*`;
  return `^${columns.map((c) => canonicalCellRegex(spec.columns[c]) ?? anyCell).join(d)}$`;
}

/**
 * Reads `file` natively into the TEMP table `typed` (its columns, and the per-row flag `failure` computes, named
 * `flag`) when the line scan vouches for it; false, with nothing left behind but what dropStaging drops, when it does
 * not. `valueRules`: the file's rules and event dates over typed values (typed-staging.ts), OR-ed into the flag with
 * each cell's verdict.
 */
export async function readNatively(store: Store, file: PreparedFile, spec: FileSpec, typed: string, flag: string, valueRules: readonly string[]): Promise<boolean> {
  // A relation handed over has no file to scan; coordinates (`real`) are not read natively and would stay text.
  if (file.relation !== undefined || file.columns.some((c) => spec.columns[c]?.kind === 'real')) return false;
  // Lines and rows are the same only when no cell is quoted: the line pattern refuses `"`. A line holding the
  // scanner's own delimiter (`\0`) is refused by strict_mode: the statement fails and the file is read as text.
  const scan = (limit: string) =>
    `SELECT count(*)::INTEGER AS n, count_if(NOT coalesce(regexp_full_match(l, ${literal(canonicalLineRegex(spec, file.columns, file.delimiter))}), FALSE))::INTEGER AS off
     FROM (SELECT l FROM read_csv(${literal(file.csvPath)}, header = true, auto_detect = false, columns = {'l': 'VARCHAR'}, delim = '\\0', quote = '',
                                  escape = '', strict_mode = true, max_line_size = 1048576)${limit})`;
  let lines: { n: number; off: number } | undefined;
  try {
    // The first lines first: a file written otherwise (French dates, decimal commas) usually shows it there, and
    // then costs the text read a scan of a thousand lines instead of the whole file.
    const [head] = await store.all<{ n: number; off: number }>(scan(' LIMIT 1000'));
    if (head === undefined || head.off > 0) return false;
    [lines] = await store.all<{ n: number; off: number }>(scan(''));
  } catch {
    return false;
  }
  if (lines === undefined || lines.n === 0 || lines.off > 0) return false;
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
  try {
    await store.run(`CREATE TEMP TABLE ${ident(typed)} AS
      SELECT ${file.columns.map(ident).join(', ')}, (${[...verdicts, ...blank, ...valueRules].join(' OR ') || 'FALSE'}) AS ${ident(flag)}
      FROM (SELECT ${cells.join(', ')}
            FROM read_csv(${literal(file.csvPath)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)}, quote = '"', escape = '"',
                          columns = ${columnsStruct}, strict_mode = true, null_padding = false, store_rejects = true,
                          rejects_table = ${literal(rejectsTable(file))}, rejects_scan = ${literal(rejectsScan(file))}, max_line_size = 1048576))`);
  } catch {
    return false;
  }
  const [read] = await store.all<{ n: number; rejects: number }>(
    `SELECT (SELECT count(*) FROM ${ident(typed)})::INTEGER AS n, (SELECT count(*) FROM ${ident(rejectsTable(file))})::INTEGER AS rejects`,
  );
  // Every line a row (none skipped, none split), none rejected (an impossible date): else the text read decides.
  return read !== undefined && read.n === lines.n && read.rejects === 0;
}
