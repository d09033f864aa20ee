import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « Simulation » in Chromium (issue 16), production mode over the hand-built territory of packages/data
 * (fixtures/refus/territoire: allocations in 2023 and 2024, Q1 threshold 12 000 € a year). Simulating 2024 calibrates
 * on 2023 and compares with the year observed. Observed hors-QPV Q1 rate of 2024, by hand: the leases signed in 2024
 * outside a QPV are L4 (D03, 1 500 €/month = 18 000 €/year, not Q1), L3 (D04, 18 000 €, not Q1) and L5 (D10,
 * 900 €/month = 10 800 € < 12 000 €, Q1): 1 / 3 = 33,3 %.
 */
const TERRITOIRE = fileURLToPath(new URL('../../../data/test/fixtures/refus/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

async function axeSerieux(page: Page): Promise<string[]> {
  await page.mouse.move(1200, 880);
  await page.waitForLoadState('networkidle');
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('« Simulation » in Chromium (production mode)', () => {
  let h: HarnessProduction;

  beforeAll(async () => {
    h = await openProductionHarness(TERRITOIRE, [
      { email: 'epci@mixite.test', role: 'epci', perimetre: null },
      { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('runs two policies for the EPCI and shows the targets’ intervals against the observed values, chart and table; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Simulation' }).click();
      await page.getByRole('heading', { level: 1, name: 'Simulation des politiques d’attribution' }).waitFor();
      await page.getByLabel('Politique B', { exact: true }).selectOption('un-q1-par-liste.yaml');
      await page.getByLabel('Année simulée', { exact: true }).fill('2024');
      await page.getByLabel('Tirages', { exact: true }).fill('10');
      expect(await axeSerieux(page)).toEqual([]);
      await page.getByRole('button', { name: 'Lancer la simulation' }).click();

      const objectifs = page.getByRole('region', { name: 'Objectifs de la CIA : intervalles simulés' });
      await objectifs.waitFor({ timeout: 120_000 });
      expect(await objectifs.locator('svg title').first().textContent()).toBe('Moyenne simulée de chaque objectif, politique A puis B (trait : objectif de la CIA)');
      const ligne = objectifs.getByRole('row').filter({ hasText: 'Pratique observée' }).filter({ hasText: 'Baux hors QPV au premier quartile' });
      // The last cell is the observed value of 2024: 1 / 3 (see above).
      expect(normal(await ligne.locator('td').last().textContent())).toBe('33,3 %');
      expect(await objectifs.getByRole('row').filter({ hasText: 'Un candidat Q1 par liste hors QPV' }).count()).toBeGreaterThan(0);
      await page.getByRole('region', { name: 'Différence B − A' }).waitFor();
      await page.getByRole('region', { name: 'Ménages logés par quartile' }).waitFor();
      expect(normal(await page.getByText(/tirages de l’année 2024/).textContent())).toContain('10 tirages de l’année 2024 (graine 1), modèle calibré sur 2023');
      expect(await axeSerieux(page)).toEqual([]);

      // The result saved for the bilan's annex (mixite bilan --simulation).
      const [telechargement] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Enregistrer le résultat pour le bilan (JSON)' }).click()]);
      expect(telechargement.suggestedFilename()).toBe('simulation-2024.json');
      const chemin = await telechargement.path();
      const json = JSON.parse(readFileSync(chemin, 'utf8')) as { annee: number; tirages: number; politiques: { id: string }[] };
      expect([json.annee, json.tirages, json.politiques.map((p) => p.id)]).toEqual([2024, 10, ['pratique-observee', 'un-q1-par-liste']]);

      // Or straight into the bilan of the last year, with the annex (the files themselves: server/test/simulation.test.ts).
      const bilan = page.getByRole('region', { name: 'Bilan 2024 avec cette simulation en annexe' });
      await bilan.getByRole('button', { name: 'Produire le bilan 2024' }).waitFor();
    } finally {
      await context.close();
    }
  }, 200_000);

  it('lists the problems of an edited policy with their lines, and cancels a running simulation', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Simulation' }).click();
      await page.getByLabel('Politique A', { exact: true }).selectOption('(éditée)');
      const texte = page.getByLabel('Politique A (YAML, voir docs/simulation.md)');
      await texte.fill('nom: Essai\nordre: anciennete\nregles:\n  un_q1_par_liste: 1\n');
      const alerte = page.getByRole('alert').filter({ hasText: 'La politique A n’est pas valide' });
      await alerte.waitFor();
      expect(normal(await alerte.textContent())).toContain('ligne 4, colonne 3 (regles.un_q1_par_liste) : règle inconnue « un_q1_par_liste »');
      expect(await page.getByRole('button', { name: 'Lancer la simulation' }).isDisabled()).toBe(true);
      expect(await axeSerieux(page)).toEqual([]);

      await texte.fill('nom: Essai\nordre: anciennete\n');
      await page.getByText('Politique valide : « Essai ».').waitFor();
      await page.getByLabel('Année simulée', { exact: true }).fill('2024');
      await page.getByLabel('Tirages', { exact: true }).fill('500');
      await page.getByRole('button', { name: 'Lancer la simulation' }).click();
      await page.getByRole('button', { name: 'Annuler' }).click();
      await page.getByRole('status').filter({ hasText: 'Simulation annulée.' }).waitFor({ timeout: 60_000 });
    } finally {
      await context.close();
    }
  }, 200_000);

  it('lets a bailleur read the shipped policies but not run a simulation', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'Simulation' }).click();
      await page.getByText('seuls l’EPCI, l’État et l’administrateur la lancent').waitFor();
      await page.getByLabel('Politique A', { exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Lancer la simulation' }).count()).toBe(0);
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);
});
