import type { Probleme } from '../erreurs.ts';
import { DonneesInvalidesError } from '../erreurs.ts';
import type { DefinitionChamp } from './champs.ts';

/**
 * The cotation grid as the engines read it (L441-2-8 CCH, décret 2019-1378; issue 6; format in docs/cotation.md):
 * its types, constants and the located problems of a grid. grille-schema.ts checks and normalises a document,
 * grille-texte.ts reads YAML/JSON text with positions; grille.ts gathers the three.
 */

export const OPERATEURS = ['=', 'in', '>', '>=', '<', '<='] as const;
export type Operateur = (typeof OPERATEURS)[number];

export const PORTEES = ['toutes', 'premier_acces', 'mutation'] as const;
/** Which requests a body scores: all of them, or first-access requests, or mutations (social tenants). */
export type Portee = (typeof PORTEES)[number];

export const LIBELLES_PORTEE: Record<Portee, string> = {
  toutes: 'Toutes les demandes',
  premier_acces: 'Premier accès',
  mutation: 'Mutation (déjà locataire du parc social)',
};

export const MODES_RUBRIQUE = ['max', 'somme'] as const;
export type ModeRubrique = (typeof MODES_RUBRIQUE)[number];

/** The similarity key when a grid gives none (DOMAIN.md: same typology and same first-choice commune). */
export const SIMILAIRES_PAR_DEFAUT = ['typologie_min', 'commune_1'] as const;

/** Identifier reserved for the refusal line of an explanation. */
export const ID_REFUS = 'refus';
/** Prefix of the explanation line that removes what a heading's cap cuts. */
export const PREFIXE_PLAFOND = 'plafond:';

/** Lines of an explanation per body (criteria, heading caps, refusals): the engine carries them as a 63-bit mask. */
export const LIGNES_MAX = 63;

/** Points are kept with at most two decimals and summed as integers of hundredths: ties are exact. */
export const POINTS_MAX = 100_000;

export type Scalaire = string | number | boolean;

/** How a condition compares, once the field and the value are known (free columns take the type of the value). */
export type Comparaison = 'texte' | 'nombre' | 'booleen' | 'date' | 'liste';

export interface Condition {
  readonly champ: DefinitionChamp;
  readonly operateur: Operateur;
  /** A scalar, or the list of `in`. Dates are ISO strings. */
  readonly valeur: Scalaire | readonly Scalaire[];
  readonly comparaison: Comparaison;
}

interface CritereBase {
  readonly id: string;
  readonly libelle: string;
  readonly source: string | null;
  /** All must hold (an empty list always holds). */
  readonly conditions: readonly Condition[];
}

export type CritereGrille =
  | (CritereBase & { readonly kind: 'points'; readonly points: number; readonly centiemes: number })
  | (CritereBase & {
      readonly kind: 'anciennete';
      readonly pointsParMois: number;
      readonly centiemesParMois: number;
      readonly plafond: number | null;
      readonly plafondCentiemes: number | null;
      readonly depuis: DefinitionChamp;
    });

export interface Rubrique {
  readonly id: string;
  readonly libelle: string;
  readonly criteres: readonly string[];
  readonly mode: ModeRubrique;
  readonly plafond: number | null;
  readonly plafondCentiemes: number | null;
}

export interface Refus {
  readonly libelle: string;
  readonly points: number;
  readonly centiemes: number;
  /** Points per refusal (true) or once when there is at least one (false). */
  readonly parRefus: boolean;
  /** Refusals counted at most (null = all). */
  readonly maxRefus: number | null;
}

export interface Section {
  readonly portee: Portee;
  readonly criteres: readonly CritereGrille[];
  readonly rubriques: readonly Rubrique[];
  readonly refus: Refus | null;
}

export interface Grille {
  readonly nom: string;
  readonly version: string;
  readonly description: string | null;
  readonly similaires: readonly DefinitionChamp[];
  /** One section `toutes`, or the two sections `premier_acces` and `mutation`. */
  readonly sections: readonly Section[];
}

/** A located problem of a grid (a `Probleme` of the error family, with a position in the YAML text). */
export interface ProblemeGrille extends Probleme {
  readonly fichier: string;
  /** 1-based line in the YAML/JSON text, when the problem can be tied to a place. */
  readonly ligne: number | null;
  readonly colonne: number | null;
  /** Key path in the document, e.g. `criteres[2].si.motif` (`(racine)` for the document itself). */
  readonly chemin: string;
  readonly message: string;
}

export const formatProbleme = (p: ProblemeGrille): string =>
  `${p.fichier}${p.ligne !== null ? `, ligne ${p.ligne}${p.colonne !== null ? `, colonne ${p.colonne}` : ''}` : ''} (${p.chemin}) : ${p.message}`;

/** Thrown by parseGrille: every problem of the grid, located. */
export class GrilleInvalideError extends DonneesInvalidesError {
  declare readonly problemes: readonly ProblemeGrille[];
  constructor(problemes: readonly ProblemeGrille[]) {
    super(`grille de cotation invalide :\n${problemes.map((p) => `  - ${formatProbleme(p)}`).join('\n')}`, { problemes });
  }
}

/** The section that scores a request: `toutes`, or `mutation` for a social tenant and `premier_acces` otherwise. */
export function sectionPour(grille: Grille, mutation: boolean | null | undefined): Section {
  const voulue: Portee = mutation === true ? 'mutation' : 'premier_acces';
  const section = grille.sections.find((s) => s.portee === 'toutes') ?? grille.sections.find((s) => s.portee === voulue);
  if (!section) throw new Error(`grille sans section ${voulue}`);
  return section;
}

/** The criteria of every section, each id once (for the explanation labels). */
export function libellesDesLignes(grille: Grille): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of grille.sections) {
    for (const c of s.criteres) if (!out.has(c.id)) out.set(c.id, c.libelle);
    for (const r of s.rubriques) if (r.plafondCentiemes !== null) out.set(`${PREFIXE_PLAFOND}${r.id}`, `Plafond de la rubrique « ${r.libelle} »`);
    if (s.refus) out.set(ID_REFUS, s.refus.libelle);
  }
  return out;
}
