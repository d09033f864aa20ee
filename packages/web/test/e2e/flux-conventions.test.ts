import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/**
 * Conventions edited from « Gestion en flux » in Chromium (issue 13), production mode over the hand-built flux
 * territory of packages/data: bailleur B1 (Office Un) has, in 2024, ETAT 25 %, AL 30 %, COM 10 %.
 */
const FLUX = fileURLToPath(new URL('../../../data/test/fixtures/flux/territoire', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe.skipIf(SKIP_BROWSER)('conventions on « Gestion en flux » in Chromium (production mode)', () => {
  let h: HarnessProduction;
  beforeAll(async () => {
    h = await openProductionHarness(FLUX, [{ email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' }]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets a bailleur set a share and refuses its file naming another bailleur, located; axe finds nothing serious', async () => {
    const { page, context } = await h.newPage();
    try {
      await page.goto('/');
      await h.connecter(page, 'b1@mixite.test');
      await page.getByRole('link', { name: 'Gestion en flux' }).click();
      const section = page.getByRole('region', { name: 'Conventions de réservation 2024' });
      await section.waitFor();
      const champ = section.getByLabel('Part de Action Logement chez Office Un (%)', { exact: true });
      await champ.fill('35');
      await section.getByRole('button', { name: 'Enregistrer : Part de Action Logement chez Office Un (%)' }).click();
      await section.getByRole('status').filter({ hasText: 'Conventions enregistrées' }).waitFor();
      expect(await h.server.store.all(`SELECT part FROM conventions WHERE bailleur_id = 'B1' AND reservataire_id = 'AL' AND annee = 2024`)).toEqual([{ part: 0.35 }]);

      // Mantine's FileInput is a button over a hidden file input.
      await section.locator('input[type="file"]').setInputFiles({
        name: 'conventions.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('bailleur_id;reservataire_id;annee;part\nB1;AL;2024;0.3\nB2;AL;2024;0.1\n'),
      });
      await section.getByRole('button', { name: 'Importer', exact: true }).click();
      const refus = section.getByRole('alert').filter({ hasText: 'Conventions refusées' });
      await refus.waitFor();
      expect(normal(await refus.textContent())).toContain('conventions.csv, ligne 3, colonne bailleur_id (« B2 »)');
      expect(await h.server.store.all(`SELECT part FROM conventions WHERE bailleur_id = 'B1' AND reservataire_id = 'AL' AND annee = 2024`)).toEqual([{ part: 0.35 }]);

      await page.waitForLoadState('networkidle');
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
