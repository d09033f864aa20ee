import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precalculerLesAnnees } from '@mixite/data';
import type { Configuration, LigneIndicateur } from '../src/contract.ts';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * The public (`lecteur`) reads of published indicator rows use the public edition the warm start keeps (issue 18,
 * data/src/indicators/publication-conservee.ts) while it is of the store and settings as they are now — proved by a
 * kept row tampered with in SQL — and never after a settings change, when the server runs the pass and keeps its
 * rows in turn. The other roles read the engine's figures, never these rows. Real app, real store, real import.
 */
const TERRITOIRE = fileURLToPath(new URL('../../reports/test/fixtures/territoire', import.meta.url));
const MARQUEUR = 999;

const ligne = async (client: Client) => {
  const response = await client.request('/api/indicateurs?annee=2024&perimetre_type=territoire');
  expect(response.status).toBe(200);
  const { lignes } = (await response.json()) as { lignes: LigneIndicateur[] };
  return lignes.find((l) => l.indicateur === 'hors_qpv_q1' && l.periode === '2024');
};

const gardees = async (t: TestApp) => t.store.all<{ empreinte: string }>(`SELECT empreinte FROM publication_conservee`);

describe('lecture publique : l’édition publique gardée', () => {
  let t: TestApp;
  let lecteur: Client;
  let admin: Client;
  beforeAll(async () => {
    t = await openProductionApp({ dataset: TERRITOIRE });
    // What `mixite import` does after loading, before any request: the figures and the public edition kept.
    await precalculerLesAnnees(t.store);
    await t.store.run(
      `UPDATE publication_conservee_lignes SET numerateur = ${MARQUEUR} WHERE annee = 2024 AND indicateur = 'hors_qpv_q1' AND perimetre_type = 'territoire' AND periode = '2024'`,
    );
    lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
    admin = await login(t.mixite.app, 'admin@mixite.test');
  }, 180_000);
  afterAll(() => t?.close());

  it('serves the kept rows to the public, and the engine’s figures to the other roles', async () => {
    expect((await ligne(lecteur))?.numerateur).toBe(MARQUEUR);
    // README of the fixture, by hand: (ETAT 4 + non réservé B2 1 + CA 3) / 24 leases out of QPV in 2024.
    expect(await ligne(admin)).toMatchObject({ numerateur: 8, denominateur: 24 });
  }, 120_000);

  it('never serves them after a settings change: the pass runs, and its rows are kept under the new fingerprint', async () => {
    const [avant] = await gardees(t);
    const config = (await (await admin.request('/api/configuration')).json()) as Configuration;
    const put = await admin.request('/api/configuration', jsonBody('PUT', { contenu: { ...config.contenu, cibles: { ...config.contenu.cibles, hors_qpv_q1: 0.37 } } }));
    expect(put.status).toBe(200);
    const apres = await ligne(lecteur);
    expect(apres).toMatchObject({ numerateur: 8, denominateur: 24, cible: 0.37 });
    // The pass of the public read kept its rows (a cache write after the answer: wait for the warm-up as well).
    await t.mixite.deps.indicateurs.warmUp();
    const maintenant = await gardees(t);
    expect(maintenant).toHaveLength(1);
    expect(maintenant[0]?.empreinte).not.toBe(avant?.empreinte);
  }, 180_000);
});
