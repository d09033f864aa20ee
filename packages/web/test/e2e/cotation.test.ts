import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * The Cotation page as a person uses it (issue 15 item 5), in Chromium, production mode, EPCI account, over the
 * hand-built territory of packages/data/test/fixtures/refus/territoire. Date of the data: 10/01/2025 (D15's filing).
 * Active on that day: D01, D05, D06, D07, D08, D13, D15, D16 = 8 requests; none gives a typology or a commune, so
 * with the default key (typologie_min, commune_1) they are all similar. Satisfied in the twelve months to 10/01/2025,
 * all filed on 10/01/2022: D02 (20/03/2024: 730 + 21 + 29 + 20 = 800 days), D03 (01/07/2024: 730 + 173 = 903),
 * D04 (10/07/2024: 912), D09 (01/12/2024: 730 + 326 = 1 056), D10 (20/12/2024: 1 075) → mean 4 746 ÷ 5 = 949,2 → 949
 * days = 31,2 months of 30,4375 days.
 */
const TERRITOIRE = fileURLToPath(new URL('../../../data/test/fixtures/refus/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function axeSerieux(page: Page): Promise<string[]> {
  await page.mouse.move(1200, 880);
  await page.waitForLoadState('networkidle');
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('the Cotation page in Chromium (production mode)', () => {
  let h: HarnessProduction;
  beforeAll(async () => {
    h = await openProductionHarness(TERRITOIRE, [{ email: 'epci@mixite.test', role: 'epci', perimetre: null }]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('picks a shipped grid, edits it as a form checked as one types, draws the labelled histogram and explains a note with the waiting time', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Cotation de la demande' }).click();
      await page.getByRole('heading', { level: 1, name: 'Cotation de la demande' }).waitFor();
      await page.getByLabel('Partir d’une grille livrée').selectOption('rhone.yaml');
      await page.getByLabel('Partir d’une grille livrée').selectOption('equilibre-cia.yaml');

      // The form: the DALO criterion's points, written into the YAML, the comments kept.
      const points = page.getByRole('textbox', { name: 'Points du critère dalo' });
      await points.fill('45');
      await page.getByText('Grille valide.').waitFor();
      await page.getByRole('tab', { name: 'YAML (experts)' }).click();
      const yaml = page.getByLabel('Grille de cotation (YAML)');
      expect(await yaml.inputValue()).toContain('{ id: dalo, libelle: "Reconnu prioritaire DALO", points: 45, si: { dalo: true } }');
      expect(await yaml.inputValue()).toContain('# Grille « Équilibre CIA »');

      // Checked as one types: a located French message, then valid again.
      const texte = await yaml.inputValue();
      await yaml.fill('nom: Essai\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: beaucoup }\n');
      const alerte = page.getByText(/^Grille invalide : /);
      await alerte.waitFor();
      expect(normal(await page.locator('[aria-live="polite"]').textContent())).toMatch(/Ligne 4/);
      await yaml.fill(texte);
      await page.getByText('Grille valide.').waitFor();

      await page.getByRole('button', { name: 'Vérifier et calculer la distribution' }).click();
      const histogramme = page.locator('svg').filter({ has: page.locator('title', { hasText: 'Histogramme des notes : nombre de demandes actives (axe vertical) par tranche de notes (axe horizontal)' }) });
      await histogramme.waitFor();
      const table = page.getByRole('table', { name: 'Nombre de demandes actives par tranche de notes' });
      const cellules = await table.locator('tbody tr td:nth-child(2)').allTextContents();
      // Every active request in one bin or another: 8.
      expect(cellules.map((c) => Number(normal(c).replace(/\s/g, ''))).reduce((s, x) => s + x, 0)).toBe(8);

      await page.getByLabel('NUR de la demande').fill('D01');
      await page.getByRole('button', { name: 'Expliquer la note' }).click();
      const vue = page.getByRole('region', { name: 'Cotation de la demande D01' });
      await vue.waitFor();
      const lu = normal(await vue.textContent());
      expect(lu).toContain('sur 8 demandes similaires');
      expect(lu).toContain('Demandes similaires : les demandes actives qui ont le même nombre de pièces minimal souhaité (inconnue) et la même première commune souhaitée (inconnue).');
      expect(lu).toContain('Délai moyen d’attente des demandes similaires : 31,2 mois (949 jours), moyenne des 5 demandes similaires satisfaites dans les douze derniers mois.');

      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
