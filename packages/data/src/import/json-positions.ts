/**
 * Where things are in a JSON text, for located errors: Node's JSON.parse says that a text is not JSON but not
 * where (Node 20 gives no position), and says nothing of where the n-th element of an array starts. This scanner
 * walks the JSON grammar (RFC 8259) without building values: it gives the offset of the first syntax error, and
 * the offsets where the elements of the root object's `features` array start (a GeoJSON FeatureCollection), so
 * that a problem in the 12th feature names its line and column. Used by import/contours.ts.
 */

/** A position in a text as an editor shows it: line and column, 1-based. */
export interface PositionTexte {
  readonly ligne: number;
  readonly colonne: number;
}

/** The line and column of an offset of `texte`. */
export function positionDe(texte: string, offset: number): PositionTexte {
  let ligne = 1;
  let debutLigne = 0;
  const fin = Math.min(offset, texte.length);
  for (let i = 0; i < fin; i++) {
    if (texte.charCodeAt(i) === 10) {
      ligne += 1;
      debutLigne = i + 1;
    }
  }
  return { ligne, colonne: fin - debutLigne + 1 };
}

/** The first syntax error of a JSON text: its offset and what was expected there. */
export interface ErreurSyntaxe {
  readonly offset: number;
  readonly attendu: string;
}

/** What the scan of a JSON text found. */
export type AnalyseJson = { readonly ok: true; readonly entites: readonly number[] } | { readonly ok: false; readonly erreur: ErreurSyntaxe };

class Echec {
  constructor(readonly erreur: ErreurSyntaxe) {}
}

/** Deeper nesting than this is refused: a GeoJSON MultiPolygon nests 7 levels, and the scanner recurses. */
const PROFONDEUR_MAX = 64;
const NOMBRE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Scans `texte` as JSON: the first syntax error, or the start offsets of the root's `features` elements. */
export function analyserJson(texte: string): AnalyseJson {
  const entites: number[] = [];
  let i = 0;
  const n = texte.length;
  const echec = (attendu: string): never => {
    throw new Echec({ offset: i, attendu });
  };
  const blancs = () => {
    while (i < n) {
      const c = texte.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const chaine = (): string => {
    if (texte[i] !== '"') echec('une chaîne entre guillemets droits (")');
    const debut = i + 1;
    i++;
    while (i < n) {
      const c = texte.charCodeAt(i);
      if (c === 34) {
        i++;
        return texte.slice(debut, i - 1);
      }
      if (c < 32) echec('la fin de la chaîne (") avant la fin de la ligne');
      if (c === 92) {
        const e = texte[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(texte.slice(i + 2, i + 6))) echec('\\u suivi de 4 chiffres hexadécimaux');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else echec('un échappement valide (\\", \\\\, \\n, \\uXXXX…)');
      } else i++;
    }
    return echec('la fin de la chaîne (")');
  };
  const valeur = (profondeur: number, cleRacine: string | null): void => {
    if (profondeur > PROFONDEUR_MAX) echec(`au plus ${PROFONDEUR_MAX} niveaux d’imbrication`);
    blancs();
    const c = texte[i];
    if (c === '{') {
      i++;
      blancs();
      if (texte[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        blancs();
        const cle = chaine();
        blancs();
        if (texte[i] !== ':') echec('« : » après le nom de la propriété');
        i++;
        valeur(profondeur + 1, profondeur === 0 ? cle : null);
        blancs();
        if (texte[i] === ',') i++;
        else if (texte[i] === '}') {
          i++;
          return;
        } else echec('« , » ou « } »');
      }
    }
    if (c === '[') {
      i++;
      blancs();
      if (texte[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        blancs();
        if (cleRacine === 'features') entites.push(i);
        valeur(profondeur + 1, null);
        blancs();
        if (texte[i] === ',') i++;
        else if (texte[i] === ']') {
          i++;
          return;
        } else echec('« , » ou « ] »');
      }
    }
    if (c === '"') {
      chaine();
      return;
    }
    for (const mot of ['true', 'false', 'null']) {
      if (texte.startsWith(mot, i)) {
        i += mot.length;
        return;
      }
    }
    NOMBRE.lastIndex = i;
    const m = NOMBRE.exec(texte);
    if (m && m[0].length > 0) {
      i += m[0].length;
      return;
    }
    echec(i >= n ? 'une valeur avant la fin du fichier' : 'une valeur JSON (objet, tableau, chaîne, nombre, true, false ou null)');
  };
  try {
    valeur(0, null);
    blancs();
    if (i < n) echec('la fin du fichier après la valeur');
    return { ok: true, entites };
  } catch (e) {
    if (e instanceof Echec) return { ok: false, erreur: e.erreur };
    throw e;
  }
}
