import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contours, Televersement } from '@mixite/contract';
import { contoursSchema } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers.ts';
import { ACCOUNTS, MINI, login, openProductionApp, openTestApp } from './helpers.ts';

// The mini territory has three communes (Évry 91228, Corbeil 91174, Grigny 91286); the contours give two of them and a QPV.
const carre = (lon: number, lat: number) => [[[lon, lat], [lon, lat + 0.01], [lon + 0.01, lat + 0.01], [lon + 0.01, lat], [lon, lat]]];
const CONTOURS = {
  type: 'FeatureCollection',
  source: 'IGN Admin Express (Licence Ouverte)',
  features: [
    { type: 'Feature', properties: { code_insee: '91228', nom: 'Evry (ancien nom)' }, geometry: { type: 'Polygon', coordinates: carre(2.43, 48.62) } },
    { type: 'Feature', properties: { code_insee: '91174' }, geometry: { type: 'MultiPolygon', coordinates: [carre(2.47, 48.6)] } },
    { type: 'Feature', properties: { code_qpv: 'QN09101M' }, geometry: { type: 'Polygon', coordinates: carre(2.435, 48.625) } },
  ],
};

let dossier: string;
let jeu: string;
let t: TestApp;
beforeAll(async () => {
  dossier = mkdtempSync(join(tmpdir(), 'mixite-contours-'));
  jeu = join(dossier, 'jeu');
  cpSync(MINI, jeu, { recursive: true });
  writeFileSync(join(jeu, 'contours.geojson'), JSON.stringify(CONTOURS));
  t = await openProductionApp({ dataset: jeu });
});
afterAll(() => {
  t.close();
  rmSync(dossier, { recursive: true, force: true });
});

describe('GET /api/contours', () => {
  it('rend les contours du jeu, les noms de communes.csv et qpv.csv, et les communes du territoire', async () => {
    const client = await login(t.mixite.app, 'admin@mixite.test');
    const reponse = await client.request('/api/contours');
    expect(reponse.status).toBe(200);
    const corps = contoursSchema.parse(await reponse.json());
    expect(corps.source).toBe('IGN Admin Express (Licence Ouverte)');
    // Names from the dataset (communes.csv, qpv.csv of the mini territory), not the contours file's.
    expect(corps.communes.map((c) => [c.code, c.nom, c.geometrie.type])).toEqual([
      ['91228', 'Évry-Courcouronnes', 'Polygon'],
      ['91174', 'Corbeil-Essonnes', 'MultiPolygon'],
    ]);
    expect(corps.qpv.map((c) => [c.code, c.nom])).toEqual([['QN09101M', 'Pyramides']]);
    expect(corps.communes[0]?.geometrie.coordinates).toEqual(CONTOURS.features[0]?.geometry.coordinates);
    // Grigny is in the territory without an outline: the map says so.
    expect(corps.territoire).toEqual([
      { code: '91174', nom: 'Corbeil-Essonnes' },
      { code: '91228', nom: 'Évry-Courcouronnes' },
      { code: '91286', nom: 'Grigny' },
    ]);
  });

  it('la même géographie publique pour chaque compte, lecteur compris ; rien sans session', async () => {
    const attendu = await (await (await login(t.mixite.app, 'admin@mixite.test')).request('/api/contours')).text();
    for (const compte of ACCOUNTS) {
      const reponse = await (await login(t.mixite.app, compte.email)).request('/api/contours');
      expect(reponse.status, compte.email).toBe(200);
      expect(await reponse.text(), compte.email).toBe(attendu);
    }
    expect((await t.mixite.app.request('/api/contours')).status).toBe(401);
  });
});

describe('contours déposés depuis la page Données', () => {
  let demo: TestApp;
  beforeAll(async () => {
    demo = await openTestApp();
  });
  afterAll(() => demo.close());

  it('sans contours.geojson : des listes vides et les communes du territoire', async () => {
    const corps = await demo.json<Contours>('/api/contours');
    expect(corps).toMatchObject({ source: null, communes: [], qpv: [] });
    expect(corps.territoire).toHaveLength(3);
  });

  it('un fichier refusé donne son erreur localisée et ne charge rien ; un fichier valide se confirme', async () => {
    const mauvais = new FormData();
    mauvais.append('fichiers', new File(['{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nom": "Évry"}, "geometry": null}]}'], 'communes-91.geojson'));
    const refus = await demo.json<Televersement>('/api/televersements', { method: 'POST', body: mauvais });
    expect(refus.jeton).toBeNull();
    expect(refus.rapport.erreurs).toEqual([
      {
        severite: 'erreur',
        fichier: 'communes-91.geojson',
        ligne: 1,
        // The feature starts at column 44: `{"type": "FeatureCollection", "features": [` is 1 + 6 + 2 + 19 + 2 + 10 + 2 + 1 = 43 characters long.
        colonne: '44',
        valeur: null,
        message: 'entité n° 1 : ni code_insee (une commune) ni code_qpv (un QPV) dans ses propriétés (lues : nom)',
      },
    ]);
    expect((await demo.json<Contours>('/api/contours')).communes).toEqual([]);

    const bon = new FormData();
    bon.append('fichiers', new File([JSON.stringify(CONTOURS)], 'contours.geojson'));
    const verifie = await demo.json<Televersement>('/api/televersements', { method: 'POST', body: bon });
    expect(verifie.rapport.erreurs).toEqual([]);
    await demo.json(`/api/televersements/${verifie.jeton}/confirmation`, { method: 'POST' });
    expect((await demo.json<Contours>('/api/contours')).communes.map((c) => c.code)).toEqual(['91228', '91174']);
  });
});
