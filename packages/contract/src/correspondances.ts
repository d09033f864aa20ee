import { FILE_NAMES } from '@mixite/core';
import { z } from 'zod';
import { liste } from './commun.ts';
import type { Lecture } from './commun.ts';

/** Header mappings (« correspondances »): proposed for an uploaded extraction, reviewed, saved under a name (issue 17). */

const correspondanceFichierSchema = z
  .object({
    fichiers: z.array(z.string().min(1).max(200)).max(20).default([]),
    colonnes: z.record(z.string().max(300), z.string().max(100)).default({}),
    codes: z.record(z.string().max(100), z.record(z.string().max(300), z.string().max(100))).default({}),
  })
  .strict();

export const correspondanceSchema = z
  .object({
    nom: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    fichiers: z.partialRecord(z.enum(FILE_NAMES), correspondanceFichierSchema),
  })
  .strict()
  .meta({ id: 'Correspondance', description: 'Une correspondance d’en-têtes et de codes (le contenu du fichier YAML de docs/correspondances.md)' });
export type Correspondance = Lecture<z.infer<typeof correspondanceSchema>>;

export const propositionCorrespondanceSchema = z
  .object({
    source: z.string(),
    fichier: z.enum(FILE_NAMES),
    encodage: z.string(),
    separateur: z.string(),
    entetes: liste(z.string()),
    /** The first rows of the file, for the preview on screen (the user's own upload, sent back to them only). */
    lignes: liste(liste(z.string())),
    colonnes: liste(
      z
        .object({ entete: z.string(), colonne: z.string().nullable(), confiance: z.number(), raison: z.string(), forme: z.string() })
        .strict(),
    ),
    codes: z.record(z.string(), z.record(z.string(), z.string().nullable())),
  })
  .strict()
  .meta({ id: 'PropositionCorrespondance', description: 'Colonne proposée pour chaque en-tête, code proposé pour chaque valeur, premières lignes du fichier' });
export type PropositionCorrespondanceApi = Lecture<z.infer<typeof propositionCorrespondanceSchema>>;

export const ligneCorrespondanceSchema = z.object({ nom: z.string(), fichiers: z.string(), auteur: z.string(), enregistre_le: z.string() }).strict();
export const listeCorrespondancesSchema = z
  .object({ correspondances: liste(ligneCorrespondanceSchema) })
  .strict()
  .meta({ id: 'ListeCorrespondances', description: 'Les correspondances enregistrées' });

export const parametresCorrespondanceSchema = z.object({
  nom: z.string().min(1).max(120).meta({ description: 'Nom de la correspondance', example: 'SNE Essonne 2024' }),
});
