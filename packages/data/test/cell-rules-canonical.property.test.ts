import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS, parseCell } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/index.ts';
import { sqlVerdict } from './verdict-sql.ts';

/**
 * The SQL cell rules try a canonical form first (`CAST(TRY_CAST(c AS …) AS VARCHAR) = c`, `0`/`1`) and fall back to
 * the patterns (decision 0010). These properties aim at the edges of that shortcut — cells DuckDB's casts accept but
 * the format refuses (`1_000`, `0x1F`, `1e3`, `2024-1-5`, ten-digit integers, sixteen-digit amounts, `-0`, `+5`,
 * leading zeros, impossible dates, years outside 1950–2099) — and require core's verdict and value (parseCell).
 */

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

const SPECS: Record<string, ColumnSpec> = {
  integer: FILE_SPECS.demandes.columns.nb_personnes,
  age: FILE_SPECS.demandes.columns.age_demandeur,
  decimal: FILE_SPECS.demandes.columns.ressources_mensuelles,
  loyer: FILE_SPECS.demandes.columns.loyer_actuel,
  date: FILE_SPECS.demandes.columns.date_depot,
  dateFacultative: FILE_SPECS.demandes.columns.date_radiation,
  boolean: FILE_SPECS.demandes.columns.dalo,
};

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const edge = fc.oneof(
  fc.constantFrom('1_000', '0x1F', '1e3', '1.5', '2024-1-5', '2024-01-5', '2024/01/05', '20240105', ' 1', '-0', '+5', '007', '0', '00', '-1'),
  fc.constantFrom('999999999', '-999999999', '1000000000', '1234567890', '999999999999999', '1000000000000000', '-999999999999999', '9223372036854775808'),
  fc.constantFrom('1949-12-31', '1950-01-01', '2099-12-31', '2100-01-01', '2024-02-29', '2023-02-29', '2024-13-01', '0950-01-01', '12024-01-01'),
  fc.constantFrom('1', '0', 'O', 'o', 'N', 'Oui', 'NON', 'Vrai', 'FAUX', 'true', '01', '10', 'yes'),
  fc.tuple(fc.constantFrom('', '-', '+'), digits(1, 17)).map(([s, d]) => `${s}${d}`),
  fc.tuple(fc.integer({ min: 1940, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
);

const normalise = (spec: ColumnSpec, value: unknown): unknown =>
  value === null || value === undefined ? null : spec.kind === 'decimal' || spec.kind === 'integer' ? Number(value) + 0 : value; // + 0: core reads « -0 » as -0, SQL as 0: the same stored number

describe('règles de cellule : la forme canonique d’abord ne change rien au langage accepté', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(edge, async (raw) => {
          const js = parseCell(spec, raw);
          const sql = await sqlVerdict(store, spec, raw);
          expect(sql.ok, `cellule « ${raw} »`).toBe(js.ok);
          if (js.ok) {
            expect(normalise(spec, sql.value), `valeur de « ${raw} »`).toEqual(normalise(spec, js.value));
            expect(normalise(spec, sql.loaded), `valeur chargée de « ${raw} »`).toEqual(normalise(spec, js.value));
          }
        }),
        { numRuns: 400, seed: 18_2026 },
      );
    });
  }
});
