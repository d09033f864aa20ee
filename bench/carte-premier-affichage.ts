/**
 * Map page (issue 14): where the first paint of /parc goes now that the server draws its two maps into the HTML
 * (packages/server/src/rendu-parc.ts). For each run, in a fresh browser context, the browser's own clock from the
 * navigation's start: the HTML's first byte (the server's drawing included), the style sheet's arrival, the first
 * contentful paint, the frame in which both maps of the demo were there (every commune's path; polled at each frame
 * inside the page, not through the driver), and the frame in which the application's own maps replaced the server's.
 * A diagnosis beside bench/carte.ts (which gives the figure of the target with its same-run baseline).
 *
 *   npx tsx bench/carte-premier-affichage.ts [--dist DIR] [--essais 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import { chromium } from 'playwright-core';
import { lireSonde, sondeCartes } from './carte-attente.ts';

const { values } = parseArgs({ options: { dist: { type: 'string' }, essais: { type: 'string', default: '7' } } });
const dist = values.dist ?? WEB_DIST;
if (!values.dist) await ensureWebBuild({ log: () => {} });
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-premier-'));
const serveur = await startServer({ port: 0, basePath: join(dossier, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: dist, log: () => {} });
const url = serveur.url.replace(/\/$/, '');
const mediane = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  await (await fetch(`${url}/parc`)).text();
  const lignes: Record<string, number>[] = [];
  for (let i = 0; i <= Number(values.essais); i++) {
    const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const p = await contexte.newPage();
    await p.addInitScript(sondeCartes(2));
    await p.goto(`${url}/parc`, { waitUntil: 'commit' });
    const s = await lireSonde(p, 'cartes');
    const r = await p.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const css = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.css')).map((e) => (e as PerformanceResourceTiming).responseEnd);
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { html: nav.responseStart, css: Math.max(0, ...css), fcp: fcp ? fcp.startTime : -1 };
    });
    Object.assign(r, { cartes: s.cartes ?? -1, serveur: s.serveur ? 1 : 0, application: s.application ?? -1 });
    await contexte.close();
    // The first run warms the server (its first drawing of the year): not counted.
    if (i > 0) lignes.push(r as Record<string, number>);
    if (i > 0) console.log(Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(0)}`).join('  '));
  }
  for (const k of ['html', 'css', 'fcp', 'cartes', 'application']) console.log(`médiane ${k} : ${mediane(lignes.map((l) => l[k] as number)).toFixed(0)} ms`);
  console.log(`cartes du serveur vues les premières : ${lignes.filter((l) => l.serveur === 1).length} essais sur ${lignes.length}`);
} finally {
  await navigateur.close();
  await serveur.close();
  rmSync(dossier, { recursive: true, force: true });
}
