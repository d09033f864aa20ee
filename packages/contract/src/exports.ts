import { EDITIONS, EDITION_PAR_DEFAUT } from '@mixite/core';
import { z } from 'zod';
import { ID_TRAVAIL, TYPES_COLONNE, formatFichierSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** Exports: an aggregate table sent back (POST /api/export), a household list asked by its query (POST /api/exports). */

export const requeteFormatSchema = z.object({
  format: z
    .string({ error: 'format d’export inconnu : « » (attendu : csv ou xlsx)' })
    .refine((v) => v === 'csv' || v === 'xlsx', { error: (iss) => `format d’export inconnu : « ${String(iss.input).slice(0, 40)} » (attendu : csv ou xlsx)` })
    .transform((v) => v as 'csv' | 'xlsx')
    .meta({ description: 'csv ou xlsx', example: 'csv' }),
});

/**
 * The table's frame; its rows are checked by the route, in slices that let the server answer others meanwhile
 * (zod held the server about a second on 50 000 rows).
 */
export const corpsTableauSchema = z
  .object({
    titre: z.string().max(200),
    colonnes: z
      .array(z.object({ cle: z.string().min(1).max(100), libelle: z.string().max(200), type: z.enum(TYPES_COLONNE) }))
      .min(1)
      .max(100),
    lignes: z.array(z.unknown()).meta({ description: 'Lignes : objets de cellules (texte, nombre, booléen, null, liste de textes)' }),
  })
  .meta({ id: 'TableauAExporter' });
export type CorpsTableau = z.input<typeof corpsTableauSchema>;

/** A household export is asked by its query: the rows are the server's, never the client's. */
export const demandeExportSchema = z
  .strictObject({
    ressource: z.literal('attributions'),
    format: formatFichierSchema,
    indicateur: z.string().max(50),
    periode: z.string().max(30),
    perimetre_type: z.string().max(30).optional(),
    perimetre_id: z.string().max(100).nullable().optional(),
  })
  .meta({ id: 'DemandeExport', description: 'La requête d’une liste de ménages à exporter (jamais ses lignes)' });
export type DemandeExport = z.input<typeof demandeExportSchema>;

export const ETATS_TRAVAIL = ['en_attente', 'en_cours', 'pret', 'echec'] as const;
export type EtatTravailExport = (typeof ETATS_TRAVAIL)[number];

export const travailExportSchema = z
  .object({
    id: z.string(),
    titre: z.string(),
    format: formatFichierSchema,
    etat: z.enum(ETATS_TRAVAIL),
    lignes_ecrites: z.number().int(),
    lignes_total: z.number().int(),
    fichier: z.string().nullable().meta({ description: 'Où télécharger le fichier quand l’état est « pret »' }),
    message: z.string().nullable().meta({ description: 'Pourquoi l’export a échoué, en français' }),
  })
  .strict()
  .meta({ id: 'TravailExport', description: 'Un export lourd écrit en arrière-plan' });
export type TravailExport = Lecture<z.infer<typeof travailExportSchema>>;

export const parametresTravailSchema = z.object({
  id: z.string().max(100).meta({ description: 'Identifiant rendu par POST /api/exports', example: 'AAAAAAAAAAAAAAAAAAAAAA' }),
});

export const FORMATS_BILAN = ['docx', 'pdf', 'xlsx'] as const;
export const parametresBilanSchema = z.object({
  annee: z
    .string()
    .transform((texte, ctx) => {
      const annee = /^[0-9]{4}$/.test(texte) ? Number(texte) : Number.NaN;
      if (!(annee >= 2000 && annee <= 2099)) {
        ctx.addIssue({ code: 'custom', message: `année invalide : « ${texte.slice(0, 40)} » (attendu : quatre chiffres entre 2000 et 2099)` });
        return z.NEVER;
      }
      return annee;
    })
    .meta({ description: 'Année du bilan', example: '2024' }),
  format: z
    .string()
    .refine((v): boolean => (FORMATS_BILAN as readonly string[]).includes(v), { error: (iss) => `format inconnu : « ${String(iss.input).slice(0, 40)} » (attendu : docx, pdf ou xlsx)` })
    .transform((v) => v as (typeof FORMATS_BILAN)[number])
    .meta({ description: 'docx, pdf ou xlsx', example: 'xlsx' }),
});

/**
 * The edition of the bilan (issue 12): `public` (default) with statistical secrecy, `partenaires` for the members of
 * the CIL (partner accounts only), unmasked and marked « Diffusion restreinte aux membres de la CIL ».
 */
export const requeteBilanSchema = z.object({
  edition: z
    .enum(EDITIONS, { error: (iss) => `édition inconnue : « ${String(iss.input).slice(0, 40)} » (attendu : ${EDITIONS.join(' ou ')})` })
    .default(EDITION_PAR_DEFAUT)
    .meta({ description: 'partenaires (membres de la CIL, sans secret statistique) ou public (secret statistique appliqué)', example: 'public' }),
  simulation: z
    .string()
    .regex(ID_TRAVAIL, { error: 'simulation inconnue : l’identifiant d’une simulation terminée de la page Simulation est attendu' })
    .optional()
    .meta({
      description:
        'identifiant d’une simulation terminée de ce compte (page Simulation) : le bilan reçoit l’annexe « Simulation des politiques d’attribution » (issue 16)',
    }),
});
