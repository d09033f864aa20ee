import type { Territoire } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { SKIP_BROWSER, api, openHarness } from './harness.ts';

/**
 * Each page is its own chunk (issue 14, lib/pages-differees.ts). A chunk that cannot be fetched — a new version
 * installed under an open tab has chunks of other names — reloads the page once, which then opens; if it still cannot,
 * the page says so in French in its place and the menu stays.
 */
describe.skipIf(SKIP_BROWSER)('pages loaded on demand, in Chromium', () => {
  let h: Harness;
  let annee: number;

  beforeAll(async () => {
    h = await openHarness();
    annee = (await api<Territoire>(h, '/api/territoire')).annees.at(-1) as number;
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('loads a page’s chunk only when it is opened, and reloads once when the chunk is gone', async () => {
    const { page, context } = await h.newPage();
    const demandes: string[] = [];
    let refusees = 0;
    await page.route(/\/assets\/ParcPage-[^/]*\.js$/, async (route) => {
      demandes.push(route.request().url());
      // The first request fails, as a chunk deleted by a new version would.
      if (refusees++ === 0) await route.abort();
      else await route.continue();
    });
    let chargements = 0;
    page.on('load', () => chargements++);
    await page.goto('/page-inexistante');
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    expect(demandes).toEqual([]);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Parc' }).click();
    await page.getByRole('heading', { level: 1, name: `Parc social ${annee}` }).waitFor({ timeout: 60_000 });
    // Asked twice (refused, then after the reload), and the page loaded twice: the first address, then the reload.
    expect(demandes).toHaveLength(2);
    expect(chargements).toBe(2);
    await context.close();
  });

  it('says in French that the page cannot be loaded when the chunk stays missing, the menu kept', async () => {
    const { page, context } = await h.newPage();
    await page.route(/\/assets\/ParcPage-[^/]*\.js$/, (route) => route.abort());
    await page.goto('/parc');
    const alerte = page.getByRole('alert').filter({ hasText: 'La page n’a pas pu être chargée' });
    await alerte.waitFor({ timeout: 60_000 });
    expect(await alerte.textContent()).toContain('Page indisponible');
    // Another page still opens from the menu.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'La page n’a pas pu être chargée' }).count()).toBe(0);
    await context.close();
  });
});
