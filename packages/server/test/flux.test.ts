import { fileURLToPath } from 'node:url';
import type { Flux } from '@mixite/contract';
import { fluxSchema } from '@mixite/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { createAccounts, login, openProductionApp } from './helpers.ts';

/**
 * GET /api/flux and GET /api/flux/bilan on the real server (production mode) over the hand-built flux territory of
 * packages/data/test/fixtures/flux/territoire (figures by hand in packages/data/src/flux/flux.test.ts): who sees what.
 * B1 in 2024: réalisé 4; ETAT part 0.25, 2 orientations, balance 1.25; AL part 0.3, 1 orientation, balance −1.1;
 * COM part 0.1, 0 orientation, balance 0.3; own share 0.35. B2: AL part 0.5, nothing let in 2024.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/flux/territoire', import.meta.url));

describe('gestion en flux over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2025, 5, 1) } });
    await createAccounts(t.store, [{ email: 'alpha@mixite.test', role: 'commune', perimetre: '91001' }], undefined, () => Date.UTC(2025, 5, 1));
    for (const who of ['b1', 'b2', 'al', 'prefet', 'epci', 'lecteur', 'alpha']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const flux = async (who: string, query = ''): Promise<Flux> => {
    const r = await (c[who] as Client).request(`/api/flux?annee=2024${query}`);
    expect(r.status, await r.clone().text()).toBe(200);
    return fluxSchema.parse(await r.json()) as Flux;
  };

  it('gives the EPCI every bailleur, with the balances by hand', async () => {
    const f = await flux('epci');
    expect(f.bailleurs.map((b) => b.bailleur_id)).toEqual(['B1', 'B2']);
    const b1 = f.bailleurs[0];
    expect([b1?.realise, b1?.baux, b1?.prevision]).toEqual([4, 6, 3.5]);
    expect(b1?.droits.map((l) => [l.reservataire_id, l.orientations, Math.round(l.solde * 100) / 100])).toEqual([
      ['AL', 1, -1.1],
      ['COM', 0, 0.3],
      ['ETAT', 2, 1.25],
      ['non_reserve:B1', 1, -0.45],
    ]);
    // A past year: the whole year elapsed; AL is owed 1.1 dwellings.
    expect(f.fraction_annee).toBe(1);
    expect(b1?.alertes.map((a) => a.message)).toContain('Action Logement : le bailleur lui doit 1,1 logement(s) (solde reporté compris)');
  });

  it('gives a bailleur its own flux only, and refuses another bailleur', async () => {
    const f = await flux('b1');
    expect(f.bailleurs.map((b) => b.bailleur_id)).toEqual(['B1']);
    expect(f.bailleurs_disponibles).toEqual([{ id: 'B1', nom: 'Office Un' }]);
    expect((await (c.b1 as Client).request('/api/flux?annee=2024&bailleur=B2')).status).toBe(403);
    expect((await (c.b1 as Client).request('/api/flux/bilan?annee=2024&bailleur=B2')).status).toBe(403);
  });

  it('gives a réservataire its own lines at every bailleur', async () => {
    const f = await flux('al');
    expect(f.bailleurs.map((b) => [b.bailleur_id, b.droits.map((l) => l.reservataire_id)])).toEqual([
      ['B1', ['AL']],
      ['B2', ['AL']],
    ]);
    expect(f.bailleurs[0]?.par_dimension.every((d) => d.reservataire_id === 'AL')).toBe(true);
    // The préfet's account (réservataire ETAT) sees its balance at B1, nothing of AL's.
    const etat = await flux('prefet');
    expect(etat.bailleurs.flatMap((b) => b.droits.map((l) => l.reservataire_id))).toEqual(['ETAT']);
  });

  it('gives a commune the lines of its communal réservataire', async () => {
    const f = await flux('alpha');
    expect(f.bailleurs.flatMap((b) => b.droits.map((l) => [b.bailleur_id, l.reservataire_id]))).toEqual([['B1', 'COM']]);
  });

  it('closes the flux to the public reader', async () => {
    expect((await (c.lecteur as Client).request('/api/flux?annee=2024')).status).toBe(403);
    expect((await (c.lecteur as Client).request('/api/flux/bilan?annee=2024&bailleur=B1')).status).toBe(403);
  });

  it('serves the R441-5-1 bilan: the bailleur its whole bilan, a réservataire its lines', async () => {
    const csv = await (await (c.b1 as Client).request('/api/flux/bilan?annee=2024&bailleur=B1')).text();
    expect(csv.split('\n')).toHaveLength(36); // header + 34 rows of B1 + final newline
    const al = await (await (c.al as Client).request('/api/flux/bilan?annee=2024&bailleur=B1')).text();
    expect(al.trim().split('\n').slice(1).every((l) => l.startsWith('B1;AL;'))).toBe(true);
    const r = await (c.b1 as Client).request('/api/flux/bilan?annee=2024&bailleur=B1&format=xlsx');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="bilan-flux-2024-B1.xlsx"');
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.load(await r.arrayBuffer());
    expect(classeur.worksheets.map((w) => w.name)).toEqual(['Sommaire', 'AL', 'COM', 'ETAT', 'Non réservé']);
    expect((await (c.b1 as Client).request('/api/flux/bilan?annee=2024&bailleur=ZZ')).status).toBe(403);
    expect((await (c.epci as Client).request('/api/flux/bilan?annee=2024&bailleur=ZZ')).status).toBe(404);
  });
});
