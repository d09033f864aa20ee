import { z } from 'zod';
import { ISO_DATE_REGEX, toIsoDate } from '../format/cells.ts';
import type { DefinitionChamp, TypeChamp } from './champs.ts';
import { NOMS_CHAMPS, PREFIXE_LIBRE, champ, champDate, champDeSimilarite } from './champs.ts';
import type { Comparaison, Condition, CritereGrille, Grille, Operateur, Portee, Scalaire, Section } from './grille-modele.ts';
import { ID_REFUS, LIGNES_MAX, MODES_RUBRIQUE, OPERATEURS, POINTS_MAX, SIMILAIRES_PAR_DEFAUT } from './grille-modele.ts';

z.config(z.locales.fr());

const OPERATEURS_ORDRE: readonly Operateur[] = ['>', '>=', '<', '<='];

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
export const CLES = {
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
export function operateursDe(valeur: unknown): { operateur: string; valeur: unknown; sousChemin: string[] }[] | null {
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
