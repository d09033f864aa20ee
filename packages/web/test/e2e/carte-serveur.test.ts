import { AxeBuilder } from '@axe-core/playwright';
import type { Territoire } from '@mixite/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { SKIP_BROWSER, api, openHarness } from './harness.ts';

/**
 * The Parc page's maps drawn by the server into the first paint (issue 14, packages/server/src/rendu-parc.ts), in
 * Chromium on the demo territory: with the application held back, the two maps are there, each with its legend,
 * summary and table, clean under axe; once the application is let go, its own maps take their place — the first at
 * the very same position — and the server's are gone, with no duplicate id in the page at any moment we look.
 */
describe.skipIf(SKIP_BROWSER)('the Parc page’s maps in the first paint', () => {
  let h: Harness;
  let annee: number;

  beforeAll(async () => {
    h = await openHarness();
    annee = (await api<Territoire>(h, '/api/territoire')).annees.at(-1) as number;
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Each map's box in the page (its top from the document's top), in the order of the page. */
  const boites = (page: Page, ou: string) =>
    page.evaluate(
      (selecteur) =>
        [...document.querySelectorAll(selecteur)].map((svg) => {
          const r = svg.getBoundingClientRect();
          return { x: Math.round(r.x), y: Math.round(r.y + window.scrollY), largeur: Math.round(r.width), hauteur: Math.round(r.height) };
        }),
      ou,
    );
  const idsEnDouble = (page: Page) =>
    page.evaluate(() => {
      const vus = new Map<string, number>();
      for (const e of document.querySelectorAll('[id]')) vus.set(e.id, (vus.get(e.id) ?? 0) + 1);
      return [...vus].filter(([, n]) => n > 1).map(([id]) => id);
    });

  it('shows both maps before the application runs, then hands over to the page’s own in place', async () => {
    const { page, context } = await h.newPage();
    let lacher: () => void = () => undefined;
    const retenue = new Promise<void>((resolve) => {
      lacher = resolve;
    });
    // The application's chunk held back: what shows is the server's HTML alone.
    await page.route(/\/assets\/application-[^/]*\.js$/, async (route) => {
      await retenue;
      await route.continue();
    });
    await page.goto('/parc', { waitUntil: 'commit' });
    const serveur = page.locator('#parc-serveur');
    await serveur.locator('.carte-territoire svg').nth(1).waitFor();
    expect(await serveur.getByRole('heading', { level: 1 }).textContent()).toBe(`Parc social ${annee}`);
    const cartes = serveur.getByRole('img', { name: / par commune — |fragilité — / });
    expect(await cartes.count()).toBe(2);
    // Each of the demo's 23 communes drawn on each map, its summary, its legend and its table (the text alternative).
    for (const carte of await cartes.all()) {
      expect(await carte.locator('.carte-communes path[data-code]').count()).toBe(23);
      expect(await carte.locator('desc').textContent()).toMatch(/^Carte de 23 communes/);
    }
    expect(await serveur.getByRole('img', { name: /fragilité — / }).textContent()).toContain('très fragile');
    const tables = serveur.getByRole('table', { name: /tableau de la carte/ });
    expect(await tables.count()).toBe(2);
    for (const table of await tables.all()) expect(await table.locator('tbody tr').count()).toBe(23);
    const axe = await new AxeBuilder({ page }).include('#parc-serveur').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(await idsEnDouble(page)).toEqual([]);
    const avant = await boites(page, '#parc-serveur .carte-territoire svg');

    lacher();
    // The application draws its page under the server's block, then its own maps, and the block goes.
    await page.waitForFunction(() => document.getElementById('parc-serveur') === null, undefined, { timeout: 60_000 });
    const apres = await boites(page, '.carte-territoire svg');
    expect(apres).toHaveLength(2);
    expect(await idsEnDouble(page)).toEqual([]);
    // The first map, in the first screen, stays where it was (within a pixel), at the same size; the second, below
    // the first screen, may move down by the height the page's table of the first map has beyond the server's.
    expect(Math.abs((apres[0]?.y ?? 0) - (avant[0]?.y ?? 0))).toBeLessThanOrEqual(1);
    expect([apres[0]?.x, apres[0]?.largeur, apres[0]?.hauteur]).toEqual([avant[0]?.x, avant[0]?.largeur, avant[0]?.hauteur]);
    expect(apres[1]?.hauteur).toBe(avant[1]?.hauteur);
    await context.close();
  }, 180_000);
});
