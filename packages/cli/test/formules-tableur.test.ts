import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { indicateursCsv } from '@mixite/core';
import type { IndicatorRow } from '@mixite/core';
// The bilan's workbook writer itself (`mixite bilan` writes its file with it), without Chromium for the PDF.
import type { DocumentBilan } from '../../reports/src/contenu/modele.ts';
import { nombre, points, texte } from '../../reports/src/contenu/modele.ts';
import { ecrireXlsx } from '../../reports/src/rendu/xlsx.ts';

/**
 * The files the command line writes for people (the bilan's workbook, indicateurs.csv; the SQL rule of cotation.csv
 * is checked in packages/data/test/neutralisation-csv.test.ts): a value read from an imported file that starts like
 * a formula is written as text, numbers stay numbers.
 */

describe('files written for people: formula injection', () => {
  it('writes a name read from a file as a text cell, never a formula, and negative gaps as numbers', async () => {
    const piege = '=HYPERLINK("http://attaquant.example","Essonne Habitat")';
    const document: DocumentBilan = {
      annee: 2024,
      titre: 'Bilan 2024',
      sousTitre: 'Test',
      mentions: [],
      blocs: [
        {
          kind: 'tableau',
          id: 'bailleurs',
          numero: 1,
          titre: 'Par bailleur',
          colonnes: ['Bailleur', 'Baux', 'Écart'],
          lignes: [{ cellules: [texte(piege), nombre(12), points(-0.053)] }, { cellules: [texte('-1 logement'), nombre(0), points(0.02)] }],
          notes: [],
        },
      ],
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await ecrireXlsx(document, [], () => '', 1)).buffer);
    const sheet = workbook.worksheets.find((w) => w.name.startsWith('T01')) as ExcelJS.Worksheet;
    // Title, blank line, header, then the rows.
    const nom = sheet.getCell('A4');
    expect([nom.type, nom.value, nom.formula]).toEqual([ExcelJS.ValueType.String, piege, undefined]);
    expect([sheet.getCell('A5').type, sheet.getCell('A5').value]).toEqual([ExcelJS.ValueType.String, '-1 logement']);
    // A gap of -0.053 is stored as -5.3 (points), a number.
    expect([sheet.getCell('C4').type, sheet.getCell('C4').value]).toEqual([ExcelJS.ValueType.Number, -5.3]);
  });

  it('writes indicateurs.csv with formula-like codes neutralised and negative gaps as numbers', () => {
    const row = {
      indicateur: 'hors_qpv_q1',
      perimetre_type: 'bailleur',
      perimetre_id: '=cmd|calc',
      periode: '2024',
      numerateur: 1,
      denominateur: 10,
      taux: 0.1,
      cible: 0.25,
      ecart: -0.15,
      atteint: false,
    } as unknown as IndicatorRow;
    const [, line] = indicateursCsv([row]).split('\n');
    expect(line).toBe("hors_qpv_q1,bailleur,'=cmd|calc,2024,1,10,0.1,0.25,-0.15,0");
  });
});
