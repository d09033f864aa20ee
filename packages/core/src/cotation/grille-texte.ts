import type { YAMLError, Node as YamlNode } from 'yaml';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { CheminYaml } from '../format/yaml-position.ts';
import { cheminTexte, positionYaml } from '../format/yaml-position.ts';
import type { Grille, ProblemeGrille } from './grille-modele.ts';
import { GrilleInvalideError } from './grille-modele.ts';
import { DEPUIS_GRILLE_ENVOYEE, champ, refusDansUneGrilleEnvoyee } from './champs.ts';
import { CLES, grilleSchema, operateursDe } from './grille-schema.ts';

// ---------------------------------------------------------------------------------------------------------------
// Text → grid, with located problems.

type Chemin = CheminYaml;

/** The value at a path of the parsed document (undefined when a key is missing). */
function valeurA(document: unknown, chemin: Chemin): unknown {
  let v: unknown = document;
  for (const k of chemin) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Which kind of object a path designates, for the list of allowed keys. */
function clesAttenduesA(chemin: Chemin): readonly string[] {
  const c = chemin.map(String);
  const n = c.length;
  if (n === 0) return CLES.racine;
  if (n === 1 && (c[0] === 'premier_acces' || c[0] === 'mutation')) return CLES.corps;
  if (c[n - 3] === 'si') return CLES.condition;
  if (c[n - 2] === 'criteres') return CLES.critere;
  if (c[n - 2] === 'rubriques') return CLES.rubrique;
  if (c[n - 1] === 'refus') return CLES.refus;
  return [];
}

/** The YAML errors a hand-written grid commonly has, in French (others keep the library's English message). */
const ERREURS_YAML: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'tabulation dans l’indentation : indentez avec des espaces',
  DUPLICATE_KEY: 'clé répétée dans le même objet',
  BAD_INDENT: 'indentation incorrecte',
  MISSING_CHAR: 'caractère manquant (accolade, crochet ou guillemet fermant ?)',
  MULTILINE_IMPLICIT_KEY: 'clé sur plusieurs lignes (deux-points manquant, ou indentation ?)',
  BLOCK_AS_IMPLICIT_KEY: 'structure inattendue à la place d’une clé (indentation ?)',
  UNEXPECTED_TOKEN: 'caractère inattendu',
  BAD_SCALAR_START: 'valeur mal commencée (mettez-la entre guillemets)',
  BAD_ALIAS: 'ancre inconnue (*nom sans &nom défini avant)',
};

/**
 * Parses and checks a grid written in YAML or JSON. Throws GrilleInvalideError with every problem located
 * (`fichier`, YAML line and column, key path, what is expected).
 */
export function parseGrille(text: string, fichier: string): Grille {
  const resultat = verifierGrille(text, fichier);
  if (!resultat.ok) throw new GrilleInvalideError(resultat.problemes);
  return resultat.grille;
}

/** parseGrille without throwing: for the grid editor, which shows the problems as the user types. */
export function verifierGrille(text: string, fichier: string): { ok: true; grille: Grille } | { ok: false; problemes: ProblemeGrille[] } {
  const lignes = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lignes, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problemes: doc.errors.map((e) => {
        const pos = lignes.linePos(e.pos[0]);
        const detail = ERREURS_YAML[e.code] ?? e.message.split('\n')[0];
        return { fichier, ligne: pos?.line ?? null, colonne: pos?.col ?? null, chemin: '(texte)', message: `YAML illisible : ${detail}` };
      }),
    };
  }
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // An alias without its anchor (or an alias bomb): the parser accepted the text, building the values fails.
    let alias: YamlNode | null = null;
    visit(doc, {
      Alias(_, node) {
        if (alias === null && node.resolve(doc) === undefined) alias = node;
      },
    });
    const debut = (alias as YamlNode | null)?.range?.[0];
    const pos = debut === undefined ? null : lignes.linePos(debut);
    const message = alias ? (ERREURS_YAML.BAD_ALIAS ?? '') : (error as Error).message;
    return { ok: false, problemes: [{ fichier, ligne: pos?.line ?? null, colonne: pos?.col ?? null, chemin: '(texte)', message: `YAML illisible : ${message}` }] };
  }
  if (document === null || document === undefined) {
    return { ok: false, problemes: [{ fichier, ligne: null, colonne: null, chemin: '(racine)', message: 'la grille est vide : nom, version et criteres sont attendus' }] };
  }
  const result = grilleSchema.safeParse(document);
  if (result.success) return { ok: true, grille: result.data };

  const problemes: ProblemeGrille[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const attendues = clesAttenduesA(issue.path);
      for (const key of issue.keys) {
        const chemin = [...issue.path, key];
        problemes.push({
          fichier,
          ...positionYaml(doc, lignes, chemin, true),
          chemin: cheminTexte(chemin),
          message: `clé inconnue « ${key} »${attendues.length > 0 ? ` ; clés possibles : ${attendues.join(', ')}` : ''}`,
        });
      }
      continue;
    }
    const absente = issue.code === 'invalid_type' && valeurA(document, issue.path) === undefined;
    problemes.push({
      fichier,
      ...positionYaml(doc, lignes, issue.path, false),
      chemin: cheminTexte(issue.path),
      message: absente ? `clé obligatoire « ${String(issue.path.at(-1))} » absente` : issue.message,
    });
  }
  problemes.sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0));
  return { ok: false, problemes };
}

/**
 * verifierGrille for a grid SENT through the API (issue 10): the same checks, then the fields the grid reads against
 * the allow-list of sent grids (`CHAMPS_GRILLE_ENVOYEE`, champs.ts), each refusal located (line, column, key path)
 * and naming the criterion and the field.
 */
export function verifierGrilleEnvoyee(text: string, fichier: string): { ok: true; grille: Grille } | { ok: false; problemes: ProblemeGrille[] } {
  const resultat = verifierGrille(text, fichier);
  if (!resultat.ok) return resultat;
  const lignes = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lignes, prettyErrors: false, uniqueKeys: true });
  const document = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  const problemes: ProblemeGrille[] = [];
  const refuser = (chemin: Chemin, message: string, surLaCle: boolean) =>
    problemes.push({ fichier, ...positionYaml(doc, lignes, chemin, surLaCle), chemin: cheminTexte(chemin), message });
  const similaires = Array.isArray(document.similaires) ? (document.similaires as unknown[]) : [];
  similaires.forEach((nom, i) => {
    const d = champ(String(nom));
    const refus = d && refusDansUneGrilleEnvoyee(d, 'similaires');
    if (refus) refuser(['similaires', i], `regroupement des demandes similaires : ${refus}`, false);
  });
  for (const chemin of [[], ['premier_acces'], ['mutation']] as const) {
    const criteres = valeurA(document, [...chemin, 'criteres']);
    if (!Array.isArray(criteres)) continue;
    criteres.forEach((c: Record<string, unknown>, i) => {
      const at = [...chemin, 'criteres', i];
      const critere = `critère « ${String(c.id)} »`;
      if (typeof c.depuis === 'string' && c.depuis !== DEPUIS_GRILLE_ENVOYEE) {
        const d = champ(c.depuis);
        const refus = d && refusDansUneGrilleEnvoyee(d, 'depuis');
        if (refus) refuser([...at, 'depuis'], `${critere} : ${refus}`, false);
      }
      for (const [nom, valeur] of Object.entries((c.si ?? {}) as Record<string, unknown>)) {
        const d = champ(nom);
        if (!d) continue;
        for (const { operateur } of operateursDe(valeur) ?? []) {
          const refus = refusDansUneGrilleEnvoyee(d, 'condition', operateur);
          if (refus) {
            refuser([...at, 'si', nom], `${critere} : ${refus}`, true);
            break;
          }
        }
      }
    });
  }
  if (problemes.length === 0) return resultat;
  problemes.sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0));
  return { ok: false, problemes };
}
