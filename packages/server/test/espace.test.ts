import { espaceSchema, sourceDonneesSchema } from '@mixite/contract';
import type { Espace } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp } from './helpers.ts';

/**
 * « Mon espace » (GET /api/espace) on the mini territory (packages/data/test/fixtures/mini), in production mode with
 * one account per role. Expected values by hand:
 * - A1: bailleur B1 (Essonne Habitat), contingent ETAT, in a QPV, proposal 2024-02-20, household prioritaire and Q1;
 * - A2: bailleur B2, contingent AL (Action Logement), hors QPV, proposal 2024-05-02, lease 2024-05-20, relocated (NPNRU),
 *   not prioritaire, not Q1; A3 never proposed (counted nowhere). cia.yaml: qpv_hors_q1 at 81 %.
 * So for B1: qpv_hors_q1 0 of 1 (A1 is Q1) for 81 %: ⌈0,81 × 1⌉ − 0 = 1 household missing, ranked 1 of 1 (B2 has no
 * proposal in QPV); prioritaires by bailleur 1 of 1 = 100 % (no target per bailleur: nothing missing), B2 0 of 1 = 0 %:
 * B1 ranks 1 of 2. For AL: prioritaires 0 of 1 for 25 %: ⌈0,25 × 1⌉ − 0 = 1 missing; for ETAT 1 of 1 for 100 %: met, 0.
 */
describe('GET /api/espace', () => {
  let t: TestApp;
  const comptes: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp();
    for (const email of ['b1', 'b2', 'al', 'prefet', 'evry', 'epci', 'etat', 'admin', 'lecteur']) comptes[email] = await login(t.mixite.app, `${email}@mixite.test`);
  });
  afterAll(() => t.close());

  const get = async (who: string, path: string) => (comptes[who] as Client).request(path);
  const espace = async (who: string, query = ''): Promise<Espace> => {
    const response = await get(who, `/api/espace${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    // The answer is exactly what the contract declares (strict schemas: an undeclared field fails).
    return espaceSchema.parse(await response.json()) as Espace;
  };
  const objectif = (e: Espace, perimetre: string, indicateur: string) =>
    e.perimetres.find((p) => p.perimetre_id === perimetre)?.objectifs.find((o) => o.indicateur === indicateur);

  it('gives a bailleur its own page: its stock and its non-reserved contingent, households missing, rank among the bailleurs', async () => {
    const e = await espace('b1');
    expect(e.partenaire).toEqual({ type: 'bailleur', id: 'B1', libelle: 'Essonne Habitat' });
    expect(e.annee).toBe(2024);
    expect(e.perimetres.map((p) => [p.perimetre_type, p.perimetre_id, p.perimetre_libelle])).toEqual([
      ['bailleur', 'B1', 'Essonne Habitat'],
      ['contingent', 'non_reserve:B1', 'Non réservé — Essonne Habitat'],
    ]);
    const qpv = objectif(e, 'B1', 'qpv_hors_q1');
    expect(qpv?.lignes.find((l) => l.periode === '2024')).toMatchObject({ numerateur: 0, denominateur: 1, cible: 0.81, atteint: false });
    expect(qpv?.manquants).toBe(1);
    expect(qpv?.rang).toEqual({ position: 1, sur: 1 });
    const prioritaires = objectif(e, 'B1', 'prioritaires');
    expect(prioritaires?.manquants).toBeNull();
    expect(prioritaires?.rang).toEqual({ position: 1, sur: 2 });
    // The trend: one annual row per year of data.
    expect(qpv?.tendance.map((l) => l.periode)).toEqual(['2024']);
    // A1 was proposed in February: the last semester with data is the first (nothing after June 2024 but A2 in May).
    expect([e.semestre, e.glissant]).toEqual(['2024-S1', '12m-2024-06-30']);
  });

  it('gives a réservataire its contingent, ranked among the contingents of its type', async () => {
    const al = await espace('al');
    expect(al.partenaire).toEqual({ type: 'contingent', id: 'AL', libelle: 'Action Logement Services' });
    expect(objectif(al, 'AL', 'prioritaires')).toMatchObject({ manquants: 1, rang: { position: 1, sur: 1 } });
    const etat = await espace('prefet');
    expect(objectif(etat, 'ETAT', 'prioritaires')).toMatchObject({ manquants: 0, rang: { position: 1, sur: 1 } });
  });

  it('gives a commune its own', async () => {
    expect((await espace('evry')).partenaire).toEqual({ type: 'commune', id: '91228', libelle: expect.any(String) });
  });

  it('lets a partner name itself, refuses another partner (403) and half a choice (400)', async () => {
    expect((await espace('b1', '?perimetre_type=bailleur&perimetre_id=B1')).partenaire?.id).toBe('B1');
    expect((await get('b1', '/api/espace?perimetre_type=bailleur&perimetre_id=B2')).status).toBe(403);
    expect((await get('b1', '/api/espace?perimetre_type=contingent&perimetre_id=AL')).status).toBe(403);
    expect((await get('al', '/api/espace?perimetre_type=contingent&perimetre_id=ETAT')).status).toBe(403);
    expect((await get('evry', '/api/espace?perimetre_type=commune&perimetre_id=91174')).status).toBe(403);
    expect((await get('b1', '/api/espace?perimetre_type=bailleur')).status).toBe(400);
  });

  it('refuses the public role (lecteur): the page is a partner’s', async () => {
    const response = await get('lecteur', '/api/espace');
    expect(response.status).toBe(403);
    expect(((await response.json()) as { erreur: string }).erreur).toBeTruthy();
  });

  it('lets the EPCI, the State and the administrator pick any partner and see the same page as the partner', async () => {
    const propre = await espace('b1');
    for (const who of ['epci', 'etat', 'admin']) expect(await espace(who, '?perimetre_type=bailleur&perimetre_id=B1')).toEqual(propre);
    expect(await espace('epci', '?perimetre_type=contingent&perimetre_id=AL')).toEqual(await espace('al'));
    // Without a choice, no partner yet (the page shows the picker), but the year and periods of the data.
    expect(await espace('epci')).toMatchObject({ annee: 2024, annees: [2024], partenaire: null, perimetres: [] });
    expect((await get('epci', '/api/espace?perimetre_type=bailleur&perimetre_id=ZZ')).status).toBe(404);
    expect((await get('epci', '/api/espace?perimetre_type=qpv&perimetre_id=QP091001')).status).toBe(400);
    expect((await get('epci', '/api/espace?perimetre_type=bailleur&perimetre_id=B1&annee=2019')).status).toBe(404);
  });

  it('is refused without a session', async () => {
    expect((await t.mixite.app.request('/api/espace')).status).toBe(401);
  });
});

describe('GET /api/donnees/source', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openProductionApp();
  });
  afterAll(() => t.close());

  it('says when the data was imported and from which files, to every role', async () => {
    const lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
    const response = await lecteur.request('/api/donnees/source');
    expect(response.status).toBe(200);
    const source = sourceDonneesSchema.parse(await response.json());
    expect(source.date_import).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    // The mini territory's files as the importer read them (its settings file cia.yaml aside).
    expect(source.fichiers.filter((f) => f !== 'cia.yaml').sort()).toEqual([
      'attributions.csv',
      'bailleurs.csv',
      'communes.csv',
      'demandes.csv',
      'logements.csv',
      'occupation.csv',
      'qpv.csv',
      'reservataires.csv',
      'residences.csv',
      'seuils.csv',
    ]);
    expect(source.annee_max).toBe(2024);
  });
});
