/**
 * Map benchmark (issue 14): how long the demo territory's map page takes to show its map in a real browser
 * (Debian Chromium through playwright-core), from the navigation to the moment the last commune's path is in the
 * page — target under 1 s. Baselines measured in the same run: the same page until its first data table is shown
 * (what the page costs without its map), and the application shell alone (an unknown address: the « page
 * introuvable » heading), so that what the map adds can be read apart from the machine's load.
 *
 *   npx tsx bench/carte.ts [--page /parc] [--essais 7]
 *
 * Starts its own server over a fresh store holding the demo territory (with its 23 communes' contours), as the
 * browser tests do. A benchmark, not a test: nothing fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const { values } = parseArgs({ options: { page: { type: 'string', default: '/parc' }, essais: { type: 'string', default: '7' } } });
const page = values.page as string;
const essais = Math.max(1, Number(values.essais));

const mediane = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

await ensureWebBuild({ log: () => {} });
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-carte-'));
const serveur = await startServer({ port: 0, basePath: join(dossier, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: WEB_DIST, log: () => {} });
const navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const url = serveur.url.replace(/\/$/, '');
  /** After each run of the map: from the contours' answer to the map drawn (the drawing itself, in the browser). */
  const dessin: number[] = [];
  const mesurer = async (chemin: string, pret: (p: Page) => Promise<unknown>, dessine = false): Promise<number[]> => {
    const temps: number[] = [];
    // One warm-up (the server's first computation of the year, the browser's cache of the bundle), then the runs.
    for (let i = 0; i <= essais; i++) {
      const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
      const p = await contexte.newPage();
      let contours = 0;
      p.on('requestfinished', (r) => {
        if (r.url().includes('/api/contours')) contours = performance.now();
      });
      const debut = performance.now();
      await p.goto(`${url}${chemin}`);
      await pret(p);
      const fin = performance.now();
      if (i > 0) temps.push(fin - debut);
      if (i > 0 && dessine && contours > 0) dessin.push(fin - contours);
      await contexte.close();
    }
    return temps;
  };
  const carte = await mesurer(page, async (p) => {
    // The map is drawn when every commune of the demo (23) has its path.
    await p.waitForFunction(() => document.querySelectorAll('svg path[data-code]').length >= 23, undefined, { timeout: 30_000 });
  }, true);
  const ligne = (quoi: string, t: readonly number[]) => console.log(`${quoi} : médiane ${ms(mediane(t))} sur ${t.length} essais (min ${ms(Math.min(...t))}, max ${ms(Math.max(...t))})`);
  ligne(`page ${page} jusqu’à la carte dessinée (23 communes)`, carte);
  if (dessin.length > 0) ligne('dont, de la réponse de /api/contours à la carte dessinée', dessin);
  ligne('référence, même page jusqu’à son premier tableau', await mesurer(page, (p) => p.locator('table tbody tr').first().waitFor({ timeout: 60_000 })));
  ligne('référence, même application sans données (page introuvable)', await mesurer('/page-inexistante', (p) => p.getByRole('heading', { level: 1 }).waitFor({ timeout: 60_000 })));
} finally {
  await navigateur.close();
  await serveur.close();
  rmSync(dossier, { recursive: true, force: true });
}
