/**
 * Formula injection (« CSV injection »): a spreadsheet opening a file evaluates a text cell that starts with `=`,
 * `+`, `-` or `@` as a formula (and tab or carriage return can hide such a start), so a value typed by someone
 * else — a bailleur's name, a grid's name, a perimeter code of an imported file — could run `=HYPERLINK(…)` or
 * `=WEBSERVICE(…)` on the reader's machine. Every CSV or XLSX Mixité writes for people goes through this module:
 * - CSV: such a text cell is prefixed with an apostrophe, which spreadsheets read as « this is text »;
 * - XLSX: cells are written with their type, text as text (a shared or inline string, never a formula), so the
 *   text is kept as is; `celluleXlsx` is the only way the writers turn a value into a cell.
 * Numbers are not text: a negative number written from a number stays a number in both formats.
 *
 * Not used for the canonical data files (`mixite exporter`), which the import reads back byte for byte.
 */

/** The first characters that make a spreadsheet read a text cell as a formula. */
export const DEBUTS_DE_FORMULE = ['=', '+', '-', '@', '\t', '\r'] as const;

const DEBUT_DE_FORMULE = /^[=+\-@\t\r]/;

/** Whether a text cell would be read as a formula by a spreadsheet. */
export const commeUneFormule = (texte: string): boolean => DEBUT_DE_FORMULE.test(texte);

/** A text cell of a CSV, neutralised: `=HYPERLINK(…)` → `'=HYPERLINK(…)`, `-12 €` → `'-12 €`; other text unchanged. */
export function texteCsv(texte: string): string {
  return commeUneFormule(texte) ? `'${texte}` : texte;
}

/**
 * The same rule in SQL, for the CSV files DuckDB writes itself (`COPY … TO`): `expression` is a VARCHAR
 * expression; NULL stays NULL.
 */
export function texteCsvSql(expression: string): string {
  return `CASE WHEN regexp_matches(${expression}, '^[=+\\-@\\t\\r]') THEN '''' || ${expression} ELSE ${expression} END`;
}

/** What a writer may put in an XLSX cell: text, a finite number, or nothing. Never a formula object. */
export type CelluleXlsx = string | number | null;

/**
 * A value as an XLSX cell: numbers stay numbers (NaN and infinities, which Excel cannot hold, become empty),
 * booleans become « oui »/« non », everything else text (exceljs writes a string as a string cell, never as a
 * formula, whatever its first character).
 */
export function celluleXlsx(value: unknown): CelluleXlsx {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}
