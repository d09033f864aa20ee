import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fluxCommand } from '../src/commands/flux.ts';

/**
 * `mixite flux` and `mixite flux bilan`, run in-process on the hand-built territory of
 * packages/data/test/fixtures/flux/territoire (every figure computed by hand in packages/data/src/flux/flux.test.ts).
 */

const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/flux/territoire', import.meta.url));

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-flux-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function mixiteFlux(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await fluxCommand(args);
    return { code, stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
    error.mockRestore();
  }
}

describe('mixite flux', () => {
  it('writes the flow, rights, orientations and balances of a bailleur as CSV', async () => {
    const { code, stdout } = await mixiteFlux('--data', FIXTURE, '--annee', '2024', '--bailleur', 'B1');
    expect(code).toBe(0);
    const lignes = stdout.trim().split('\n');
    expect(lignes[0]).toBe('bailleur_id;reservataire_id;annee;dimension;modalite;part;flux_previsionnel;flux_realise;droits_previsionnels;droits;orientations;report;solde');
    // ETAT: 0.25 × 3.5 = 0.875 forecast rights, 0.25 × 4 = 1 right, 2 orientations, 0.25 carried from 2023, balance 1.25.
    expect(lignes).toContain('B1;ETAT;2024;ensemble;ensemble;0.25;3.5;4;0.875;1;2;0.25;1.25');
    expect(lignes).toContain('B1;AL;2024;ensemble;ensemble;0.3;3.5;4;1.05;1.2;1;-0.9;-1.1');
    // T2 flow: 1 lease (A07, ETAT) → ETAT's right in it 0.25.
    expect(lignes).toContain('B1;ETAT;2024;typologie;T2;0.25;;1;;0.25;1;;');
  });

  it('writes the R441-5-1 bilan CSV into a folder', async () => {
    const out = join(work, 'csv');
    expect((await mixiteFlux('bilan', '--data', FIXTURE, '--annee', '2024', '--out', out)).code).toBe(0);
    const texte = readFileSync(join(out, 'bilan-flux-2024.csv'), 'utf8');
    expect(texte.split('\n').slice(0, 3)).toEqual([
      'bailleur_id;reservataire_id;dimension;modalite;logements_proposes;logements_attribues',
      'B1;AL;ensemble;ensemble;2;1',
      'B1;AL;typologie;T3;2;1',
    ]);
  });

  it('writes one workbook per bailleur (a sheet per réservataire) and one for the EPCI', async () => {
    const out = join(work, 'xlsx');
    expect((await mixiteFlux('bilan', '--data', FIXTURE, '--annee', '2024', '--format', 'xlsx', '--out', out)).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['bilan-flux-2024-B1.xlsx', 'bilan-flux-2024-B2.xlsx', 'bilan-flux-2024-epci.xlsx']);
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.readFile(join(out, 'bilan-flux-2024-B1.xlsx'));
    expect(classeur.worksheets.map((w) => w.name)).toEqual(['Sommaire', 'AL', 'COM', 'ETAT', 'Non réservé']);
    const etat = classeur.getWorksheet('ETAT');
    expect(etat?.getRow(3).values).toEqual([undefined, 'Ensemble', 'Ensemble', 2, 2]);
    const epci = new ExcelJS.Workbook();
    await epci.xlsx.readFile(join(out, 'bilan-flux-2024-epci.xlsx'));
    // 35 rows of the bilan + the header.
    expect(epci.worksheets[0]?.rowCount).toBe(36);
  });

  it('writes a Word document per bailleur, and masks every non-zero count below 11 in the public edition', async () => {
    const out = join(work, 'docx');
    expect((await mixiteFlux('bilan', '--data', FIXTURE, '--annee', '2024', '--format', 'docx', '--out', out, '--bailleur', 'B1')).code).toBe(0);
    const xml = await (await JSZip.loadAsync(readFileSync(join(out, 'bilan-flux-2024-B1.docx')))).file('word/document.xml')?.async('string');
    expect(xml).toContain('Action Logement (AL)');
    expect(xml).toContain('Logements non réservés du bailleur (B1)');
    const pub = join(work, 'xlsx-public');
    expect((await mixiteFlux('bilan', '--data', FIXTURE, '--annee', '2024', '--format', 'xlsx', '--out', pub, '--secret')).code).toBe(0);
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.readFile(join(pub, 'bilan-flux-2024-B1-publique.xlsx'));
    // Every count of the fixture is 1 or 2: all masked, whole réservataires.
    expect(classeur.getWorksheet('ETAT')?.getRow(3).values).toEqual([undefined, 'Ensemble', 'Ensemble', 's', 's']);
    // B2's AL row is 0/0: a zero reveals no household.
    const b2 = new ExcelJS.Workbook();
    await b2.xlsx.readFile(join(pub, 'bilan-flux-2024-B2-publique.xlsx'));
    expect(b2.getWorksheet('AL')?.getRow(3).values).toEqual([undefined, 'Ensemble', 'Ensemble', 0, 0]);
  });
});
