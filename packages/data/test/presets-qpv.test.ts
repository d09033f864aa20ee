import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import { importerAvecPreset } from '../src/presets/index.ts';

/** The QPV list and QPV contours presets on hand-written samples (fixtures/presets/PROVENANCE.md), into a real store. */
const F = (nom: string) => fileURLToPath(new URL(`./fixtures/presets/${nom}`, import.meta.url));

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  // Communes 91228, 91174, 91286, 02691; QPV QN09101M, QN09102M and the assimilated sector AS09101.
  await importDataset(store, [F('territoire')]);
});
afterEach(() => store.close());

const qpv = () =>
  store.all<Record<string, unknown>>(`SELECT code_qpv, nom, code_insee, assimile, attributs['communes_qpv'] AS communes FROM qpv ORDER BY code_qpv`);

describe('QPV 2024 list preset', () => {
  it('keeps the QPV of the territory, multi-commune cells and zero-stripped codes read right, assimilated sectors kept', async () => {
    const rapport = await importerAvecPreset(store, [F('qpv-2024-liste.csv')], { preset: 'auto' });
    expect(rapport.statut).toBe('reussi');
    expect(await qpv()).toEqual([
      // The assimilated sector of the store's qpv.csv, not in the official list: kept.
      { code_qpv: 'AS09101', nom: 'Secteur fragile des Tarterêts', code_insee: '91174', assimile: true, communes: null },
      // Line 4: "2571; 2691" → 02571, 02691; only 02691 is in the territory.
      { code_qpv: 'QN00201M', nom: "Quartier de test de l'Aisne", code_insee: '02691', assimile: false, communes: '02571, 02691' },
      // Line 2.
      { code_qpv: 'QN09101M', nom: 'Pyramides', code_insee: '91228', assimile: false, communes: '91228' },
      // Line 3: "91174; 91228": the first commune of the cell in the territory.
      { code_qpv: 'QN09103M', nom: 'Quartier de test des Deux Rives', code_insee: '91174', assimile: false, communes: '91174, 91228' },
      // Line 5 (Lyon) is not in the territory; QN09102M of the old qpv.csv is not in the 2024 list: both absent.
    ]);
  });

  it('refuses the list of another département with a located message, and changes nothing', async () => {
    const avant = await qpv();
    const erreur = await importerAvecPreset(store, [F('qpv-autre-departement.csv')], { preset: 'qpv' }).catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ImportFailedError);
    const [p] = (erreur as ImportFailedError).report.erreurs;
    expect([p?.fichier, p?.ligne, p?.colonne]).toEqual(['qpv-autre-departement.csv', 2, 'insee_com']);
    expect(p?.message).toBe(
      'aucun QPV de la liste n’est sur une commune du territoire : la liste couvre le département 69, le territoire est dans les départements 02, 91 — est-ce la liste d’un autre département ?',
    );
    expect(await qpv()).toEqual(avant);
  });
});

describe('QPV contours preset', () => {
  it('turns the ANCT file (one feature per QPV × commune) into one contour per QPV of the territory', async () => {
    await importerAvecPreset(store, [F('qpv-2024-contours-WGS84.geojson'), F('qpv-2024-liste.csv')], { preset: 'auto' });
    const contours = await store.all<{ genre: string; code: string; nom: string; entite: string }>(`SELECT genre, code, nom, entite::VARCHAR AS entite FROM contours ORDER BY code`);
    expect(contours.map((c) => [c.genre, c.code, c.nom])).toEqual([
      ['qpv', 'QN09101M', 'Pyramides'],
      ['qpv', 'QN09103M', 'Quartier de test des Deux Rives'],
    ]);
    // QN09103M: its Corbeil polygon and its Évry multipolygon's one polygon, joined: 2 polygons of 5 positions.
    const geometrie = (JSON.parse(contours[1]?.entite ?? '{}') as { geometry: { type: string; coordinates: number[][][][] } }).geometry;
    expect(geometrie.type).toBe('MultiPolygon');
    expect(geometrie.coordinates.map((p) => p[0]?.length)).toEqual([5, 5]);
    expect(geometrie.coordinates[0]?.[0]?.[0]).toEqual([2.47, 48.6]);
  });
});
