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
 *   npx tsx bench/carte.ts [--page /parc] [--cartes 2] [--essais 7] [--dist DIR] [--avant DIR]
 *
 * `--avant DIR`: a second build (e.g. of the previous commit: `git worktree add W <commit> && npx vite build W/packages/web
 * --outDir DIR`), served by a second server over a copy of the same store and measured in turn with `--dist`, run by
 * run, so that both see the same load; prints the ratio of their medians (after ÷ before), the figure a loaded
 * machine does not blur.
 *
 * Since session 9 the server draws /parc's two maps into the HTML (packages/server/src/rendu-parc.ts): the times are
 * read by a probe in the page at each frame, on the page's clock from the navigation's start (carte-attente.ts
 * `sondeCartes`; the driver's polling saw the early frames late), for the maps and for both baselines alike; the
 * bench says whether the maps first seen were the server's, and when the application's own replaced them.
 *
 * Starts its own server over a fresh store holding the demo territory (with its 23 communes' contours), as the
 * browser tests do. A benchmark, not a test: nothing fails on a slow machine.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunningServer } from '@mixite/server';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import { chromium } from 'playwright-core';
import { lireSonde, sondeCartes } from './carte-attente.ts';

const { values } = parseArgs({ options: { page: { type: 'string', default: '/parc' }, cartes: { type: 'string', default: '2' }, essais: { type: 'string', default: '7' }, dist: { type: 'string' }, avant: { type: 'string' } } });
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
// The demo store generated once (a first start, then stopped), then copied for each build measured.
const prepare = join(dossier, 'prepare');
mkdirSync(prepare);
await (await startServer({ port: 0, basePath: join(prepare, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: null, log: () => {} })).close();
const demarrer = async (nom: string, webDist: string): Promise<RunningServer> => {
  const dir = join(dossier, nom);
  mkdirSync(dir);
  for (const fichier of readdirSync(prepare)) copyFileSync(join(prepare, fichier), join(dir, fichier));
  return startServer({ port: 0, basePath: join(dir, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist, log: () => {} });
};
const serveur = await demarrer('apres', dist);
const serveurAvant = values.avant ? await demarrer('avant', values.avant) : null;
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

  interface Essai {
    total: number;
    /** Until the first map (the maps' runs only). */
    premiere?: number;
    /** From the last answer of the API to the maps drawn: the drawing itself, in the browser. */
    dessin?: number;
    /** Whether the maps seen were those the server drew into the page (rendu-parc.ts). */
    serveur?: boolean;
    /** Until the application's own maps replaced the server's. */
    application?: number;
    /** Chromium's first contentful paint. */
    fcp?: number;
  }
  /**
   * One navigation in a fresh browser context (no cache), until the in-page probe has seen `quoi` (carte-attente.ts):
   * times of the page's own clock, from the navigation's start, each at the frame it happened in.
   */
  const essai = async (base: string, chemin: string, quoi: 'cartes' | 'titre' | 'tableau'): Promise<Essai> => {
    const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const p = await contexte.newPage();
    await p.addInitScript(sondeCartes(cartes));
    // Until the answer starts only: the server draws the Parc page's maps into the HTML (issue 14, rendu-parc.ts),
    // so they can be there long before the load event, which waits for the application's scripts.
    await p.goto(`${base}${chemin}`, { waitUntil: 'commit' });
    const s = await lireSonde(p, quoi);
    await contexte.close();
    const e: Essai = { total: s[quoi] as number };
    if (quoi !== 'cartes') return e;
    e.premiere = s.premiere as number;
    e.serveur = s.serveur === true;
    if (s.fcp !== undefined && s.fcp >= 0) e.fcp = s.fcp;
    if (s.application !== undefined) e.application = s.application;
    // The drawing itself, when the application drew the maps the probe saw first: from its last API answer.
    if (!e.serveur && s.api !== undefined && s.api > 0 && s.api < e.total) e.dessin = e.total - s.api;
    return e;
  };
  const serveurs = [{ nom: values.avant ? 'après' : '', base: url }, ...(serveurAvant ? [{ nom: 'avant', base: serveurAvant.url.replace(/\/$/, '') }] : [])];
  /**
   * One warm-up per build (the server's first computation of the year), then the runs, each build in turn within a
   * run so that both see the same load.
   */
  const serie = async (chemin: string, quoi: 'cartes' | 'titre' | 'tableau'): Promise<Essai[][]> => {
    for (const s of serveurs) await essai(s.base, chemin, quoi);
    const resultats: Essai[][] = serveurs.map(() => []);
    for (let i = 0; i < essais; i++) for (const [k, s] of serveurs.entries()) resultats[k]?.push(await essai(s.base, chemin, quoi));
    return resultats;
  };
  const cartesSerie = await serie(page, 'cartes');
  const tableauSerie = await serie(page, 'tableau');
  const videSerie = await serie('/page-inexistante', 'titre');

  const ligne = (quoi: string, t: readonly number[]) => console.log(`${quoi} : médiane ${ms(mediane(t))} sur ${t.length} essais (min ${ms(Math.min(...t))}, max ${ms(Math.max(...t))})`);
  const medianes: { cartes: number; vide: number }[] = [];
  for (const [k, s] of serveurs.entries()) {
    const c = cartesSerie[k] ?? [];
    const vide = (videSerie[k] ?? []).map((e) => e.total);
    if (s.nom) console.log(`\n— build ${s.nom} (${s.nom === 'avant' ? values.avant : dist})`);
    ligne(`page ${page} jusqu’à ses ${cartes} cartes dessinées avec leurs données (23 communes chacune)`, c.map((e) => e.total));
    ligne('dont jusqu’à la première carte', c.map((e) => e.premiere ?? 0));
    const fcp = c.flatMap((e) => (e.fcp === undefined ? [] : [e.fcp]));
    if (fcp.length > 0) ligne('premier affichage de la page (first contentful paint de Chromium)', fcp);
    const parServeur = c.filter((e) => e.serveur);
    console.log(`cartes vues les premières : celles du serveur (rendu-parc.ts) dans ${parServeur.length} essais sur ${c.length}`);
    if (parServeur.length > 0) ligne('puis jusqu’aux cartes de l’application à leur place', parServeur.map((e) => e.application ?? 0));
    const dessin = c.flatMap((e) => (e.dessin === undefined ? [] : [e.dessin]));
    if (dessin.length > 0) ligne('dont, quand l’application les a dessinées, de sa dernière réponse de l’API à la dernière carte', dessin);
    ligne('référence, même page jusqu’à son premier tableau (celui du serveur quand il dessine les cartes)', (tableauSerie[k] ?? []).map((e) => e.total));
    ligne('référence, même application sans données (page introuvable)', vide);
    const m = { cartes: mediane(c.map((e) => e.total)), vide: mediane(vide) };
    medianes.push(m);
    console.log(`rapport : les ${cartes} cartes ÷ l’application sans données = ${(m.cartes / m.vide).toFixed(2)} ; cible : cartes < 1 000 ms (médiane ${ms(m.cartes)})`);
  }
  const [apres, avant] = medianes;
  if (apres && avant) {
    console.log(`\naprès ÷ avant (mêmes essais, tour à tour) : page des cartes ${(apres.cartes / avant.cartes).toFixed(2)} ; application sans données ${(apres.vide / avant.vide).toFixed(2)}`);
  }
} finally {
  await navigateur.close();
  await serveur.close();
  await serveurAvant?.close();
  rmSync(dossier, { recursive: true, force: true });
}
