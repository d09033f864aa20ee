import { fileURLToPath } from 'node:url';
import type { Parc, ResidencesParc, ResultatMenage } from '@mixite/contract';
import { parcSchema, residencesParcSchema, resultatMenageSchema } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { createAccounts, login, openProductionApp } from './helpers.ts';

/**
 * POST /api/menage, GET /api/parc and GET /api/parc/residences on the real server (production mode) over the
 * hand-built stock of packages/data/test/fixtures/parc/territoire (every figure by hand in packages/data/test/parc.test.ts):
 * the answers match the contract, and each account sees its perimeter only.
 * Stock: L1 (B1, Alpha, R1, ETAT), L2 (B1, Alpha, QPV, R2), L3 (B2, Beta, R3, AL), L4 (B2, Gamma, R4), L5 (B2, Delta), L6 (B2, Beta).
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/parc/territoire', import.meta.url));

describe('the stock over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2026, 0, 15) } });
    await createAccounts(t.store, [{ email: 'alpha@mixite.test', role: 'commune', perimetre: '91001' }], undefined, () => Date.UTC(2026, 0, 15));
    for (const who of ['b1', 'b2', 'al', 'epci', 'lecteur', 'alpha']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const parc = async (who: string): Promise<Parc> => {
    const r = await (c[who] as Client).request('/api/parc?annee=2025');
    expect(r.status, await r.clone().text()).toBe(200);
    return parcSchema.parse(await r.json()) as Parc;
  };
  const residences = async (who: string): Promise<ResidencesParc> => {
    const r = await (c[who] as Client).request('/api/parc/residences?annee=2025');
    expect(r.status, await r.clone().text()).toBe(200);
    return residencesParcSchema.parse(await r.json()) as ResidencesParc;
  };

  it('gives the EPCI the whole stock: affordable 1 / 2 / 2, the crossing, 4 leases of which 1 in it', async () => {
    const p = await parc('epci');
    expect(p.hypotheses).toEqual([0.25, 0.3, 0.35]);
    expect(p.total).toMatchObject({ logements: 6, abordables: [1, 2, 2], abordables_non_fragiles_hors_qpv: 1 });
    expect([p.baux, p.baux_croisement]).toEqual([4, 1]);
    expect(p.seuil_q1).toBe(12000);
    expect(p.bareme.debut).toBe('2025-10-01');
  });

  it('narrows the stock to the account: bailleur, commune, réservataire', async () => {
    expect((await parc('b1')).total.logements).toBe(2); // L1, L2
    expect((await parc('b2')).total.logements).toBe(4); // L3 to L6
    expect((await parc('alpha')).repartitions.commune.map((r) => r.cle)).toEqual(['91001']);
    expect((await parc('al')).total.logements).toBe(1); // L3, AL's contingent
    const r = await residences('b1');
    expect(r.residences.map((x) => x.residence_id)).toEqual(['R1', 'R2']);
    expect((await residences('al')).residences.map((x) => x.residence_id)).toEqual(['R3']);
  });

  it('lists the residences with their class and the leases into each class', async () => {
    const r = await residences('epci');
    expect(r.residences.map((x) => [x.residence_id, x.classe])).toEqual([
      ['R1', 'non_fragile'],
      ['R2', 'fragile'],
      ['R3', 'fragile'],
      ['R4', 'tres_fragile'],
      ['R5', 'inconnue'],
    ]);
    expect(r.attributions_par_classe.find((x) => x.classe === 'fragile')).toEqual({ classe: 'fragile', attributions: 2, attributions_q1: 2 });
  });

  it('closes the stock to the public reader, but not the calculator', async () => {
    expect((await (c.lecteur as Client).request('/api/parc?annee=2025')).status).toBe(403);
    expect((await (c.lecteur as Client).request('/api/parc/residences?annee=2025')).status).toBe(403);
    const r = await (c.lecteur as Client).request('/api/menage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personnes: 1, adultes: 1, moins_14_ans: 0, ressources_mensuelles: 1000, date: '2025-12-01', code_insee: '91001', loyer: 300, charges: 50 }),
    });
    expect(r.status, await r.clone().text()).toBe(200);
    const m = resultatMenageSchema.parse(await r.json()) as ResultatMenage;
    // as L1: 1 UC, 12 000 €/UC = the threshold (at or below: Q1) ; APL 102.42 ; effort 24.76 %
    expect(m).toMatchObject({ uc: 1, ressources_par_uc: 12000, quartile: 1 });
    expect(Math.abs((m.logement?.apl ?? 0) - 102.42)).toBeLessThan(0.05);
  });

  it('refuses a bad household or an unknown commune in French', async () => {
    const post = (body: unknown) =>
      (c.epci as Client).request('/api/menage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const incoherent = await post({ personnes: 2, adultes: 2, moins_14_ans: 1, ressources_mensuelles: 1000 });
    expect(incoherent.status).toBe(400);
    expect(((await incoherent.json()) as { message: string }).message).toMatch(/au plus 0/);
    expect((await post({ personnes: 1, adultes: 1, moins_14_ans: 0, ressources_mensuelles: 1000, code_insee: '99999' })).status).toBe(404);
    expect((await post({ personnes: 1, adultes: 3, moins_14_ans: 0, ressources_mensuelles: 1000 })).status).toBe(422);
  });
});
