import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import type { IndicatorRow } from '@mixite/core';
import { indicateursCsv } from '@mixite/core';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { TableauAEcrire } from '../src/http/table-file.ts';
import { ecrireCsv, ecrireXlsx } from '../src/http/table-file.ts';

/**
 * The one CSV writer of tables (@mixite/core/tableau) as the server streams it, read back by parsers that share
 * no code with it: DuckDB's CSV reader and exceljs. Expected values written by hand.
 */
const dossier = mkdtempSync(join(tmpdir(), 'mixite-ecriture-'));
afterAll(() => rmSync(dossier, { recursive: true, force: true }));

const TABLEAU: TableauAEcrire = {
  titre: 'Bailleurs : test/1',
  colonnes: [
    { cle: 'nom', libelle: 'Bailleur', type: 'texte' },
    { cle: 'baux', libelle: 'Baux', type: 'entier' },
    { cle: 'taux', libelle: 'Taux', type: 'taux' },
    { cle: 'ok', libelle: 'Atteint', type: 'booleen' },
  ],
  lignes: [
    { nom: 'Essonne Habitat; "OPH"', baux: 12, taux: 0.25, ok: true },
    { nom: '=HYPERLINK("http://x.example")', baux: -3, taux: null, ok: false },
    { nom: 'Deux\nlignes', baux: 1234567, taux: -0.125, ok: null },
  ],
};

async function versFichier(ecrire: (sortie: Writable) => Promise<void>, nom: string): Promise<string> {
  const chemin = join(dossier, nom);
  await ecrire(createWriteStream(chemin));
  return chemin;
}

async function lireAvecDuckDB(chemin: string, options: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connexion = await instance.connect();
  try {
    const lecteur = await connexion.runAndReadAll(`SELECT * FROM read_csv('${chemin}', ${options}, all_varchar = true)`);
    return lecteur.getRows().map((r) => r.map((v) => (v === null ? '' : String(v))));
  } finally {
    connexion.closeSync();
    instance.closeSync();
  }
}

describe('the table writer read back by independent parsers', () => {
  it('CSV for a spreadsheet: BOM, `;`, quoted fields, decimal comma, neutralised formulas (DuckDB)', async () => {
    const chemin = await versFichier((s) => ecrireCsv(TABLEAU, s), 'tableau.csv');
    const octets = readFileSync(chemin);
    expect([...octets.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Rates as percentages with the screen's decimals (0,25 → « 25,0% », which the spreadsheet reads as 0,25).
    expect(octets.toString('utf8')).toContain('\r\n"Essonne Habitat; ""OPH""";12;25,0%;oui\r\n');
    // DuckDB does not skip a BOM in every version: read the file without it.
    const sansBom = join(dossier, 'sans-bom.csv');
    writeFileSync(sansBom, octets.subarray(3));
    const lignes = await lireAvecDuckDB(sansBom, "delim = ';', quote = '\"', escape = '\"', header = true");
    expect(lignes).toEqual([
      ['Essonne Habitat; "OPH"', '12', '25,0%', 'oui'],
      ["'=HYPERLINK(\"http://x.example\")", '-3', '', 'non'],
      ['Deux\nlignes', '1234567', '-12,5%', ''],
    ]);
  });

  it('CSV: an indicator row whose rate would print like its target gets the decimals that tell them apart', async () => {
    const tableau: TableauAEcrire = {
      titre: 'Objectif',
      colonnes: [
        { cle: 'numerateur', libelle: 'Numérateur', type: 'entier' },
        { cle: 'denominateur', libelle: 'Dénominateur', type: 'entier' },
        { cle: 'taux', libelle: 'Taux', type: 'taux' },
        { cle: 'cible', libelle: 'Objectif', type: 'taux' },
        { cle: 'ecart', libelle: 'Écart', type: 'taux' },
      ],
      // 1 141 / 1 409 = 80,979 % against 81 %: « 81,0% » twice at one decimal → 80,98%, 81,00%, −0,02%;
      // 1 / 4 = 25 % against 20 %: one decimal is enough.
      lignes: [
        { numerateur: 1141, denominateur: 1409, taux: 1141 / 1409, cible: 0.81, ecart: 1141 / 1409 - 0.81 },
        { numerateur: 1, denominateur: 4, taux: 0.25, cible: 0.2, ecart: 0.05 },
      ],
    };
    const texte = readFileSync(await versFichier((s) => ecrireCsv(tableau, s), 'objectif.csv'), 'utf8');
    expect(texte).toContain('\r\n1141;1409;80,98%;81,00%;-0,02%\r\n1;4;25,0%;20,0%;5,0%\r\n');
  });

  it('XLSX: the same row keeps its raw fractions, shown with the decimals that tell rate and target apart (exceljs)', async () => {
    const tableau: TableauAEcrire = {
      titre: 'Objectif',
      colonnes: [
        { cle: 'numerateur', libelle: 'Numérateur', type: 'entier' },
        { cle: 'denominateur', libelle: 'Dénominateur', type: 'entier' },
        { cle: 'taux', libelle: 'Taux', type: 'taux' },
        { cle: 'cible', libelle: 'Objectif', type: 'taux' },
      ],
      // As above: 1 141 / 1 409 against 81 % needs two decimals; 1 / 4 against 20 % keeps the column's one.
      lignes: [
        { numerateur: 1141, denominateur: 1409, taux: 1141 / 1409, cible: 0.81 },
        { numerateur: 1, denominateur: 4, taux: 0.25, cible: 0.2 },
      ],
    };
    const chemin = await versFichier((s) => ecrireXlsx(tableau, s), 'objectif.xlsx');
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.readFile(chemin);
    const feuille = classeur.worksheets[0] as ExcelJS.Worksheet;
    expect(feuille.getCell('C2').value).toBe(1141 / 1409);
    expect([feuille.getCell('C2').numFmt, feuille.getCell('D2').numFmt]).toEqual(['0.00%', '0.00%']);
    expect([feuille.getCell('C3').numFmt, feuille.getCell('D3').numFmt]).toEqual(['0.0%', '0.0%']);
  });

  it('XLSX: numbers as numbers, text as text (never a formula), the header first (exceljs)', async () => {
    const chemin = await versFichier((s) => ecrireXlsx(TABLEAU, s), 'tableau.xlsx');
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.readFile(chemin);
    const feuille = classeur.worksheets[0];
    expect(feuille?.name).toBe('Bailleurs   test 1');
    const valeurs = (n: number) => (feuille?.getRow(n).values as unknown[]).slice(1);
    expect(valeurs(1)).toEqual(['Bailleur', 'Baux', 'Taux', 'Atteint']);
    expect(valeurs(2)).toEqual(['Essonne Habitat; "OPH"', 12, 0.25, 'oui']);
    expect(feuille?.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(feuille?.getCell('A3').value).toBe('=HYPERLINK("http://x.example")');
    expect(feuille?.getCell('B3').value).toBe(-3);
    expect(feuille?.getCell('C4').value).toBe(-0.125);
  });

  it('indicateurs.csv through the same writer: `,`, decimal point, read back by DuckDB', async () => {
    const row: IndicatorRow = { indicateur: 'hors_qpv_q1', perimetre_type: 'bailleur', perimetre_id: '@B1,2', periode: '2024', numerateur: 1, denominateur: 3, taux: 1 / 3, cible: 0.25, ecart: 1 / 3 - 0.25, atteint: true };
    const chemin = join(dossier, 'indicateurs.csv');
    writeFileSync(chemin, indicateursCsv([row]));
    const lignes = await lireAvecDuckDB(chemin, "delim = ',', quote = '\"', header = true");
    expect(lignes).toEqual([['hors_qpv_q1', 'bailleur', "'@B1,2", '2024', '1', '3', '0.333333', '0.25', '0.083333', '1']]);
  });
});
