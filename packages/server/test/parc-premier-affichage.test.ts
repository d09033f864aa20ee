import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importDataset, Store } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.ts';
import { startServer } from '../src/index.ts';
import type { SessionHttp } from './helpers.ts';
import { ACCOUNTS, clientHttp, createAccounts } from './helpers.ts';

/**
 * GET /parc with its two maps drawn by the server into the HTML (issue 14, rendu-parc.ts), on the real HTTP server in
 * production mode, over the hand-built stock of packages/data/test/fixtures/parc/territoire (its figures by hand in
 * packages/data/test/parc.test.ts) with hand-made contours: squares for Alpha (91001), Beta (91002) and Gamma (91003),
 * none for Delta (91004).
 * Stock: L1 (B1, Alpha, R1 non fragile, hors QPV, affordable: the only dwelling of the crossing), L2 (B1, Alpha, QPV,
 * R2 fragile), L3 (B2, Beta, R3 fragile), L4 (B2, Gamma, R4 très fragile), L5 (B2, Delta), L6 (B2, Beta).
 * Residences with coordinates: R1 non fragile, R2 and R3 fragile, R4 très fragile; R5 (no survey) has none.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/parc/territoire', import.meta.url));
const carre = (lon: number, lat: number) => [[[lon, lat], [lon, lat + 0.02], [lon + 0.02, lat + 0.02], [lon + 0.02, lat], [lon, lat]]];
const CONTOURS = {
  type: 'FeatureCollection',
  source: 'contours de test',
  features: [
    { type: 'Feature', properties: { code_insee: '91001' }, geometry: { type: 'Polygon', coordinates: carre(2.39, 48.59) } },
    { type: 'Feature', properties: { code_insee: '91002' }, geometry: { type: 'Polygon', coordinates: carre(2.41, 48.61) } },
    { type: 'Feature', properties: { code_insee: '91003' }, geometry: { type: 'Polygon', coordinates: carre(2.42, 48.62) } },
  ],
};
const SHELL = '<!doctype html><html lang="fr"><head><title>Mixité</title><link rel="stylesheet" crossorigin href="/assets/application-x.css"></head><body><div id="root"></div><script type="module" src="/assets/index.js"></script></body></html>';

/** The block the server drew, or null. */
const bloc = (html: string): string | null => {
  const debut = html.indexOf('<div id="parc-serveur"');
  return debut < 0 ? null : html.slice(debut, html.indexOf('<script', debut));
};
/** The commune paths of each map, in order: the codes each `.carte-communes` group draws. */
const communesDessinees = (b: string) => [...b.matchAll(/<g class="carte-communes"[^>]*>(.*?)<\/g>/g)].map((g) => [...(g[1] ?? '').matchAll(/data-code="(\d+)"/g)].map((m) => m[1]));
/** The residences' point groups: category → number of points. */
const points = (b: string) => Object.fromEntries([...b.matchAll(/data-categorie="(\w+)" data-points="(\d+)"/g)].map((m) => [m[1], Number(m[2])]));

describe('GET /parc drawn by the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixite-parc-premier-'));
  let server: RunningServer;
  const { http, as, loginAs } = clientHttp(() => Number(new URL(server.url).port));
  const c: Record<string, SessionHttp> = {};

  beforeAll(async () => {
    const jeu = join(dir, 'jeu');
    cpSync(FIXTURE, jeu, { recursive: true });
    writeFileSync(join(jeu, 'contours.geojson'), JSON.stringify(CONTOURS));
    const basePath = join(dir, 'base.duckdb');
    const store = await Store.open(basePath);
    await importDataset(store, [jeu], { auteur: 'test' });
    await createAccounts(store, ACCOUNTS);
    store.close();
    const dist = join(dir, 'site');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), SHELL);
    server = await startServer({ port: 0, basePath, webDist: dist, log: () => {}, securite: { mode: 'production', conservationMenagesAnnees: null } });
    for (const who of ['epci', 'b1', 'lecteur']) c[who] = await loginAs(`${who}@mixite.test`);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a partner both maps with their paths, legend, summary and table, in a page no shared cache keeps', async () => {
    const r = await as(c.epci as SessionHttp, '/parc');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    const html = await r.text();
    const b = bloc(html);
    expect(b).not.toBeNull();
    const cartes = b as string;
    // Mantine's sheet no longer holds the first paint (the block brings its own style): preloaded, not a stylesheet.
    expect(html).toContain('<link rel="preload" as="style" crossorigin href="/assets/application-x.css">');
    expect(html).not.toContain('rel="stylesheet"');
    // The latest year of the territory (2025, the only one with leases) and the page's title.
    expect(cartes).toContain('data-annee="2025"');
    expect(cartes).toContain('<h1>Parc social 2025</h1>');
    // Two maps, each drawing the three communes that have an outline; Delta has none and the map says so.
    expect(communesDessinees(cartes)).toEqual([
      ['91001', '91002', '91003'],
      ['91001', '91002', '91003'],
    ]);
    expect(cartes.match(/Delta/g)?.length).toBeGreaterThanOrEqual(2);
    // Each map's text alternative: its summary (the SVG's desc) and its table, one row per commune of the territory (4).
    expect(cartes.match(/<svg[^>]*role="img"/g)).toHaveLength(2);
    expect(cartes.match(/<desc /g)).toHaveLength(2);
    expect(cartes.match(/<caption>/g)).toHaveLength(2);
    expect([...cartes.matchAll(/<tbody>(.*?)<\/tbody>/g)].map((t) => t[1]?.match(/<tr>/g)?.length)).toEqual([4, 4]);
    // The crossing's map: Alpha holds L1 and L2, L1 in the crossing: 1 / 2 = 50 %; Beta 0 / 2 and Gamma 0 / 1: 0 %.
    expect(cartes).toMatch(/<tr><td>Alpha<\/td><td>91001<\/td><td>50,0\s%<\/td>/);
    expect(cartes).toMatch(/<tr><td>Beta<\/td><td>91002<\/td><td>0,0\s%<\/td>/);
    // The residences' map: R1 non fragile; R2, R3 fragile; R4 très fragile; R5 has no coordinates.
    expect(points(cartes)).toEqual({ tres_fragile: 1, fragile: 2, non_fragile: 1 });
    expect(cartes).toContain('1 point sans coordonnées n’est pas placé.');
    // A legend under each map (the class of the choropleth, the fragility classes).
    expect(cartes).toContain('très fragile');
    expect(cartes).toContain('sans enquête');
  });

  it('narrows the maps to the account’s perimeter: a bailleur sees its residences only', async () => {
    const cartes = bloc(await (await as(c.b1 as SessionHttp, '/parc')).text()) as string;
    expect(cartes).not.toBeNull();
    // B1 holds R1 (non fragile) and R2 (fragile) only: no very fragile residence, Beta's and Gamma's not placed.
    expect(points(cartes)).toEqual({ fragile: 1, non_fragile: 1 });
    // Its crossing: Alpha only (L1, L2), the other communes without a value.
    expect(cartes).toMatch(/<tr><td>Alpha<\/td><td>91001<\/td><td>50,0\s%<\/td>/);
    expect(cartes).not.toMatch(/<tr><td>Beta<\/td><td>91002<\/td><td>0,0\s%/);
  });

  it('gives the public reader, no session, or an expired one the plain shell', async () => {
    for (const reponse of [
      await as(c.lecteur as SessionHttp, '/parc'),
      await http('/parc'),
      await http('/parc', { headers: { cookie: 'mixite_session=inconnue' } }),
    ]) {
      expect(reponse.status).toBe(200);
      expect(reponse.headers.get('cache-control')).toBe('private, no-store');
      const html = await reponse.text();
      expect(html).toBe(SHELL);
    }
  });

  it('follows the year of the address, as the page does, and ignores one without data', async () => {
    expect(bloc(await (await as(c.epci as SessionHttp, '/parc?annee=2025')).text())).toContain('data-annee="2025"');
    expect(bloc(await (await as(c.epci as SessionHttp, '/parc?annee=1999')).text())).toContain('data-annee="2025"');
  });

  it('holds no landmark and no id that could meet the page’s while both are there', async () => {
    const cartes = bloc(await (await as(c.epci as SessionHttp, '/parc')).text()) as string;
    expect(cartes).not.toMatch(/<(main|nav|header|footer|aside|form)\b/);
    expect(cartes).not.toMatch(/\brole="(main|navigation|banner|contentinfo|region|complementary)"/);
    const ids = [...cartes.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1] as string);
    expect(new Set(ids).size).toBe(ids.length);
    // The block's own id, then the maps' title and summary ids under the server's own prefix (React writes it
    // « _parc-serveur-aR_0_ »; the page's own, drawn in the browser, are « _r_0_ »): none can meet the page's.
    expect(ids[0]).toBe('parc-serveur');
    expect(ids.slice(1)).toHaveLength(4);
    expect(ids.filter((id) => !/^_parc-serveur-[ab]R_/.test(id))).toEqual(['parc-serveur']);
  });

  it('answers other addresses with the shell as before', async () => {
    const r = await as(c.epci as SessionHttp, '/demande');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(await r.text()).toBe(SHELL);
  });
});
