import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/args.ts';
import { caleolCommand } from '../src/commands/caleol.ts';

/**
 * `mixite caleol ordre-du-jour` in-process on the hand-built territory of packages/data/test/fixtures/caleol (figures
 * by hand in packages/data/test/caleol.test.ts), commission of 30 June 2025: L1 lists D02 (40), D01 (30), D04 (0,
 * in place of D03 by the Q1 rule); L2 (QPV) lists D02, D01, D03 (10). The CLI writes NUR in clear.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/caleol/territoire', import.meta.url));
const GRILLE = fileURLToPath(new URL('../../data/test/fixtures/caleol/grille.yaml', import.meta.url));
const PDFTOTEXT = '/usr/bin/pdftotext';
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-odj-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function lancer(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const error = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => {
    stderr += `${m.join(' ')}\n`;
  });
  try {
    return { code: await caleolCommand(['ordre-du-jour', ...args]), stderr };
  } finally {
    error.mockRestore();
  }
}

describe('mixite caleol ordre-du-jour', () => {
  it('writes the Excel agenda of L1 and L2 with the lists’ candidates', async () => {
    const out = join(work, 'odj.xlsx');
    const { code, stderr } = await lancer('--data', FIXTURE, '--date', '2025-06-30', '--logements', 'L1,L2', '--grille', GRILLE, '--format', 'xlsx', '--out', out);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('2 logement(s), 6 candidat(s)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const lignes: unknown[][] = [];
    wb.getWorksheet('Candidats')?.eachRow((row, n) => {
      if (n > 4) lignes.push((row.values as unknown[]).slice(1, 6));
    });
    expect(lignes).toEqual([
      [1, 'L1', 1, 'D02', 40],
      [1, 'L1', 2, 'D01', 30],
      [1, 'L1', 3, 'D04', 0],
      [2, 'L2', 1, 'D02', 40],
      [2, 'L2', 2, 'D01', 30],
      [2, 'L2', 3, 'D03', 10],
    ]);
    // Names from the store: the bailleur, the commune, the réservataire.
    expect((wb.getWorksheet('Logements')?.getRow(3).values as unknown[]).slice(2, 5)).toEqual(['L2', 'Office Un', 'Évry-Courcouronnes']);
    expect(wb.getWorksheet('Logements')?.getRow(3).getCell(10).value).toBe('Action Logement');
    // L1's contingent non_reserve:B1: 0 priority proposals of 4 in 2025, target 25 % → 2 missing (caleol.test.ts).
    expect(String(wb.getWorksheet('Logements')?.getRow(2).getCell(16).value).replace(/[\u00a0\u202f]/g, ' ')).toBe(
      'Contingent Non réservé — Office Un, 2025 : 0 proposition(s) à des prioritaires sur 4 (0,0 %), objectif 25,0 % : 2 proposition(s) prioritaire(s) manquante(s).',
    );
  }, 60_000);

  it('writes the PDF that pdftotext reads back', async () => {
    const out = join(work, 'odj.pdf');
    const { code } = await lancer('--data', FIXTURE, '--date', '2025-06-30', '--logements', 'L1', '--grille', GRILLE, '--format', 'pdf', '--out', out);
    expect(code).toBe(0);
    if (!existsSync(PDFTOTEXT)) return;
    const texte = execFileSync(PDFTOTEXT, ['-layout', out, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
    expect(texte).toContain('1. Logement L1');
    expect(texte).toMatch(/3 D04 0 /);
  }, 60_000);

  it('refuses an unknown dwelling, a repeated one and a missing format, in French, writing nothing', async () => {
    const out = join(work, 'rien.docx');
    await expect(lancer('--data', FIXTURE, '--date', '2025-06-30', '--logements', 'L1,L99', '--grille', GRILLE, '--format', 'docx', '--out', out)).rejects.toThrow('logement « L99 » absent de logements.csv');
    await expect(lancer('--data', FIXTURE, '--date', '2025-06-30', '--logements', 'L1,L1', '--grille', GRILLE, '--format', 'docx', '--out', out)).rejects.toThrow(
      'logement « L1 » inscrit deux fois à l’ordre du jour (n° 1 et n° 2)',
    );
    await expect(lancer('--data', FIXTURE, '--date', '2025-06-30', '--logements', 'L1', '--grille', GRILLE, '--out', out)).rejects.toBeInstanceOf(UsageError);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
