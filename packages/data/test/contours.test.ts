import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../src/index.ts';
import { ImportFailedError, Store, exportDataset, importDataset } from '../src/index.ts';
import { MINI, copyOfMini, tempDir } from './helpers.ts';

/** The demo territory's contours (IGN Admin Express, simplified), as shipped in /work/shared/geo. */
const GEO_DEMO = new URL('../../demo/src/geo/grand-paris-sud-communes.geojson', import.meta.url);

let store: Store;
let tmp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  store = await Store.open(':memory:');
  tmp = tempDir();
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const carre = (lon: number, lat: number) => [
  [
    [lon, lat],
    [lon + 0.01, lat],
    [lon + 0.01, lat + 0.01],
    [lon, lat + 0.01],
    [lon, lat],
  ],
];
const commune = (code: string, nom: string, lon: number, lat: number) => ({ type: 'Feature', properties: { code_insee: code, nom }, geometry: { type: 'Polygon', coordinates: carre(lon, lat) } });
const VALIDE = {
  type: 'FeatureCollection',
  source: 'IGN Admin Express (Licence Ouverte)',
  features: [
    commune('91228', 'Évry-Courcouronnes', 2.43, 48.62),
    commune('91174', 'Corbeil-Essonnes', 2.47, 48.6),
    { type: 'Feature', properties: { code_qpv: 'QN09101M', nom: 'Pyramides' }, geometry: { type: 'MultiPolygon', coordinates: [carre(2.44, 48.63)] } },
  ],
};

/** The mini territory plus a contours file holding `texte`. */
function jeuAvecContours(texte: string, nom = 'contours.geojson'): string {
  const dir = copyOfMini(tmp.dir);
  writeFileSync(join(dir, nom), texte);
  return dir;
}

async function refus(dir: string): Promise<ImportReport> {
  try {
    await importDataset(store, [dir]);
  } catch (e) {
    if (e instanceof ImportFailedError) return e.report;
    throw e;
  }
  throw new Error('import accepté');
}

const empreinte = async () =>
  (await store.all<{ h: string }>(`SELECT md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) AS h FROM contours t`))[0]?.h;
const lignes = async () => (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM communes`))[0]?.n;

describe('contours.geojson valide', () => {
  it('charge une ligne par entité, son genre et son code, et l’export le rend', async () => {
    const report = await importDataset(store, [jeuAvecContours(JSON.stringify(VALIDE))]);
    expect(report.statut).toBe('reussi');
    const rows = await store.all<{ ordre: number; genre: string; code: string; nom: string }>(`SELECT ordre, genre, code, nom FROM contours ORDER BY ordre`);
    expect((await store.all(`SELECT DISTINCT source FROM contours`))).toEqual([{ source: 'IGN Admin Express (Licence Ouverte)' }]);
    expect(rows).toEqual([
      { ordre: 1, genre: 'commune', code: '91228', nom: 'Évry-Courcouronnes' },
      { ordre: 2, genre: 'commune', code: '91174', nom: 'Corbeil-Essonnes' },
      { ordre: 3, genre: 'qpv', code: 'QN09101M', nom: 'Pyramides' },
    ]);
    const out = join(tmp.dir, 'export');
    await exportDataset(store, out);
    // The features come back as imported (same properties, same coordinates).
    expect(JSON.parse(readFileSync(join(out, 'contours.geojson'), 'utf8'))).toEqual(VALIDE);
  });

  it('lit le fichier du territoire de démonstration : ses 23 communes', async () => {
    await importDataset(store, [jeuAvecContours(readFileSync(GEO_DEMO, 'utf8'))]);
    const [row] = await store.all<{ n: number; communes: number }>(`SELECT count(*)::INTEGER AS n, count(*) FILTER (genre = 'commune')::INTEGER AS communes FROM contours`);
    expect(row).toEqual({ n: 23, communes: 23 });
  });

  it('un import sans contours garde ceux de la base ; un nouveau fichier les remplace', async () => {
    await importDataset(store, [jeuAvecContours(JSON.stringify(VALIDE))]);
    await importDataset(store, [join(MINI, 'communes.csv')]);
    expect((await store.all(`SELECT 1 FROM contours`)).length).toBe(3);
    const seul = { type: 'FeatureCollection', features: [commune('91286', 'Grigny', 2.39, 48.65)] };
    const fichier = join(tmp.dir, 'grigny.geojson');
    writeFileSync(fichier, JSON.stringify(seul));
    await importDataset(store, [fichier]);
    expect(await store.all(`SELECT code FROM contours`)).toEqual([{ code: '91286' }]);
  });
});

describe('contours.geojson refusé : erreur localisée, rien de chargé', () => {
  beforeEach(async () => {
    await importDataset(store, [jeuAvecContours(JSON.stringify(VALIDE))]);
  });

  it('un texte qui n’est pas du JSON : ligne et colonne de la faute', async () => {
    const avant = await empreinte();
    // Line 3 is `  {"type": "Feature",]` : after the comma at column 21, the `]` at column 22 is not a property name.
    const texte = '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",]\n}';
    const report = await refus(jeuAvecContours(texte));
    expect(report.erreurs).toHaveLength(1);
    expect(report.erreurs[0]).toMatchObject({ fichier: 'contours.geojson', ligne: 3, colonne: '22', valeur: ']\n}' });
    expect(report.erreurs[0]?.message).toContain('pas du JSON valide');
    expect(await empreinte()).toBe(avant);
  });

  it('du JSON qui n’est pas une FeatureCollection (un CSV renommé, un TopoJSON)', async () => {
    const avant = await empreinte();
    const report = await refus(jeuAvecContours('{"type": "Topology", "objects": {}}'));
    expect(report.erreurs[0]).toMatchObject({ fichier: 'contours.geojson', ligne: 1, valeur: 'Topology' });
    expect(report.erreurs[0]?.message).toContain('FeatureCollection');
    const csv = await refus(jeuAvecContours('code_insee;nom\n91228;Évry\n'));
    expect(csv.erreurs[0]).toMatchObject({ ligne: 1, colonne: '1' });
    expect(await empreinte()).toBe(avant);
  });

  it('une entité sans code_insee ni code_qpv : son numéro, sa ligne et les propriétés lues', async () => {
    const avant = await empreinte();
    const sansCode = { type: 'Feature', properties: { INSEE_COM: '91286', NOM: 'Grigny' }, geometry: { type: 'Polygon', coordinates: carre(2.39, 48.65) } };
    // One feature per line, as `[\n` + features joined by `,\n`: the 3rd feature starts on line 4, column 1.
    const texte = `{"type":"FeatureCollection","features":[\n${[VALIDE.features[0], VALIDE.features[1], sansCode].map((f) => JSON.stringify(f)).join(',\n')}\n]}`;
    const report = await refus(jeuAvecContours(texte));
    expect(report.erreurs).toHaveLength(1);
    expect(report.erreurs[0]).toMatchObject({ fichier: 'contours.geojson', ligne: 4, colonne: '1' });
    expect(report.erreurs[0]?.message).toBe('entité n° 3 : ni code_insee (une commune) ni code_qpv (un QPV) dans ses propriétés (lues : INSEE_COM, NOM)');
    expect(await empreinte()).toBe(avant);
    expect(await lignes()).toBe(3);
  });

  it('des coordonnées en Lambert 93 (mètres) et non en degrés WGS84', async () => {
    const avant = await empreinte();
    const lambert = { type: 'Feature', properties: { code_insee: '91286' }, geometry: { type: 'Polygon', coordinates: [[[652000, 6836000], [653000, 6836000], [653000, 6837000], [652000, 6836000]]] } };
    const report = await refus(jeuAvecContours(JSON.stringify({ type: 'FeatureCollection', features: [lambert] })));
    expect(report.erreurs[0]).toMatchObject({ ligne: 1, valeur: '[652000, 6836000]' });
    expect(report.erreurs[0]?.message).toContain('Lambert 93');
    expect(await empreinte()).toBe(avant);
  });

  it('une géométrie qui n’est pas une surface, un code INSEE mal formé, un code en double', async () => {
    const point = { type: 'Feature', properties: { code_insee: '91286' }, geometry: { type: 'Point', coordinates: [2.39, 48.65] } };
    const malForme = commune('9122', 'Évry', 2.43, 48.62);
    const double = commune('91228', 'Évry bis', 2.43, 48.62);
    const report = await refus(jeuAvecContours(JSON.stringify({ type: 'FeatureCollection', features: [VALIDE.features[0], point, malForme, double] })));
    expect(report.erreurs.map((e) => [e.message.split(' : ')[0], e.valeur])).toEqual([
      ['entité n° 2', 'Point'],
      ['entité n° 3', '9122'],
      ['entité n° 4', '91228'],
    ]);
    expect(report.erreurs[2]?.message).toContain('déjà décrit par l’entité n° 1');
  });

  it('deux fichiers de contours dans le même import', async () => {
    const dir = jeuAvecContours(JSON.stringify(VALIDE));
    writeFileSync(join(dir, 'qpv.geojson'), JSON.stringify(VALIDE));
    const report = await refus(dir);
    expect(report.erreurs[0]?.message).toBe('deux fichiers de contours : contours.geojson et qpv.geojson');
  });
});
