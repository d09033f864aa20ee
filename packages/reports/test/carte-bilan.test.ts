import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bloc, DocumentBilan, Graphique, Tableau } from '../src/contenu/modele.ts';
import { texteCellule } from '../src/contenu/modele.ts';
import { bilan2024DuJeu } from './bilan-du-jeu.ts';

/**
 * The bilan's maps (issue 14) on the mini territory: three communes (Évry 91228, Corbeil 91174, Grigny 91286), two
 * residences (R1 « Les Pyramides », Évry, in QPV QN09101M, at 48.6298 N 2.4407 E; R2 « Le Parc », Corbeil, outside
 * QPV, at 48.61 N 2.48 E), two leases in 2024 (A1 in L1, Évry, in QPV; A2 in L3, Corbeil, outside QPV) and a secrecy
 * threshold of 11. The contours give Évry and Corbeil, not Grigny.
 */
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
const carre = (lon: number, lat: number) => [[[lon, lat], [lon, lat + 0.03], [lon + 0.03, lat + 0.03], [lon + 0.03, lat], [lon, lat]]];
const CONTOURS = {
  type: 'FeatureCollection',
  source: 'IGN Admin Express (Licence Ouverte)',
  features: [
    // Évry's square holds R1 (2.4407, 48.6298); Corbeil's holds R2 (2.48, 48.61).
    { type: 'Feature', properties: { code_insee: '91228' }, geometry: { type: 'Polygon', coordinates: carre(2.42, 48.61) } },
    { type: 'Feature', properties: { code_insee: '91174' }, geometry: { type: 'Polygon', coordinates: carre(2.46, 48.59) } },
  ],
};

let dossier: string;
let avec: DocumentBilan;
let sans: DocumentBilan;

const bilan = bilan2024DuJeu;

beforeAll(async () => {
  dossier = mkdtempSync(join(tmpdir(), 'mixite-carte-bilan-'));
  const jeu = join(dossier, 'jeu');
  cpSync(MINI, jeu, { recursive: true });
  writeFileSync(join(jeu, 'contours.geojson'), JSON.stringify(CONTOURS));
  avec = await bilan(jeu);
  sans = await bilan(MINI);
});
afterAll(() => rmSync(dossier, { recursive: true, force: true }));

const bloc = <K extends Bloc['kind']>(d: DocumentBilan, kind: K, id: string) => d.blocs.find((b) => b.kind === kind && 'id' in b && b.id === id) as Extract<Bloc, { kind: K }> | undefined;
const lignes = (t: Tableau | undefined) => (t?.lignes ?? []).map((l) => l.cellules.map((c) => texteCellule(c).replace(/[\u00a0\u202f]/g, ' ')));
const espaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('le chapitre des cartes du bilan', () => {
  it('dessine la carte du taux hors QPV par commune après son tableau : secret « s », rien compté « – », commune sans contour dite', () => {
    const tableau = bloc(avec, 'tableau', 'carte-hors_qpv_q1');
    const carte = bloc(avec, 'graphique', 'carte-hors_qpv_q1') as Graphique;
    expect(tableau?.colonnes).toEqual(['Commune', 'Code INSEE', 'Taux', 'Classe de la carte', 'Sur la carte']);
    // Corbeil: one lease outside QPV (A2), under the threshold of 11: masked. Évry: its only lease (A1) is in QPV; Grigny: none.
    expect(lignes(tableau)).toEqual([
      ['Corbeil-Essonnes', '91174', 's', 'secret statistique', 'oui'],
      ['Évry-Courcouronnes', '91228', '–', 'sans valeur', 'oui'],
      ['Grigny', '91286', '–', 'sans valeur', 'non : pas de contour'],
    ]);
    expect(carte.tableau).toBe(tableau?.numero);
    expect(avec.blocs.indexOf(carte)).toBeGreaterThan(avec.blocs.indexOf(tableau as Bloc));
    // Two communes drawn, one said missing, the source printed; the masked commune in grey (gray-3), the other in gray-0.
    expect([...carte.svg.matchAll(/<path d="M[^"]+" fill="(#[0-9a-f]+)" data-code="(\d+)"/g)].map((m) => [m[2], m[1]])).toEqual([
      ['91228', '#f8f9fa'],
      ['91174', '#dee2e6'],
    ]);
    expect(espaces(carte.svg)).toContain('Une commune n’a pas de contour et n’est pas dessinée : Grigny (91286).');
    expect(carte.svg).toContain('Contours : IGN Admin Express (Licence Ouverte).');
    expect(espaces(carte.description)).toContain('Une commune n’a pas de contour');
  });

  it('cartographie le parc abordable par commune : les logements de logements.csv, Grigny sans contour ni logement', () => {
    const tableau = bloc(avec, 'tableau', 'carte-parc-abordable');
    const carte = bloc(avec, 'graphique', 'carte-parc-abordable') as Graphique;
    // logements.csv: L1, L2 in Évry, L3, L4 in Corbeil, none in Grigny. Affordability itself is the stock engine's (data/src/parc, its own golden tests).
    expect(lignes(tableau).map((l) => [l[0], l[2], l.at(-1)])).toEqual([
      ['Corbeil-Essonnes', '2', 'oui'],
      ['Évry-Courcouronnes', '2', 'oui'],
      ['Grigny', '–', 'non : pas de contour'],
    ]);
    expect(carte.tableau).toBe(tableau?.numero);
    expect([...carte.svg.matchAll(/data-code="(\d+)"/g)].map((m) => m[1])).toEqual(['91228', '91174']);
  });

  it('place les résidences, en QPV et hors QPV, chacune dans sa commune', () => {
    const tableau = bloc(avec, 'tableau', 'carte-residences');
    const carte = bloc(avec, 'graphique', 'carte-residences') as Graphique;
    expect(lignes(tableau)).toEqual([
      ['Corbeil-Essonnes', '91174', '0', '1', 'oui'],
      ['Évry-Courcouronnes', '91228', '1', '0', 'oui'],
      ['Grigny', '91286', '0', '0', 'non : pas de contour'],
    ]);
    expect(tableau?.colonnes).toEqual(['Commune', 'Code INSEE', 'résidence en QPV', 'résidence hors QPV', 'Sur la carte']);
    // One path per category, with its number of points: R1 (grape-9, in QPV), then R2 (teal-9); one circle (M) each.
    expect([...carte.svg.matchAll(/<path d="([^"]+)" fill="(#[0-9a-f]+)" data-categorie="[^"]+" data-points="(\d+)"/g)].map((m) => [m[2], m[3], m[1]?.match(/M/g)?.length])).toEqual([
      ['#862e9c', '1', 1],
      ['#087f5b', '1', 1],
    ]);
  });

  it('sans contours.geojson, le dit et ne dessine aucune carte', () => {
    const i = sans.blocs.findIndex((b) => b.kind === 'titre' && b.texte === 'Le territoire en cartes');
    const suivant = sans.blocs[i + 1];
    expect(suivant?.kind === 'paragraphe' ? suivant.texte : '').toContain('ne contient pas les contours des communes');
    expect(sans.blocs.some((b) => b.kind === 'graphique' && b.id.startsWith('carte-'))).toBe(false);
  });
});
