import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « Refus et mutations » in Chromium (issue 15), production mode over the hand-built territory of packages/data
 * (every figure by hand in packages/data/src/refus/refus.test.ts): in 2024, 4 refusals of 10 proposals (40,0 %; 2023:
 * 2 of 4, 50,0 %); residence R1 « Les Tilleuls » 3 of 5 (60,0 %); rent band 400 à 499 € 2 of 3 (66,7 %); mutation
 * requests 2 satisfied of 4 (50,0 %), first access 3 of 8 (37,5 %).
 */
const TERRITOIRE = fileURLToPath(new URL('../../../data/test/fixtures/refus/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function axeSerieux(page: Page): Promise<string[]> {
  // The pointer left on the menu link it clicked would judge the link's hover colours, not the page's.
  await page.mouse.move(1200, 880);
  await page.waitForLoadState('networkidle');
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('« Refus et mutations » in Chromium (production mode)', () => {
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

  it('shows a partner the refusal rates, the breakdowns with their tables and the mutations; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'Refus et mutations' }).click();
      await page.getByLabel('Année').selectOption('2024');
      await page.getByRole('heading', { level: 1, name: 'Refus et mutations 2024' }).waitFor();
      const ensemble = page.getByRole('region', { name: 'Refus des demandeurs en 2024' });
      await ensemble.waitFor();
      expect(normal(await ensemble.textContent())).toContain('Taux de refus40,0 %l’année précédente : 50,0 %');

      // The breakdown by residence first, its chart followed by its table.
      const ventilations = page.getByRole('region', { name: /Taux de refus par/ });
      const tilleuls = ventilations.getByRole('row').filter({ hasText: 'Les Tilleuls (R1)' });
      expect(normal(await tilleuls.textContent())).toBe('Les Tilleuls (R1)5360,0 %50,0 %Localisation (2)'); // A01 and A08 localisation, A03 loyer
      expect(await ventilations.locator('svg title').first().textContent()).toBe('Taux de refus 2024 par résidence');
      await page.getByLabel('Ventiler par').selectOption({ label: 'Tranche de loyer' });
      const bande = ventilations.getByRole('row').filter({ hasText: '400 à 499 €' });
      expect(normal(await bande.textContent())).toContain('3266,7 %100,0 %');

      const mutations = page.getByRole('region', { name: 'Mutations en 2024' });
      expect(normal(await mutations.textContent())).toContain('Satisfaction des demandes de mutation50,0 %2 baux pour 4 demandes');
      expect(normal(await mutations.textContent())).toContain('Satisfaction en premier accès37,5 %3 baux pour 8 demandes');

      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);

  it('keeps the page from the public reader: no menu entry, a sentence instead of figures', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'lecteur@mixite.test');
      await page.getByRole('link', { name: 'Tableau de bord' }).waitFor();
      expect(await page.getByRole('link', { name: 'Refus et mutations' }).count()).toBe(0);
      await page.goto('/refus');
      await page.getByText('est réservé aux partenaires de la CIA').waitFor();
      expect(await page.getByRole('region', { name: /Refus des demandeurs/ }).count()).toBe(0);
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);
});
