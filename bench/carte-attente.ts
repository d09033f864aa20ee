/**
 * What the map benches (carte.ts, carte-profil.ts, carte-trace.ts) wait for and how they print a request: one home,
 * so that the three measure the same moment — the demo's maps drawn, each with every commune's path.
 */
import type { Page, Request } from 'playwright-core';

/** The communes of the demo territory: a map is drawn when each of them has its path in it. */
const COMMUNES_DE_LA_DEMO = 23;

/** Waits until `n` maps of the page have every commune of the demo drawn (polled at each frame). */
export function cartesDessinees(p: Page, n: number, timeout = 60_000): Promise<unknown> {
  return p.waitForFunction(
    ([attendues, communes]) => [...document.querySelectorAll('.carte-territoire')].filter((c) => c.querySelectorAll('.carte-communes path[data-code]').length >= communes).length >= attendues,
    [n, COMMUNES_DE_LA_DEMO] as const,
    { timeout, polling: 'raf' },
  );
}

/** A finished request as « début → fin ms  chemin?requête », times from `depart` (Date.now() at navigation). */
export function ligneDeRequete(r: Request, depart: number): string {
  const t = r.timing();
  const debut = Math.max(0, t.startTime - depart);
  const url = new URL(r.url());
  return `${debut.toFixed(0).padStart(5)} → ${(t.startTime - depart + t.responseEnd).toFixed(0).padStart(5)} ms  ${url.pathname}${url.search}`;
}

/** What the in-page probe (`sondeCartes`) has seen, in milliseconds of the page's clock (from the navigation's start). */
export interface Sonde {
  /** The first frame with one map drawn, then with `n`. */
  readonly premiere?: number;
  readonly cartes?: number;
  /** Whether the `n` maps first seen were those the server drew into the HTML (packages/server/src/rendu-parc.ts). */
  readonly serveur?: boolean;
  /** The frame in which the application's own maps had replaced the server's. */
  readonly application?: number;
  /** The first frame with a level-1 heading, with a data table's row. */
  readonly titre?: number;
  readonly tableau?: number;
  /** The end of the page's last API answer so far. */
  readonly api?: number;
  /** Chromium's first contentful paint (the frame shown, not only built), -1 if none yet. */
  readonly fcp?: number;
}

/**
 * A probe run in the page from before its first byte (`page.addInitScript`), checking at every frame, in the page,
 * what the benches wait for: polling through the driver (waitForFunction) saw the early frames late on a loaded
 * machine — the server-drawn maps of /parc were often already replaced when it first looked (session 9). Plain
 * JavaScript in a string: the page's policy forbids evaluating strings, not init scripts, and a bundler's helpers
 * must not creep into it.
 */
export function sondeCartes(n: number): string {
  return `(() => {
    const t = (window.__sonde = {});
    const tick = () => {
      const now = performance.now();
      const dessinees = [...document.querySelectorAll('.carte-territoire')].filter((c) => c.querySelectorAll('.carte-communes path[data-code]').length >= ${COMMUNES_DE_LA_DEMO}).length;
      const bloc = document.getElementById('parc-serveur') !== null;
      if (dessinees >= 1 && t.premiere === undefined) t.premiere = now;
      if (dessinees >= ${n} && t.cartes === undefined) { t.cartes = now; t.serveur = bloc; }
      if (t.serveur && !bloc && t.application === undefined) t.application = now;
      if (t.titre === undefined && document.querySelector('h1')) t.titre = now;
      if (t.tableau === undefined && document.querySelector('table tbody tr')) t.tableau = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();`;
}

/** Waits until the probe has seen `quoi` (for the maps: also their replacement by the application's), and reads it. */
export async function lireSonde(p: Page, quoi: 'cartes' | 'titre' | 'tableau', timeout = 60_000): Promise<Sonde> {
  await p.waitForFunction(
    (q) => {
      const s = (window as unknown as { __sonde?: Record<string, number | boolean | undefined> }).__sonde;
      if (!s || s[q] === undefined) return false;
      return q !== 'cartes' || !s['serveur'] || s['application'] !== undefined;
    },
    quoi,
    { timeout },
  );
  return p.evaluate(() => {
    const api = performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
      .map((e) => (e as PerformanceResourceTiming).responseEnd);
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
    return { ...(window as unknown as { __sonde: Sonde }).__sonde, api: Math.max(0, ...api), fcp };
  });
}
