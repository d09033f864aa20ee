import type { ColumnSpec, RowRule } from '@mixite/core';
import {
  AMBIGUOUS_THOUSANDS_REGEX,
  BOOLEAN_FALSE,
  BOOLEAN_TRUE,
  COMMA_GROUPED_REGEX,
  DATE_MAX,
  DATE_MIN,
  DECIMAL_REGEX,
  DOT_GROUPED_REGEX,
  FR_DATE_REGEX,
  GROUP_SPACES_CLASS,
  INTEGER_REGEX,
  ISO_DATE_REGEX,
  SPACE_GROUPED_REGEX,
} from '@mixite/core';
import { ident, literal, sqlType } from '../store/sql-types.ts';

/**
 * The cell rules of packages/core/src/format/cells.ts, as DuckDB SQL over a staging table of VARCHAR cells
 * (already trimmed, empty = NULL). `validSql` is true when the cell is acceptable; `parseSql` gives its typed value.
 * A property test (sql-checks.test.ts) runs both implementations on random cells and compares them.
 */

const list = (values: readonly string[]) => values.map(literal).join(', ');

/** The plain `123.45` text of an amount cell (normaliseAmount of cells.ts), or NULL; ambiguity is checked apart. */
function normaliseAmountSql(c: string): string {
  return `(CASE WHEN regexp_full_match(${c}, ${literal(DECIMAL_REGEX)}) THEN replace(${c}, ',', '.')
                WHEN regexp_full_match(${c}, ${literal(SPACE_GROUPED_REGEX)}) THEN replace(regexp_replace(${c}, ${literal(GROUP_SPACES_CLASS)}, '', 'g'), ',', '.')
                WHEN regexp_full_match(${c}, ${literal(DOT_GROUPED_REGEX)}) THEN replace(replace(${c}, '.', ''), ',', '.')
                WHEN regexp_full_match(${c}, ${literal(COMMA_GROUPED_REGEX)}) THEN replace(${c}, ',', '') END)`;
}

/** A lone `.` or `,` before three digits (1.500); the cheap separator test spares the pattern to most cells. */
const ambiguousSql = (c: string) => `((strpos(${c}, '.') > 0 OR strpos(${c}, ',') > 0) AND regexp_full_match(${c}, ${literal(AMBIGUOUS_THOUSANDS_REGEX)}))`;

/**
 * Canonical forms tried first (issue 18, decision 0010): most cells of real files are written the way DuckDB prints
 * the value back (`2024-01-05`, `12`, `0`/`1`), and for such a cell « cast, print, compare » decides the verdict at
 * about half the price of the patterns, which stay as the fallback for every other spelling. A cell equal to its
 * printed value matches the pattern (a DATE prints `YYYY-MM-DD` for the years of the format, a BIGINT `-?[1-9][0-9]*`
 * or `0`), so the verdict is the pattern's: the property tests (cell-rules*.property.test.ts) check it against core.
 */
const canonicalDateSql = (c: string) => `CAST(TRY_CAST(${c} AS DATE) AS VARCHAR) = ${c}`;
const canonicalIntegerSql = (c: string) => `CAST(TRY_CAST(${c} AS BIGINT) AS VARCHAR) = ${c}`;
/** `0` / `1`, the spelling of nearly every boolean cell, before the case-folded lists. */
const booleanSql = (c: string) =>
  `(CASE WHEN ${c} = '1' THEN TRUE WHEN ${c} = '0' THEN FALSE WHEN lower(${c}) IN (${list(BOOLEAN_TRUE)}) THEN TRUE WHEN lower(${c}) IN (${list(BOOLEAN_FALSE)}) THEN FALSE END)`;

/** An amount read by the format's rule (the SQL of normaliseAmount), NULL when ambiguous (1.500) or not a number. */
export const montantSql = (c: string) => `(CASE WHEN ${ambiguousSql(c)} THEN NULL ELSE CAST(${normaliseAmountSql(c)} AS DOUBLE) END)`;

/** True when an amount cell has a lone `.` or `,` before three digits (1.500): refused, never guessed. */
export function ambiguousThousandsSql(spec: ColumnSpec, column: string): string | null {
  return spec.kind === 'decimal' ? `coalesce(${ambiguousSql(ident(column))}, FALSE)` : null;
}

/** The date a cell `c` (its SQL) writes in one of the format's two spellings, or NULL. */
const parseDateSql = (c: string) => `(CASE WHEN regexp_full_match(${c}, ${literal(ISO_DATE_REGEX)}) THEN TRY_CAST(${c} AS DATE)
                    WHEN regexp_full_match(${c}, ${literal(FR_DATE_REGEX)}) THEN TRY_STRPTIME(${c}, '%d/%m/%Y')::DATE END)`;

export function parseSql(spec: ColumnSpec, column: string): string {
  const c = ident(column);
  switch (spec.kind) {
    case 'text':
    case 'code':
    case 'list':
      return c;
    case 'integer':
      return `TRY_CAST(${c} AS INTEGER)`;
    case 'decimal':
      return `TRY_CAST(${normaliseAmountSql(c)} AS ${sqlType(spec)})`;
    case 'real':
      return `TRY_CAST(replace(${c}, ',', '.') AS ${sqlType(spec)})`;
    case 'date':
      return parseDateSql(c);
    case 'boolean':
      return booleanSql(c);
  }
}

/**
 * The typed value of a cell already known to be valid: cheaper than parseSql (no pattern matching), and equal
 * to it on valid cells — the property test checks that too. Used to load a file once its checks have passed.
 */
export function loadSql(spec: ColumnSpec, column: string): string {
  const c = ident(column);
  switch (spec.kind) {
    case 'date':
      return `coalesce(TRY_CAST(${c} AS DATE), TRY_STRPTIME(${c}, '%d/%m/%Y')::DATE)`;
    case 'integer':
      return `CAST(${c} AS INTEGER)`;
    case 'boolean':
      return `(CASE WHEN ${c} = '1' THEN TRUE WHEN ${c} = '0' THEN FALSE WHEN lower(${c}) IN (${list(BOOLEAN_TRUE)}) THEN TRUE WHEN ${c} IS NOT NULL THEN FALSE END)`;
    case 'decimal':
      // Plain amounts cast directly (the common case); grouped ones (1 500, 1.500,00) fail that cast and are normalised.
      return `coalesce(TRY_CAST(replace(${c}, ',', '.') AS ${sqlType(spec)}), TRY_CAST(${normaliseAmountSql(c)} AS ${sqlType(spec)}))`;
    default:
      return parseSql(spec, column);
  }
}

const rangeSql = (value: string, min: number | undefined, max: number | undefined) =>
  [min !== undefined ? `${value} >= ${min}` : null, max !== undefined ? `${value} <= ${max}` : null].filter(Boolean).join(' AND ') || 'TRUE';
const dateInRangeSql = (v: string) => `coalesce(${v} BETWEEN DATE ${literal(DATE_MIN)} AND DATE ${literal(DATE_MAX)}, FALSE)`;
/** The verdict of a canonical whole amount `whole` (a BIGINT): at most 15 digits, in the column's range. */
const wholeAmountSql = (spec: ColumnSpec, whole: string) =>
  `(${whole} BETWEEN -999999999999999 AND 999999999999999 AND coalesce(${rangeSql(whole, spec.kind === 'decimal' ? spec.min : undefined, spec.kind === 'decimal' ? spec.max : undefined)}, FALSE))`;
/** The verdict of any other amount cell `c` (SQL of the cell): the plain pattern, else the grouped forms normalised. */
function amountPatternSql(spec: ColumnSpec, c: string): string {
  const [min, max] = spec.kind === 'decimal' ? [spec.min, spec.max] : [undefined, undefined];
  const plain = `TRY_CAST(replace(${c}, ',', '.') AS DOUBLE)`;
  const grouped = `TRY_CAST(${normaliseAmountSql(c)} AS DOUBLE)`;
  return `(CASE WHEN regexp_full_match(${c}, ${literal(DECIMAL_REGEX)}) THEN NOT ${ambiguousSql(c)} AND coalesce(${rangeSql(plain, min, max)}, FALSE)
                ELSE ${grouped} IS NOT NULL AND coalesce(${rangeSql(grouped, min, max)}, FALSE) END)`;
}

/**
 * The typed value the fast staging keeps for a cell (typed-staging.ts): NULL for an invalid integer or boolean cell
 * (parseSql), so that validFromValueSql can read their verdict off the value; loadSql (cheaper, equal on valid
 * cells) for the other kinds.
 */
export function typedValueSql(spec: ColumnSpec, column: string): string {
  return spec.kind === 'integer' || spec.kind === 'boolean' ? parseSql(spec, column) : loadSql(spec, column);
}

/**
 * validSql judged from the value already converted (issue 18, decision 0010): `text` is the SQL of the cell's text,
 * `value` that of typedValueSql over it, computed once in a projection below. One conversion per cell instead of two
 * or three: the canonical test prints the value back (`CAST(value AS VARCHAR) = text`) instead of casting the text
 * again, a boolean is valid when its value is known, and only the other spellings go to the patterns of validSql.
 * Same verdict as validSql on every cell: a cell equal to its printed INTEGER (DATE, BIGINT of an amount) is a
 * canonical cell of validSql's shortcut, with that very value (the property tests compare both with core).
 * Null when the cell needs no check (a text without pattern, a list, an optional column).
 */
export function validFromValueSql(spec: ColumnSpec, text: string, value: string): string | null {
  const wellFormed = ((): string | null => {
    switch (spec.kind) {
      case 'text':
        return spec.pattern ? `regexp_full_match(${text}, ${literal(spec.pattern.regex)})` : null;
      case 'list':
        return null;
      case 'code':
        return `${text} IN (${list(spec.codes)})`;
      case 'integer':
        return `(CASE WHEN CAST(${value} AS VARCHAR) = ${text} THEN ${value} BETWEEN -999999999 AND 999999999 AND ${rangeSql(value, spec.min, spec.max)}
                      ELSE regexp_full_match(${text}, ${literal(INTEGER_REGEX)}) AND ${rangeSql(`TRY_CAST(${text} AS BIGINT)`, spec.min, spec.max)} END)`;
      case 'decimal': {
        // DECIMAL(18,2) prints `1500.00`: the whole part, printed, is compared (BIGINT of a valid whole amount is exact).
        const whole = `CAST(${value} AS BIGINT)`;
        return `(CASE WHEN CAST(${whole} AS VARCHAR) = ${text} THEN ${wholeAmountSql(spec, whole)} ELSE ${amountPatternSql(spec, text)} END)`;
      }
      case 'real': {
        const n = `TRY_CAST(replace(${text}, ',', '.') AS DOUBLE)`;
        return `(regexp_full_match(${text}, ${literal(DECIMAL_REGEX)}) AND ${rangeSql(n, spec.min, spec.max)})`;
      }
      case 'date':
        return `(CASE WHEN CAST(${value} AS VARCHAR) = ${text} THEN ${dateInRangeSql(value)} ELSE ${dateInRangeSql(parseDateSql(text))} END)`;
      case 'boolean':
        return `${value} IS NOT NULL`;
    }
  })();
  if (spec.required) return `(${text} IS NOT NULL${wellFormed === null ? '' : ` AND ${wellFormed}`})`;
  return wellFormed === null ? null : `(${text} IS NULL OR ${wellFormed})`;
}

/** True when the (non-null) cell has the right form and range. */
function wellFormedSql(spec: ColumnSpec, column: string): string {
  const c = ident(column);
  const range = rangeSql;
  switch (spec.kind) {
    case 'text':
      return spec.pattern ? `regexp_full_match(${c}, ${literal(spec.pattern.regex)})` : 'TRUE';
    case 'list':
      return 'TRUE';
    case 'code':
      return `${c} IN (${list(spec.codes)})`;
    case 'integer': {
      // A canonical integer matches INTEGER_REGEX exactly when it has at most nine digits.
      const n = `TRY_CAST(${c} AS BIGINT)`;
      return `(CASE WHEN ${canonicalIntegerSql(c)} THEN ${n} BETWEEN -999999999 AND 999999999 AND ${range(n, spec.min, spec.max)}
                    ELSE regexp_full_match(${c}, ${literal(INTEGER_REGEX)}) AND ${range(n, spec.min, spec.max)} END)`;
    }
    case 'decimal': {
      // A canonical integer of at most 15 digits matches DECIMAL_REGEX, has no separator (never ambiguous), and its
      // DOUBLE is exact: the common whole amount (`1500`) decided without a pattern.
      const whole = `TRY_CAST(${c} AS BIGINT)`;
      return `(CASE WHEN ${canonicalIntegerSql(c)} THEN ${wholeAmountSql(spec, whole)} ELSE ${amountPatternSql(spec, c)} END)`;
    }
    case 'real': {
      const n = `TRY_CAST(replace(${c}, ',', '.') AS DOUBLE)`;
      return `(regexp_full_match(${c}, ${literal(DECIMAL_REGEX)}) AND ${rangeSql(n, spec.min, spec.max)})`;
    }
    case 'date':
      return `(CASE WHEN ${canonicalDateSql(c)} THEN ${dateInRangeSql(`TRY_CAST(${c} AS DATE)`)} ELSE ${dateInRangeSql(parseSql(spec, column))} END)`;
    case 'boolean':
      return `(CASE WHEN ${c} IN ('0', '1') THEN TRUE ELSE lower(${c}) IN (${list([...BOOLEAN_TRUE, ...BOOLEAN_FALSE])}) END)`;
  }
}

/** True when the cell is acceptable (empty cells are acceptable unless the column is required). */
export function validSql(spec: ColumnSpec, column: string): string {
  const c = ident(column);
  return spec.required ? `(${c} IS NOT NULL AND ${wellFormedSql(spec, column)})` : `(${c} IS NULL OR ${wellFormedSql(spec, column)})`;
}

/** True when a cross-column rule is broken (on parsed values; unknown values never break an `lte`). */
export function ruleBrokenSql(rule: RowRule, specs: Readonly<Record<string, ColumnSpec>>): string {
  const parsed = (name: string) => {
    const spec = specs[name];
    if (!spec) throw new Error(`Règle sur une colonne inconnue : ${name}`);
    return parseSql(spec, name);
  };
  switch (rule.kind) {
    case 'lte':
      return `coalesce(${parsed(rule.left)} > ${parsed(rule.right)}, FALSE)`;
    case 'requiredWhen':
      return `(${ident(rule.when)} IN (${list(rule.values)}) AND ${ident(rule.column)} IS NULL)`;
    case 'requiredUnless':
      return `(${ident(rule.unless)} IS NULL AND ${ident(rule.column)} IS NULL)`;
    case 'lt':
      return `coalesce(${parsed(rule.left)} >= ${parsed(rule.right)}, FALSE)`;
    case 'withinDays':
      return `coalesce(${parsed(rule.right)} > ${parsed(rule.left)} + ${Math.trunc(rule.days)}, FALSE)`;
    case 'onlyWhen':
      return `(${ident(rule.column)} IS NOT NULL AND coalesce(${ident(rule.when)} NOT IN (${list(rule.values)}), TRUE))`;
    case 'excludes':
      // Parsed values as text: a code is itself, a boolean `true`/`false` whatever its spelling (1, oui, O…).
      return `coalesce(CAST(${parsed(rule.column)} AS VARCHAR) IN (${list(rule.columnValues)}) AND CAST(${parsed(rule.when)} AS VARCHAR) IN (${list(rule.values)}), FALSE)`;
    case 'rangeWhen':
      return `coalesce(${ident(rule.when)} IN (${list(rule.values)}) AND ${parsed(rule.column)} NOT BETWEEN ${rule.min} AND ${rule.max}, FALSE)`;
  }
}
