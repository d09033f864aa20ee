import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorResults } from '@mixite/core';
import { Store, calculerIndicateurs, configurationCourante, importDataset, precalculerLesAnnees, publierLesAnnees } from '@mixite/data';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The bilan reads the public edition's masked rows the warm start keeps (issue 18, publication-conservee.ts) instead
 * of running the secrecy pass, when they are of the store and settings as they are now; otherwise it runs the pass as
 * before. Real store file, real import, real engine; a kept row is tampered with in SQL to see which path was read.
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/territoire', import.meta.url));

/** The fixture's years with CALEOL decisions (README): 2023 and 2024, masked together. */
const ANNEES = [2023, 2024];

const publies2024 = async (store: Store, edition: 'public' | 'partenaires' = 'public') =>
  (await collecterDonnees(store, 2024, 2, () => undefined, edition)).parAnnee.get(2024)?.publies ?? [];

/** The pass run afresh on the engine's figures of both years (the reference). */
async function passeFraiche(store: Store) {
  const config = await configurationCourante(store);
  const resultats: IndicatorResults[] = [];
  for (const annee of ANNEES) resultats.push(await calculerIndicateurs(store, { annee, config }));
  return publierLesAnnees(resultats, 'public');
}

/** The territory's row of hors_qpv_q1 over the calendar year 2024, as the bilan publishes it. */
const ligneTerritoire = (rows: Awaited<ReturnType<typeof publies2024>>) =>
  rows.find((r) => r.indicateur === 'hors_qpv_q1' && r.perimetre_type === 'territoire' && r.periode === '2024');

const TRAFIQUEE = `UPDATE publication_conservee_lignes SET numerateur = 999 WHERE annee = 2024 AND indicateur = 'hors_qpv_q1' AND perimetre_type = 'territoire' AND periode = '2024'`;

describe('bilan : édition publique gardée par le démarrage à chaud', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-secret-conserve-'));
    store = await Store.open(join(dir, 'mixite.duckdb'));
    await importDataset(store, [FIXTURE]);
  }, 60_000);

  afterAll(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the same rows from the kept edition as from the pass, and reads the kept rows when they are current', async () => {
    const passe = await publies2024(store); // nothing kept yet: the pass
    expect(passe).toEqual((await passeFraiche(store)).get(2024));
    expect(await precalculerLesAnnees(store)).toEqual([2024, 2023]);
    const [marque] = await store.all<{ annees: string }>(`SELECT annees FROM publication_conservee`);
    expect(marque?.annees).toBe('2023,2024');
    expect(await publies2024(store)).toEqual(passe);

    // Which path was read: a kept row changed in place (its fingerprint unchanged) is what the bilan publishes.
    // README of the fixture, by hand: (ETAT 4 + non réservé B2 1 + CA 3) / 24 leases out of QPV, published.
    expect(ligneTerritoire(passe)).toMatchObject({ numerateur: 8, denominateur: 24, secret: null });
    await store.run(TRAFIQUEE);
    expect(ligneTerritoire(await publies2024(store))?.numerateur).toBe(999);
    // The partners' edition masks nothing and never reads the public edition's rows.
    expect(ligneTerritoire(await publies2024(store, 'partenaires'))?.numerateur).not.toBe(999);
  }, 120_000);

  it('never reads rows kept under other settings (the threshold)', async () => {
    await precalculerLesAnnees(store);
    await store.run(TRAFIQUEE);
    expect(ligneTerritoire(await publies2024(store))?.numerateur).toBe(999);
    // A settings change (the threshold from 3 to 4): the kept rows no longer apply, the pass runs with the new one.
    const config = await configurationCourante(store);
    await store.run(`INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), 'test', 'test', $1::JSON FROM configuration`, [
      JSON.stringify({ ...config, secret_statistique: 4 }),
    ]);
    const apresParametres = await publies2024(store);
    expect(ligneTerritoire(apresParametres)?.numerateur).not.toBe(999);
    expect(apresParametres).toEqual((await passeFraiche(store)).get(2024));
  }, 120_000);

  it('never reads rows kept under an older state of the data: a new import', async () => {
    // Kept again under the new settings, tampered, then the same files imported again: the data version moves on.
    await precalculerLesAnnees(store);
    await store.run(TRAFIQUEE);
    expect(ligneTerritoire(await publies2024(store))?.numerateur).toBe(999);
    await importDataset(store, [FIXTURE]);
    expect(ligneTerritoire(await publies2024(store))?.numerateur).not.toBe(999);
  }, 120_000);
});
