import type { ColumnSpec } from '@mixite/core';
import { AMBIGUOUS_THOUSANDS_MESSAGE, FILE_SPECS, parseCell } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSql, validSql } from '../src/import/sql-checks.ts';
import { Store } from '../src/index.ts';

/**
 * The thousands-separator rule of docs/format-donnees.md, cell by cell, in JavaScript (core) and in the
 * importer's SQL: both read the same amount, or both refuse. Expected values are the table of the doc.
 */

/** An amount without range, so that only the reading is tested (ranges are checked after it). */
const amount: ColumnSpec = { kind: 'decimal', required: false };
const ressources: ColumnSpec = FILE_SPECS.demandes.columns.ressources_mensuelles;
const count: ColumnSpec = FILE_SPECS.occupation.columns.menages;
const latitude: ColumnSpec = FILE_SPECS.residences.columns.latitude;

const READ: [string, number][] = [
  ['1500', 1500],
  ['1500,5', 1500.5],
  ['1500.25', 1500.25],
  ['0,500', 0.5],
  ['1500.255', 1500.26],
  ['1 500', 1500],
  ['1\u00A0500', 1500],
  ['12\u202F345,67', 12345.67],
  ['1 234 567.5', 1234567.5],
  ['1.500.000', 1500000],
  ['1.500,50', 1500.5],
  ['1,500,000', 1500000],
  ['1,500.25', 1500.25],
  ['-1 500', -1500],
];
const AMBIGUOUS = ['1.500', '12,345', '999.000', '-1.500'];
const REFUSED = ['1.50.000', '1 50', '1,500,00', '1.500.00', '1 500 €', '01.500,00', '1,5.5'];

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

async function sql(spec: ColumnSpec, cell: string): Promise<{ ok: boolean; value: number | null }> {
  const [row] = await store.all<{ ok: boolean; value: string | null }>(
    `SELECT ${validSql(spec, 'c')} AS ok, CASE WHEN ${validSql(spec, 'c')} THEN ${loadSql(spec, 'c')}::VARCHAR END AS value FROM (SELECT $1::VARCHAR AS c)`,
    [cell],
  );
  return { ok: row?.ok ?? false, value: row?.value === null || row?.value === undefined ? null : Number(row.value) };
}

describe('séparateurs de milliers des montants', () => {
  for (const [cell, expected] of READ) {
    it(`lit « ${cell} » comme ${expected}`, async () => {
      expect(parseCell(amount, cell)).toEqual({ ok: true, value: expected });
      expect(await sql(amount, cell)).toEqual({ ok: true, value: expected });
    });
  }
  for (const cell of AMBIGUOUS) {
    it(`refuse « ${cell} » comme ambigu`, async () => {
      expect(parseCell(amount, cell)).toEqual({ ok: false, attendu: AMBIGUOUS_THOUSANDS_MESSAGE });
      expect((await sql(amount, cell)).ok).toBe(false);
    });
  }
  for (const cell of REFUSED) {
    it(`refuse « ${cell} »`, async () => {
      expect(parseCell(amount, cell).ok).toBe(false);
      expect((await sql(amount, cell)).ok).toBe(false);
    });
  }
  it('la plage s’applique au montant lu : 1.500.000 € de ressources mensuelles dépasse le million', async () => {
    expect(parseCell(ressources, '1.500.000').ok).toBe(false);
    expect((await sql(ressources, '1.500.000')).ok).toBe(false);
    expect(await sql(ressources, '999 999,99')).toEqual({ ok: true, value: 999999.99 });
  });
  it('les entiers et les coordonnées ne prennent pas de séparateur de milliers', async () => {
    expect(parseCell(count, '1 500').ok).toBe(false);
    expect((await sql(count, '1 500')).ok).toBe(false);
    // In a coordinate the point is always decimal: 48.630 is 48.63, never 48 630.
    expect(parseCell(latitude, '48.630')).toEqual({ ok: true, value: 48.63 });
    expect(await sql(latitude, '48.630')).toEqual({ ok: true, value: 48.63 });
  });
});
