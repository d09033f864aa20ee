import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS, parseCell } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/index.ts';
import { sqlVerdict } from './verdict-sql.ts';

/**
 * The cell rules exist twice — in JavaScript (core, for the API and row-level use) and in SQL (the importer,
 * for speed). These properties run both on the same random cells and require the same verdict and value.
 */

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

const SPECS: Record<string, ColumnSpec> = {
  integer: FILE_SPECS.demandes.columns.nb_personnes,
  decimal: FILE_SPECS.demandes.columns.ressources_mensuelles,
  real: FILE_SPECS.residences.columns.latitude,
  date: FILE_SPECS.demandes.columns.date_depot,
  boolean: FILE_SPECS.demandes.columns.dalo,
  code: FILE_SPECS.demandes.columns.statut,
  insee: FILE_SPECS.communes.columns.code_insee,
};

/** Cells that look like what people type: numbers in both notations, dates in both formats, codes, noise. */
const cell = fc.oneof(
  fc.integer({ min: -100, max: 2_000_000 }).map(String),
  fc.tuple(fc.integer({ min: -10, max: 999_999 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom('.', ',')).map(([a, b, s]) => `${a}${s}${b}`),
  fc.tuple(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.tuple(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`,
  ),
  fc.constantFrom('0', '1', 'oui', 'Non', 'TRUE', 'false', 'O', 'n', 'vrai', 'x', 'active', 'Active', 'radiee', '91228', '2A004', '9122', ''),
  fc.string({ maxLength: 6 }),
);

function normalise(spec: ColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (spec.kind === 'decimal' || spec.kind === 'real' || spec.kind === 'integer') return Number(value);
  return value;
}

describe('règles de cellule : JavaScript et SQL sont d’accord', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(cell, async (raw) => {
          const js = parseCell(spec, raw);
          const sql = await sqlVerdict(store, spec, raw);
          expect(sql.ok, `cellule « ${raw} »`).toBe(js.ok);
          if (js.ok) {
            expect(normalise(spec, sql.value), `valeur de « ${raw} »`).toEqual(normalise(spec, js.value));
            expect(normalise(spec, sql.loaded), `valeur chargée de « ${raw} »`).toEqual(normalise(spec, js.value));
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
