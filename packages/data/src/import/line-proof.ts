import type { ColumnSpec, FileSpec } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { literal } from '../store/sql-types.ts';
import type { PreparedFile } from './source-file.ts';

/**
 * The proof that vouches for the native read (native-read.ts, issue 18, decision 0010): DuckDB's typed reader accepts
 * more than the format and leaves no trace of it (`1.5` read as the integer 2, `1e3`, `1_000`, `2024-1-5`, `yes`, the
 * ambiguous `1.500` read as 1.50: decision 0009), so it only counts when every line of the file, read whole, matches
 * `canonicalLineRegex`: a typed column holds only canonical spellings (`-12`, `1500.5`, `2024-01-05`, `0`/`1`) whose
 * native value is the format's value; a code column only its codes; no line holds a quote, so lines and rows are the
 * same. The property test (cell-rules-native.property.test.ts) checks, through a real CSV read, that a cell the pattern
 * lets through has the format's value and verdict.
 */

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
 * The number of data lines of `file` when every one of them is canonical (`canonicalLineRegex`), else null: the
 * native read is not to be trusted and the caller reads the file as text.
 */
export async function provenLineCount(store: Store, file: PreparedFile, spec: FileSpec): Promise<number | null> {
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
    if (head === undefined || head.off > 0) return null;
    [lines] = await store.all<{ n: number; off: number }>(scan(''));
  } catch {
    return null;
  }
  if (lines === undefined || lines.n === 0 || lines.off > 0) return null;
  return lines.n;
}
