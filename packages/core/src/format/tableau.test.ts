import { describe, expect, it } from 'vitest';
import { CSV_INDICATEURS, CSV_POINT_VIRGULE_POINT, CSV_TABLEUR, celluleCsv, champCsv, enteteCsv, ligneCsv, tableauCsv } from './tableau.ts';

// Expected files written by hand. The same writer read back by independent parsers (DuckDB, exceljs) is tested in
// packages/server/test/ecriture-tableaux.test.ts.
describe('the one CSV writer of tables', () => {
  it('writes a spreadsheet file for France: BOM, `;`, decimal comma, CRLF, oui/non', () => {
    const csv = tableauCsv(
      ['Commune', 'Taux', 'Baux', 'Atteint', 'Liste'],
      [
        ['Évry-Courcouronnes', 0.253, 12, true, ['a', 'b']],
        ['Corbeil; Essonnes', -0.5, null, false, []],
        ['Dit "Le Haut"\nsuite', Number.NaN, Number.POSITIVE_INFINITY, null, undefined],
      ],
      CSV_TABLEUR,
    );
    expect(csv).toBe(
      '\uFEFFCommune;Taux;Baux;Atteint;Liste\r\n' +
        'Évry-Courcouronnes;0,253;12;oui;a, b\r\n' +
        '"Corbeil; Essonnes";-0,5;;non;\r\n' +
        '"Dit ""Le Haut""\nsuite";;;;\r\n',
    );
  });

  it('neutralises every text cell that a spreadsheet would read as a formula, never a number', () => {
    expect(ligneCsv(['=HYPERLINK("http://x")', '+33 1', '-12 €', '@SUM(A1)', '\tx', -3, 'ok'], CSV_TABLEUR)).toBe(
      `"'=HYPERLINK(""http://x"")";'+33 1;'-12 €;'@SUM(A1);'\tx;-3;ok\r\n`,
    );
    // Header labels are text cells like any other.
    expect(enteteCsv(['=1+1'], CSV_TABLEUR)).toBe("\uFEFF'=1+1\r\n");
    expect(celluleCsv(['=a', 'b'], CSV_TABLEUR)).toBe("'=a, b");
  });

  it('writes the indicator export: `,`, decimal point, 6 decimals, 1/0, no BOM, LF', () => {
    expect(tableauCsv(['indicateur', 'taux', 'atteint'], [['q1', 1 / 3, true], ['a,b', -0.0000001, false], ['x', null, null]], CSV_INDICATEURS)).toBe(
      'indicateur,taux,atteint\nq1,0.333333,1\n"a,b",0,0\nx,,\n',
    );
  });

  it('quotes by the separator of the format only', () => {
    expect(champCsv('a,b', CSV_TABLEUR)).toBe('a,b');
    expect(champCsv('a;b', CSV_TABLEUR)).toBe('"a;b"');
    expect(champCsv('a;b', CSV_INDICATEURS)).toBe('a;b');
    expect(champCsv('a\rb', CSV_INDICATEURS)).toBe('"a\rb"');
    expect(tableauCsv(['grille', 'part'], [['Grille; test', 0.6666666]], CSV_POINT_VIRGULE_POINT)).toBe('grille;part\n"Grille; test";0.666667\n');
  });
});
