import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { creerInstance, importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « Instances et réunions » in Chromium (issue 19), production mode over the mini territory, with a programme of two
 * fiches and one instance (the CIL, members epci, etat, bailleur:B1). The EPCI records a meeting with its minutes,
 * the attendance and a decision about fiche 1, and a quantified commitment of B1; bailleur B1 reads the meeting, its decision and the commitment on fiche 1's page, and
 * finds no form to change anything.
 */
const MINI = fileURLToPath(new URL('../../../data/test/fixtures/mini', import.meta.url));

async function axeSerieux(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await page.mouse.move(1200, 880);
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const DECISION = 'Créer un groupe de travail sur les relogements hors QPV.';
const ENGAGEMENT = 'Au moins 25 % des baux hors QPV au premier quartile';

describe.skipIf(SKIP_BROWSER)('« Instances et réunions » in Chromium (production mode)', () => {
  let h: HarnessProduction;

  beforeAll(async () => {
    h = await openProductionHarness(
      MINI,
      [
        { email: 'epci@mixite.test', role: 'epci', perimetre: null },
        { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
      ],
      async (store) => {
        const wb = new ExcelJS.Workbook();
        const conv = wb.addWorksheet('Convention');
        for (const l of [['cle', 'valeur'], ['intitule', 'CIA Mini'], ['date_debut', '2023-01-01'], ['date_fin', '2028-12-31']]) conv.addRow(l);
        const f = wb.addWorksheet('Fiches');
        f.addRow(['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs']);
        f.addRow([1, 'Relogements hors QPV', 'Orientation 1', '', '', 'bailleur:B1', 'etat', '', '']);
        f.addRow([2, 'Bourse d’échanges', 'Orientation 2', '', '', 'bailleur:B2', '', '', '']);
        await importerProgramme(store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
        await creerInstance(store, { genre: 'cil', nom: 'CIL plénière', membres: ['epci', 'etat', 'bailleur:B1'], frequence: 'une fois par an' });
      },
    );
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets the EPCI record a meeting with its minutes, attendance and a decision on a fiche; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Programme d’actions' }).first().click();
      await page.getByRole('link', { name: 'Instances, réunions et engagements des partenaires' }).click();
      await page.getByRole('heading', { level: 1, name: 'Instances et réunions' }).waitFor();
      expect(await page.getByRole('table', { name: 'Instances de la convention et leurs membres' }).getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
        'CIL plénière',
        'Conférence intercommunale du logement',
        // Partners by their names (bailleur B1 is Essonne Habitat in the mini territory's bailleurs.csv).
        'EPCI, État, Essonne Habitat',
        'une fois par an',
      ]);
      expect(await axeSerieux(page)).toEqual([]);
      await page.getByLabel('Date de la réunion').fill('2024-03-28');
      await page.getByLabel('Ordre du jour').fill('Bilan 2023 de la CIA');
      await page.getByLabel('Compte rendu').fill('Le bilan 2023 est présenté et approuvé.');
      await page.getByRole('checkbox', { name: 'Essonne Habitat' }).check();
      await page.getByRole('button', { name: 'Ajouter une décision' }).click();
      await page.getByLabel('Décision 1', { exact: true }).fill(DECISION);
      await page.getByLabel('Fiches concernées par la décision 1').fill('1');
      await page.getByRole('button', { name: 'Enregistrer la réunion' }).click();
      await page.getByRole('status').filter({ hasText: /Réunion du .* enregistrée\./ }).waitFor();
      const reunions = page.getByRole('table', { name: 'Réunions des instances, de la plus ancienne à la plus récente' });
      expect(await reunions.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([expect.stringMatching(/2024/), 'CIL plénière', 'Bilan 2023 de la CIA', '1']);
      expect(await axeSerieux(page)).toEqual([]);
      // A quantified commitment of B1 on fiche 1: hors_qpv_q1 on the territory, target 25 %.
      await page.getByLabel('Partenaire', { exact: true }).fill('bailleur:B1');
      await page.getByLabel('Fiche action (numéro)').fill('1');
      await page.getByLabel('Échéance').fill('2024-12-31');
      await page.getByLabel('Engagement', { exact: true }).fill(ENGAGEMENT);
      await page.getByLabel('Indicateur lié (engagement quantifié, territoire)').selectOption('hors_qpv_q1');
      await page.getByLabel('Cible (%)').fill('25');
      await page.getByRole('button', { name: 'Enregistrer l’engagement' }).click();
      await page.getByRole('status').filter({ hasText: 'Engagement de bailleur:B1 enregistré.' }).waitFor();
      const ligne = page.getByRole('table', { name: 'Engagements : Essonne Habitat' }).getByRole('row').nth(1);
      expect(await ligne.getByRole('cell').nth(2).textContent()).toBe(ENGAGEMENT);
      expect(await ligne.getByRole('cell').nth(5).textContent()).toMatch(/en 2024 pour une cible de 25.*hors_qpv_q1/);
      expect(await axeSerieux(page)).toEqual([]);
      await reunions.getByRole('link').first().click();
      await page.getByRole('heading', { level: 1, name: /Réunion du .* — CIL plénière/ }).waitFor();
      expect(await page.getByRole('list', { name: 'Décisions de la réunion' }).textContent()).toContain(DECISION);
      await page.getByText('Présents : Essonne Habitat').waitFor();
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);

  it('lets bailleur B1 read the meeting and its decision on fiche 1’s page, with no form to change them', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
      await page.goto('/programme/instances?annee=2024');
      await page.getByRole('heading', { level: 1, name: 'Instances et réunions' }).waitFor();
      const reunions = page.getByRole('table', { name: 'Réunions des instances, de la plus ancienne à la plus récente' });
      await reunions.waitFor();
      expect(await page.getByRole('button', { name: 'Enregistrer la réunion' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Créer l’instance' }).count()).toBe(0);
      expect(await axeSerieux(page)).toEqual([]);
      await reunions.getByRole('link').first().click();
      await page.getByRole('heading', { level: 1, name: /Réunion du .* — CIL plénière/ }).waitFor();
      expect(await page.getByRole('list', { name: 'Décisions de la réunion' }).textContent()).toContain(DECISION);
      expect(await page.getByRole('heading', { name: 'Modifier la réunion' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Enregistrer les modifications' }).count()).toBe(0);
      expect(await axeSerieux(page)).toEqual([]);
      await page.getByRole('link', { name: '1', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Fiche 1 — Relogements hors QPV' }).waitFor();
      expect(await page.getByRole('list', { name: 'Décisions concernant la fiche' }).textContent()).toContain(DECISION);
      expect(await page.getByRole('table', { name: 'Engagements des partenaires pour la fiche 1' }).textContent()).toContain(ENGAGEMENT);
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
