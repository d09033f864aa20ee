import { nombreLibre } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nombreLibreSql } from '../src/cotation/cotation-sql.ts';
import { Store } from '../src/index.ts';

/**
 * A free column of demandes.csv (`attributs.…`) compared as a number by a cotation grid is read by the amounts' rule
 * of the format, in JavaScript (the note of one request) and in SQL (the notes of the whole demand) alike. `1.500` is
 * neither 1,5 nor 1 500: the import refuses it in an amount column as ambiguous, so a grid does not guess either.
 */
const CAS: readonly [string, number | null][] = [
  ['2,75', 2.75],
  ['2.75', 2.75],
  ['1 500', 1500],
  ['1.500,50', 1500.5],
  ['1,500.25', 1500.25],
  ['-3', -3],
  [' 12 ', 12],
  ['1.500', null],
  ['12,345', null],
  ['abc', null],
  ['1 50', null],
];

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

describe('nombres des colonnes libres de la cotation', () => {
  for (const [cellule, attendu] of CAS) {
    it(`lit « ${cellule} » comme ${attendu === null ? 'pas un nombre' : attendu}, en JavaScript et en SQL`, async () => {
      expect(nombreLibre(cellule)).toBe(attendu);
      const [row] = await store.all<{ n: number | null }>(`SELECT ${nombreLibreSql('c')} AS n FROM (SELECT $1::VARCHAR AS c)`, [cellule]);
      expect(row?.n ?? null).toBe(attendu);
    });
  }
});
