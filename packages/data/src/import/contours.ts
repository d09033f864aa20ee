import { readFileSync, statSync } from 'node:fs';
import { PATTERNS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { sql } from '../store/sql.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerFile, problem } from './problems.ts';
import { analyserJson, positionDe } from './json-positions.ts';

/**
 * The optional `contours.geojson` of a dataset (issue 14, docs/carte.md): the outlines of the communes and/or of
 * the QPV, a GeoJSON FeatureCollection in WGS84 (longitude, latitude in degrees), each feature a Polygon or
 * MultiPolygon whose properties name it: `code_insee` (a commune) or `code_qpv` (a QPV; `code_qp`, the ANCT
 * file's name, is read the same). Checked whole before anything is kept: a text that is not JSON, not a
 * FeatureCollection, a feature without a code, a geometry that is not a surface or coordinates that cannot be
 * degrees (a file left in Lambert 93) are each a located French error, and nothing is loaded.
 */

export const FICHIER_CONTOURS = 'contours.geojson';
/** A national QPV file is some 30 MB; the importer holds the text in memory. */
export const TAILLE_MAX_CONTOURS = 64 * 1024 * 1024;

export type GenreContour = 'commune' | 'qpv';

/** One outline as kept in the store: the feature itself (JSON text, as imported) and what names it. */
export interface Contour {
  readonly ordre: number;
  readonly genre: GenreContour;
  readonly code: string;
  readonly nom: string | null;
  readonly entite: string;
  /** The file's citation: its root member `source` (RFC 7946 §6.1 allows such foreign members), null without one. */
  readonly source: string | null;
}

export type LectureContours = { readonly ok: true; readonly contours: readonly Contour[] } | { readonly ok: false; readonly problemes: readonly ImportProblem[] };

const INSEE = new RegExp(PATTERNS.insee.regex);
const SURFACES = new Set(['Polygon', 'MultiPolygon']);

type Objet = Record<string, unknown>;
const estObjet = (v: unknown): v is Objet => typeof v === 'object' && v !== null && !Array.isArray(v);
const texteDe = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Reads and checks a contours file's text; `fichier` is the name errors give. */
export function lireContours(texteBrut: string, fichier: string): LectureContours {
  const texte = texteBrut.charCodeAt(0) === 0xfeff ? texteBrut.slice(1) : texteBrut;
  const erreurs: ImportProblem[] = [];
  const ici = (offset: number) => {
    const p = positionDe(texte, offset);
    return { ligne: p.ligne, colonne: String(p.colonne) };
  };
  const analyse = analyserJson(texte);
  if (!analyse.ok) {
    const extrait = texte.slice(analyse.erreur.offset, analyse.erreur.offset + 20);
    return {
      ok: false,
      problemes: [
        problem({
          fichier,
          ...ici(analyse.erreur.offset),
          valeur: extrait === '' ? null : extrait,
          message: `ce n’est pas un fichier GeoJSON : le texte n’est pas du JSON valide — attendu : ${analyse.erreur.attendu}`,
        }),
      ],
    };
  }
  const racine: unknown = JSON.parse(texte);
  if (!estObjet(racine) || racine.type !== 'FeatureCollection' || !Array.isArray(racine.features)) {
    const type = estObjet(racine) ? texteDe(racine.type) : null;
    return {
      ok: false,
      problemes: [
        problem({
          fichier,
          ligne: 1,
          valeur: type,
          message: 'ce n’est pas un fichier GeoJSON de contours — attendu : un objet { "type": "FeatureCollection", "features": [ … ] }',
        }),
      ],
    };
  }
  const crs = estObjet(racine.crs) && estObjet(racine.crs.properties) ? texteDe(racine.crs.properties.name) : null;
  if (crs !== null && !/CRS84|4326/i.test(crs)) {
    erreurs.push(problem({ fichier, ligne: 1, colonne: 'crs', valeur: crs, message: 'système de coordonnées autre que WGS84 — attendu : des longitudes et latitudes en degrés (EPSG:4326) ; reprojetez le fichier' }));
  }
  const source = texteDe(racine.source);
  const features = racine.features as unknown[];
  if (features.length === 0) erreurs.push(problem({ fichier, ligne: 1, colonne: 'features', message: 'aucun contour dans le fichier — attendu : au moins une entité (Feature)' }));
  const contours: Contour[] = [];
  const vus = new Map<string, number>();
  features.forEach((feature, index) => {
    const lieu = ici(analyse.entites[index] ?? 0);
    const quelle = `entité n° ${index + 1}`;
    const erreur = (message: string, valeur: string | null = null, colonne = lieu.colonne) => erreurs.push(problem({ fichier, ligne: lieu.ligne, colonne, valeur, message: `${quelle} : ${message}` }));
    if (!estObjet(feature) || feature.type !== 'Feature') {
      erreur('attendu : un objet { "type": "Feature", "properties": { … }, "geometry": { … } }');
      return;
    }
    const proprietes = estObjet(feature.properties) ? feature.properties : {};
    const codeQpv = texteDe(proprietes.code_qpv) ?? texteDe(proprietes.code_qp);
    const codeInsee = texteDe(proprietes.code_insee);
    let genre: GenreContour;
    let code: string;
    if (codeQpv !== null) {
      genre = 'qpv';
      code = codeQpv;
    } else if (codeInsee !== null) {
      if (!INSEE.test(codeInsee)) {
        erreur(`propriété code_insee invalide — attendu : ${PATTERNS.insee.attendu}`, codeInsee);
        return;
      }
      genre = 'commune';
      code = codeInsee;
    } else {
      const lues = Object.keys(proprietes);
      erreur(`ni code_insee (une commune) ni code_qpv (un QPV) dans ses propriétés (lues : ${lues.length > 0 ? lues.join(', ') : 'aucune'})`);
      return;
    }
    const geometrie = feature.geometry;
    if (!estObjet(geometrie) || typeof geometrie.type !== 'string' || !SURFACES.has(geometrie.type)) {
      erreur('géométrie absente ou qui n’est pas une surface — attendu : Polygon ou MultiPolygon', estObjet(geometrie) ? texteDe(geometrie.type) : null);
      return;
    }
    const fausse = premiereCoordonneeFausse(geometrie.coordinates, geometrie.type === 'Polygon' ? 3 : 4);
    if (fausse !== null) {
      erreur(fausse.message, fausse.valeur);
      return;
    }
    const cle = `${genre}:${code}`;
    const premier = vus.get(cle);
    if (premier !== undefined) {
      erreur(`${genre === 'commune' ? 'commune' : 'QPV'} ${code} déjà décrit par l’entité n° ${premier + 1} — attendu : un contour par code (un MultiPolygon pour plusieurs morceaux)`, code);
      return;
    }
    vus.set(cle, index);
    const nom = texteDe(proprietes.nom) ?? texteDe(proprietes.lib_qp) ?? texteDe(proprietes.lib_com);
    contours.push({ ordre: index + 1, genre, code, nom, entite: JSON.stringify(feature), source });
  });
  if (erreurs.length > 0) return { ok: false, problemes: erreurs.slice(0, maxProblemsPerFile()) };
  return { ok: true, contours };
}

/** Reads and checks a contours file (UTF-8, as RFC 7946 requires, at most TAILLE_MAX_CONTOURS bytes). */
export function lireFichierContours(chemin: string, fichier: string): LectureContours {
  const taille = statSync(chemin).size;
  if (taille > TAILLE_MAX_CONTOURS) {
    return { ok: false, problemes: [problem({ fichier, message: `fichier de contours trop gros (${Math.ceil(taille / 1024 / 1024)} Mo) — attendu : au plus ${TAILLE_MAX_CONTOURS / 1024 / 1024} Mo ; simplifiez les contours` })] };
  }
  let texte: string;
  try {
    texte = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(chemin));
  } catch {
    return { ok: false, problemes: [problem({ fichier, message: 'ce n’est pas un fichier GeoJSON : le texte n’est pas en UTF-8 — attendu : un fichier texte UTF-8 (RFC 7946)' })] };
  }
  return lireContours(texte, fichier);
}

/**
 * The first position that is not [longitude, latitude] in degrees, in coordinates nested `niveaux` deep
 * (3 for a Polygon: rings of positions; 4 for a MultiPolygon). Coordinates in metres (Lambert 93: 650 000,
 * 6 860 000) are the usual mistake, and are named as such.
 */
function premiereCoordonneeFausse(coordonnees: unknown, niveaux: number): { message: string; valeur: string | null } | null {
  const forme = niveaux === 3 ? 'des anneaux de positions [longitude, latitude]' : 'des polygones faits d’anneaux de positions [longitude, latitude]';
  if (!Array.isArray(coordonnees) || coordonnees.length === 0) return { message: `coordonnées absentes — attendu : ${forme}`, valeur: null };
  if (niveaux === 2) {
    if (coordonnees.length < 4) return { message: 'anneau de moins de 4 positions — attendu : un anneau fermé (la première position répétée à la fin)', valeur: null };
    for (const position of coordonnees) {
      if (!Array.isArray(position) || position.length < 2 || !position.slice(0, 2).every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return { message: 'position qui n’est pas un couple de nombres — attendu : [longitude, latitude]', valeur: JSON.stringify(position)?.slice(0, 60) ?? null };
      }
      const [lon, lat] = position as [number, number];
      if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        const metres = Math.abs(lon) > 1000 || Math.abs(lat) > 1000;
        return {
          message: `coordonnées hors des degrés WGS84${metres ? ' (des mètres : un fichier en Lambert 93 ?)' : ''} — attendu : longitude entre −180 et 180, latitude entre −90 et 90 (EPSG:4326) ; reprojetez le fichier`,
          valeur: `[${lon}, ${lat}]`,
        };
      }
    }
    return null;
  }
  for (const partie of coordonnees) {
    const fausse = premiereCoordonneeFausse(partie, niveaux - 1);
    if (fausse !== null) return fausse;
  }
  return null;
}

/** Replaces the stored contours (inside the import's transaction). */
export async function remplacerContours(store: Store, contours: readonly Contour[]): Promise<void> {
  await store.run(sql`DELETE FROM contours`);
  // Batches of rows, values as parameters: a QPV's name or a property comes from the file.
  for (let debut = 0; debut < contours.length; debut += 200) {
    const lot = contours.slice(debut, debut + 200);
    const lignes = lot.map((c) => sql`(${c.ordre}, ${c.genre}, ${c.code}, ${c.nom}, ${c.entite}::JSON, ${c.source})`);
    await store.run(sql`INSERT INTO contours (ordre, genre, code, nom, entite, source) VALUES ${sql.join(lignes, ', ')}`);
  }
}

/** The stored contours, in the file's order. */
export async function contoursDeLaBase(store: Store): Promise<Contour[]> {
  return store.all<Contour>(sql`SELECT ordre, genre, code, nom, entite::VARCHAR AS entite, source FROM contours ORDER BY ordre`);
}

/** The stored contours as the GeoJSON text of a contours.geojson, or null when there are none (the export writes it back). */
export async function contoursGeojson(store: Store): Promise<string | null> {
  const contours = await contoursDeLaBase(store);
  if (contours.length === 0) return null;
  const source = contours[0]?.source ?? null;
  return `{"type":"FeatureCollection",${source !== null ? `"source":${JSON.stringify(source)},` : ''}"features":[\n${contours.map((c) => c.entite).join(',\n')}\n]}\n`;
}
