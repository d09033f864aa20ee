import type { Document, YAMLError, Node as YamlNode } from 'yaml';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { ISO_DATE_REGEX, toIsoDate } from '../format/cells.ts';
import type { DefinitionChamp, TypeChamp } from './champs.ts';
import { DEPUIS_GRILLE_ENVOYEE, NOMS_CHAMPS, PREFIXE_LIBRE, champ, champDate, champDeSimilarite, refusDansUneGrilleEnvoyee } from './champs.ts';

/**
 * The cotation grid (L441-2-8 CCH, décret 2019-1378; issue 6; format documented in docs/cotation.md).
 *
 * A grid is a YAML (or JSON) document. Either one body for every request:
 *   nom, version, similaires, criteres, rubriques, refus
 * or one body per population, since first access and mutation grids are common:
 *   nom, version, similaires, premier_acces: { criteres, rubriques, refus }, mutation: { … }
 * A request is scored by the `mutation` body when its `mutation` flag is true, else by `premier_acces`.
 *
 * `parseGrille` checks the structure with the zod schema below, then the meaning (known fields, operators that fit
 * the field, codes of the closed lists, unique ids, headings naming existing criteria), and reports every problem
 * located by YAML line, key path and what is expected, in French.
 */

z.config(z.locales.fr());

export const OPERATEURS = ['=', 'in', '>', '>=', '<', '<='] as const;
export type Operateur = (typeof OPERATEURS)[number];
const OPERATEURS_ORDRE: readonly Operateur[] = ['>', '>=', '<', '<='];

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

/** A located problem of a grid. */
export interface ProblemeGrille {
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
export class GrilleInvalideError extends Error {
  constructor(readonly problemes: readonly ProblemeGrille[]) {
    super(`grille de cotation invalide :\n${problemes.map((p) => `  - ${formatProbleme(p)}`).join('\n')}`);
    this.name = 'GrilleInvalideError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The document schema (structure), then the meaning (superRefine), then the normalised grid (transform).

const ID = /^[a-z0-9][a-z0-9_]*$/;
const idSchema = z.string().regex(ID, 'un identifiant en minuscules, chiffres et _ (ex. expulsion, taux_effort)');
const texteSchema = z.string().trim().min(1, 'un texte non vide');
const pointsSchema = z
  .number()
  .refine((n) => Number.isFinite(n) && Math.abs(n) <= POINTS_MAX, `un nombre de points entre -${POINTS_MAX} et ${POINTS_MAX}`)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'au plus deux décimales (les points sont additionnés au centième près)');
const positifSchema = pointsSchema.refine((n) => n > 0, 'un nombre de points strictement positif');

export const critereSchema = z
  .object({
    id: idSchema,
    libelle: texteSchema,
    source: texteSchema.optional(),
    points: pointsSchema.optional(),
    points_par_mois: positifSchema.optional(),
    plafond: positifSchema.optional(),
    depuis: z.string().optional(),
    si: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  // Checked per criterion, so that a problem in one criterion does not hide those of the others.
  .superRefine((c, ctx) => verifierCritere(c, [], (path, message) => ctx.addIssue({ code: 'custom', message, path })));

export const rubriqueSchema = z
  .object({
    id: idSchema,
    libelle: texteSchema.optional(),
    criteres: z.array(idSchema).min(1, 'au moins un critère'),
    mode: z.enum(MODES_RUBRIQUE, 'max (seul le meilleur critère de la rubrique compte) ou somme'),
    // A cap is positive: a negative one would make a criterion met lower the note (a property test holds this).
    plafond: positifSchema.optional(),
  })
  .strict();

export const refusSchema = z
  .object({
    libelle: texteSchema.optional(),
    points: pointsSchema,
    par_refus: z.boolean().default(true),
    max_refus: z.number().int().min(1).optional(),
  })
  .strict();

export const corpsSchema = z
  .object({
    criteres: z.array(critereSchema).min(1, 'au moins un critère'),
    rubriques: z.array(rubriqueSchema).default([]),
    refus: refusSchema.optional(),
  })
  .strict()
  .superRefine((corps, ctx) => verifierCorps(corps, [], (path, message) => ctx.addIssue({ code: 'custom', message, path })));

const versionSchema = z.union([z.number().int().positive(), texteSchema], 'un numéro de version (entier positif ou texte, ex. 2 ou "2025-1")');

export const documentGrilleSchema = z
  .object({
    nom: texteSchema,
    version: versionSchema,
    description: texteSchema.optional(),
    similaires: z
      .array(
        z.string().superRefine((nom, ctx) => {
          const d = champ(nom);
          if (!d) ctx.addIssue({ code: 'custom', message: champInconnu(nom) });
          else if (!champDeSimilarite(d))
            ctx.addIssue({
              code: 'custom',
              message: `« ${nom} » ne peut pas servir à regrouper les demandes similaires (valeur continue ou date) : prenez un code, un entier ou un texte, par exemple typologie_min ou commune_1`,
            });
        }),
      )
      .default([...SIMILAIRES_PAR_DEFAUT]),
    criteres: z.array(critereSchema).min(1, 'au moins un critère').optional(),
    rubriques: z.array(rubriqueSchema).optional(),
    refus: refusSchema.optional(),
    premier_acces: corpsSchema.optional(),
    mutation: corpsSchema.optional(),
  })
  .strict();

export type DocumentGrille = z.input<typeof documentGrilleSchema>;
type DocumentValide = z.output<typeof documentGrilleSchema>;
type CorpsDocument = z.output<typeof corpsSchema>;
type CritereDocument = z.output<typeof critereSchema>;

/** The grid schema: structure, meaning, then the normalised `Grille`. */
export const grilleSchema = documentGrilleSchema.superRefine(verifierSens).transform(normaliser);

/** Keys allowed by each kind of object, for the "unknown key" messages. */
const CLES = {
  racine: Object.keys(documentGrilleSchema.shape),
  corps: Object.keys(corpsSchema.shape),
  critere: Object.keys(critereSchema.shape),
  rubrique: Object.keys(rubriqueSchema.shape),
  refus: Object.keys(refusSchema.shape),
  condition: OPERATEURS as readonly string[],
};

interface Ctx {
  addIssue(issue: { code: 'custom'; message: string; path: (string | number)[] }): void;
}

function corpsDe(doc: DocumentValide): { portee: Portee; corps: CorpsDocument; chemin: (string | number)[] }[] {
  const out: { portee: Portee; corps: CorpsDocument; chemin: (string | number)[] }[] = [];
  if (doc.criteres) out.push({ portee: 'toutes', corps: { criteres: doc.criteres, rubriques: doc.rubriques ?? [], refus: doc.refus }, chemin: [] });
  if (doc.premier_acces) out.push({ portee: 'premier_acces', corps: doc.premier_acces, chemin: ['premier_acces'] });
  if (doc.mutation) out.push({ portee: 'mutation', corps: doc.mutation, chemin: ['mutation'] });
  return out;
}

function verifierSens(doc: DocumentValide, ctx: Ctx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', message, path });

  // One body for all, or the two sections.
  const separees = doc.premier_acces !== undefined || doc.mutation !== undefined;
  if (separees && (doc.criteres !== undefined || doc.rubriques !== undefined || doc.refus !== undefined)) {
    const cle = doc.criteres !== undefined ? 'criteres' : doc.rubriques !== undefined ? 'rubriques' : 'refus';
    issue([cle], 'une grille a soit des critères communs (criteres, rubriques, refus), soit deux sections premier_acces et mutation, pas les deux');
  } else if (separees && (doc.premier_acces === undefined || doc.mutation === undefined)) {
    issue([doc.premier_acces === undefined ? 'mutation' : 'premier_acces'], 'avec des grilles séparées, les deux sections premier_acces et mutation sont attendues');
  } else if (!separees && doc.criteres === undefined) {
    issue([], 'une grille a des critères : une liste « criteres », ou deux sections « premier_acces » et « mutation »');
  }

  const doublon = doc.similaires.find((nom, i) => doc.similaires.indexOf(nom) !== i);
  if (doublon !== undefined) issue(['similaires'], `le champ « ${doublon} » est répété`);

  // The two sections are checked by corpsSchema; a grid with one body has its criteria at the root.
  if (doc.criteres && !separees) verifierCorps({ criteres: doc.criteres, rubriques: doc.rubriques ?? [], refus: doc.refus }, [], issue);
}

function verifierCorps(corps: CorpsDocument, chemin: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  const ids = new Map<string, number>();
  corps.criteres.forEach((c, i) => {
    const at = [...chemin, 'criteres', i];
    if (c.id === ID_REFUS) issue([...at, 'id'], `l’identifiant « ${ID_REFUS} » est réservé à la ligne des refus (clé refus)`);
    if (ids.has(c.id)) issue([...at, 'id'], `identifiant « ${c.id} » déjà utilisé par le critère n° ${(ids.get(c.id) ?? 0) + 1}`);
    else ids.set(c.id, i);
  });
  const lignes = corps.criteres.length + corps.rubriques.filter((r) => r.plafond !== undefined).length + (corps.refus ? 1 : 0);
  if (lignes > LIGNES_MAX) issue([...chemin, 'criteres'], `au plus ${LIGNES_MAX} lignes d’explication par grille (critères, plafonds de rubrique, refus) ; celle-ci en a ${lignes}`);
  const dansRubrique = new Map<string, string>();
  const rubriques = new Set<string>();
  corps.rubriques.forEach((r, i) => {
    const at = [...chemin, 'rubriques', i];
    if (rubriques.has(r.id)) issue([...at, 'id'], `rubrique « ${r.id} » déjà définie`);
    rubriques.add(r.id);
    r.criteres.forEach((id, j) => {
      if (!ids.has(id)) issue([...at, 'criteres', j], `critère inconnu « ${id} » ; critères de la grille : ${[...ids.keys()].join(', ')}`);
      else if (dansRubrique.has(id)) issue([...at, 'criteres', j], `le critère « ${id} » est déjà dans la rubrique « ${dansRubrique.get(id)} » : un critère appartient à une seule rubrique`);
      else dansRubrique.set(id, r.id);
    });
  });
}

function verifierCritere(c: CritereDocument, at: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  if (c.points === undefined && c.points_par_mois === undefined) issue(at, 'un critère donne des points : « points » (fixe) ou « points_par_mois » (ancienneté)');
  if (c.points !== undefined && c.points_par_mois !== undefined) issue([...at, 'points_par_mois'], '« points » et « points_par_mois » s’excluent : un critère est soit fixe, soit à l’ancienneté');
  if (c.points_par_mois === undefined) {
    if (c.plafond !== undefined) issue([...at, 'plafond'], '« plafond » ne s’emploie qu’avec « points_par_mois »');
    if (c.depuis !== undefined) issue([...at, 'depuis'], '« depuis » ne s’emploie qu’avec « points_par_mois »');
  }
  if (c.depuis !== undefined) {
    const d = champ(c.depuis);
    if (!d) issue([...at, 'depuis'], champInconnu(c.depuis));
    else if (!champDate(d)) issue([...at, 'depuis'], `« ${c.depuis} » n’est pas une date : l’ancienneté se compte depuis une date (date_depot, ou une colonne libre attributs.… au format AAAA-MM-JJ)`);
  }
  for (const [nom, valeur] of Object.entries(c.si ?? {})) {
    const d = champ(nom);
    if (!d) {
      issue([...at, 'si', nom], champInconnu(nom));
      continue;
    }
    for (const p of problemesCondition(d, valeur)) issue([...at, 'si', nom, ...p.sousChemin], p.message);
  }
}

const champInconnu = (nom: string) =>
  `champ inconnu « ${nom} » ; champs possibles : ${NOMS_CHAMPS.join(', ')}, ou une colonne libre ${PREFIXE_LIBRE}nom_de_colonne`;

const estScalaire = (v: unknown): v is Scalaire => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const decrire = (v: unknown) => (v === null ? 'une valeur vide' : Array.isArray(v) ? 'une liste' : typeof v === 'object' ? 'un objet' : `« ${String(v)} »`);

/** The operators of a condition value: a scalar is `=`, a list is `in`, an object lists operators. */
function operateursDe(valeur: unknown): { operateur: string; valeur: unknown; sousChemin: string[] }[] | null {
  if (estScalaire(valeur)) return [{ operateur: '=', valeur, sousChemin: [] }];
  if (Array.isArray(valeur)) return [{ operateur: 'in', valeur, sousChemin: [] }];
  if (valeur !== null && typeof valeur === 'object') return Object.entries(valeur).map(([operateur, v]) => ({ operateur, valeur: v, sousChemin: [operateur] }));
  return null;
}

/** The comparison of a field with a value (free columns: from the value written). */
function comparaisonDe(type: TypeChamp, operateur: string, valeur: Scalaire): Comparaison {
  switch (type) {
    case 'booleen':
      return 'booleen';
    case 'code':
    case 'texte':
      return 'texte';
    case 'nombre':
      return 'nombre';
    case 'date':
      return 'date';
    case 'liste':
      return 'liste';
    case 'libre':
      if (typeof valeur === 'boolean') return 'booleen';
      if (typeof valeur === 'number') return 'nombre';
      return OPERATEURS_ORDRE.includes(operateur as Operateur) ? 'date' : 'texte';
  }
}

function problemesCondition(d: DefinitionChamp, valeur: unknown): { sousChemin: string[]; message: string }[] {
  const ops = operateursDe(valeur);
  if (ops === null) return [{ sousChemin: [], message: `condition attendue : une valeur (égalité), une liste (in) ou des opérateurs { ">": 0.3 } ; reçu ${decrire(valeur)}` }];
  if (ops.length === 0) return [{ sousChemin: [], message: `au moins un opérateur parmi ${OPERATEURS.join(' ')}` }];
  const out: { sousChemin: string[]; message: string }[] = [];
  for (const op of ops) {
    if (!(OPERATEURS as readonly string[]).includes(op.operateur)) {
      out.push({ sousChemin: op.sousChemin, message: `opérateur inconnu « ${op.operateur} » ; opérateurs possibles : ${OPERATEURS.join(' ')}` });
      continue;
    }
    const valeurs = op.operateur === 'in' ? op.valeur : [op.valeur];
    if (!Array.isArray(valeurs) || valeurs.length === 0) {
      out.push({ sousChemin: op.sousChemin, message: 'in attend une liste non vide de valeurs, ex. [structure, foyer]' });
      continue;
    }
    const premiere = valeurs[0];
    valeurs.forEach((v: unknown, k) => {
      const sous = op.operateur === 'in' ? [...op.sousChemin, String(k)] : op.sousChemin;
      if (!estScalaire(v)) {
        out.push({ sousChemin: sous, message: `valeur attendue (texte, nombre, true/false) ; reçu ${decrire(v)}` });
        return;
      }
      if (d.type === 'libre' && estScalaire(premiere) && typeof v !== typeof premiere) {
        out.push({ sousChemin: sous, message: 'les valeurs d’une même condition sont toutes du même type (textes, nombres ou booléens)' });
        return;
      }
      const message = problemeValeur(d, op.operateur as Operateur, v);
      if (message) out.push({ sousChemin: sous, message });
    });
  }
  return out;
}

function problemeValeur(d: DefinitionChamp, operateur: Operateur, v: Scalaire): string | null {
  const ordre = OPERATEURS_ORDRE.includes(operateur);
  const comparaison = comparaisonDe(d.type, operateur, v);
  switch (comparaison) {
    case 'booleen':
      if (ordre) return `« ${d.nom} » est un booléen : seule l’égalité s’emploie (true ou false)`;
      if (operateur === 'in') return `« ${d.nom} » est un booléen : écrivez ${d.nom}: true ou ${d.nom}: false plutôt qu’une liste`;
      return typeof v === 'boolean' ? null : `« ${d.nom} » est un booléen : true ou false attendu, reçu « ${String(v)} »`;
    case 'texte':
      if (ordre) return `« ${d.nom} » est ${d.type === 'code' ? 'un code' : 'un texte'} : seuls = et in s’emploient`;
      if (typeof v !== 'string')
        return `« ${d.nom} » est ${d.type === 'code' ? 'un code' : 'un texte'} : mettez la valeur entre guillemets (« ${String(v)} » a été lu comme ${typeof v === 'number' ? 'un nombre, les zéros initiaux d’un code INSEE seraient perdus' : 'un booléen'})`;
      if (d.codes && !d.codes.includes(v)) return `code inconnu « ${v} » pour ${d.nom} ; codes possibles : ${d.codes.join(', ')}`;
      return null;
    case 'nombre':
      return typeof v === 'number' && Number.isFinite(v) ? null : `« ${d.nom} » est un nombre : valeur numérique attendue (ex. 0.3, 24), reçu « ${String(v)} »`;
    case 'date':
      return typeof v === 'string' && new RegExp(ISO_DATE_REGEX).test(v) && toIsoDate(v) === v
        ? null
        : `« ${d.nom} » est comparé comme une date : une date AAAA-MM-JJ est attendue entre guillemets, reçu « ${String(v)} »`;
    case 'liste':
      if (ordre) return `« ${d.nom} » est une liste : = (la liste contient la valeur) ou in (elle contient l’une des valeurs)`;
      return typeof v === 'string' && !/[|\s]/.test(v) ? null : `« ${d.nom} » est une liste de codes : une valeur entre guillemets, sans | ni espace, est attendue`;
  }
}

// ---------------------------------------------------------------------------------------------------------------

const centiemes = (points: number): number => Math.round(points * 100);

function conditionsDe(si: Record<string, unknown> | undefined): Condition[] {
  const out: Condition[] = [];
  for (const [nom, valeur] of Object.entries(si ?? {})) {
    const d = champ(nom);
    const ops = operateursDe(valeur);
    if (!d || !ops) continue;
    for (const op of ops) {
      const operateur = op.operateur as Operateur;
      const v = op.valeur as Scalaire | Scalaire[];
      const premiere = Array.isArray(v) ? (v[0] as Scalaire) : v;
      out.push({ champ: d, operateur, valeur: Array.isArray(v) ? Object.freeze([...v]) : v, comparaison: comparaisonDe(d.type, operateur, premiere) });
    }
  }
  return out;
}

function critereDe(c: CritereDocument): CritereGrille {
  const base = { id: c.id, libelle: c.libelle, source: c.source ?? null, conditions: conditionsDe(c.si) };
  if (c.points_par_mois !== undefined) {
    return {
      ...base,
      kind: 'anciennete',
      pointsParMois: c.points_par_mois,
      centiemesParMois: centiemes(c.points_par_mois),
      plafond: c.plafond ?? null,
      plafondCentiemes: c.plafond === undefined ? null : centiemes(c.plafond),
      depuis: champ(c.depuis ?? 'date_depot') as DefinitionChamp,
    };
  }
  return { ...base, kind: 'points', points: c.points ?? 0, centiemes: centiemes(c.points ?? 0) };
}

function sectionDe(portee: Portee, corps: CorpsDocument): Section {
  return {
    portee,
    criteres: corps.criteres.map(critereDe),
    rubriques: corps.rubriques.map((r) => ({
      id: r.id,
      libelle: r.libelle ?? r.id,
      criteres: r.criteres,
      mode: r.mode,
      plafond: r.plafond ?? null,
      plafondCentiemes: r.plafond === undefined ? null : centiemes(r.plafond),
    })),
    refus: corps.refus
      ? {
          libelle: corps.refus.libelle ?? 'Refus de logements adaptés',
          points: corps.refus.points,
          centiemes: centiemes(corps.refus.points),
          parRefus: corps.refus.par_refus,
          maxRefus: corps.refus.max_refus ?? null,
        }
      : null,
  };
}

function normaliser(doc: DocumentValide): Grille {
  return {
    nom: doc.nom,
    version: String(doc.version),
    description: doc.description ?? null,
    similaires: doc.similaires.map((nom) => champ(nom) as DefinitionChamp),
    sections: corpsDe(doc).map(({ portee, corps }) => sectionDe(portee, corps)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Text → grid, with located problems.

type Chemin = readonly PropertyKey[];

export const cheminTexte = (chemin: Chemin): string => {
  let out = '';
  for (const k of chemin) out += typeof k === 'number' ? `[${k}]` : /^\d+$/.test(String(k)) && out !== '' ? `[${String(k)}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out === '' ? '(racine)' : out;
};

/** The YAML node at a path (following aliases), with the deepest reachable node when the path goes further. */
function noeudA(doc: Document, chemin: Chemin): { noeud: YamlNode | null; cle: YamlNode | null } {
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

function positionDe(doc: Document, lignes: LineCounter, chemin: Chemin, surLaCle: boolean): { ligne: number | null; colonne: number | null } {
  const { noeud, cle } = noeudA(doc, chemin);
  const cible = surLaCle && cle ? cle : (noeud ?? cle);
  const debut = cible?.range?.[0];
  if (debut === undefined) return { ligne: null, colonne: null };
  const pos = lignes.linePos(debut);
  return { ligne: pos.line, colonne: pos.col };
}

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
          ...positionDe(doc, lignes, chemin, true),
          chemin: cheminTexte(chemin),
          message: `clé inconnue « ${key} »${attendues.length > 0 ? ` ; clés possibles : ${attendues.join(', ')}` : ''}`,
        });
      }
      continue;
    }
    const absente = issue.code === 'invalid_type' && valeurA(document, issue.path) === undefined;
    problemes.push({
      fichier,
      ...positionDe(doc, lignes, issue.path, false),
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
    problemes.push({ fichier, ...positionDe(doc, lignes, chemin, surLaCle), chemin: cheminTexte(chemin), message });
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
