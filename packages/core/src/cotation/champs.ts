import type { ColumnSpec } from '../format/columns.ts';
import { DEMANDES } from '../format/files.ts';

/**
 * The fields a cotation grid can read on a request: the canonical columns of demandes.csv, the derived fields of
 * issue 6 and the free columns kept as attributes. Declared once here: the grid validation, the pure reference
 * `noteDe` and the SQL engine (packages/data/src/cotation) all read this catalogue, so that they cannot disagree
 * on what a field is.
 */

/** How a field compares. */
export type TypeChamp =
  | 'booleen'
  /** A code of a closed list (`motif`, `composition`…): `=` and `in` only, values checked against the list. */
  | 'code'
  | 'texte'
  /** Integers and decimals of the request, and derived numbers: every operator. */
  | 'nombre'
  /** ISO dates `AAAA-MM-JJ`: every operator. */
  | 'date'
  /** `|`-separated lists (`communes_souhaitees`, `priorite_motifs`): `=` means "contains", `in` "contains one of". */
  | 'liste'
  /** A free column (`attributs.profession`): compared as text, number, boolean or date depending on the value written. */
  | 'libre';

export type OrigineChamp = 'canonique' | 'derive' | 'libre';

export interface DefinitionChamp {
  readonly nom: string;
  readonly origine: OrigineChamp;
  readonly type: TypeChamp;
  /** The codes of a `code` field. */
  readonly codes?: readonly string[];
  readonly libelle: string;
}

/** Prefix of a free column in a grid: `attributs.profession` reads the column `profession` of demandes.csv. */
export const PREFIXE_LIBRE = 'attributs.';

/** Derived fields (issue 6). Their rules are in note.ts (JavaScript) and cotation-sql.ts (SQL). */
export const CHAMPS_DERIVES = {
  commune_1: { type: 'texte', libelle: 'Première commune souhaitée (code INSEE)' },
  taux_effort_actuel: { type: 'nombre', libelle: 'Taux d’effort actuel : loyer_actuel ÷ ressources_mensuelles (inconnu si ressources nulles)' },
  anciennete_mois: { type: 'nombre', libelle: 'Ancienneté de la demande en mois révolus à la date de référence' },
  uc: { type: 'nombre', libelle: 'Unités de consommation du ménage (échelle de la CIA)' },
  ressources_uc: { type: 'nombre', libelle: 'Ressources annuelles par unité de consommation (€)' },
  q1: { type: 'booleen', libelle: 'Ménage du 1er quartile (calculé avec le seuil de l’année de référence ; l’indicateur q1 du fichier est ignoré)' },
} as const satisfies Record<string, { type: TypeChamp; libelle: string }>;
export type ChampDerive = keyof typeof CHAMPS_DERIVES;

const typeCanonique = (spec: ColumnSpec): TypeChamp => {
  switch (spec.kind) {
    case 'boolean':
      return 'booleen';
    case 'code':
      return 'code';
    case 'text':
      return 'texte';
    case 'integer':
    case 'decimal':
    case 'real':
      return 'nombre';
    case 'date':
      return 'date';
    case 'list':
      return 'liste';
  }
};

/** Canonical columns that a grid cannot read: `q1` is replaced by the computed membership (DATA-FORMAT.md). */
const CANONIQUES_EXCLUS = new Set(['q1']);

export const CHAMPS_CANONIQUES: readonly DefinitionChamp[] = Object.entries(DEMANDES.columns as Readonly<Record<string, ColumnSpec>>)
  .filter(([nom]) => !CANONIQUES_EXCLUS.has(nom))
  .map(([nom, spec]) => ({
    nom,
    origine: 'canonique' as const,
    type: typeCanonique(spec),
    ...(spec.kind === 'code' ? { codes: spec.codes } : {}),
    libelle: `Colonne ${nom} de demandes.csv`,
  }));

const CATALOGUE: ReadonlyMap<string, DefinitionChamp> = new Map([
  ...CHAMPS_CANONIQUES.map((c) => [c.nom, c] as const),
  ...Object.entries(CHAMPS_DERIVES).map(([nom, d]) => [nom, { nom, origine: 'derive' as const, type: d.type, libelle: d.libelle }] as const),
]);

/** Every field a grid can name, except free columns (for messages and the editor's completion). */
export const NOMS_CHAMPS: readonly string[] = [...CATALOGUE.keys()];

/** A free column name: letters, digits and `_` (what a CSV header mapped to an attribute looks like). */
const NOM_LIBRE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** The definition of a field named in a grid, or null when the name is unknown. */
export function champ(nom: string): DefinitionChamp | null {
  const connu = CATALOGUE.get(nom);
  if (connu) return connu;
  if (nom.startsWith(PREFIXE_LIBRE)) {
    const colonne = nom.slice(PREFIXE_LIBRE.length);
    if (NOM_LIBRE.test(colonne)) return { nom, origine: 'libre', type: 'libre', libelle: `Colonne libre ${colonne} de demandes.csv` };
  }
  return null;
}

/** The column of a free field (`attributs.profession` → `profession`). */
export const colonneLibre = (nom: string): string => nom.slice(PREFIXE_LIBRE.length);

/** Field types that can be part of the similarity key: discrete values (a decimal or a date would make every request unique). */
export const TYPES_CLE_SIMILARITE: readonly TypeChamp[] = ['booleen', 'code', 'texte', 'nombre', 'libre'];

/** Derived or canonical numbers that are continuous, hence refused in the similarity key. */
export const CHAMPS_CONTINUS = new Set(['taux_effort_actuel', 'ressources_uc', 'uc', 'anciennete_mois', 'ressources_mensuelles', 'loyer_actuel']);

/** Whether a field may appear in `similaires`. */
export const champDeSimilarite = (d: DefinitionChamp): boolean => TYPES_CLE_SIMILARITE.includes(d.type) && !CHAMPS_CONTINUS.has(d.nom);

/** Whether a field holds a date (for `depuis` of a seniority criterion). Free columns are read as dates there. */
export const champDate = (d: DefinitionChamp): boolean => d.type === 'date' || d.type === 'libre';

// ---------------------------------------------------------------------------------------------------------------
// Grids sent through the API (issue 10, item 1).

/**
 * The fields a grid SENT BY A USER (HTTP routes: editor, distribution, impact, note of a request) may read. The
 * command line, run by the operator who owns the store, reads every field; a grid that travels through the API is a
 * query written by an account, and must not become a way to select households by what identifies them.
 *
 * Kept: the situation criteria a cotation grid is made of (L441-1 and L441-2-8 CCH, décret 2019-1378; what the
 * two grids of `grilles/` use), and the derived fields built on them. Refused:
 * - identifiers: `nur`, `bailleur_actuel_id`;
 * - dates, precise to the day (`date_depot`, `date_radiation`): seniority is read through `anciennete_mois` or a
 *   seniority criterion (`points_par_mois`, which counts from `date_depot`);
 * - free columns `attributs.…`: their content is unknown (a file number, a name…);
 * - `statut`, `age_demandeur`: no situation criterion, and the age is a quasi-identifier;
 * - exact amounts compared with `=` or `in` (see `CHAMPS_CONTINUS`): `ressources_mensuelles: 1234.56` names one
 *   household; thresholds (`>`, `<`…) stay allowed.
 * The allow-list does not make results safe by itself: the routes also restrict the population to the viewer's
 * perimeter and, for the public role, compute only the published grids, with statistical secrecy (docs/security.md).
 */
export const CHAMPS_GRILLE_ENVOYEE: ReadonlySet<string> = new Set([
  // Household and wish.
  'nb_personnes',
  'nb_moins_14_ans',
  'composition',
  'typologie_min',
  'typologie_max',
  'communes_souhaitees',
  'code_insee_residence',
  // Situation.
  'mutation',
  'logement_actuel',
  'loyer_actuel',
  'ressources_mensuelles',
  'motif',
  'nb_refus',
  // Priorities.
  'dalo',
  'prioritaire',
  'priorite_motifs',
  'relogement_anru',
  'travailleur_essentiel',
  'handicap',
  'pmr',
  // Derived.
  'commune_1',
  'taux_effort_actuel',
  'anciennete_mois',
  'uc',
  'ressources_uc',
  'q1',
]);

/** The date a seniority criterion of a sent grid may count from. */
export const DEPUIS_GRILLE_ENVOYEE = 'date_depot';

/** Where a grid names a field. */
export type UsageChamp = 'condition' | 'similaires' | 'depuis';

/** Why a sent grid may not read a field this way, in French; null when it may. */
export function refusDansUneGrilleEnvoyee(d: DefinitionChamp, usage: UsageChamp, operateur?: string): string | null {
  if (usage === 'depuis') {
    return d.nom === DEPUIS_GRILLE_ENVOYEE ? null : `une grille envoyée à Mixité compte l’ancienneté depuis ${DEPUIS_GRILLE_ENVOYEE} seulement (« ${d.nom} » est refusé)`;
  }
  if (!CHAMPS_GRILLE_ENVOYEE.has(d.nom)) {
    const raison =
      d.nom === 'nur' || d.nom === 'bailleur_actuel_id'
        ? 'c’est un identifiant'
        : d.origine === 'libre'
          ? 'une colonne libre peut contenir n’importe quoi, y compris de quoi identifier un ménage'
          : d.type === 'date'
            ? 'une date au jour près peut désigner un ménage (l’ancienneté se lit avec anciennete_mois)'
            : 'ce n’est pas un critère de situation d’une grille de cotation';
    return `le champ « ${d.nom} » est interdit dans une grille envoyée à Mixité : ${raison} ; champs autorisés : ${[...CHAMPS_GRILLE_ENVOYEE].join(', ')}`;
  }
  if (usage === 'condition' && CHAMPS_CONTINUS.has(d.nom) && (operateur === '=' || operateur === 'in')) {
    return `le champ « ${d.nom} » est un montant ou une mesure continue : une grille envoyée à Mixité le compare à un seuil (>, >=, <, <=), jamais à une valeur exacte (« ${operateur} »), qui désignerait un ménage`;
  }
  return null;
}
