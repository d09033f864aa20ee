import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import { importerAvecPreset } from '../src/presets/index.ts';

/**
 * The arrêté annex preset and the shipped thresholds (seuils/arretes-publies.csv), into a real store. The annex sample
 * (fixtures/presets/arrete-annexe.csv) has invented amounts; the shipped 2026 Île-de-France line is REAL-FORMATS.md's.
 */
const F = (nom: string) => fileURLToPath(new URL(`./fixtures/presets/${nom}`, import.meta.url));
const PUBLIES = fileURLToPath(new URL('../../../seuils/arretes-publies.csv', import.meta.url));

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  // Communes of EPCI 200059228 (Essonne, 91) and of the test EPCI 200071892 (Aisne, 02).
  await importDataset(store, [F('territoire')]);
});
afterEach(() => store.close());

const seuils = () =>
  store.all<Record<string, unknown>>(
    `SELECT annee, code_epci, seuil_q1::DOUBLE AS q1, seuil_q2::DOUBLE AS q2, seuil_q3::DOUBLE AS q3, source FROM seuils ORDER BY annee, code_epci NULLS FIRST`,
  );

describe('thresholds presets', () => {
  it('loads the shipped thresholds of the territory’s départements, then an arrêté annex for another year, keeping both', async () => {
    await importerAvecPreset(store, [PUBLIES], { preset: 'auto' });
    const idf = {
      annee: 2026,
      code_epci: null,
      q1: 12083,
      q2: 17796,
      q3: 23556,
      source: expect.stringMatching(/^Arrêté annuel fixant le seuil de ressources .* année 2026 : une valeur pour toute l’Île-de-France/) as unknown,
    };
    // The one shipped line: Île-de-France, whose départements hold 91 (the territory's 02 has none).
    expect(await seuils()).toEqual([idf]);

    const rapport = await importerAvecPreset(store, [F('arrete-annexe.csv')], { preset: 'auto', annee: 2025 });
    expect(rapport.statut).toBe('reussi');
    expect(await seuils()).toEqual([
      // Line 2: SIREN as written, « 12 345 » with a space, Q2 and Q3 columns.
      { annee: 2025, code_epci: '200059228', q1: 12345, q2: 18000, q3: 24000, source: 'Arrêté 2025, annexe (arrete-annexe.csv, ligne 2) : CA Grand Paris Sud Seine Essonne Sénart' },
      // Line 3: a 14-digit SIRET → its SIREN 200071892; « 9 876,50 » → 9 876.5.
      { annee: 2025, code_epci: '200071892', q1: 9876.5, q2: null, q3: null, source: 'Arrêté 2025, annexe (arrete-annexe.csv, ligne 3) : Communauté de test' },
      // Line 4 (Lyon) is not the territory's. The 2026 line stays.
      idf,
    ]);
  });

  it('asks for the year of an annex, and refuses an amount it cannot read on its line', async () => {
    const sansAnnee = await importerAvecPreset(store, [F('arrete-annexe.csv')], { preset: 'arrete-q1' }).catch((e: unknown) => e);
    expect((sansAnnee as ImportFailedError).report.erreurs[0]?.message).toMatch(/--annee AAAA/);
    const illisible = await importerAvecPreset(store, [F('arrete-montant-illisible.csv')], { preset: 'arrete-q1', annee: 2025 }).catch((e: unknown) => e);
    expect(illisible).toBeInstanceOf(ImportFailedError);
    const [p] = (illisible as ImportFailedError).report.erreurs;
    expect([p?.fichier, p?.ligne, p?.colonne, p?.valeur]).toEqual(['arrete-montant-illisible.csv', 2, 'Montant du seuil (en euros)', 'douze mille']);
    expect(await seuils()).toEqual([]);
  });
});
