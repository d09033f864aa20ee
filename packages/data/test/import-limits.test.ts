import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_LIMITS, checkSourceLimits } from '../src/import/limits.ts';
import { classeur, classeurCreux, classeurFusion, classeurMenteur, csvLarge, zip } from './fichiers-pieges.ts';

/** The pre-parse check alone, on real files: what it refuses, what it lets through, and how fast. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-limites-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const check = async (name: string, content: Buffer | string, limits = DEFAULT_IMPORT_LIMITS) => {
  const start = performance.now();
  const violation = await checkSourceLimits(file(name, content), name, limits);
  return { violation, ms: performance.now() - start };
};

describe('bornes avant lecture', () => {
  it('laisse passer un vrai classeur écrit par un tableur, et les CSV du jeu de test', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Bailleurs');
    ws.addRow(['id', 'nom']);
    for (let i = 0; i < 500; i++) ws.addRow([`B${i}`, `Bailleur ${i}`]);
    ws.mergeCells('C1:D2');
    const path = join(dir, 'bailleurs.xlsx');
    await wb.xlsx.writeFile(path);
    expect(await checkSourceLimits(path, 'bailleurs.xlsx')).toBeNull();
    const mini = join(import.meta.dirname, 'fixtures', 'mini', 'demandes.csv');
    expect(await checkSourceLimits(mini, 'demandes.csv')).toBeNull();
  });

  it('refuse en millisecondes la feuille creuse, celle qui ment sur sa dimension, et la fusion géante', async () => {
    for (const [build, verbe] of [
      [classeurCreux, 'déclare'],
      [classeurMenteur, 'contient des cellules sur'],
      [classeurFusion, 'contient des cellules sur'],
    ] as const) {
      const { violation, ms } = await check('attributions.xlsx', build());
      expect(violation).toEqual({
        kind: 'dimensions',
        problem: expect.objectContaining({
          fichier: 'attributions.xlsx',
          message: `la feuille « Feuil1 » ${verbe} 16 384 colonnes × 1 048 576 lignes ; au plus 1 000 colonnes et 2 000 000 cellules acceptées (importez plutôt un CSV)`,
        }),
      });
      expect(ms).toBeLessThan(1000);
    }
  });

  it('compte les lignes et cellules sans référence (r absent), comme le lecteur les place', async () => {
    // 30 rows of 40 cells, no `r` attributes: the extent is 40 × 30 = 1 200 cells, computed by hand.
    const rows = Array.from({ length: 30 }, () => `<row>${'<c><v>1</v></c>'.repeat(40)}</row>`).join('');
    const sheet = classeur(`<sheetData>${rows}</sheetData>`);
    expect((await check('x.xlsx', sheet, { ...DEFAULT_IMPORT_LIMITS, cellulesMax: 1200 })).violation).toBeNull();
    const refused = await check('x.xlsx', sheet, { ...DEFAULT_IMPORT_LIMITS, cellulesMax: 1199 });
    expect(refused.violation?.problem.message).toContain('contient des cellules sur 40 colonnes × 30 lignes');
    const narrow = await check('x.xlsx', sheet, { ...DEFAULT_IMPORT_LIMITS, colonnesMax: 39 });
    // Refused at the 40th cell of the first row: the rest of the sheet is not read.
    expect(narrow.violation?.problem.message).toContain('contient des cellules sur 40 colonnes × 1 ligne ; au plus 39 colonnes');
  });

  it('refuse une ligne de données trop large sous un en-tête étroit, à sa ligne, même à cheval sur deux blocs lus', async () => {
    const short = Array.from({ length: 2000 }, (_, i) => `${i};b;c`).join('\n');
    // Line 1 header, lines 2–2001 short rows, line 2002 the wide row: 1 001 fields (1 000 semicolons).
    const wide = `a;b;c\n${short}\n${'x;'.repeat(1000)}x\n`;
    const { violation, ms } = await check('seuils.csv', wide);
    expect(violation?.problem).toMatchObject({ fichier: 'seuils.csv', ligne: 2002, message: 'la ligne compte plus de 1 000 champs ; au plus 1 000 colonnes acceptées' });
    expect(ms).toBeLessThan(1000);
    // Exactly 1 000 fields pass.
    expect((await check('seuils.csv', `a;b;c\n${'x;'.repeat(999)}x\n`)).violation).toBeNull();
    // The file is read by blocks of 1 Mio (1 048 576 bytes): 6 header bytes and 87 256 rows of 12 bytes put the wide
    // row (3 000 bytes) at byte 1 047 078, across the first block's end.
    const padding = Array.from({ length: 87_256 }, (_, i) => `${String(i).padStart(7, '0')};b;c`).join('\n');
    const straddling = await check('seuils.csv', `a;b;c\n${padding}\n${'x;'.repeat(1500)}\n`);
    expect(straddling.violation?.problem.ligne).toBe(87_258);
    // Delimiters and line breaks inside quotes belong to one field.
    const quoted = `a;b;c\n1;"${'texte;\n'.repeat(5000)}";3\n4;5;6\n`;
    expect((await check('seuils.csv', quoted)).violation).toBeNull();
  });

  it('compte les textes partagés : des millions de petits textes valent autant de cellules', async () => {
    const strings = (n: number) => `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(n)}</sst>`;
    const book = (n: number) => zip([{ name: 'xl/sharedStrings.xml', data: strings(n) }, { name: 'xl/worksheets/sheet1.xml', data: '<worksheet><sheetData/></worksheet>' }]);
    const limits = { ...DEFAULT_IMPORT_LIMITS, cellulesMax: 100_000 };
    expect((await check('b.xlsx', book(100_000), limits)).violation).toBeNull();
    expect((await check('b.xlsx', book(100_001), limits)).violation?.problem.message).toBe(
      'le classeur déclare plus de 100 000 textes partagés ; au plus 100 000 cellules acceptées (importez plutôt un CSV)',
    );
  });

  it('refuse une bombe zip au-delà du volume décompressé permis, et une archive illisible', async () => {
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(16 * 1024 * 1024) }]);
    const { violation } = await check('a.xlsx', bomb, { ...DEFAULT_IMPORT_LIMITS, decompresseMax: 4 * 1024 * 1024 });
    expect(violation).toMatchObject({ kind: 'trop_gros', problem: { message: expect.stringContaining('se décompresse au-delà de 4 Mo') } });
    expect((await check('a.xlsx', 'PK\u0003\u0004 pas une archive')).violation).toMatchObject({ kind: 'illisible' });
  });

  it('lit la largeur d’un en-tête CSV sans lire le fichier : séparateurs entre guillemets exclus', async () => {
    const { violation, ms } = await check('demandes.csv', csvLarge());
    expect(violation?.problem).toMatchObject({ fichier: 'demandes.csv', ligne: 1, message: expect.stringMatching(/^l’en-tête compte au moins [\d ]+ colonnes ; au plus 1 000 acceptées$/) });
    expect(ms).toBeLessThan(1000);
    const limits = { ...DEFAULT_IMPORT_LIMITS, colonnesMax: 3 };
    expect((await check('a.csv', 'a;"b;c;d;e";f\n1;2;3\n', limits)).violation).toBeNull();
    expect((await check('a.csv', 'a,b,c,d\n', limits)).violation?.problem.message).toBe('l’en-tête compte 4 colonnes ; au plus 3 acceptées');
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('a,b,c,d\n');
  });
});
