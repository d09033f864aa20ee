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
