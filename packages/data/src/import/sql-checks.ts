import type { ColumnSpec, RowRule } from '@mixite/core';
import { BOOLEAN_FALSE, BOOLEAN_TRUE, DATE_MAX, DATE_MIN, DECIMAL_REGEX, FR_DATE_REGEX, INTEGER_REGEX, ISO_DATE_REGEX } from '@mixite/core';
import { ident, literal, sqlType } from '../store/sql-types.ts';

/**
 * The cell rules of packages/core/src/format/cells.ts, as DuckDB SQL over a staging table of VARCHAR cells
 * (already trimmed, empty = NULL). `validSql` is true when the cell is acceptable; `parseSql` gives its typed value.
 * A property test (sql-checks.test.ts) runs both implementations on random cells and compares them.
 */

const list = (values: readonly string[]) => values.map(literal).join(', ');

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
    case 'real':
      return `TRY_CAST(replace(${c}, ',', '.') AS ${sqlType(spec)})`;
    case 'date':
      return `(CASE WHEN regexp_full_match(${c}, ${literal(ISO_DATE_REGEX)}) THEN TRY_CAST(${c} AS DATE)
                    WHEN regexp_full_match(${c}, ${literal(FR_DATE_REGEX)}) THEN TRY_STRPTIME(${c}, '%d/%m/%Y')::DATE END)`;
    case 'boolean':
      return `(CASE WHEN lower(${c}) IN (${list(BOOLEAN_TRUE)}) THEN TRUE WHEN lower(${c}) IN (${list(BOOLEAN_FALSE)}) THEN FALSE END)`;
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
      return `(CASE WHEN lower(${c}) IN (${list(BOOLEAN_TRUE)}) THEN TRUE WHEN ${c} IS NOT NULL THEN FALSE END)`;
    default:
      return parseSql(spec, column);
  }
}

/** True when the (non-null) cell has the right form and range. */
function wellFormedSql(spec: ColumnSpec, column: string): string {
  const c = ident(column);
  const range = (value: string, min: number | undefined, max: number | undefined) =>
    [min !== undefined ? `${value} >= ${min}` : null, max !== undefined ? `${value} <= ${max}` : null].filter(Boolean).join(' AND ') || 'TRUE';
  switch (spec.kind) {
    case 'text':
      return spec.pattern ? `regexp_full_match(${c}, ${literal(spec.pattern.regex)})` : 'TRUE';
    case 'list':
      return 'TRUE';
    case 'code':
      return `${c} IN (${list(spec.codes)})`;
    case 'integer':
      return `(regexp_full_match(${c}, ${literal(INTEGER_REGEX)}) AND ${range(`TRY_CAST(${c} AS BIGINT)`, spec.min, spec.max)})`;
    case 'decimal':
    case 'real': {
      const n = `TRY_CAST(replace(${c}, ',', '.') AS DOUBLE)`;
      return `(regexp_full_match(${c}, ${literal(DECIMAL_REGEX)}) AND ${range(n, spec.min, spec.max)})`;
    }
    case 'date': {
      const d = parseSql(spec, column);
      return `coalesce(${d} BETWEEN DATE ${literal(DATE_MIN)} AND DATE ${literal(DATE_MAX)}, FALSE)`;
    }
    case 'boolean':
      return `lower(${c}) IN (${list([...BOOLEAN_TRUE, ...BOOLEAN_FALSE])})`;
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
  }
}
