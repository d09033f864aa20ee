import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Contours, ResidencesParc, ResultatMenage, Territoire } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { SKIP_BROWSER, api, openHarness } from './harness.ts';

/**
 * The maps in Chromium (issue 14), on the demo territory: Grand Paris Sud's 23 communes drawn from the demo's
 * contours.geojson (IGN Admin Express), each map named, described, followed by its table, and the Parc page clean
 * under axe.
 */
describe.skipIf(SKIP_BROWSER)('the maps of the territory in Chromium', () => {
  let h: Harness;
  let annee: number;
  let contours: Contours;

  beforeAll(async () => {
    h = await openHarness();
    annee = (await api<Territoire>(h, '/api/territoire')).annees.at(-1) as number;
    contours = await api<Contours>(h, '/api/contours');
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the demo ships its 23 communes’ contours with their source', () => {
    expect(contours.communes).toHaveLength(23);
    expect(contours.territoire).toHaveLength(23);
    expect(contours.source).toContain('IGN, Admin Express');
  });

  it('maps an objective by commune on the objective page: a path per commune, a legend, the source and its table', async () => {
    const { page, context } = await h.newPage();
    await page.goto(`/objectifs/hors_qpv_q1?perimetre=commune&annee=${annee}`);
    const carte = page.getByRole('img', { name: / par commune — / });
    await carte.waitFor();
    expect(await carte.locator('path[data-code]').count()).toBe(23);
    // Its summary says what it draws; no commune is missing from the demo's contours.
    expect(await carte.locator('desc').textContent()).toMatch(/^Carte de 23 communes ; Taux par commune, de .* à .*\. Les valeurs sont dans le tableau qui suit\.$/);
    expect(await carte.textContent()).toContain('Contours : IGN, Admin Express');
    // The text alternative: one row per commune, exportable.
    const table = page.getByRole('table', { name: /tableau de la carte/ });
    expect(await table.locator('tbody tr').count()).toBe(23);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Exporter « .*tableau de la carte » en CSV/ }).click()]);
    expect(readFileSync((await download.path()) as string, 'utf8').split('\r\n')[0]).toBe('\uFEFFCommune;Code INSEE;Taux;Classe;Sur la carte');
    await context.close();
  });

  it('shows the Parc page: its maps with their tables, no serious or critical accessibility violation (axe)', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/parc');
    await page.getByRole('heading', { level: 1, name: `Parc social ${annee}` }).waitFor();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Parc' }).waitFor();
    const cartes = page.getByRole('img', { name: / par commune — |fragilité — / });
    await cartes.first().waitFor();
    await page.waitForLoadState('networkidle');
    // Two maps: the crossing by commune and the residences by fragility, each over the 23 communes.
    // The residences' map comes in a second pass (useDeferredValue): given the time a loaded machine needs.
    await expect.poll(() => cartes.count(), { timeout: 30_000 }).toBe(2);
    for (const carte of await cartes.all()) expect(await carte.locator('path[data-code]').count()).toBe(23);
    expect(await page.getByRole('table', { name: /tableau de la carte/ }).count()).toBe(await cartes.count());
    // The residences' map draws one path per fragility class; each carries as many points as the API has residences
    // of that class with coordinates (counted here from the API's answer, not from the page).
    const residences = await api<ResidencesParc>(h, `/api/parc/residences?annee=${annee}`);
    const placees = new Map<string, number>();
    for (const r of residences.residences) if (r.latitude !== null && r.longitude !== null) placees.set(r.classe, (placees.get(r.classe) ?? 0) + 1);
    const groupes = page.getByRole('img', { name: /fragilité — / }).locator('.carte-points path[data-categorie]');
    const dessinees = new Map<string, number>();
    for (const g of await groupes.all()) dessinees.set((await g.getAttribute('data-categorie')) as string, Number(await g.getAttribute('data-points')));
    expect(placees.size).toBeGreaterThan(1);
    expect(dessinees).toEqual(placees);
    const result = await new AxeBuilder({ page }).analyze();
    const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    await context.close();
  }, 120_000);

  it('filters the residences by fragility, and places a household with the calculator', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/parc');
    const residences = await api<ResidencesParc>(h, `/api/parc/residences?annee=${annee}`);
    const tresFragiles = residences.residences.filter((r) => r.classe === 'tres_fragile').length;
    await page.getByLabel('Fragilité', { exact: true }).selectOption('tres_fragile');
    await page.getByText(`${tresFragiles} résidence${tresFragiles > 1 ? 's' : ''} sur ${residences.residences.length}.`).waitFor();
    const table = page.getByRole('table', { name: /Résidences et fragilité/ });
    expect(await table.locator('tbody tr').count()).toBe(Math.max(1, Math.min(tresFragiles, 50)));
    // The calculator: a single parent with two children under 14 and 1 500 € a month, as the API answers it.
    const corps = { personnes: 3, adultes: 1, moins_14_ans: 2, ressources_mensuelles: 1500 };
    const attendu = (await (await fetch(`${h.url}/api/menage`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mixite-csrf': await csrf() }, body: JSON.stringify(corps) })).json()) as ResultatMenage;
    await page.getByRole('button', { name: 'Calculer' }).click();
    const resultat = page.getByRole('table', { name: 'Résultat du calcul' });
    await resultat.waitFor();
    expect(await resultat.getByRole('row', { name: /^Quartile/ }).textContent()).toContain(`${attendu.quartile}${attendu.quartile === 1 ? 'er' : 'e'} quartile`);
    await context.close();
  }, 120_000);

  /** The demonstration session's CSRF token (the API's POST needs it, as the page sends it). */
  async function csrf(): Promise<string> {
    return ((await api<{ csrf: string }>(h, '/api/session')) as { csrf: string }).csrf;
  }
});
