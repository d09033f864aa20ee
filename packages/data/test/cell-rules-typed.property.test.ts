import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS, parseCell } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.ts';
import { typedValueSql, validFromValueSql } from '../src/import/sql-checks.ts';
import { literal } from '../src/store/sql-types.ts';
import { TYPED_READ_SPECS } from './verdict-sql.ts';

/**
 * The fast typed read judges a cell from the value it has already converted (validFromValueSql over typedValueSql,
 * issue 18, decision 0010) instead of parsing the text again. These properties require core's verdict and value
 * (parseCell) on random cells and on the edges of the « print the value back » shortcut: spellings DuckDB's casts
 * accept but the format refuses (`1_000`, `0x1F`, `1e3`, `2024-1-5`, `+5`, `007`, `-0`), integers beyond nine digits
 * or beyond INTEGER, amounts beyond fifteen digits or DECIMAL(18,2), impossible dates, years out of 1950–2099.
 */

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

const SPECS: Record<string, ColumnSpec> = {
  ...TYPED_READ_SPECS,
  real: FILE_SPECS.residences.columns.latitude,
  insee: FILE_SPECS.communes.columns.code_insee,
  texte: FILE_SPECS.demandes.columns.nur,
};

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const date = (sep: '-' | '/') =>
  fc.tuple(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => {
    const [mm, dd] = [String(m).padStart(2, '0'), String(d).padStart(2, '0')];
    return sep === '-' ? `${y}-${mm}-${dd}` : `${dd}/${mm}/${y}`;
  });
const cell = fc.oneof(
  fc.integer({ min: -100, max: 2_000_000 }).map(String),
  fc.tuple(fc.integer({ min: -10, max: 999_999 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom('.', ',')).map(([a, b, s]) => `${a}${s}${b}`),
  date('-'),
  date('/'),
  fc.tuple(fc.constantFrom('', '-', '+', '0'), digits(1, 20)).map(([s, d]) => `${s}${d}`),
  fc.constantFrom('1_000', '0x1F', '1e3', '1.5', '1 500', '1 500,50', '1.500', '1.500,25', '1,500.25', '2024-1-5', '2024-01-5', '2024/01/05', '20240105'),
  fc.constantFrom('-0', '+5', '007', '00', '-1', '999999999', '-999999999', '1000000000', '2147483647', '2147483648', '-2147483649'),
  fc.constantFrom('999999999999999', '1000000000000000', '-999999999999999', '9999999999999999', '99999999999999999', '9223372036854775808'),
  fc.constantFrom('1949-12-31', '1950-01-01', '2099-12-31', '2100-01-01', '2024-02-29', '2023-02-29', '29/02/2023', '0950-01-01', '12024-01-01'),
  fc.constantFrom('1', '0', 'O', 'o', 'N', 'Oui', 'NON', 'Vrai', 'FAUX', 'true', '01', '10', 'yes', 'active', 'radiee', '91228', '2A004', '9122', ''),
  fc.string({ maxLength: 6 }),
);

/** The verdicts and values of some cells as the fast typed read computes them (the value below, the verdict over it), in one query. */
async function typedVerdicts(spec: ColumnSpec, raws: readonly string[]): Promise<{ ok: boolean; value: unknown }[]> {
  const verdict = validFromValueSql(spec, '"t"', '"c"') ?? 'TRUE';
  const cells = raws.map((raw, i) => `(${i}, ${raw.trim() === '' ? 'NULL' : literal(raw.trim())})`).join(', ');
  return store.all<{ ok: boolean; value: unknown }>(
    `SELECT coalesce(${verdict}, FALSE) AS ok, "c" AS value
     FROM (SELECT i, "t", ${typedValueSql(spec, 't')} AS "c" FROM (VALUES ${cells}) cells(i, "t")) ORDER BY i`,
  );
}

// + 0: core reads « -0 » as -0, SQL as 0, the same stored number.
const normalise = (spec: ColumnSpec, value: unknown): unknown =>
  value === null || value === undefined ? null : spec.kind === 'decimal' || spec.kind === 'real' || spec.kind === 'integer' ? Number(value) + 0 : value;

describe('règles de cellule : le verdict tiré de la valeur convertie est celui du cœur', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    for (const required of [true, false]) {
      it(`${name}${required ? ' (obligatoire)' : ' (facultative)'}`, async () => {
        const column = { ...spec, required } as ColumnSpec;
        await fc.assert(
          fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 40 }), async (raws) => {
            const sql = await typedVerdicts(column, raws);
            for (const [i, raw] of raws.entries()) {
              const js = parseCell(column, raw);
              expect(sql[i]?.ok, `cellule « ${raw} »`).toBe(js.ok);
              if (js.ok) expect(normalise(column, sql[i]?.value), `valeur de « ${raw} »`).toEqual(normalise(column, js.value));
            }
          }),
          { numRuns: 25, seed: 18_2609 },
        );
      });
    }
  }
});
