import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { ACCOUNTS, MINI, jsonBody, login, openProductionApp, openTestApp, scalar } from './helpers.ts';

/**
 * The cotation routes (issue 6) over the hand-made territory of the engine's tests (data/test/fixtures/cotation):
 * the expected notes are those computed by hand in packages/data/test/cotation.test.ts, at 31/12/2024.
 */
const COTATION = resolve(MINI, '../cotation');
const DATE = '2024-12-31';

/** The grid of issue 6, as in the engine's tests. */
const GRILLE = readFileSync(resolve(COTATION, 'grille-issue-6.yaml'), 'utf8');

/** Line 5 gives a number of points that is not a number. */
const MALFORMEE = `nom: Cassée
version: 1
criteres:
  - { id: a, libelle: A, points: 3 }
  - { id: b, libelle: B, points: beaucoup }
`;

interface Probleme {
  fichier: string;
  ligne: number | null;
  colonne: number | null;
  chemin: string;
  message: string;
}

describe('cotation routes (demonstration mode, cotation fixture)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ dataset: COTATION });
  }, 60_000);
  afterAll(() => t?.close());

  it('serves the starting grid of the editor, which is valid', async () => {
    const grille = await t.json<{ fichier: string; contenu: string }>('/api/cotation/grille');
    expect(grille.fichier).toBe('equilibre-cia.yaml');
    expect(grille.contenu).toBe(readFileSync(resolve(MINI, '../../../../../grilles/equilibre-cia.yaml'), 'utf8'));
    const v = await t.json<{ ok: boolean; problemes: Probleme[] }>('/api/cotation/verifier', jsonBody('POST', { grille: grille.contenu, fichier: grille.fichier }));
    expect(v).toMatchObject({ ok: true, problemes: [] });
  });

  it('locates the problems of a malformed grid, and refuses to compute with it', async () => {
    const v = await t.json<{ ok: boolean; problemes: Probleme[] }>('/api/cotation/verifier', jsonBody('POST', { grille: MALFORMEE, fichier: 'cassee.yaml' }));
    expect(v.ok).toBe(false);
    expect(v.problemes).toHaveLength(1);
    expect(v.problemes[0]).toMatchObject({ fichier: 'cassee.yaml', ligne: 5 });
    expect(v.problemes[0]?.chemin).toContain('points');
    const refus = await t.request('/api/cotation/distribution', jsonBody('POST', { grille: MALFORMEE, fichier: 'cassee.yaml' }));
    expect(refus.status).toBe(422);
    const body = (await refus.json()) as { erreur: string; details: Probleme[] };
    expect(body.erreur).toBe('donnees_invalides');
    expect(body.details).toEqual(v.problemes);
    // A body without a grid is refused by the schema.
    expect((await t.request('/api/cotation/verifier', jsonBody('POST', { fichier: 'x' }))).status).toBe(422);
  });

  it('gives the distribution of the notes (two requests at 24: C02 and C03)', async () => {
    const d = await t.json<{ date: string; classes: { portee: string; note: number; demandes: number }[]; resume: { demandes: number }[] }>(
      '/api/cotation/distribution',
      jsonBody('POST', { grille: GRILLE, date: DATE }),
    );
    expect(d.date).toBe(DATE);
    expect(d.classes.find((k) => k.note === 24)).toEqual({ portee: 'toutes', note: 24, demandes: 2, secret: null });
    expect(d.resume[0]?.demandes).toBe(12);
    expect((await t.request('/api/cotation/distribution', jsonBody('POST', { grille: GRILLE, date: '2024-02-30' }))).status).toBe(400);
  });

  it('explains the note of one request, and writes the consultation to the audit log', async () => {
    const avant = await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'consultation_menages'`);
    const e = await t.json<{ nur: string; note: number; criteres: string[]; lignes: { id: string; points: number }[] }>(
      '/api/cotation/demande',
      jsonBody('POST', { grille: GRILLE, nur: 'C01', date: DATE }),
    );
    // C01: expulsion 20 + single parent 5 + hosted 8 + 11 months (15/01 → 31/12) = 44.
    expect(e).toMatchObject({ nur: 'C01', note: 44, criteres: ['expulsion', 'monoparentale', 'heberge_tiers', 'anciennete'] });
    expect(e.lignes.map((l) => [l.id, l.points])).toEqual([
      ['expulsion', 20],
      ['monoparentale', 5],
      ['heberge_tiers', 8],
      ['anciennete', 11],
    ]);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'consultation_menages'`)).toBe(avant + 1);
    // C07 is not active at the date.
    expect((await t.request('/api/cotation/demande', jsonBody('POST', { grille: GRILLE, nur: 'C07', date: DATE }))).status).toBe(404);
  });

  it('compares the impact of two grids', async () => {
    const c = await t.json<{ a: { grille: { nom: string } }; b: { grille: { nom: string } }; ecarts: { ecart: number | null }[] }>(
      '/api/cotation/impact',
      jsonBody('POST', { grille_a: GRILLE, grille_b: GRILLE.replace('nom: Grille intercommunale', 'nom: Variante'), date: DATE }),
    );
    expect([c.a.grille.nom, c.b.grille.nom]).toEqual(['Grille intercommunale', 'Variante']);
    // The same criteria: no difference anywhere.
    expect(c.ecarts.every((e) => e.ecart === null || e.ecart === 0)).toBe(true);
  });
});

describe('cotation of one request: household-level, scoped (production mode, mini territory)', () => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  beforeAll(async () => {
    t = await openProductionApp();
    for (const a of ACCOUNTS) clients.set(a.email, await login(t.mixite.app, a.email));
  }, 120_000);
  afterAll(() => t?.close());

  it('answers the territory roles, the bailleur of the tenant and the wished commune only', async () => {
    // 0912023000002: active, a mutation of a tenant of B1, wishing Corbeil (91174) only.
    const grille = 'nom: T\nversion: 1\ncriteres:\n  - { id: mutation, libelle: Mutation, points: 3, si: { mutation: true } }\n';
    const statuts: Record<string, number> = {};
    for (const a of ACCOUNTS) {
      const response = await (clients.get(a.email) as Client).request('/api/cotation/demande', jsonBody('POST', { grille, nur: '0912023000002' }));
      statuts[a.email] = response.status;
      if (response.status === 200) {
        const e = (await response.json()) as { nur: string; note: number };
        expect(e.note).toBe(3);
        if (a.role === 'commune') expect(e.nur).toMatch(/^PS-[0-9a-f]{20}$/);
        else expect(e.nur).toBe('0912023000002');
      }
    }
    expect(statuts).toEqual({
      'admin@mixite.test': 200,
      'epci@mixite.test': 200,
      'etat@mixite.test': 200,
      'b1@mixite.test': 200,
      'b2@mixite.test': 404,
      'al@mixite.test': 404,
      'prefet@mixite.test': 404,
      'evry@mixite.test': 404,
      'corbeil@mixite.test': 200,
      'lecteur@mixite.test': 403,
    });
  });

  it('refuses an identifier in a grid sent by any account, located and named (issue 10)', async () => {
    const grille = 'nom: T\nversion: 1\ncriteres:\n  - { id: cible, libelle: Cible, points: 3, si: { nur: "0912023000002" } }\n';
    for (const email of ['admin@mixite.test', 'lecteur@mixite.test']) {
      const client = clients.get(email) as Client;
      const v = (await (await client.request('/api/cotation/verifier', jsonBody('POST', { grille, fichier: 't.yaml' }))).json()) as { ok: boolean; problemes: Probleme[] };
      expect(v.ok).toBe(false);
      expect(v.problemes).toHaveLength(1);
      expect(v.problemes[0]).toMatchObject({ fichier: 't.yaml', ligne: 4, chemin: 'criteres[0].si.nur' });
      expect(v.problemes[0]?.message).toMatch(/critère « cible ».*« nur »/);
      expect((await client.request('/api/cotation/distribution', jsonBody('POST', { grille }))).status).toBe(422);
    }
  });

  it('computes a partner’s aggregates over its perimeter only, and the public role’s over the published grids only', async () => {
    const grille = 'nom: T\nversion: 1\ncriteres:\n  - { id: mutation, libelle: Mutation, points: 3, si: { mutation: true } }\n';
    const distribution = async (email: string, body: object) => (clients.get(email) as Client).request('/api/cotation/distribution', jsonBody('POST', body));
    const total = async (email: string) =>
      ((await (await distribution(email, { grille, date: '2024-12-31' })).json()) as { resume: { demandes: number }[] }).resume.reduce((s, r) => s + r.demandes, 0);
    const actives = `date_depot <= DATE '2024-12-31' AND (date_radiation IS NULL OR date_radiation > DATE '2024-12-31')`;
    expect(await total('admin@mixite.test')).toBe(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM demandes WHERE ${actives}`));
    expect(await total('b1@mixite.test')).toBe(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM demandes WHERE ${actives} AND bailleur_actuel_id = 'B1'`));
    expect(await total('b2@mixite.test')).toBe(0);
    expect(await total('al@mixite.test')).toBe(0);
    // The public role: a grid of its own is refused; the published grid at a 31 December is computed, masked.
    const refus = await distribution('lecteur@mixite.test', { grille });
    expect([refus.status, ((await refus.json()) as { erreur: string }).erreur]).toEqual([403, 'grille_non_publiee']);
    const publiee = readFileSync(resolve(MINI, '../../../../../grilles/rhone.yaml'), 'utf8');
    expect((await distribution('lecteur@mixite.test', { grille: publiee, date: '2024-06-30' })).status).toBe(400);
    const d = (await (await distribution('lecteur@mixite.test', { grille: publiee, date: '2024-12-31' })).json()) as {
      secret_statistique: number;
      classes: { demandes: number | null }[];
      resume: { demandes: number | null }[];
    };
    expect(d.secret_statistique).toBe(11);
    // A handful of requests: every count is below the threshold.
    expect([...d.classes, ...d.resume].every((k) => k.demandes === null)).toBe(true);
  });
});
