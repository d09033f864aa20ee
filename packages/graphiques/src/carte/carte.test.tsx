import { DEFAULT_THEME } from '@mantine/core';
import { geoConicConformal, geoPath } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import { svgStatique } from '../statique.ts';
import { Carte, tailleCarte } from './Carte.tsx';
import { NUANCES_CARTE_UTILISEES } from './couleurs.ts';
import type { DonneesCarte } from './donnees.ts';
import { communesSansContour, tableauCarte } from './donnees.ts';
import type { ContourCarte } from './geometrie.ts';
import { cadrer, geometrieD3 } from './geometrie.ts';

/** A square of 0.02° whose exterior ring turns clockwise (d3's way) or counter-clockwise (RFC 7946's way). */
function carre(code: string, nom: string, lon: number, lat: number, sens: 'horaire' | 'trigo' = 'horaire'): ContourCarte {
  const anneau = [
    [lon, lat],
    [lon, lat + 0.02],
    [lon + 0.02, lat + 0.02],
    [lon + 0.02, lat],
    [lon, lat],
  ];
  return { code, nom, geometrie: { type: 'Polygon', coordinates: [sens === 'horaire' ? anneau : [...anneau].reverse()] } };
}

const COMMUNES = [carre('91228', 'Évry-Courcouronnes', 2.42, 48.62), carre('91174', 'Corbeil-Essonnes', 2.46, 48.6, 'trigo'), carre('91286', 'Grigny', 2.38, 48.64)];
const TERRITOIRE = [
  { code: '91228', nom: 'Évry-Courcouronnes' },
  { code: '91174', nom: 'Corbeil-Essonnes' },
  { code: '91286', nom: 'Grigny' },
  { code: '91340', nom: 'Lisses' },
];
const BASE: DonneesCarte = {
  communes: COMMUNES,
  territoire: TERRITOIRE,
  source: 'IGN Admin Express (Licence Ouverte)',
  choroplethe: {
    libelle: 'Baux hors QPV au 1er quartile',
    // Évry 10 % (< 15 %: class 1 of 4), Corbeil 25 % (≥ 25 %, < 35 %: class 3), Grigny masked, Lisses not drawn, 40 %.
    valeurs: new Map([
      ['91228', 0.1],
      ['91174', 0.25],
      ['91286', null],
      ['91340', 0.4],
    ]),
    seuils: [0.15, 0.25, 0.35],
  },
  points: {
    libelle: 'Résidences selon leur fragilité',
    categories: [
      { cle: 'fragile', libelle: 'fragile', nuance: 'orange-7' },
      { cle: 'non_fragile', libelle: 'non fragile', nuance: 'teal-9' },
    ],
    points: [
      // At the centre of Évry's square.
      { id: 'R1', libelle: 'Les Pyramides', latitude: 48.63, longitude: 2.43, categorie: 'fragile', commune: '91228' },
      { id: 'R2', libelle: 'Sans adresse', latitude: null, longitude: null, categorie: 'non_fragile', commune: '91174' },
    ],
  },
};

const espaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const textes = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => espaces(m[1] ?? ''));
const chemins = (svg: string) => [...svg.matchAll(/<path d="([^"]*)" fill="([^"]+)" data-code="([^"]+)"/g)].map((m) => ({ d: m[1] ?? '', fill: m[2], code: m[3] }));
/** The bounding box of an SVG path's absolute coordinates (d3 writes M/L/Z with absolute numbers). */
function boite(d: string) {
  const nombres = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const xs = nombres.filter((_, i) => i % 2 === 0);
  const ys = nombres.filter((_, i) => i % 2 === 1);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

describe('la carte des communes', () => {
  const svg = svgStatique(Carte, { titre: 'Baux hors QPV au 1er quartile par commune', ...BASE });

  it('dessine un chemin par commune des contours, et aucun pour la commune qui n’en a pas', () => {
    expect(chemins(svg).map((c) => c.code)).toEqual(['91228', '91174', '91286']);
    for (const c of chemins(svg)) expect(c.d).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('dit la commune sans contour au lieu de laisser un trou', () => {
    expect(communesSansContour(BASE)).toEqual([{ code: '91340', nom: 'Lisses' }]);
    expect(textes(svg)).toContain('Une commune n’a pas de contour et n’est pas dessinée : Lisses (91340).');
    expect(svg).toContain('Une commune n’a pas de contour');
  });

  it('colore chaque commune selon sa classe ; la valeur masquée en gris', () => {
    // Four classes over Mantine's blue 1, 3, 7, 9 (shades 0, 4/3, 8/3, 4 of the 5-step scale rounded).
    expect(Object.fromEntries(chemins(svg).map((c) => [c.code, c.fill]))).toEqual({ '91228': '#d0ebff', '91174': '#1c7ed6', '91286': '#dee2e6' });
  });

  it('a sa légende, sa source et son résumé', () => {
    const t = textes(svg);
    for (const attendu of ['moins de 15,0 %', 'de 15,0 % à moins de 25,0 %', 'de 25,0 % à moins de 35,0 %', '35,0 % ou plus', 'secret statistique', 'fragile']) expect(t).toContain(attendu);
    // No point is « non fragile » on the map (R2 has no coordinates): its category is not in the legend.
    expect(t).not.toContain('non fragile');
    expect(t).toContain('Contours : IGN Admin Express (Licence Ouverte).');
    expect(t).toContain('1 point sans coordonnées n’est pas placé.');
    expect(espaces(svg)).toContain(
      '<desc>Carte de 3 communes ; Baux hors QPV au 1er quartile par commune, de 10,0 % à 40,0 % ; Résidences selon leur fragilité : 1 placées, 1 sans coordonnées. Une commune n’a pas de contour et n’est pas dessinée : Lisses (91340). Les valeurs sont dans le tableau qui suit.</desc>',
    );
  });

  it('place la résidence dans sa commune (projection WGS84 → SVG)', () => {
    const evry = boite(chemins(svg).find((c) => c.code === '91228')?.d ?? '');
    // A point is two arcs from its leftmost point (x − r, y), r = 3.2: its centre is 3.2 to the right.
    const [, x, cy] = /<path d="M([\d.]+),([\d.]+)a3\.2,3\.2 0 1,0 6\.4,0a3\.2,3\.2 0 1,0 -6\.4,0" fill="#f76707" data-categorie="fragile" data-points="1">/.exec(svg) ?? [];
    const cx = Number(x) + 3.2;
    expect(Number(cx)).toBeGreaterThan(evry.x0);
    expect(Number(cx)).toBeLessThan(evry.x1);
    expect(Number(cy)).toBeGreaterThan(evry.y0);
    expect(Number(cy)).toBeLessThan(evry.y1);
    // North is up: Grigny (lat 48.64–48.66) is above Corbeil (48.60–48.62).
    const grigny = boite(chemins(svg).find((c) => c.code === '91286')?.d ?? '');
    const corbeil = boite(chemins(svg).find((c) => c.code === '91174')?.d ?? '');
    expect(grigny.y1).toBeLessThan(corbeil.y0);
  });

  it('dessine les points d’une catégorie en un seul chemin, qui dit combien il en porte', () => {
    const points = [
      // Two fragile residences in Évry, one not fragile in Corbeil, one of a category the legend does not know.
      { id: 'A', libelle: 'A', latitude: 48.63, longitude: 2.43, categorie: 'fragile', commune: '91228' },
      { id: 'B', libelle: 'B', latitude: 48.625, longitude: 2.435, categorie: 'fragile', commune: '91228' },
      { id: 'C', libelle: 'C', latitude: 48.61, longitude: 2.47, categorie: 'non_fragile', commune: '91174' },
      { id: 'D', libelle: 'D', latitude: 48.61, longitude: 2.465, categorie: 'autre', commune: '91174' },
    ];
    const plusieurs = svgStatique(Carte, { titre: 'Résidences', ...BASE, points: { ...(BASE.points as NonNullable<DonneesCarte['points']>), points } });
    const groupes = [...plusieurs.matchAll(/<path d="([^"]*)" fill="([^"]+)" data-categorie="([^"]+)" data-points="(\d+)"><title>([^<]*)<\/title>/g)].map((m) => ({
      cercles: (m[1]?.match(/M/g) ?? []).length,
      fill: m[2],
      categorie: m[3],
      points: Number(m[4]),
      titre: espaces(m[5] ?? ''),
    }));
    // In the categories' order (orange-7 #f76707, teal-9 #087f5b), the unknown one last in the text colour; as many circles (M) as points.
    expect(groupes.map((g) => [g.categorie, g.points, g.cercles])).toEqual([
      ['fragile', 2, 2],
      ['non_fragile', 1, 1],
      ['autre', 1, 1],
    ]);
    expect(groupes.slice(0, 2).map((g) => g.fill)).toEqual(['#f76707', '#087f5b']);
    expect(groupes[0]?.titre).toBe('Résidences selon leur fragilité, fragile : 2');
    expect(plusieurs).not.toContain('<circle');
  });

  it('lit un anneau dans le sens RFC 7946 comme dans celui de d3 (sinon le polygone couvrirait le globe)', () => {
    // Corbeil is written counter-clockwise: its box is a 0.02° square like the others, not the whole drawing.
    const corbeil = boite(chemins(svg).find((c) => c.code === '91174')?.d ?? '');
    const evry = boite(chemins(svg).find((c) => c.code === '91228')?.d ?? '');
    expect(Math.abs(corbeil.x1 - corbeil.x0 - (evry.x1 - evry.x0))).toBeLessThan(1);
  });

  it('a pour alternative textuelle le tableau qu’elle dessine', () => {
    const t = tableauCarte(BASE);
    expect(t.colonnes).toEqual(['Commune', 'Code INSEE', 'Baux hors QPV au 1er quartile', 'Classe', 'fragile', 'non fragile', 'Sur la carte']);
    expect(t.lignes.map((l) => l.map(espaces))).toEqual([
      ['Évry-Courcouronnes', '91228', '10,0 %', 'moins de 15,0 %', '1', '0', 'oui'],
      ['Corbeil-Essonnes', '91174', '25,0 %', 'de 25,0 % à moins de 35,0 %', '0', '1', 'oui'],
      ['Grigny', '91286', '—', 'secret statistique', '0', '0', 'oui'],
      ['Lisses', '91340', '40,0 %', '35,0 % ou plus', '0', '0', 'non : pas de contour'],
    ]);
  });

  it('sans aucun contour, le dit', () => {
    const vide = svgStatique(Carte, { titre: 'Carte', communes: [], territoire: TERRITOIRE, source: null });
    expect(textes(vide).join(' ')).toContain('Aucun contour de commune dans le jeu de données');
    expect(textes(vide).join(' ')).toContain('4 communes n’ont pas de contour et ne sont pas dessinées');
    expect(tailleCarte({ communes: [], territoire: TERRITOIRE, source: null }).largeur).toBe(720);
  });

  it('ses couleurs sont celles de la palette Mantine', () => {
    for (const [nuance, hex] of Object.entries(NUANCES_CARTE_UTILISEES)) {
      const [nom, rang] = nuance.split('-') as [keyof typeof DEFAULT_THEME.colors, string];
      expect(DEFAULT_THEME.colors[nom]?.[Number(rang)], nuance).toBe(hex);
    }
  });

  it('draws the same paths as d3 with its antimeridian clipping, which the maps leave out (no French outline reaches 177° W)', () => {
    // Both ring orientations and an overseas outline (Guadeloupe's longitudes) among the mainland squares.
    const contours = [...COMMUNES, carre('97101', 'Les Abymes', -61.5, 16.27)].map((c) => geometrieD3(c.geometrie));
    const { chemin, projection } = cadrer(contours, 720, 8, 560);
    // The reference: d3's default projection (clipped at the antimeridian) given the same scale and centre.
    const reference = geoConicConformal().parallels([44, 49]).rotate([-3, 0]).precision(0).scale(projection.scale()).translate(projection.translate());
    const attendu = geoPath(reference).digits(1);
    for (const g of contours) expect(chemin(g)).toBe(attendu(g));
  });
});
