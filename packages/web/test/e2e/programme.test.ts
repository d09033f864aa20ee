import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * « Programme d’actions » in Chromium (issue 19), production mode over the mini territory, with a programme of two
 * fiches: fiche 1 piloted by bailleur B1, fiche 2 by bailleur B2. The EPCI sets a status; B1 comments its fiche and
 * may neither comment fiche 2 nor set a status.
 */
const MINI = fileURLToPath(new URL('../../../data/test/fixtures/mini', import.meta.url));

async function axeSerieux(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  // The pointer off the menu: a hovered menu entry is not how a reader sees the page.
  await page.mouse.move(1200, 880);
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(SKIP_BROWSER)('« Programme d’actions » in Chromium (production mode)', () => {
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
        f.addRow([1, 'Relogements hors QPV', 'Orientation 1 — Rééquilibrer', 'Loger hors QPV', 'année 2 : Bilan des relogements', 'bailleur:B1', 'etat', 'hors_qpv_q1', '']);
        f.addRow([2, 'Bourse d’échanges', 'Orientation 2 — Fluidifier', '', '', 'bailleur:B2', '', '', '']);
        await importerProgramme(store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
      },
    );
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets the EPCI set the status of a fiche, shown with its history; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'epci@mixite.test');
      await page.getByRole('link', { name: 'Programme d’actions' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Programme d’actions 2024' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Orientation 1 — Rééquilibrer' }).waitFor();
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Orientation 1 — Rééquilibrer', 'Orientation 2 — Fluidifier']);
      expect(await axeSerieux(page)).toEqual([]);
      await page.getByRole('link', { name: 'Relogements hors QPV' }).click();
      await page.getByRole('heading', { level: 1, name: 'Fiche 1 — Relogements hors QPV' }).waitFor();
      // The linked indicator's table: 2024, A2's lease outside QPV (relocated) = 1 of 1.
      await page.getByRole('table', { name: /Taux de baux hors QPV|hors QPV/ }).first().waitFor();
      await page.getByLabel('Nouveau statut 2024').selectOption({ label: 'Réalisée' });
      await page.getByRole('button', { name: 'Enregistrer le statut' }).click();
      await page.getByRole('status').filter({ hasText: 'Statut 2024 enregistré : Réalisée.' }).waitFor();
      const historique = page.getByRole('table', { name: 'Statuts successifs de la fiche, datés et signés' });
      await historique.waitFor();
      expect(await historique.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([expect.any(String), '2024', 'Réalisée', expect.any(String)]);
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets a bailleur comment the fiche it pilots, not another one, and never set a status', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
      await page.goto('/programme/fiches/1?annee=2024');
      await page.getByRole('heading', { level: 1, name: 'Fiche 1 — Relogements hors QPV' }).waitFor();
      expect(await page.getByRole('button', { name: 'Enregistrer le statut' }).count()).toBe(0);
      await page.getByLabel('Votre commentaire pour 2024').fill('Deux relogements hors QPV au second semestre.');
      await page.getByRole('button', { name: 'Publier le commentaire' }).click();
      await page.getByRole('status').filter({ hasText: 'Commentaire publié.' }).waitFor();
      const commentaires = page.getByRole('list', { name: 'Commentaires' });
      expect(await commentaires.textContent()).toContain('Deux relogements hors QPV au second semestre.');
      // The commenting partner by its name (bailleur B1 is Essonne Habitat in the mini territory).
      expect(await commentaires.textContent()).toContain('Essonne Habitat');
      expect(await axeSerieux(page)).toEqual([]);

      await page.goto('/programme/fiches/2?annee=2024');
      await page.getByRole('heading', { level: 1, name: 'Fiche 2 — Bourse d’échanges' }).waitFor();
      expect(await page.getByLabel('Votre commentaire pour 2024').count()).toBe(0);
      await page.getByText('Seuls le pilote de la fiche, ses partenaires et l’EPCI la commentent.').waitFor();
      expect(await axeSerieux(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
