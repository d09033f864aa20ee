/**
 * Where the map page's time goes (issue 14), to read before changing it: one navigation to the page in Debian
 * Chromium (production web build), with the CDP sampling profiler on, until every map of the page is drawn; prints
 * the browser's own counters (script, style, layout) and the functions that took the most time, grouped by the file
 * they come from (the bundle's chunks: the page's, React's, Mantine's…). A diagnosis, not a benchmark: the figures
 * of record are bench/carte.ts's.
 *
 *   npx tsx bench/carte-profil.ts [--page /parc] [--cartes 2] [--essais 3] [--dist DIR] [--profil FILE.cpuprofile]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import { chromium } from 'playwright-core';
import { cartesDessinees, ligneDeRequete } from './carte-attente.ts';

const { values } = parseArgs({ options: { page: { type: 'string', default: '/parc' }, cartes: { type: 'string', default: '2' }, essais: { type: 'string', default: '3' }, dist: { type: 'string' }, profil: { type: 'string' } } });
const chemin = values.page as string;
const cartes = Math.max(1, Number(values.cartes));
const essais = Math.max(1, Number(values.essais));

interface Noeud {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profil {
  nodes: Noeud[];
  samples: number[];
  timeDeltas: number[];
}

// `--dist DIR`: a build of its own (`npx vite build packages/web --outDir DIR`), which the other work in the same
// tree cannot rebuild under the measurement; by default the shared packages/web/dist, rebuilt when stale.
const dist = values.dist ?? WEB_DIST;
if (!values.dist) await ensureWebBuild({ log: () => {} });
const dossier = mkdtempSync(join(tmpdir(), 'mixite-profil-carte-'));
const serveur = await startServer({ port: 0, basePath: join(dossier, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: dist, log: () => {} });
const navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const url = serveur.url.replace(/\/$/, '');
  const parFonction = new Map<string, number>();
  const parFichier = new Map<string, number>();
  const compteurs = new Map<string, number>();
  for (let i = 0; i <= essais; i++) {
    const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const p = await contexte.newPage();
    const cdp = await contexte.newCDPSession(p);
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    // The waterfall: each request's start and end from the navigation (what waits on what).
    const requetes: string[] = [];
    p.on('requestfinished', (r) => requetes.push(ligneDeRequete(r, depart)));
    const depart = Date.now();
    const debut = performance.now();
    await p.goto(`${url}${chemin}`);
    await cartesDessinees(p, cartes);
    const total = performance.now() - debut;
    // What the page asks the browser to lay out: its elements, those of its maps, and the body cells of its tables.
    const elements = await p.evaluate(() => ({
      page: document.getElementsByTagName('*').length,
      cartes: document.querySelectorAll('.carte-territoire svg *').length,
      cellules: document.querySelectorAll('tbody td').length,
    }));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profil };
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    await contexte.close();
    // The first navigation warms the server and the cache of the bundle: not counted.
    if (i === 0) continue;
    // `--profil FILE`: the last run's profile as Chromium gives it (open it in DevTools' Performance panel).
    if (values.profil && i === essais) writeFileSync(values.profil, JSON.stringify(profile));
    console.log(`essai ${i} : ${total.toFixed(0)} ms jusqu’aux ${cartes} cartes ; éléments : ${elements.page} dans la page, ${elements.cartes} dans ses cartes, ${elements.cellules} cellules de tableaux`);
    if (i === essais) console.log(`requêtes de cet essai :\n${requetes.sort().join('\n')}`);
    for (const m of metrics) if (/Duration$/.test(m.name)) compteurs.set(m.name, (compteurs.get(m.name) ?? 0) + (m.value * 1000) / essais);
    const noeuds = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let s = 0; s < profile.samples.length; s++) {
      const n = noeuds.get(profile.samples[s] as number);
      if (!n) continue;
      const dt = (profile.timeDeltas[s] ?? 0) / 1000 / essais;
      const fichier = n.callFrame.url.replace(/^.*\//, '') || `(${n.callFrame.functionName || 'programme'})`;
      const cle = `${n.callFrame.functionName || '(anonyme)'} ${fichier}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
      parFonction.set(cle, (parFonction.get(cle) ?? 0) + dt);
      parFichier.set(fichier, (parFichier.get(fichier) ?? 0) + dt);
    }
  }
  const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
  console.log('\nCompteurs du navigateur (moyenne par essai) :');
  for (const [k, v] of [...compteurs].sort((a, b) => b[1] - a[1])) console.log(`${ms(v)}  ${k}`);
  console.log('\nTemps propre par fichier (moyenne par essai) :');
  for (const [k, v] of [...parFichier].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms(v)}  ${k}`);
  console.log('\nTemps propre par fonction (moyenne par essai) :');
  for (const [k, v] of [...parFonction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${ms(v)}  ${k}`);
} finally {
  await navigateur.close();
  await serveur.close();
  rmSync(dossier, { recursive: true, force: true });
}
