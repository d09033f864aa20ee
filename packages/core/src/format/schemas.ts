import { z } from 'zod';
import { parseCell } from './cells.ts';
import type { CellValue, ColumnSpec } from './columns.ts';
import type { FileName, FileSpec, RowRule } from './files.ts';
import { FILE_SPECS, ruleColumns } from './files.ts';

/**
 * zod schemas of the canonical format, derived from the column declarations of files.ts:
 * - `rowSchema(file)`: a typed row (what the store holds and the API exchanges);
 * - `csvRowSchema(file)`: a row of raw CSV cells, parsed and checked like the importer does.
 */

type Specs = typeof FILE_SPECS;
type Nullable<S> = S extends ColumnSpec ? (S['required'] extends true ? CellValue<S> : CellValue<S> | null) : never;

/** The typed row of a file, e.g. `Row<'demandes'>`. Free columns are kept in `attributs`. */
export type Row<F extends FileName> = { -readonly [K in keyof Specs[F]['columns']]: Nullable<Specs[F]['columns'][K]> } & {
  attributs: Record<string, string>;
};

function valueSchema(spec: ColumnSpec): z.ZodType {
  const base = ((): z.ZodType => {
    switch (spec.kind) {
      case 'text':
        return spec.pattern ? z.string().regex(new RegExp(spec.pattern.regex)) : z.string().min(1);
      case 'list':
        return z.string().min(1);
      case 'code':
        return z.enum(spec.codes as [string, ...string[]]);
      case 'integer':
        return withRange(z.number().int(), spec.min, spec.max);
      case 'decimal':
      case 'real':
        return withRange(z.number(), spec.min, spec.max);
      case 'date':
        return z.iso.date();
      case 'boolean':
        return z.boolean();
    }
  })();
  return spec.required ? base : base.nullable();
}

function withRange(schema: z.ZodNumber, min: number | undefined, max: number | undefined): z.ZodNumber {
  let s = schema;
  if (min !== undefined) s = s.min(min);
  if (max !== undefined) s = s.max(max);
  return s;
}

const rowSchemas = new Map<FileName, z.ZodType>();

export function rowSchema<F extends FileName>(file: F): z.ZodType<Row<F>> {
  let schema = rowSchemas.get(file);
  if (!schema) {
    const spec: FileSpec = FILE_SPECS[file];
    const shape: Record<string, z.ZodType> = { attributs: z.record(z.string(), z.string()).default({}) };
    for (const [name, col] of Object.entries(spec.columns)) shape[name] = valueSchema(col);
    // Warnings (suspicious but valid) do not make a row invalid.
    schema = z.object(shape).superRefine((row, ctx) => applyRules(spec.rules.filter((r) => r.severity === 'erreur'), row, ctx));
    rowSchemas.set(file, schema);
  }
  return schema as z.ZodType<Row<F>>;
}

/** Raw cells as read from a CSV line (header → cell). Extra columns go to `attributs`. */
export function csvRowSchema<F extends FileName>(file: F): z.ZodType<Row<F>, Record<string, string>> {
  const spec: FileSpec = FILE_SPECS[file];
  return z
    .record(z.string(), z.string())
    .transform((cells, ctx) => {
      const row: Record<string, unknown> = { attributs: {} };
      for (const [name, col] of Object.entries(spec.columns)) {
        const parsed = parseCell(col, cells[name]);
        if (parsed.ok) row[name] = parsed.value;
        else ctx.addIssue({ code: 'custom', path: [name], message: `attendu : ${parsed.attendu}`, input: cells[name] });
      }
      const attributs: Record<string, string> = {};
      for (const [name, value] of Object.entries(cells)) if (!(name in spec.columns) && value !== '') attributs[name] = value;
      row.attributs = attributs;
      return row;
    })
    .superRefine((row, ctx) => applyRules(spec.rules.filter((r) => r.severity === 'erreur'), row, ctx)) as unknown as z.ZodType<
    Row<F>,
    Record<string, string>
  >;
}

/** Executes the cross-column rules on a typed row; the importer runs the same rules in SQL. */
export function ruleHolds(rule: RowRule, row: Record<string, unknown>): boolean {
  const filled = (v: unknown) => v !== null && v !== undefined && v !== '';
  switch (rule.kind) {
    case 'lte': {
      const a = row[rule.left];
      const b = row[rule.right];
      if (!filled(a) || !filled(b)) return true;
      return (a as number | string) <= (b as number | string);
    }
    case 'requiredWhen':
      return !rule.values.includes(String(row[rule.when] ?? '')) || filled(row[rule.column]);
    case 'requiredUnless':
      return filled(row[rule.unless]) || filled(row[rule.column]);
    case 'lt': {
      const a = row[rule.left];
      const b = row[rule.right];
      return !filled(a) || !filled(b) || (a as number) < (b as number);
    }
    case 'withinDays': {
      const a = row[rule.left];
      const b = row[rule.right];
      if (!filled(a) || !filled(b)) return true;
      return (Date.parse(String(b)) - Date.parse(String(a))) / 86_400_000 <= rule.days;
    }
    case 'onlyWhen':
      return !filled(row[rule.column]) || rule.values.includes(String(row[rule.when] ?? ''));
    case 'excludes':
      return !(rule.columnValues.includes(String(row[rule.column] ?? '')) && rule.values.includes(String(row[rule.when] ?? '')));
    case 'rangeWhen': {
      const n = row[rule.column];
      if (!filled(n) || !rule.values.includes(String(row[rule.when] ?? ''))) return true;
      return (n as number) >= rule.min && (n as number) <= rule.max;
    }
  }
}

function applyRules(rules: readonly RowRule[], row: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const rule of rules) {
    if (ruleHolds(rule, row)) continue;
    const [path] = ruleColumns(rule);
    ctx.addIssue({ code: 'custom', path: [path], message: rule.message });
  }
}
