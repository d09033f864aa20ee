import type { Document } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * The form of the cotation page (issue 15 item 5): a grid's criteria and headings as fields a person edits, written
 * back into the grid's own YAML text. The text stays the source: each change is a `setIn` on the parsed YAML document,
 * so comments, anchors and the layout an expert wrote are kept (only the edited value changes). Validation stays
 * the server's (`verifierGrilleEnvoyee`), called as the person types.
 *
 * A criterion reused through a YAML alias (`- *expulsion`, shared by the two bodies of a grid) is shown read-only in
 * the body that borrows it: it is edited where it is defined.
 */

export type CheminYaml = readonly (string | number)[];

export interface CritereFormulaire {
  readonly chemin: CheminYaml;
  readonly id: string;
  readonly libelle: string;
  /** Fixed points, or null for a seniority criterion. */
  readonly points: number | null;
  readonly pointsParMois: number | null;
  readonly plafond: number | null;
  /** The conditions as written (`si`), in words for the form; edited in the YAML. */
  readonly conditions: string;
  /** Borrowed through a YAML alias: edited where it is defined. */
  readonly partage: boolean;
}

export interface RubriqueFormulaire {
  readonly chemin: CheminYaml;
  readonly id: string;
  readonly criteres: readonly string[];
  readonly mode: string;
  readonly plafond: number | null;
}

export interface CorpsFormulaire {
  readonly chemin: CheminYaml;
  readonly libelle: string;
  readonly criteres: readonly CritereFormulaire[];
  readonly rubriques: readonly RubriqueFormulaire[];
}

export interface GrilleFormulaire {
  readonly nom: string;
  readonly corps: readonly CorpsFormulaire[];
}

const BODIES: readonly { cle: string | null; libelle: string }[] = [
  { cle: null, libelle: 'Tous les demandeurs' },
  { cle: 'premier_acces', libelle: 'Premier accès' },
  { cle: 'mutation', libelle: 'Mutation' },
];

const nombre = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const texte = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function document(source: string): Document | null {
  const doc = parseDocument(source, { prettyErrors: false });
  return doc.errors.length > 0 || !isMap(doc.contents) ? null : doc;
}

/** The fields of the form, or null when the text is not a YAML map (the YAML editor then says why). */
export function lireFormulaire(source: string): GrilleFormulaire | null {
  const doc = document(source);
  if (!doc) return null;
  const corps: CorpsFormulaire[] = [];
  for (const b of BODIES) {
    const base: CheminYaml = b.cle === null ? [] : [b.cle];
    const criteres = doc.getIn([...base, 'criteres'], true);
    if (!isSeq(criteres)) continue;
    const liste: CritereFormulaire[] = criteres.items.map((item, i) => {
      const partage = isAlias(item);
      const noeud = partage ? item.resolve(doc) : item;
      const valeur = (isMap(noeud) ? noeud.toJSON() : {}) as Record<string, unknown>;
      return {
        chemin: [...base, 'criteres', i],
        id: texte(valeur['id']),
        libelle: texte(valeur['libelle']),
        points: nombre(valeur['points']),
        pointsParMois: nombre(valeur['points_par_mois']),
        plafond: nombre(valeur['plafond']),
        conditions: conditionsEnMots(valeur['si']),
        partage,
      };
    });
    const rubriques = doc.getIn([...base, 'rubriques'], true);
    const listeRubriques: RubriqueFormulaire[] = isSeq(rubriques)
      ? rubriques.items.map((item, i) => {
          const valeur = (isMap(item) ? item.toJSON() : {}) as Record<string, unknown>;
          return {
            chemin: [...base, 'rubriques', i],
            id: texte(valeur['id']),
            criteres: Array.isArray(valeur['criteres']) ? valeur['criteres'].map(texte) : [],
            mode: texte(valeur['mode']),
            plafond: nombre(valeur['plafond']),
          };
        })
      : [];
    corps.push({ chemin: base, libelle: b.libelle, criteres: liste, rubriques: listeRubriques });
  }
  const nom = doc.get('nom');
  return { nom: texte(isScalar(nom) ? nom.value : nom), corps };
}

/** `{ motif: expulsion, logement_actuel: { in: [a, b] } }` → « motif = expulsion ; logement_actuel parmi a, b ». */
export function conditionsEnMots(si: unknown): string {
  if (si === undefined || si === null) return 'toujours';
  if (typeof si !== 'object' || Array.isArray(si)) return String(si);
  const OPS: Record<string, string> = { '=': '=', in: 'parmi', '>': '>', '>=': '≥', '<': '<', '<=': '≤' };
  return Object.entries(si as Record<string, unknown>)
    .map(([champ, v]) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        return Object.entries(v as Record<string, unknown>)
          .map(([op, x]) => `${champ} ${OPS[op] ?? op} ${Array.isArray(x) ? x.join(', ') : String(x)}`)
          .join(' et ');
      }
      return `${champ} = ${String(v)}`;
    })
    .join(' ; ');
}

/**
 * The text with one value changed (a number, a text, or null to remove the key), everything else as written. A text
 * that does not parse is returned unchanged (the form is only shown for a readable grid).
 */
export function modifierGrille(source: string, chemin: CheminYaml, valeur: string | number | null): string {
  const doc = document(source);
  if (!doc) return source;
  if (valeur === null) doc.deleteIn(chemin);
  else doc.setIn(chemin, valeur);
  return ecrire(doc);
}

/**
 * The document back to text: no folding at 80 columns (lineWidth 0), so that a criterion written on one line stays on
 * one line; a folded description (`>-`) comes back as one line, the same text.
 */
const ecrire = (doc: Document): string => doc.toString({ lineWidth: 0 });

/** The text with a fixed-points criterion added at the end of a body's criteria, written on one line like the others. */
export function ajouterCritere(
  source: string,
  corps: CheminYaml,
  critere: { readonly id: string; readonly libelle: string; readonly points: number; readonly si: Readonly<Record<string, string | number | boolean>> },
): string {
  const doc = document(source);
  if (!doc) return source;
  const noeud = doc.createNode({ id: critere.id, libelle: critere.libelle, points: critere.points, si: { ...critere.si } }, { flow: true });
  doc.addIn([...corps, 'criteres'], noeud);
  return ecrire(doc);
}
