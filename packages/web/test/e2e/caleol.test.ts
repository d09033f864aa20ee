import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « CALEOL » in Chromium (issue 15), production mode over the hand-built territory of packages/data/test/fixtures/caleol
 * (every figure by hand in packages/data/test/caleol.test.ts), with the default grid (Équilibre CIA). The bailleur B1
 * prepares L1 (T3 outside QPV, not reserved) on 30 June 2025: the Q1 rule brings D04 in (the only eligible Q1
 * candidate), the contingent non_reserve:B1 made 0 priority proposals of 4 (2 missing at 25 %); it records the decision.
 */
const TERRITOIRE = fileURLToPath(new URL('../../../data/test/fixtures/caleol/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function axeSerieux(page: Page): Promise<string[]> {
  await page.mouse.move(1200, 880);
  await page.waitForLoadState('networkidle');
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('« CALEOL » in Chromium (production mode)', () => {
  let h: HarnessProduction;

  beforeAll(async () => {
    h = await openProductionHarness(TERRITOIRE, [
      { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
      { email: 'lecteur@mixite.test', role: 'lecteur', perimetre: null },
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('prepares a dwelling’s list with its effects and rules, records the decision; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'CALEOL' }).click();
      await page.getByRole('heading', { level: 1, name: 'CALEOL' }).waitFor();
      // B1's dwellings only: L1, L2, L4.
      // The options come with the dwellings' answer, after the heading: wait for them.
      const choix = page.getByLabel('Logement', { exact: true }).locator('option');
      await expect
        .poll(async () => (await choix.allTextContents()).map((o) => o.split(' — ')[0]), { timeout: 30_000 })
        .toEqual(['L1', 'L2', 'L4']);
      await page.getByLabel('Logement', { exact: true }).selectOption('L1');
      await page.getByLabel('Date de la commission').fill('2025-06-30');
      await page.getByRole('button', { name: 'Préparer la liste' }).click();

      const table = page.getByRole('table', { name: 'Candidats proposés à la commission, par note décroissante' });
      await table.waitFor();
      const lignes = await table.locator('tbody tr').allTextContents();
      // Équilibre CIA: D02 DALO 40 + … ; the order is the grid's, D04 enters by the Q1 rule.
      expect(lignes.map((l) => normal(l).match(/D\d\d/)?.[0])).toContain('D04');
      expect(normal(lignes.find((l) => l.includes('D04')) ?? '')).toContain('objectif hors QPV (1er quartile ou relogé), au bail');
      expect(normal(await page.getByRole('region', { name: 'Écart du contingent' }).textContent())).toContain('il manque 2 proposition(s) à des ménages prioritaires');
      expect(await axeSerieux(page)).toEqual([]);

      // The decision: the first-ranked attribution is proposed by default; D04 not retained, with its motive.
      await page.getByLabel('Décision pour D04').selectOption('non_attribution');
      await page.getByLabel('Motif pour D04').fill('dossier incomplet');
      await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await page.getByText('décision(s) enregistrée(s) pour la commission du 30/06/2025').waitFor();
      const enregistrees = page.getByRole('table', { name: 'Décisions et réponses des ménages' });
      await enregistrees.waitFor();
      const texte = normal(await enregistrees.textContent());
      expect(texte).toContain('Non-attribution');
      expect(texte).toContain('dossier incomplet');
      expect(texte).toContain('En cours');
      expect(await axeSerieux(page)).toEqual([]);

      // A second recording of the same decision is refused, in French, nothing written.
      await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await page.getByText('existe déjà').waitFor();
    } finally {
      await context.close();
    }
  }, 150_000);

  it('keeps the page from the public reader', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'lecteur@mixite.test');
      await page.getByRole('link', { name: 'Tableau de bord' }).waitFor();
      expect(await page.getByRole('link', { name: 'CALEOL' }).count()).toBe(0);
      await page.goto('/caleol');
      await page.getByText('Cette page est réservée à d’autres rôles que le vôtre.').waitFor();
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
