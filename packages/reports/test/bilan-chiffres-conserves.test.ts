import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, importDataset, precalculerLesAnnees } from '@mixite/data';
import { construireBilan } from '../src/contenu/construire.ts';
import type { BilanDonnees } from '../src/donnees/collecte.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The bilan reads the figures the warm start keeps in the store (issue 18) when they are those of the store now, and
 * builds from them exactly the document and the masked tables it builds from the engine's figures (the three files
 * are written from those two); figures kept under an older state of the data are never read.
 * Real store file, real import, real engine; the kept rows are tampered with in SQL to see which path was read.
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/territoire', import.meta.url));
const DATE = new Date('2025-03-01T00:00:00Z');

/** hors_qpv_q1, territoire, calendar year 2023 of the fixture (README): 3 Q1 households out of 12 leases out of QPV. */
const HORS_QPV_Q1_2023 = { numerateur: 3, denominateur: 12 };

async function ligne2023(store: Store, lues?: BilanDonnees) {
  const donnees = lues ?? (await collecterDonnees(store, 2024, 2, () => undefined));
  const r = donnees.parAnnee.get(2023)?.resultats.indicateurs.find((l) => l.indicateur === 'hors_qpv_q1' && l.perimetre_type === 'territoire' && l.periode === '2023');
  return { numerateur: r?.numerateur, denominateur: r?.denominateur };
}

describe('bilan : chiffres gardés par le démarrage à chaud', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-conserve-'));
    store = await Store.open(join(dir, 'mixite.duckdb'));
    await importDataset(store, [FIXTURE]);
  }, 60_000);

  afterAll(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the same bilan from the kept figures as from the engine, and reads them when they are current', async () => {
    const [avant] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM resultats_indicateurs`);
    expect(avant?.n).toBe(0); // nothing kept yet: the engine's figures
    const moteur = await collecterDonnees(store, 2024, 3, () => undefined);

    expect(await precalculerLesAnnees(store)).toEqual([2024, 2023]);
    const conserves = await collecterDonnees(store, 2024, 3, () => undefined);
    // What the three files are written from: the document (Word and PDF) and the masked rows (the workbook).
    expect(construireBilan(conserves, DATE)).toEqual(construireBilan(moteur, DATE));
    expect([...conserves.parAnnee.values()]).toEqual([...moteur.parAnnee.values()]);
    expect(conserves.annees).toEqual([2023, 2024]);

    // Which path was read: a kept row changed in place (its fingerprint unchanged) is what the bilan reads.
    expect(await ligne2023(store, conserves)).toEqual(HORS_QPV_Q1_2023);
    await store.run(
      `UPDATE resultats_indicateurs_lignes SET numerateur = 11 WHERE annee = 2023 AND indicateur = 'hors_qpv_q1' AND perimetre_type = 'territoire' AND periode = '2023'`,
    );
    expect(await ligne2023(store)).toEqual({ numerateur: 11, denominateur: 12 });
  }, 120_000);

  it('never reads figures kept under an older state of the data: a new import makes them stale', async () => {
    // The same files imported again: the data version moves on, the kept (tampered) figures no longer apply.
    await importDataset(store, [FIXTURE]);
    expect(await ligne2023(store)).toEqual(HORS_QPV_Q1_2023);
  }, 120_000);
});
