import type { ColumnSpec } from './columns.ts';
import { DATE_MAX, DATE_MIN } from './columns.ts';

/**
 * Parsing of one CSV cell, in JavaScript. The importer runs the same rules as SQL over a staging table
 * (packages/data/src/import/sql-checks.ts); a property test checks that both accept and produce the same values.
 */

export type ParsedCell = { readonly ok: true; readonly value: string | number | boolean | null } | { readonly ok: false; readonly attendu: string };

export const BOOLEAN_TRUE = ['1', 'oui', 'true', 'o', 'vrai'] as const;
export const BOOLEAN_FALSE = ['0', 'non', 'false', 'n', 'faux'] as const;

export const INTEGER_REGEX = '^[+-]?[0-9]{1,9}$';
export const DECIMAL_REGEX = '^[+-]?[0-9]{1,15}([.,][0-9]+)?$';
/**
 * Thousands separators in money and surfaces (`decimal` columns). The rule, in one place:
 * - a single `.` or `,` followed by exactly three digits after 1 to 3 digits not starting with 0 (`1.500`,
 *   `12,345`) reads as 1 500 or as 1,5: **ambiguous, refused** — never guessed;
 * - otherwise a single `.` or `,` is the decimal separator (`1500.5`, `0,500`, `390,50`);
 * - groups of three digits separated by spaces (U+0020, no-break U+00A0, narrow no-break U+202F) are thousands,
 *   the decimal separator then being `.` or `,` (`1 500`, `12 345,67`);
 * - groups separated by `.` with an optional `,` decimal part (`1.500.000`, `1.500,00`), or by `,` with an
 *   optional `.` decimal part (`1,500,000`, `1,500.00`) are thousands: unambiguous since a number has one
 *   decimal separator.
 * Integers and coordinates (`integer`, `real`) take no thousands separator: `.`/`,` is the decimal mark there.
 */
export const AMBIGUOUS_THOUSANDS_REGEX = '^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$';
const SPACES = ' \u00A0\u202F';
export const SPACE_GROUPED_REGEX = `^[+-]?[1-9][0-9]{0,2}([${SPACES}][0-9]{3})+([.,][0-9]+)?$`;
export const DOT_GROUPED_REGEX = '^[+-]?[1-9][0-9]{0,2}([.][0-9]{3})+(,[0-9]+)?$';
export const COMMA_GROUPED_REGEX = '^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?$';
export const GROUP_SPACES_CLASS = `[${SPACES}]`;

/** The plain `123.45` form of an amount (see the rule above), or null when it is not an unambiguous number. */
export function normaliseAmount(cell: string): string | null {
  if (new RegExp(AMBIGUOUS_THOUSANDS_REGEX).test(cell)) return null;
  if (new RegExp(DECIMAL_REGEX).test(cell)) return cell.replace(',', '.');
  if (new RegExp(SPACE_GROUPED_REGEX).test(cell)) return cell.replace(new RegExp(GROUP_SPACES_CLASS, 'g'), '').replace(',', '.');
  if (new RegExp(DOT_GROUPED_REGEX).test(cell)) return cell.replaceAll('.', '').replace(',', '.');
  if (new RegExp(COMMA_GROUPED_REGEX).test(cell)) return cell.replaceAll(',', '');
  return null;
}

export const AMBIGUOUS_THOUSANDS_MESSAGE =
  'séparateur ambigu : un seul point ou une seule virgule suivi de trois chiffres se lit aussi bien en milliers (1.500 = 1 500) qu’en décimales (1.500 = 1,5) — écrivez 1500, 1 500 ou 1,5';

export const ISO_DATE_REGEX = '^([0-9]{4})-([0-9]{2})-([0-9]{2})$';
export const FR_DATE_REGEX = '^([0-9]{2})/([0-9]{2})/([0-9]{4})$';

/** What a kind expects, in French, for error messages. */
export function expectedOf(spec: ColumnSpec): string {
  switch (spec.kind) {
    case 'text':
      return spec.pattern ? spec.pattern.attendu : 'un texte';
    case 'code':
      return `un des codes ${spec.codes.join(', ')}`;
    case 'integer':
      return `un nombre entier${rangeText(spec.min, spec.max)}`;
    case 'decimal':
      return `un nombre${rangeText(spec.min, spec.max)} (décimales avec . ou , ; milliers séparés par des espaces, ou par . avec décimales à , et inversement)`;
    case 'real':
      return `un nombre${rangeText(spec.min, spec.max)} (décimales avec . ou ,)`;
    case 'date':
      return `une date AAAA-MM-JJ ou JJ/MM/AAAA entre ${DATE_MIN.slice(0, 4)} et ${DATE_MAX.slice(0, 4)}`;
    case 'boolean':
      return 'un booléen (0/1, oui/non, true/false, O/N)';
    case 'list':
      return 'une liste de valeurs séparées par |';
  }
}

function rangeText(min: number | undefined, max: number | undefined): string {
  const fmt = (n: number) => n.toLocaleString('fr-FR');
  if (min !== undefined && max !== undefined) return ` entre ${fmt(min)} et ${fmt(max)}`;
  if (min !== undefined) return ` supérieur ou égal à ${fmt(min)}`;
  if (max !== undefined) return ` inférieur ou égal à ${fmt(max)}`;
  return '';
}

export function parseCell(spec: ColumnSpec, raw: string | null | undefined): ParsedCell {
  const cell = (raw ?? '').trim();
  if (cell === '') return spec.required ? { ok: false, attendu: 'une valeur (colonne obligatoire)' } : { ok: true, value: null };
  const fail = (): ParsedCell => ({ ok: false, attendu: expectedOf(spec) });
  switch (spec.kind) {
    case 'text':
      return spec.pattern && !new RegExp(spec.pattern.regex).test(cell) ? fail() : { ok: true, value: cell };
    case 'list':
      return { ok: true, value: cell };
    case 'code':
      return spec.codes.includes(cell) ? { ok: true, value: cell } : fail();
    case 'integer': {
      if (!new RegExp(INTEGER_REGEX).test(cell)) return fail();
      const n = Number(cell);
      return inRange(n, spec.min, spec.max) ? { ok: true, value: n } : fail();
    }
    case 'real': {
      if (!new RegExp(DECIMAL_REGEX).test(cell)) return fail();
      const n = Number(cell.replace(',', '.'));
      return inRange(n, spec.min, spec.max) ? { ok: true, value: n } : fail();
    }
    case 'decimal': {
      if (new RegExp(AMBIGUOUS_THOUSANDS_REGEX).test(cell)) return { ok: false, attendu: AMBIGUOUS_THOUSANDS_MESSAGE };
      const plain = normaliseAmount(cell);
      if (plain === null) return fail();
      if (!inRange(Number(plain), spec.min, spec.max)) return fail();
      // Decimals are stored with two digits (DECIMAL(18,2)), rounded half away from zero like DuckDB's cast.
      return { ok: true, value: roundHalfAwayFromZero(plain) };
    }
    case 'date': {
      const iso = toIsoDate(cell);
      return iso !== null && iso >= DATE_MIN && iso <= DATE_MAX ? { ok: true, value: iso } : fail();
    }
    case 'boolean': {
      const lower = cell.toLowerCase();
      if ((BOOLEAN_TRUE as readonly string[]).includes(lower)) return { ok: true, value: true };
      if ((BOOLEAN_FALSE as readonly string[]).includes(lower)) return { ok: true, value: false };
      return fail();
    }
  }
}

function inRange(n: number, min: number | undefined, max: number | undefined): boolean {
  return Number.isFinite(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
}

/** Rounds a decimal string to two digits without going through binary floating point. */
function roundHalfAwayFromZero(text: string): number {
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const [whole = '0', frac = ''] = unsigned.split('.');
  const cents = BigInt(whole + (frac + '00').slice(0, 2)) + (Number(frac[2] ?? '0') >= 5 ? 1n : 0n);
  const value = Number(cents) / 100;
  return negative ? -value : value;
}

/** `YYYY-MM-DD` or `DD/MM/YYYY` to ISO, or null when it is not a real calendar date. */
export function toIsoDate(cell: string): string | null {
  let m = new RegExp(ISO_DATE_REGEX).exec(cell);
  let y: string, mo: string, d: string;
  if (m) [, y = '', mo = '', d = ''] = m;
  else {
    m = new RegExp(FR_DATE_REGEX).exec(cell);
    if (!m) return null;
    [, d = '', mo = '', y = ''] = m;
  }
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const iso = `${y}-${mo}-${d}`;
  return date.toISOString().slice(0, 10) === iso ? iso : null;
}
