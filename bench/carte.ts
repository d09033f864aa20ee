/**
 * Map benchmark (issue 14): how long the demo territory's map page takes to show its maps in a real browser
 * (Debian Chromium through playwright-core), from the navigation to the moment every map of the page (`--cartes`,
 * two on /parc: the crossing by commune and the residences) has the path of each of the 23 communes — target under
 * 1 s. Each map only exists once its figures have come (the choropleth, the points), so this is the page with its
 * data, not an empty outline. Also timed: the first map alone, and the drawing itself (from the last answer of the
 * API the page waited for to the maps drawn). Baselines measured in the same run: the same page until its first
 * data table is shown, and the application shell alone (an unknown address: the « page introuvable » heading), so
 * that what the maps add can be read apart from the machine's load.
 *
 *   npx tsx bench/carte.ts [--page /parc] [--cartes 2] [--essais 7] [--dist DIR]
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

const { values } = parseArgs({ options: { page: { type: 'string', default: '/parc' }, cartes: { type: 'string', default: '2' }, essais: { type: 'string', default: '7' }, dist: { type: 'string' } } });
const page = values.page as string;
const cartes = Math.max(1, Number(values.cartes));
const essais = Math.max(1, Number(values.essais));

const mediane = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

// `--dist DIR`: a build of its own (`npx vite build packages/web --outDir DIR`), which the other work in the same
// tree cannot rebuild under the measurement; by default the shared packages/web/dist, rebuilt when stale.
const dist = values.dist ?? WEB_DIST;
if (!values.dist) await ensureWebBuild({ log: () => {} });
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-carte-'));
const serveur = await startServer({ port: 0, basePath: join(dossier, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: dist, log: () => {} });
const navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const url = serveur.url.replace(/\/$/, '');
  // The page's data calls, each twice on the server alone: computed the first time, read from memory the second
  // (kept until the next write). The year is the one the page opens on: the latest.
  const { annees } = (await (await fetch(`${url}/api/territoire`)).json()) as { annees: number[] };
  for (const chemin of [`/api/parc?annee=${annees.at(-1)}`, `/api/parc/residences?annee=${annees.at(-1)}`, '/api/contours']) {
    const fois: string[] = [];
    for (let i = 0; i < 2; i++) {
      const debut = performance.now();
      await (await fetch(`${url}${chemin}`)).arrayBuffer();
      fois.push(ms(performance.now() - debut));
    }
    console.log(`${chemin} : ${fois.join(' puis ')}`);
  }
  /** After each run of the maps: from the last answer of the API to the maps drawn (the drawing itself, in the browser). */
  const dessin: number[] = [];
  /** After each run of the maps: until the first map of the page is drawn. */
  const premiere: number[] = [];
  const mesurer = async (chemin: string, pret: (p: Page, debut: number) => Promise<unknown>, dessine = false): Promise<number[]> => {
    const temps: number[] = [];
    // One warm-up (the server's first computation of the year, the browser's cache of the bundle), then the runs.
    for (let i = 0; i <= essais; i++) {
      const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
      const p = await contexte.newPage();
      let derniereReponse = 0;
      p.on('requestfinished', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/')) derniereReponse = performance.now();
      });
      const debut = performance.now();
      await p.goto(`${url}${chemin}`);
      await pret(p, debut);
      const fin = performance.now();
      if (i > 0) temps.push(fin - debut);
      if (i > 0 && dessine && derniereReponse > 0) dessin.push(fin - derniereReponse);
      await contexte.close();
    }
    return temps;
  };
  // A map is drawn when every commune of the demo (23) has its path in it.
  const dessinees = (n: number) => (p: Page) =>
    p.waitForFunction(
      (attendues) => [...document.querySelectorAll('.carte-territoire')].filter((c) => c.querySelectorAll('.carte-communes path[data-code]').length >= 23).length >= attendues,
      n,
      { timeout: 30_000, polling: 'raf' },
    );
  const carte = await mesurer(
    page,
    async (p, debut) => {
      await dessinees(1)(p);
      premiere.push(performance.now() - debut);
      await dessinees(cartes)(p);
    },
    true,
  );
  // The warm-up's first map is not a run.
  premiere.shift();
  const ligne = (quoi: string, t: readonly number[]) => console.log(`${quoi} : médiane ${ms(mediane(t))} sur ${t.length} essais (min ${ms(Math.min(...t))}, max ${ms(Math.max(...t))})`);
  ligne(`page ${page} jusqu’à ses ${cartes} cartes dessinées avec leurs données (23 communes chacune)`, carte);
  ligne('dont jusqu’à la première carte', premiere);
  if (dessin.length > 0) ligne('dont, de la dernière réponse de l’API à la dernière carte dessinée', dessin);
  ligne('référence, même page jusqu’à son premier tableau', await mesurer(page, (p) => p.locator('table tbody tr').first().waitFor({ timeout: 60_000 })));
  ligne('référence, même application sans données (page introuvable)', await mesurer('/page-inexistante', (p) => p.getByRole('heading', { level: 1 }).waitFor({ timeout: 60_000 })));
} finally {
  await navigateur.close();
  await serveur.close();
  rmSync(dossier, { recursive: true, force: true });
}
