import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tableau } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { jsonBody, openTestApp } from './helpers.ts';

const tableau: Tableau = {
  titre: 'Répartition par bailleur — 2024',
  colonnes: [
    { cle: 'nom', libelle: 'Bailleur', type: 'texte' },
    { cle: 'n', libelle: 'Baux', type: 'entier' },
    { cle: 'taux', libelle: 'Taux', type: 'taux' },
    { cle: 'ok', libelle: 'Atteint', type: 'booleen' },
  ],
  lignes: [
    { nom: 'Essonne Habitat; OPH', n: 12, taux: 0.25, ok: true },
    { nom: 'Les Résidences', n: 3, taux: null, ok: null },
  ],
};

describe('export of the table on screen', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ dataset: null });
  });
  afterAll(() => t.close());

  it('writes a CSV a French spreadsheet opens: BOM, semicolons, decimal comma, quoted cells', async () => {
    const response = await t.request('/api/export?format=csv', jsonBody('POST', tableau));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="repartition-par-bailleur-2024.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('Bailleur;Baux;Taux;Atteint\r\n"Essonne Habitat; OPH";12;0,25;oui\r\nLes Résidences;3;;\r\n');
  });

  it('writes an XLSX with the same rows, rates as percentages', async () => {
    const response = await t.request('/api/export?format=xlsx', jsonBody('POST', tableau));
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Bailleur', 'Baux', 'Taux', 'Atteint']);
    expect(sheet?.getRow(2).values).toEqual([undefined, 'Essonne Habitat; OPH', 12, 0.25, 'oui']);
    expect(sheet?.getCell('C2').numFmt).toBe('0.0%');
  });

  it('refuses an unknown format and a malformed table', async () => {
    expect((await t.request('/api/export?format=pdf', jsonBody('POST', tableau))).status).toBe(400);
    expect((await t.request('/api/export?format=csv', jsonBody('POST', { titre: 'x', colonnes: [], lignes: [] }))).status).toBe(422);
  });
});
