/**
 * The map page's critical path as Chromium's own trace shows it (issue 14): one navigation per run in Debian
 * Chromium (production web build) with tracing on, until every map of the page is drawn; prints, on the page's
 * main thread, a timeline of what ran and when (style sheets parsed, scripts compiled and run, style recalculation,
 * layout, paint), each from the navigation's start, plus totals per kind and the network requests' start/end.
 * A diagnosis, not a benchmark: the figures of record are bench/carte.ts's.
 *
 *   npx tsx bench/carte-trace.ts [--page /parc] [--cartes 2] [--essais 2] [--dist DIR] [--trace FILE.json] [--seuil 8]
 *
 * `--trace FILE`: the last run's trace as Chromium gives it (open it in DevTools' Performance panel or ui.perfetto.dev).
 * `--seuil MS`: the shortest main-thread task printed in the timeline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import { chromium } from 'playwright-core';
import { cartesDessinees, ligneDeRequete } from './carte-attente.ts';

const { values } = parseArgs({
  options: { page: { type: 'string', default: '/parc' }, cartes: { type: 'string', default: '2' }, essais: { type: 'string', default: '2' }, dist: { type: 'string' }, trace: { type: 'string' }, seuil: { type: 'string', default: '8' } },
});
const chemin = values.page as string;
const cartes = Math.max(1, Number(values.cartes));
const essais = Math.max(1, Number(values.essais));
const seuil = Number(values.seuil);

interface Evenement {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown>; beginData?: Record<string, unknown> };
}

const dist = values.dist ?? WEB_DIST;
if (!values.dist) await ensureWebBuild({ log: () => {} });
const dossier = mkdtempSync(join(tmpdir(), 'mixite-trace-carte-'));
const serveur = await startServer({ port: 0, basePath: join(dossier, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: dist, log: () => {} });
const navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
// The kinds of main-thread work reported, by trace event name.
const GENRES: Record<string, string> = {
  ParseAuthorStyleSheet: 'CSS (analyse)',
  UpdateLayoutTree: 'style (recalcul)',
  Layout: 'mise en page',
  Paint: 'peinture',
  PrePaint: 'peinture',
  Layerize: 'peinture',
  'v8.compile': 'JS (compilation)',
  'v8.compileModule': 'JS (compilation)',
  EvaluateScript: 'JS (exécution)',
  'v8.evaluateModule': 'JS (exécution)',
  FunctionCall: 'JS (exécution)',
  TimerFire: 'JS (exécution)',
  EventDispatch: 'JS (exécution)',
  FireAnimationFrame: 'JS (exécution)',
  RunMicrotasks: 'JS (exécution)',
  ParseHTML: 'HTML (analyse)',
  'V8.GC_MARK_COMPACTOR': 'ramasse-miettes',
  MajorGC: 'ramasse-miettes',
  MinorGC: 'ramasse-miettes',
};
try {
  const url = serveur.url.replace(/\/$/, '');
  for (let i = 0; i <= essais; i++) {
    const contexte = await navigateur.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const p = await contexte.newPage();
    const requetes: string[] = [];
    p.on('requestfinished', (r) => requetes.push(ligneDeRequete(r, depart)));
    await navigateur.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'loading'] });
    const depart = Date.now();
    const debut = performance.now();
    await p.goto(`${url}${chemin}`);
    await cartesDessinees(p, cartes);
    const total = performance.now() - debut;
    const tampon = await navigateur.stopTracing();
    await contexte.close();
    if (i === 0) continue; // warms the server and its computations
    if (values.trace && i === essais) writeFileSync(values.trace, tampon);
    const { traceEvents } = JSON.parse(tampon.toString('utf8')) as { traceEvents: Evenement[] };
    // The page's renderer main thread: the one that parsed the page's own HTML (the browser's other pages, such
    // as its new-tab page, have theirs).
    const parse = traceEvents.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.['url'] ?? '').startsWith(url));
    if (!parse) throw new Error('trace sans analyse du HTML de la page');
    const fil = `${parse.pid}:${parse.tid}`;
    // Time 0: the navigation's start as the page's thread saw it (the first navigationStart of that thread).
    const origine = Math.min(...traceEvents.filter((e) => e.name === 'navigationStart' && `${e.pid}:${e.tid}` === fil).map((e) => e.ts));
    const sur = traceEvents.filter((e) => `${e.pid}:${e.tid}` === fil && e.ph === 'X' && e.dur !== undefined);
    const taches = sur.filter((e) => e.name === 'RunTask');
    const parGenre = new Map<string, number>();
    for (const e of sur) {
      const genre = GENRES[e.name];
      if (genre) parGenre.set(genre, (parGenre.get(genre) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const t = (x: number) => ((x - origine) / 1000).toFixed(0).padStart(5);
    console.log(`\nessai ${i} : ${total.toFixed(0)} ms jusqu’aux ${cartes} cartes`);
    console.log(`requêtes :\n${requetes.sort().join('\n')}`);
    console.log(`tâches du fil principal de plus de ${seuil} ms (début → fin, depuis la navigation) et ce qu’elles contiennent :`);
    for (const tache of taches) {
      if ((tache.dur ?? 0) / 1000 < seuil) continue;
      const fin = tache.ts + (tache.dur ?? 0);
      const dedans = new Map<string, number>();
      for (const e of sur) {
        const genre = GENRES[e.name];
        if (genre && e.ts >= tache.ts && e.ts < fin) dedans.set(`${e.name}${e.args?.data?.['url'] ? ` ${String(e.args.data['url']).replace(/^.*\//, '')}` : ''}`, (dedans.get(`${e.name}${e.args?.data?.['url'] ? ` ${String(e.args.data['url']).replace(/^.*\//, '')}` : ''}`) ?? 0) + (e.dur ?? 0) / 1000);
      }
      const detail = [...dedans].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
      console.log(`${t(tache.ts)} → ${t(fin)} ms (${((tache.dur ?? 0) / 1000).toFixed(0)} ms) ${detail}`);
    }
    console.log('par genre (les événements imbriqués comptent chacun) :');
    for (const [k, v] of [...parGenre].sort((a, b) => b[1] - a[1])) console.log(`${v.toFixed(0).padStart(6)} ms  ${k}`);
  }
} finally {
  await navigateur.close();
  await serveur.close();
  rmSync(dossier, { recursive: true, force: true });
}
