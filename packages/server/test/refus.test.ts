import { fileURLToPath } from 'node:url';
import { observatoireRefusSchema } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp } from './helpers.ts';

/**
 * GET /api/refus on the real server (production mode) over the hand-built territory of
 * packages/data/test/fixtures/refus/territoire (every figure counted by hand in packages/data/src/refus/refus.test.ts):
 * the answer matches the contract; every partner reads the same territory aggregates (as for the indicators); the
 * public reader is refused; a bad year is a French 400.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/refus/territoire', import.meta.url));

describe('the refusal observatory over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2026, 0, 15) } });
    for (const who of ['epci', 'etat', 'b1', 'b2', 'al', 'evry', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  it('gives every partner the territory aggregates: 4 refusals of 10 proposals in 2024, 2 of 4 mutation requests satisfied', async () => {
    for (const who of ['epci', 'etat', 'b1', 'b2', 'al', 'evry']) {
      const r = await (c[who] as Client).request('/api/refus?annee=2024');
      expect(r.status, `${who} : ${await r.clone().text()}`).toBe(200);
      const o = observatoireRefusSchema.parse(await r.json());
      expect([who, o.ensemble.propositions, o.ensemble.refus, o.mutations.mutation.satisfaites, o.mutations.mutation.demandes]).toEqual([who, 10, 4, 2, 4]);
    }
  });

  it('refuses the public reader and a year out of range', async () => {
    const l = await (c['lecteur'] as Client).request('/api/refus?annee=2024');
    expect(l.status).toBe(403);
    const r = await (c['epci'] as Client).request('/api/refus?annee=1990');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/2001|nombre|supérieur|grand/i);
  });
});
