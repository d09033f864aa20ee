import { fileURLToPath } from 'node:url';
import type { Configuration, Contours, Parc } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * GET /api/parc, /api/parc/residences and /api/contours keep their answer until the next write (issue 14, the map
 * page under a second): what is kept must never outlive a change of the settings, nor pass from one perimeter to
 * another. Over the hand-built stock of packages/data/test/fixtures/parc/territoire (figures by hand in
 * packages/data/test/parc.test.ts and packages/server/test/parc.test.ts: 6 dwellings, B1 holds L1 and L2, B2 L3 to L6).
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/parc/territoire', import.meta.url));

describe('the stock’s answers kept between requests', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2026, 0, 15) } });
    for (const who of ['b1', 'b2', 'epci']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const parc = async (who: string): Promise<Parc> => {
    const r = await (c[who] as Client).request('/api/parc?annee=2025');
    expect(r.status, await r.clone().text()).toBe(200);
    return (await r.json()) as Parc;
  };

  it('gives each perimeter its own answer, asked again in any order', async () => {
    // The same year asked by the territory, then two bailleurs, then again: 6, 2 (L1, L2), 4 (L3 to L6) each time.
    for (let tour = 0; tour < 2; tour++) {
      expect((await parc('epci')).total.logements).toBe(6);
      expect((await parc('b1')).total.logements).toBe(2);
      expect((await parc('b2')).total.logements).toBe(4);
    }
    const residences = async (who: string) => ((await (await (c[who] as Client).request('/api/parc/residences?annee=2025')).json()) as { residences: { residence_id: string }[] }).residences;
    expect((await residences('epci')).map((r) => r.residence_id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
    expect((await residences('b1')).map((r) => r.residence_id)).toEqual(['R1', 'R2']);
    expect((await residences('epci')).map((r) => r.residence_id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
  });

  it('computes again after a change of the settings', async () => {
    expect((await parc('epci')).hypotheses).toEqual([0.25, 0.3, 0.35]);
    const epci = c.epci as Client;
    const config = (await (await epci.request('/api/configuration')).json()) as Configuration;
    const r = await epci.request('/api/configuration', jsonBody('PUT', { contenu: { ...config.contenu, parc: { ...config.contenu.parc, taux_effort: [0.2, 0.3, 0.4] } } }));
    expect(r.status, await r.clone().text()).toBe(200);
    const apres = await parc('epci');
    expect(apres.hypotheses).toEqual([0.2, 0.3, 0.4]);
    // The central hypothesis (30 %) is unchanged: 2 dwellings affordable under it, as before (parc.test.ts).
    expect(apres.total.abordables[1]).toBe(2);
  });

  it('keeps the contours, the same for every account', async () => {
    const a = (await (await (c.b1 as Client).request('/api/contours')).json()) as Contours;
    const b = (await (await (c.epci as Client).request('/api/contours')).json()) as Contours;
    expect(b).toEqual(a);
  });
});
