import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * The CALEOL's documents in Chromium (issue 15), production mode, over the hand-built territory of
 * packages/data/test/fixtures/caleol, with the page's default grid (Équilibre CIA):
 * - the bailleur B1 checks L1 then L2 for the commission of 30 June 2025 and downloads the Excel agenda: L1's
 *   candidates are those of its list on the page (the browser test caleol.test.ts: D04 enters by the Q1 rule), L2's
 *   follow; the workbook read back with exceljs;
 * - the EPCI explains D01's note on the Cotation page and downloads the applicant's letter: a PDF answer that
 *   pdftotext reads back.
 */
const TERRITOIRE = fileURLToPath(new URL('../../../data/test/fixtures/caleol/territoire', import.meta.url));
const PDFTOTEXT = '/usr/bin/pdftotext';
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function axeSerieux(page: Page): Promise<string[]> {
  await page.mouse.move(1200, 880);
  await page.waitForLoadState('networkidle');
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('the CALEOL’s documents in Chromium (production mode)', () => {
  let h: HarnessProduction;

  beforeAll(async () => {
    h = await openProductionHarness(TERRITOIRE, [
      { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
      { email: 'epci@mixite.test', role: 'epci', perimetre: null },
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('downloads the agenda of a commission as Excel, the lists of the page; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'CALEOL' }).click();
      const section = page.getByRole('region', { name: 'Ordre du jour d’une commission' });
      await section.waitFor();
      // The list of L1 on the page, for the figures of the agenda.
      await page.getByLabel('Logement', { exact: true }).selectOption('L1');
      await page.getByLabel('Date de la commission').fill('2025-06-30');
      await page.getByRole('button', { name: 'Préparer la liste' }).click();
      const table = page.getByRole('table', { name: 'Candidats proposés à la commission, par note décroissante' });
      await table.waitFor();
      const surLaPage = (await table.locator('tbody tr').allTextContents()).map((l) => normal(l).match(/D\d\d/)?.[0]);
      expect(surLaPage).toContain('D04');

      await section.getByLabel(/^L1 — /).check();
      await section.getByLabel(/^L2 — /).check();
      await section.getByText('Ordre de passage : L1, L2.').waitFor();
      await section.getByLabel('Date de la réunion').fill('2025-06-30');
      expect(await axeSerieux(page)).toEqual([]);
      const [telechargement, reponse] = await Promise.all([
        page.waitForEvent('download'),
        page.waitForResponse((r) => r.url().endsWith('/api/caleol/ordre-du-jour')),
        section.getByRole('button', { name: 'Télécharger en Excel (.xlsx)' }).click(),
      ]);
      expect(reponse.status()).toBe(200);
      expect(telechargement.suggestedFilename()).toBe('ordre-du-jour-caleol-2025-06-30.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(await telechargement.path());
      const lignes: [unknown, unknown][] = [];
      wb.getWorksheet('Candidats')?.eachRow((row, n) => {
        if (n > 4) lignes.push([row.getCell(2).value, row.getCell(4).value]);
      });
      // L1's candidates in the page's order, then L2's: three each (nombre 3 by default).
      expect(lignes.filter((l) => l[0] === 'L1').map((l) => l[1])).toEqual(surLaPage);
      expect(lignes.filter((l) => l[0] === 'L2')).toHaveLength(3);
      await section.getByText('Ordre du jour du 30/06/2025 téléchargé (2 logement(s)).').waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);

  it('downloads the applicant’s letter from the request view of the Cotation page, a PDF', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Cotation de la demande' }).click();
      await page.getByText('Grille valide.').waitFor();
      await page.getByLabel('NUR de la demande').fill('D01');
      await page.getByRole('button', { name: 'Expliquer la note' }).click();
      await page.getByRole('region', { name: 'Cotation de la demande D01' }).waitFor();
      const bouton = page.getByRole('button', { name: 'Télécharger la lettre au demandeur (PDF)' });
      expect(await axeSerieux(page)).toEqual([]);
      const [telechargement, reponse] = await Promise.all([
        page.waitForEvent('download'),
        page.waitForResponse((r) => r.url().endsWith('/api/cotation/lettre')),
        bouton.click(),
      ]);
      expect(reponse.status()).toBe(200);
      expect(reponse.headers()['content-type']).toBe('application/pdf');
      expect(telechargement.suggestedFilename()).toBe('lettre-cotation-D01.pdf');
      const chemin = await telechargement.path();
      if (existsSync(PDFTOTEXT)) {
        const texte = normal(execFileSync(PDFTOTEXT, [chemin, '-'], { encoding: 'utf8' }));
        expect(texte).toContain('Demande n° D01');
        expect(texte).toContain('Délai moyen d’attente des demandes similaires');
      }
    } finally {
      await context.close();
    }
  }, 180_000);
});
