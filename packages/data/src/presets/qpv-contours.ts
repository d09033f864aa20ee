import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { TAILLE_MAX_CONTOURS, contoursDeLaBase } from '../import/contours.ts';
import type { ImportProblem } from '../import/problems.ts';
import { problem } from '../import/problems.ts';
import type { Conversion } from './resultat.ts';

/**
 * The QPV contours preset (docs/presets.md): the ANCT file (`qpv-2024-geojson.zip`, member `*WGS84.geojson`,
 * properties `code_qp, lib_qp, insee_com, lib_com`, one feature per QPV × commune) → the map's `contours.geojson`:
 * the features of the territory's QPV (those of the store's `qpv` table, or of the QPV list imported with it), the
 * parts of one QPV joined into one MultiPolygon, and the commune outlines already in the store kept (an import of
 * contours replaces them all). The file is then checked whole by the ordinary contours import (import/contours.ts).
 */

const SOURCE_ANCT = 'ANCT, contours des quartiers prioritaires de la politique de la ville 2024 (Licence Ouverte)';

type Objet = Record<string, unknown>;
const estObjet = (v: unknown): v is Objet => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a GeoJSON text is the ANCT file: its first feature has `code_qp` and `insee_com`. */
export function estContoursAnct(texteDebut: string): boolean {
  const i = texteDebut.indexOf('"properties"');
  const extrait = i === -1 ? '' : texteDebut.slice(i, i + 2000);
  return extrait.includes('"code_qp"') && extrait.includes('"insee_com"');
}

export async function convertirContoursQpv(
  store: Store,
  chemin: string,
  o: { dossier: string; fichier: string; qpvDuLot: ReadonlySet<string> | null },
): Promise<Conversion> {
  const echec = (message: string): Conversion => ({ fichiers: [], erreurs: [problem({ fichier: o.fichier, message })], avertissements: [], lignesSource: 0 });
  if (statSync(chemin).size > TAILLE_MAX_CONTOURS * 4) return echec(`fichier trop gros (plus de ${(TAILLE_MAX_CONTOURS * 4) / 1024 / 1024} Mo) pour les contours des QPV`);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(chemin)).replace(/^\uFEFF/, ''));
  } catch (error) {
    return echec(`GeoJSON illisible : ${(error as Error).message} — attendu : le fichier *WGS84.geojson de l’archive de l’ANCT`);
  }
  if (!estObjet(document) || !Array.isArray(document.features)) return echec('ce n’est pas une FeatureCollection GeoJSON — attendu : le fichier *WGS84.geojson de l’archive de l’ANCT');
  const territoire = o.qpvDuLot ?? new Set((await store.all<{ c: string }>(`SELECT code_qpv AS c FROM qpv`)).map((r) => r.c));
  if (territoire.size === 0) return echec('la base ne connaît aucun QPV du territoire : importez d’abord qpv.csv (ou la liste des QPV avec ce fichier)');
  const parties = new Map<string, { nom: string | null; polygones: unknown[] }>();
  const erreurs: ImportProblem[] = [];
  document.features.forEach((f: unknown, i: number) => {
    if (!estObjet(f) || !estObjet(f.properties) || !estObjet(f.geometry)) return;
    const code = typeof f.properties.code_qp === 'string' ? f.properties.code_qp.trim().toUpperCase() : null;
    if (code === null || !territoire.has(code)) return;
    const g = f.geometry;
    const polygones = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' && Array.isArray(g.coordinates) ? g.coordinates : null;
    if (polygones === null) {
      erreurs.push(problem({ fichier: o.fichier, colonne: `features[${i}].geometry`, valeur: String(g.type), message: 'géométrie qui n’est pas une surface — attendu : Polygon ou MultiPolygon' }));
      return;
    }
    const p = parties.get(code) ?? { nom: typeof f.properties.lib_qp === 'string' ? f.properties.lib_qp : null, polygones: [] };
    p.polygones.push(...polygones);
    parties.set(code, p);
  });
  if (erreurs.length > 0) return { fichiers: [], erreurs, avertissements: [], lignesSource: document.features.length };
  if (parties.size === 0) return echec(`aucun contour de ce fichier n’est celui d’un QPV du territoire (${[...territoire].slice(0, 5).join(', ')}${territoire.size > 5 ? '…' : ''}) — est-ce le fichier d’un autre millésime ?`);
  const avertissements: ImportProblem[] = [];
  const manquants = [...territoire].filter((c) => !parties.has(c));
  if (manquants.length > 0 && o.qpvDuLot === null) {
    avertissements.push(problem({ severite: 'avertissement', fichier: o.fichier, valeur: manquants.join(', '), message: 'QPV du territoire sans contour dans ce fichier (secteurs assimilés ou autre millésime) : ils n’apparaissent pas sur la carte' }));
  }
  // The communes' outlines already stored, kept as they were imported.
  const communes = (await contoursDeLaBase(store)).filter((c) => c.genre === 'commune');
  const features = [
    ...communes.map((c) => c.entite),
    ...[...parties].map(([code, p]) => JSON.stringify({ type: 'Feature', properties: { code_qpv: code, nom: p.nom }, geometry: { type: 'MultiPolygon', coordinates: p.polygones } })),
  ];
  const source = [communes[0]?.source, SOURCE_ANCT].filter((s): s is string => typeof s === 'string' && s !== '').join(' ; ');
  const sortie = join(o.dossier, 'contours.geojson');
  writeFileSync(sortie, `{"type":"FeatureCollection","source":${JSON.stringify(source)},"features":[\n${features.join(',\n')}\n]}\n`, 'utf8');
  return { fichiers: [{ chemin: sortie, table: 'contours', nomAffiche: o.fichier }], erreurs: [], avertissements, lignesSource: document.features.length };
}
