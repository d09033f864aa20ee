import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/**
 * Where a key path of a parsed YAML document is written, for the located messages of the files users write by hand
 * (cotation grids, simulation policies): a zod issue's path → line and column of the key or of its value.
 */

export type CheminYaml = readonly PropertyKey[];

/** A key path as users read it: `criteres[2].si.q1`, `(racine)` for the document itself. */
export const cheminTexte = (chemin: CheminYaml): string => {
  let out = '';
  for (const k of chemin) out += typeof k === 'number' ? `[${k}]` : /^\d+$/.test(String(k)) && out !== '' ? `[${String(k)}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out === '' ? '(racine)' : out;
};

/** The YAML node at a path (following aliases), with the deepest reachable node when the path goes further. */
function noeudA(doc: Document, chemin: CheminYaml): { noeud: YamlNode | null; cle: YamlNode | null } {
  let noeud: unknown = doc.contents;
  let cle: YamlNode | null = null;
  for (const k of chemin) {
    if (isAlias(noeud)) noeud = noeud.resolve(doc);
    if (isMap(noeud)) {
      const pair = noeud.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(k));
      if (!pair) break;
      cle = (pair.key as YamlNode | null) ?? null;
      noeud = pair.value;
    } else if (isSeq(noeud)) {
      const item = noeud.items[Number(k)];
      if (item === undefined) break;
      cle = null;
      noeud = item;
    } else break;
  }
  return { noeud: (noeud as YamlNode | null) ?? null, cle };
}

/** Line and column (1-based) of the path's key (`surLaCle`, for an unknown key) or of its value; null when unknown. */
export function positionYaml(doc: Document, lignes: LineCounter, chemin: CheminYaml, surLaCle: boolean): { ligne: number | null; colonne: number | null } {
  const { noeud, cle } = noeudA(doc, chemin);
  const cible = surLaCle && cle ? cle : (noeud ?? cle);
  const debut = cible?.range?.[0];
  if (debut === undefined) return { ligne: null, colonne: null };
  const pos = lignes.linePos(debut);
  return { ligne: pos.line, colonne: pos.col };
}
