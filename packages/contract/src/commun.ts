import { z } from 'zod';

/**
 * The shapes every group of routes shares: the error body, the table `{ titre, colonnes, lignes }`, the secrecy
 * mark. Objects are strict where the contract is closed (the server sends exactly these fields): the test of the
 * answers (packages/server/test/contrat-reponses.test.ts) then fails on a field added without being declared here.
 */

/** The answers' types are read-only all the way down: what the server sends is not edited by the one reading it. */
export type Lecture<T> = T extends readonly (infer U)[] ? readonly Lecture<U>[] : T extends object ? { readonly [K in keyof T]: Lecture<T[K]> } : T;

export const erreurSchema = z
  .object({
    erreur: z.string().meta({ description: 'Code stable de l’erreur (requete_invalide, introuvable, donnees_invalides, non_authentifie, acces_refuse, csrf…)' }),
    message: z.string().meta({ description: 'Message en français, à montrer à l’utilisateur' }),
    details: z.unknown().optional().meta({ description: 'Précisions : par exemple la liste des champs refusés { chemin, message }' }),
  })
  .strict()
  .meta({ id: 'Erreur', description: 'Réponse d’erreur de l’API' });
export type ErreurApi = Lecture<z.infer<typeof erreurSchema>>;

export const TYPES_COLONNE = ['texte', 'entier', 'nombre', 'taux', 'date', 'booleen'] as const;
export const typeColonneSchema = z.enum(TYPES_COLONNE).meta({ description: 'Affichage et export d’une colonne ; un taux est une part entre 0 et 1 affichée en pourcentage' });
export type TypeColonne = Lecture<z.infer<typeof typeColonneSchema>>;

export const colonneSchema = z
  .object({
    cle: z.string().meta({ description: 'Clé de la colonne dans chaque ligne' }),
    libelle: z.string().meta({ description: 'En-tête affiché' }),
    type: typeColonneSchema,
  })
  .strict()
  .meta({ id: 'Colonne', description: 'Une colonne d’un tableau' });
export type Colonne = Lecture<z.infer<typeof colonneSchema>>;

/** A list in an answer: read-only (the server hands over arrays it may share, e.g. a table's columns). */
export const liste = <T extends z.ZodType>(element: T) => z.array(element).readonly();

/** A table as shown on screen, its rows typed by `ligne`. */
export function tableauSchema<L extends z.ZodType>(ligne: L) {
  return z
    .object({
      titre: z.string().meta({ description: 'Titre du tableau' }),
      colonnes: liste(colonneSchema),
      lignes: liste(ligne),
    })
    .strict();
}

export interface Tableau<L = Record<string, unknown>> {
  readonly titre: string;
  readonly colonnes: readonly Colonne[];
  readonly lignes: readonly L[];
}

export const secretSchema = z
  .enum(['primaire', 'secondaire'])
  .nullable()
  .meta({ description: 'Secret statistique : null publié tel quel ; primaire un petit effectif ; secondaire masqué pour qu’un autre ne puisse être recalculé' });
export type Secret = Lecture<z.infer<typeof secretSchema>>;

export const MODES = ['demonstration', 'production'] as const;
export const modeSchema = z.enum(MODES).meta({ description: 'Mode du serveur : démonstration (sans connexion) ou production' });

export const FORMATS_FICHIER = ['csv', 'xlsx'] as const;
export const formatFichierSchema = z.enum(FORMATS_FICHIER).meta({ description: 'csv ou xlsx' });

/** `{ id, libelle }`: a perimeter, a period, an audit action… */
export const identifiantLibelleSchema = z.object({ id: z.string(), libelle: z.string() }).strict();

/** The media types of files the API sends. */
export const TYPES_MIME = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/**
 * A calendar year in a query string or a JSON body: four digits from 2001 to 2099. One rule for every route that
 * takes one (flux, parc, programme, refus), with a French message — never « NaN reçu » for an absent or a wrong year.
 */
export const anneeSchema = z
  .union([z.string(), z.number()], { error: (iss) => (iss.input === undefined ? 'année manquante (attendu : AAAA)' : 'année invalide (attendu : AAAA)') })
  .transform((v, ctx) => {
    const texte = String(v);
    const annee = /^[0-9]{4}$/.test(texte) ? Number(texte) : Number.NaN;
    if (!(annee >= 2001 && annee <= 2099)) {
      ctx.addIssue({ code: 'custom', message: `année invalide : « ${texte.slice(0, 40)} » (attendu : quatre chiffres de 2001 à 2099)` });
      return z.NEVER;
    }
    return annee;
  });

/**
 * The id of a background job — a heavy export, a simulation: 16 random bytes in base64url, 22 characters
 * (server services/travaux-export.ts and travaux-simulation.ts). One pattern for the services that make them and the
 * routes that receive them.
 */
export const ID_TRAVAIL = /^[A-Za-z0-9_-]{22}$/;
