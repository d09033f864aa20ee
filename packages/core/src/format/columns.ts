/**
 * A small declarative language for the columns of the canonical format.
 *
 * Each column is declared once; from the declaration the core derives the zod schema of the typed row
 * and the cell parser used in JavaScript, and the store derives its DDL and the importer its
 * set-based SQL checks. Keeping one declaration is what stops the three from drifting.
 */

/** A pattern written in the subset common to JavaScript and DuckDB (RE2) regular expressions. */
export interface Pattern {
  readonly regex: string;
  /** What is expected, in French, for the error message. */
  readonly attendu: string;
}

interface Base {
  readonly required: boolean;
}

export type ColumnSpec =
  | (Base & { readonly kind: 'text'; readonly pattern?: Pattern })
  | (Base & { readonly kind: 'code'; readonly codes: readonly string[] })
  | (Base & { readonly kind: 'integer'; readonly min?: number; readonly max?: number })
  /** Money, surfaces, thresholds: exact decimals with two digits (DECIMAL(18,2) in the store). */
  | (Base & { readonly kind: 'decimal'; readonly min?: number; readonly max?: number })
  /** Coordinates: floating point. */
  | (Base & { readonly kind: 'real'; readonly min?: number; readonly max?: number })
  | (Base & { readonly kind: 'date' })
  | (Base & { readonly kind: 'boolean' })
  /** Several values separated by `|`, kept as written (e.g. `communes_souhaitees`). */
  | (Base & { readonly kind: 'list' });

export type ColumnKind = ColumnSpec['kind'];

/** The TypeScript type of a parsed cell, by kind (null = empty cell = unknown). */
export type CellValue<S extends ColumnSpec> = S extends { kind: 'code'; codes: readonly (infer C)[] }
  ? C
  : S extends { kind: 'integer' | 'decimal' | 'real' }
    ? number
    : S extends { kind: 'boolean' }
      ? boolean
      : string;

type Opts = { readonly required?: boolean };
/** Keeps `required` as the literal `true` or `false`, so that the row type knows which cells can be null. */
type Req<O> = O extends { required: true } ? true : false;
const isReq = <O extends Opts>(o: O | undefined) => (o?.required ?? false) as Req<O>;

export const text = <const O extends Opts & { pattern?: Pattern }>(o?: O) =>
  ({ kind: 'text', required: isReq(o), ...(o?.pattern ? { pattern: o.pattern } : {}) }) as const;
export const code = <const C extends readonly [string, ...string[]], const O extends Opts = Opts>(codes: C, o?: O) =>
  ({ kind: 'code', codes, required: isReq(o) }) as const;
export const integer = <const O extends Opts & { min?: number; max?: number }>(o?: O) =>
  ({ kind: 'integer', required: isReq(o), min: o?.min, max: o?.max }) as const;
export const decimal = <const O extends Opts & { min?: number; max?: number }>(o?: O) =>
  ({ kind: 'decimal', required: isReq(o), min: o?.min, max: o?.max }) as const;
export const real = <const O extends Opts & { min?: number; max?: number }>(o?: O) =>
  ({ kind: 'real', required: isReq(o), min: o?.min, max: o?.max }) as const;
export const date = <const O extends Opts>(o?: O) => ({ kind: 'date', required: isReq(o) }) as const;
export const boolean = <const O extends Opts>(o?: O) => ({ kind: 'boolean', required: isReq(o) }) as const;
export const list = <const O extends Opts>(o?: O) => ({ kind: 'list', required: isReq(o) }) as const;

export const req = { required: true } as const;

/** Patterns shared by several files. */
export const PATTERNS = {
  insee: { regex: '^[0-9][0-9AB][0-9]{3}$', attendu: 'un code INSEE de 5 caractères (ex. 91228, 2A004)' },
  siren: { regex: '^[0-9]{9}$', attendu: 'un SIREN de 9 chiffres' },
} as const satisfies Record<string, Pattern>;

/** Earliest and latest dates accepted anywhere: outside this range a date is a typing error. */
export const DATE_MIN = '1950-01-01';
export const DATE_MAX = '2099-12-31';
