import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « Gestion en flux » in Chromium (issue 13), production mode over the hand-built flux territory of packages/data
 * (figures by hand in packages/data/src/flux/flux.test.ts): bailleur B1 (Office Un) let 4 dwellings in its flow in
 * 2024; Action Logement, 30 % of it, got 1 of its 1,2 rights and carries −0,9 from 2023: balance −1,1.
 */
const FLUX = fileURLToPath(new URL('../../../data/test/fixtures/flux/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe.skipIf(SKIP_BROWSER)('« Gestion en flux » in Chromium (production mode)', () => {
  let dir: string;
  let h: HarnessProduction;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-e2e-flux-'));
    h = await openProductionHarness(FLUX, [{ email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' }]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a bailleur its flux and lets it download its R441-5-1 bilan; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'Gestion en flux' }).click();
      await page.getByRole('heading', { level: 1, name: 'Gestion en flux 2024' }).waitFor();
      const section = page.getByRole('region', { name: 'Office Un (B1)' });
      await section.waitFor();
      // Its own flux only: no other bailleur's section (then the year's conventions it is party to).
      await page.getByRole('heading', { level: 2, name: 'Conventions de réservation 2024' }).waitFor();
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Office Un (B1)', 'Conventions de réservation 2024']);
      const al = section.getByRole('row').filter({ hasText: 'Action Logement' }).first();
      expect(normal(await al.textContent()).replace('\u2212', '-')).toContain('-1,1');
      expect(normal(await section.textContent())).toContain('Action Logement : le bailleur lui doit 1,1 logement(s)');

      const [telechargement] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Excel' }).click()]);
      expect(telechargement.suggestedFilename()).toBe('bilan-flux-2024-B1.xlsx');
      const chemin = join(dir, 'bilan.xlsx');
      await telechargement.saveAs(chemin);
      const classeur = new ExcelJS.Workbook();
      await classeur.xlsx.readFile(chemin);
      expect(classeur.worksheets.map((w) => w.name)).toEqual(['Sommaire', 'AL', 'COM', 'ETAT', 'Non réservé']);

      await page.waitForLoadState('networkidle');
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
