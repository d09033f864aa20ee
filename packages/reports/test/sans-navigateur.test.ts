import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lireDocx, lirePdf, normaliser, pdftotextAbsent } from './lecteurs.ts';
import { lireStructurePdf } from './structure-pdf.ts';

/**
 * The bilan of a machine without a browser (issue 18): the real `mixite bilan` in its own process, with a PATH that
 * holds no program at all (node is started by its full path), every variable that could point to a browser removed,
 * and the browser drivers refused by a module hook (fixtures/sans-navigateur). The three files must come out, the
 * PDF with its text and its tags, the Word document with its charts as images.
 */

const BIN = fileURLToPath(new URL('../../cli/bin/mixite.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/territoire', import.meta.url));
const INTERDIRE = fileURLToPath(new URL('./fixtures/sans-navigateur/interdire.mjs', import.meta.url));
const VARIABLES_NAVIGATEUR = /CHROM|PLAYWRIGHT|PUPPETEER|BROWSER/i;

describe('bilan sans navigateur', () => {
  let dir: string;
  let sortie: { status: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-sans-navigateur-'));
    const vide = join(dir, 'bin-vide');
    mkdirSync(vide);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !VARIABLES_NAVIGATEUR.test(k)));
    const r = spawnSync(process.execPath, ['--import', INTERDIRE, BIN, 'bilan', '--annee', '2024', '--data', FIXTURE, '--out', join(dir, 'bilan'), '--annees', '2'], {
      encoding: 'utf8',
      env: { ...env, PATH: vide, MIXITE_PROGRESS: '0' },
      timeout: 170_000,
    });
    sortie = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the three files with no browser reachable', () => {
    expect(sortie.stderr).not.toContain('navigateur interdit');
    expect(sortie.status, sortie.stderr).toBe(0);
    expect(sortie.stderr).toContain('bilan-2024-public.pdf');
    for (const ext of ['docx', 'xlsx']) expect(readFileSync(join(dir, 'bilan', `bilan-2024-public.${ext}`)).subarray(0, 2).toString()).toBe('PK');
    expect(readFileSync(join(dir, 'bilan', 'bilan-2024-public.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.skipIf(pdftotextAbsent && !process.env.CI)('prints the PDF’s text: title, the first table’s row, a chart’s caption, page numbers', () => {
    const texte = lirePdf(join(dir, 'bilan', 'bilan-2024-public.pdf'));
    expect(texte).toContain('Bilan 2024 de la Convention Intercommunale d’Attribution');
    // 8 of 24 leases hors QPV for a 25 % target (test/fixtures/territoire/README).
    expect(texte).toMatch(/Baux hors QPV au 1er quartile ou relogés +8 +24 +33,3 % +25,0 % +\+8,3 pt +oui/);
    expect(texte).toMatch(/Graphique 1 : Taux 2024 des objectifs d’attribution du territoire et leurs cibles \(source : tableau 1\)/);
    expect(texte).toMatch(/page 2 sur \d+/);
  });

  it('tags the PDF: structure tree, French, title, headings, table headers, charts with their text alternative', async () => {
    const pdf = lireStructurePdf(join(dir, 'bilan', 'bilan-2024-public.pdf'));
    const word = await lireDocx(join(dir, 'bilan', 'bilan-2024-public.docx'));
    expect(pdf.balise).toBe(true);
    expect(new Set(pdf.langues)).toEqual(new Set(['fr-FR']));
    expect(pdf.titre).toBe('Bilan 2024 de la Convention Intercommunale d’Attribution');
    // Seven chapters (the Word document's Heading 1, the title page aside).
    expect(pdf.elements.get('H1')).toBeGreaterThanOrEqual(7);
    expect(pdf.elements.get('TH')).toBeGreaterThan(0);
    // One figure per chart, each with the alternative text the Word image carries.
    const legendes = word.paragraphes.filter((p) => /^Graphique \d+ : /.test(p));
    expect(pdf.elements.get('Figure')).toBe(legendes.length);
    for (const d of word.descriptions) expect(pdf.alternatives.map(normaliser)).toContain(normaliser(d));
  });

  it('puts every chart in the Word document as a PNG image', async () => {
    const word = await lireDocx(join(dir, 'bilan', 'bilan-2024-public.docx'));
    const legendes = word.paragraphes.filter((p) => /^Graphique \d+ : /.test(p));
    expect(legendes.length).toBeGreaterThanOrEqual(10);
    // One drawing per caption; Word stores identical pictures once (charts the public edition masks alike).
    expect(word.descriptions).toHaveLength(legendes.length);
    const pngs = word.medias.filter((m) => m.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(10);
    expect(pngs.length).toBeLessThanOrEqual(legendes.length);
  });
});
