import { z } from 'zod';
import type { FileName } from '@mixite/core';
import { FILE_NAMES } from '@mixite/core';
import { liste, tableauSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** Import history and reports, uploads (GET /api/imports, POST /api/televersements…). */

export const problemeImportSchema = z
  .object({
    severite: z.enum(['erreur', 'avertissement']),
    fichier: z.string(),
    ligne: z.number().int().nullable().meta({ description: 'Ligne du tableur (en-tête = 1) ; null pour le fichier entier' }),
    colonne: z.string().nullable(),
    valeur: z.string().nullable(),
    message: z.string(),
    cause: z.string().optional().meta({ description: 'La cause dont cette ligne est un exemple, quand ce n’est pas le message lui-même' }),
    nombre: z.number().int().optional().meta({ description: 'Nombre de lignes trouvées par la vérification qui a trouvé celle-ci' }),
  })
  .strict()
  .meta({ id: 'ProblemeImport', description: 'Un problème localisé d’un fichier importé' });

export const rapportFichierSchema = z
  .object({
    fichier: z.string(),
    table: z.string(),
    lignesLues: z.number().int(),
    lignesChargees: z.number().int(),
    lignesRejetees: z.number().int(),
    colonnesLibres: liste(z.string()),
    colonnes: liste(z.string()),
    encodage: z.string(),
    separateur: z.string(),
    lignesAvant: z.number().int().optional().meta({ description: 'Lignes de la table avant l’import (celles qu’il remplace) ; absent des rapports anciens' }),
  })
  .strict();

export const causeImportSchema = z
  .object({
    severite: z.enum(['erreur', 'avertissement']),
    fichier: z.string(),
    colonne: z.string().nullable(),
    libelle: z.string(),
    nombre: z.number().int().meta({ description: 'Lignes concernées, listées ou non' }),
    exemples: liste(problemeImportSchema).meta({ description: 'Premières lignes localisées' }),
  })
  .strict()
  .meta({ id: 'CauseImport', description: 'Les problèmes d’un import regroupés par cause : une vérification, une colonne, un fichier' });

export const rapportImportSchema = z
  .object({
    statut: z.enum(['reussi', 'echoue']),
    date: z.string(),
    fichiers: liste(rapportFichierSchema),
    erreurs: liste(problemeImportSchema),
    avertissements: liste(problemeImportSchema),
    erreursNonListees: z.number().int().meta({ description: 'Erreurs trouvées au-delà de celles listées (plafond par fichier)' }),
    configuration: z.enum(['importee', 'inchangee']),
    importId: z.number().int().nullable(),
    causes: liste(causeImportSchema).optional().meta({ description: 'Problèmes regroupés par cause ; absent des rapports anciens' }),
    auteur: z.string().optional().meta({ description: 'Qui a importé ou vérifié ; absent des rapports anciens' }),
  })
  .strict()
  .meta({ id: 'RapportImport', description: 'Rapport d’un import ou d’une vérification' });
export type RapportImport = Lecture<z.infer<typeof rapportImportSchema>>;

export const ligneHistoriqueImportSchema = z
  .object({
    id: z.number().int(),
    date_import: z.string(),
    statut: z.string(),
    fichiers: z.string(),
    lignes: z.number().int(),
    avertissements: z.number().int(),
    auteur: z.string().meta({ description: 'Qui a importé (vide pour les imports d’avant cette information)' }),
  })
  .strict();
export const tableauImportsSchema = tableauSchema(ligneHistoriqueImportSchema).meta({ id: 'TableauImports', description: 'Historique des imports' });

/** The largest id a store holds (INTEGER columns): a longer number can name nothing and must not reach the database. */
const ID_MAX = 2_147_483_647;

/** A path parameter naming a row by its number: digits only, 1 to 2 147 483 647, else a 400 in French. */
export function numeroSchema(quoi: string) {
  return z
    .string()
    .transform((texte, ctx) => {
      const n = /^[0-9]{1,10}$/.test(texte) ? Number(texte) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > ID_MAX) {
        ctx.addIssue({ code: 'custom', message: `${quoi} invalide : « ${texte.slice(0, 40)} » (attendu : un nombre entier positif)` });
        return z.NEVER;
      }
      return n;
    })
    .meta({ description: 'Numéro entier positif', example: '1' });
}

export const parametresImportSchema = z.object({ id: numeroSchema('numéro d’import') });

export const parametresJetonSchema = z.object({
  jeton: z.string().max(100).meta({ description: 'Jeton rendu par la vérification', example: '00000000-0000-0000-0000-000000000000' }),
});

export const televersementSchema = z
  .object({
    jeton: z.string().nullable().meta({ description: 'Jeton qui confirme l’import, quand la vérification est sans erreur' }),
    rapport: rapportImportSchema,
    listeComplete: z
      .string()
      .optional()
      .meta({ description: 'Quand le rapport refusé ne liste pas toutes les erreurs : jeton de la liste complète (GET /televersements/{jeton}/erreurs, CSV)' }),
  })
  .strict()
  .meta({ id: 'Televersement', description: 'Réponse à un dépôt de fichiers : le rapport de la simulation et, s’il est sans erreur, le jeton de confirmation' });
export type Televersement = Lecture<z.infer<typeof televersementSchema>>;

/** Documentation of the multipart body (the files are read by the route). */
export const formulaireTeleversementSchema = z
  .object({
    fichiers: z.array(z.string().meta({ format: 'binary' })).meta({ description: 'Fichiers CSV ou XLSX du format canonique, et cia.yaml' }),
    correspondance: z.string().optional().meta({ format: 'binary', description: 'Fichier de correspondance des en-têtes (YAML), facultatif' }),
  })
  .meta({ id: 'FormulaireTeleversement' });

/** The files of a dataset, what each is for, its columns (GET /api/format-donnees): the import page's guide. */
export const fichierDuJeuSchema = z
  .object({
    fichier: z.enum(FILE_NAMES),
    libelle: z.string(),
    usage: z.string().meta({ description: 'À quoi sert le fichier' }),
    facultatif: z.boolean(),
    colonnes: liste(z.object({ nom: z.string(), obligatoire: z.boolean(), attendu: z.string(), codes: liste(z.string()).optional() }).strict()),
    renvoieA: liste(z.enum(FILE_NAMES)).meta({ description: 'Fichiers auxquels celui-ci renvoie : à importer avec lui, ou déjà en base' }),
    exemple: z.record(z.string(), z.string()),
  })
  .strict()
  .meta({ id: 'FichierDuJeu' });
export const formatDonneesSchema = z
  .object({ fichiers: liste(fichierDuJeuSchema), lignesEnBase: z.record(z.string(), z.number().int()).meta({ description: 'Lignes de chaque table aujourd’hui' }) })
  .strict()
  .meta({ id: 'FormatDonnees', description: 'Les fichiers d’un jeu de données, leurs colonnes et ce que la base en contient' });
export type FormatDonnees = Lecture<z.infer<typeof formatDonneesSchema>>;

export const parametresModeleSchema = z.object({
  fichier: z
    .string()
    .refine((v) => (FILE_NAMES as readonly string[]).includes(v), { error: (iss) => `fichier inconnu : « ${String(iss.input).slice(0, 40)} » (attendu : ${FILE_NAMES.join(', ')})` })
    .transform((v) => v as FileName)
    .meta({ description: 'Nom du fichier du format (sans extension)', example: 'demandes' }),
});
