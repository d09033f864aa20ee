import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from './http/viewer.ts';

/** packages/web, found from this file so that `npm start` works from any working directory. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
export const WEB_DIST = join(WEB_DIR, 'dist');
/** What the bundle is made of: a change in any of these makes the build stale. */
const WEB_INPUTS = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts'), join(WEB_DIR, 'package.json'), join(WEB_DIR, '../core/src')];

/** Whether packages/web/dist is missing or older than one of its sources. */
export function webBuildIsStale(dist: string = WEB_DIST): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return WEB_INPUTS.some((input) => newestMtime(input) > built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the front end with Vite's JS API into packages/web/dist (a few seconds; done by `npm start` when stale). */
export async function buildWeb(options: { log?: (message: string) => void } = {}): Promise<void> {
  const log = options.log ?? console.log;
  log('Construction de l’application web (Vite)…');
  const started = performance.now();
  const { build } = await import('vite');
  await build({ root: WEB_DIR, configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  log(`Application web construite en ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

export async function ensureWebBuild(options: { log?: (message: string) => void; force?: boolean } = {}): Promise<void> {
  if (options.force || webBuildIsStale()) await buildWeb(options);
}

/** The types of the bundle's scripts and styles, the files every page asks for (the rest goes to serveStatic). */
const TYPES_EN_MEMOIRE: Readonly<Record<string, string>> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/**
 * The bundle's scripts and styles kept in memory once read (issue 14): a page asks for fifteen to twenty of them at
 * once, and the browser's six connections queue its API reads behind them; served from memory, each costs the
 * server no stat, open or stream, which on a loaded machine was most of their time. Safe because their names are
 * hashed (a new build writes new names: an old one kept here is still the right content for that name) and bounded
 * by what the build holds (names that do not exist are not kept).
 */
function assetsEnMemoire(dist: string) {
  const gardes = new Map<string, { readonly corps: Uint8Array; readonly type: string }>();
  return async (c: Context<AppEnv>, next: Next) => {
    const nom = c.req.path.slice('/assets/'.length);
    const type = TYPES_EN_MEMOIRE[nom.slice(nom.lastIndexOf('.') + 1)];
    // Only a plain file name of the assets folder (no '/', no '..'): anything else goes to serveStatic's checks.
    if (!type || !/^[\w.-]+$/.test(nom) || nom.startsWith('.')) return next();
    let fichier = gardes.get(nom);
    if (!fichier) {
      const chemin = join(dist, 'assets', nom);
      if (!existsSync(chemin)) return next();
      fichier = { corps: new Uint8Array(readFileSync(chemin)), type };
      gardes.set(nom, fichier);
    }
    return c.body(fichier.corps as Uint8Array<ArrayBuffer>, 200, { 'content-type': fichier.type, 'cache-control': 'public, max-age=31536000, immutable' });
  };
}

/**
 * The shell with the Parc page's maps drawn by the server (rendu-parc.ts) after the application's root, and the
 * application's style sheets fetched at once but no longer holding the first paint: the block brings its own small
 * style, and the browser would otherwise wait for Mantine's whole sheet, queued behind the application's scripts on
 * a loaded machine (measured 0.4 to 1.2 s before the first paint, docs/BENCHMARKS.md). The application is not drawn
 * unstyled for it: Vite's loader of the application's chunk (main.tsx's `import('./application.tsx')`) finds no
 * style sheet link to these files, adds one and waits for it to load — from the preload, already there or on its
 * way — before running the application.
 */
export function pageAvecCartes(html: string, cartes: string): string {
  return html.replaceAll('<link rel="stylesheet" crossorigin href="', '<link rel="preload" as="style" crossorigin href="').replace('<div id="root"></div>', () => `<div id="root"></div>${cartes}`);
}

/**
 * Serves the built front end: files as they are (hashed assets cached for a year, its scripts and styles from
 * memory), and index.html for every other path so that a page's address (/objectifs/hors_qpv_q1) can be reloaded or
 * shared.
 */
export function webRoutes(dist: string, options: { readonly cartesParc?: (cookie: string | null, annee: string | null) => Promise<string | null> } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const root = dist;
  app.use('/assets/*', assetsEnMemoire(dist));
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => {
    const index = join(dist, 'index.html');
    if (!existsSync(index)) return c.text('Application web non construite : lancez « npm start ».', 503);
    const html = readFileSync(index, 'utf8');
    // The Parc page with its two maps already drawn, for a session that may read them (rendu-parc.ts, issue 14).
    if (options.cartesParc && c.req.path === '/parc') {
      // Drawn for one session: never kept by a shared cache, nor by the browser (the next visit draws afresh).
      c.header('cache-control', 'private, no-store');
      c.header('vary', 'Cookie');
      const cartes = await options.cartesParc(c.req.header('cookie') ?? null, c.req.query('annee') ?? null);
      if (cartes !== null) return c.html(pageAvecCartes(html, cartes));
      return c.html(html);
    }
    c.header('cache-control', 'no-cache');
    return c.html(html);
  });
  return app;
}
