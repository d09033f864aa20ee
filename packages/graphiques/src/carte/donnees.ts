/**
 * What a map says, apart from how it is drawn: the classes of a choropleth, the communes of the territory that
 * have no outline (said, never left as a silent hole), the residences that cannot be placed, the summary (the
 * SVG's `<desc>`) and the table that is the map's text alternative. The screen and the bilan use the same.
 */
import { formatEntier, formatTaux } from '@mixite/core/francais';
import type { Symboles, ValeurGraphique } from '../commun.tsx';
import { SYMBOLES_ECRAN, etiquette } from '../commun.tsx';
import type { ContourCarte } from './geometrie.ts';
import type { NuanceCarte } from './couleurs.ts';
import { CLASSES_MAX, nuancesDesClasses } from './couleurs.ts';

/** A commune of the territory (communes.csv), whether or not the contours have it. */
export interface CommuneTerritoire {
  readonly code: string;
  readonly nom: string;
}

/** A value by commune coloured on the map. */
export interface Choroplethe {
  /** What is coloured, e.g. « Baux hors QPV signés au 1er quartile ». */
  readonly libelle: string;
  /** Values by code INSEE; a commune absent from it has no value. */
  readonly valeurs: ReadonlyMap<string, ValeurGraphique>;
  /** Class limits, ascending (e.g. around a target: [0.15, 0.25, 0.35]); by default four equal classes of the values. */
  readonly seuils?: readonly number[];
  readonly format?: (v: number) => string;
}

/** A residence (or any point) placed by its coordinates, in one of the categories of the layer. */
export interface PointCarte {
  readonly id: string;
  readonly libelle: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly categorie: string;
  /** Its commune (code INSEE): the table counts the points of each commune. */
  readonly commune: string | null;
}

export interface CategoriePoints {
  readonly cle: string;
  readonly libelle: string;
  readonly nuance: NuanceCarte;
}

export interface CouchePoints {
  /** What the points are, e.g. « Résidences selon leur fragilité ». */
  readonly libelle: string;
  readonly categories: readonly CategoriePoints[];
  readonly points: readonly PointCarte[];
}

export interface DonneesCarte {
  /** The contours of the communes (those of contours.geojson, genre commune). */
  readonly communes: readonly ContourCarte[];
  /** The contours of the QPV, drawn as outlines over the communes. */
  readonly qpv?: readonly ContourCarte[];
  /** The communes of the territory: the map and its table cover these, and say which have no outline. */
  readonly territoire: readonly CommuneTerritoire[];
  readonly choroplethe?: Choroplethe;
  readonly points?: CouchePoints;
  /** Where the contours come from (the file's `source`), printed under the map. */
  readonly source: string | null;
}

/** One class of a choropleth: its shade and the legend's words. */
export interface ClasseCarte {
  readonly nuance: NuanceCarte;
  readonly texte: string;
}

const estNombre = (v: ValeurGraphique): v is number => typeof v === 'number' && Number.isFinite(v);

/** The class limits: those given, or four classes of equal width between the smallest and largest value. */
export function seuilsDe(choroplethe: Choroplethe): number[] {
  if (choroplethe.seuils) return [...choroplethe.seuils].sort((a, b) => a - b).slice(0, CLASSES_MAX - 1);
  const valeurs = [...choroplethe.valeurs.values()].filter(estNombre);
  if (valeurs.length === 0) return [];
  const min = Math.min(...valeurs);
  const max = Math.max(...valeurs);
  if (max === min) return [];
  return [1, 2, 3].map((j) => min + ((max - min) * j) / 4);
}

/** The classes of a choropleth, light to dark, with their legend (« moins de 15 % », « de 15 % à moins de 25 % », « 25 % ou plus »). */
export function classesDe(choroplethe: Choroplethe): ClasseCarte[] {
  const seuils = seuilsDe(choroplethe);
  const f = choroplethe.format ?? formatTaux;
  const nuances = nuancesDesClasses(seuils.length + 1);
  if (seuils.length === 0) return [{ nuance: nuances[0] as NuanceCarte, texte: 'valeur' }];
  return nuances.map((nuance, i) => ({
    nuance,
    texte: i === 0 ? `moins de ${f(seuils[0] as number)}` : i === seuils.length ? `${f(seuils[i - 1] as number)} ou plus` : `de ${f(seuils[i - 1] as number)} à moins de ${f(seuils[i] as number)}`,
  }));
}

/** The class of a value: the number of limits at or below it. */
export function classeDe(v: number, seuils: readonly number[]): number {
  return seuils.filter((s) => s <= v).length;
}

/**
 * The outlines drawn: those of the territory's communes (a contours file may cover a whole département: the map
 * is framed on the territory); all of them when the territory is not known.
 */
export function communesDuTerritoire(d: Pick<DonneesCarte, 'communes' | 'territoire'>): readonly ContourCarte[] {
  if (d.territoire.length === 0) return d.communes;
  const codes = new Set(d.territoire.map((c) => c.code));
  return d.communes.filter((c) => codes.has(c.code));
}

/** The communes of the territory that the contours do not have: listed under the map and in its table. */
export function communesSansContour(d: Pick<DonneesCarte, 'communes' | 'territoire'>): CommuneTerritoire[] {
  const dessinees = new Set(d.communes.map((c) => c.code));
  return d.territoire.filter((c) => !dessinees.has(c.code));
}

/** The points that can be placed (both coordinates known) and how many cannot. */
export function pointsPlaces(couche: CouchePoints | undefined): { places: PointCarte[]; sansCoordonnees: number } {
  if (!couche) return { places: [], sansCoordonnees: 0 };
  const places = couche.points.filter((p) => p.latitude !== null && p.longitude !== null);
  return { places, sansCoordonnees: couche.points.length - places.length };
}

const liste = (communes: readonly CommuneTerritoire[], max = 8) =>
  communes.slice(0, max).map((c) => `${c.nom} (${c.code})`).join(', ') + (communes.length > max ? ` et ${communes.length - max} autres` : '');

/** The sentence that says which communes are not drawn, or null when every commune has its outline. */
export function phraseSansContour(d: Pick<DonneesCarte, 'communes' | 'territoire'>): string | null {
  const manquantes = communesSansContour(d);
  if (manquantes.length === 0) return null;
  const n = manquantes.length;
  return `${n === 1 ? 'Une commune n’a' : `${formatEntier(n)} communes n’ont`} pas de contour et ${n === 1 ? 'n’est' : 'ne sont'} pas ${n === 1 ? 'dessinée' : 'dessinées'} : ${liste(manquantes)}.`;
}

/** The map's summary: what it shows, the range of its values, what is missing. */
export function resumeCarte(d: DonneesCarte, symboles: Symboles = SYMBOLES_ECRAN): string {
  const parties: string[] = [];
  const dessinees = communesDuTerritoire(d).length;
  parties.push(`Carte de ${formatEntier(dessinees)} commune${dessinees > 1 ? 's' : ''}${d.qpv && d.qpv.length > 0 ? ` et ${formatEntier(d.qpv.length)} QPV` : ''}`);
  if (d.choroplethe) {
    const f = d.choroplethe.format ?? formatTaux;
    const valeurs = d.territoire.map((c) => d.choroplethe?.valeurs.get(c.code)).filter(estNombre);
    parties.push(
      valeurs.length > 0
        ? `${d.choroplethe.libelle} par commune, de ${etiquette(Math.min(...valeurs), f, symboles)} à ${etiquette(Math.max(...valeurs), f, symboles)}`
        : `${d.choroplethe.libelle} par commune : aucune valeur`,
    );
  }
  if (d.points) {
    const { places, sansCoordonnees } = pointsPlaces(d.points);
    parties.push(`${d.points.libelle} : ${formatEntier(places.length)} placées${sansCoordonnees > 0 ? `, ${formatEntier(sansCoordonnees)} sans coordonnées` : ''}`);
  }
  const manque = phraseSansContour(d);
  return `${parties.join(' ; ')}.${manque ? ` ${manque}` : ''} Les valeurs sont dans le tableau qui suit.`;
}

/** The table a map draws (its text alternative): one row per commune of the territory. */
export interface TableauCarte {
  readonly colonnes: readonly string[];
  readonly lignes: readonly (readonly string[])[];
}

/** One row per commune: its name, code, value and class, its points by category, and whether it is drawn. */
export function tableauCarte(d: DonneesCarte, symboles: Symboles = SYMBOLES_ECRAN): TableauCarte {
  const dessinees = new Set(d.communes.map((c) => c.code));
  const colonnes = ['Commune', 'Code INSEE'];
  const choro = d.choroplethe;
  const seuils = choro ? seuilsDe(choro) : [];
  const classes = choro ? classesDe(choro) : [];
  if (choro) colonnes.push(choro.libelle, 'Classe');
  const categories = d.points?.categories ?? [];
  const parCommune = new Map<string, Map<string, number>>();
  if (d.points) {
    for (const p of d.points.points) {
      if (p.commune === null) continue;
      const m = parCommune.get(p.commune) ?? new Map<string, number>();
      m.set(p.categorie, (m.get(p.categorie) ?? 0) + 1);
      parCommune.set(p.commune, m);
    }
    colonnes.push(...categories.map((c) => c.libelle));
  }
  colonnes.push('Sur la carte');
  const lignes = d.territoire.map((c) => {
    const ligne = [c.nom, c.code];
    if (choro) {
      const v = choro.valeurs.get(c.code);
      ligne.push(etiquette(v, choro.format ?? formatTaux, symboles));
      ligne.push(estNombre(v) ? (classes[classeDe(v, seuils)]?.texte ?? '') : v === null ? 'secret statistique' : 'sans valeur');
    }
    for (const cat of categories) ligne.push(formatEntier(parCommune.get(c.code)?.get(cat.cle) ?? 0));
    ligne.push(dessinees.has(c.code) ? 'oui' : 'non : pas de contour');
    return ligne;
  });
  return { colonnes, lignes };
}
