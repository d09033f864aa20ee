import { z } from 'zod';
import { identifiantLibelleSchema, liste, tableauSchema } from './commun.ts';
import type { Lecture } from './commun.ts';
import { limiteSchema } from './indicateurs.ts';

/** The administrator's pages: the audit log and the accounts (GET /api/journal, /api/utilisateurs). */

export const LIMITE_JOURNAL_DEFAUT = 500;
export const LIMITE_JOURNAL_MAX = 10_000;

/** The action filter is checked against the server's list of actions by the route (the list lives with the log). */
export const requeteJournalSchema = z.object({
  action: z.string().max(100).optional().meta({ description: 'Ne garder qu’une action (code)', example: 'connexion' }),
  utilisateur: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v.length <= 254, { error: 'paramètre « utilisateur » trop long' })
    .meta({ description: 'Ne garder qu’un utilisateur (adresse e-mail)', example: 'admin@exemple.fr' }),
  limite: limiteSchema(LIMITE_JOURNAL_DEFAUT, LIMITE_JOURNAL_MAX, `Nombre maximal d’entrées (${LIMITE_JOURNAL_DEFAUT} par défaut, ${LIMITE_JOURNAL_MAX} au plus)`),
});
export type RequeteJournal = z.input<typeof requeteJournalSchema>;

export const ligneJournalSchema = z
  .object({
    id: z.number().int(),
    date: z.string(),
    utilisateur: z.string(),
    role: z.string().nullable(),
    action: z.string().meta({ description: 'Libellé de l’action' }),
    code_action: z.string(),
    objet: z.string(),
    details: z.string().nullable(),
  })
  .strict();
export type LigneJournalApi = Lecture<z.infer<typeof ligneJournalSchema>>;

export const tableauJournalSchema = tableauSchema(ligneJournalSchema)
  .extend({
    total: z.number().int(),
    integrite: z.string().meta({ description: 'Vérification de la chaîne scellée et de ses ancrages, en français' }),
    integre: z.boolean(),
    actions: liste(identifiantLibelleSchema),
  })
  .strict()
  .meta({ id: 'TableauJournal', description: 'Journal d’audit, du plus récent au plus ancien' });
export type TableauJournal = Lecture<z.infer<typeof tableauJournalSchema>>;

export const compteSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    nom: z.string().nullable(),
    role: z.string().meta({ description: 'Libellé du rôle' }),
    perimetre: z.string().nullable(),
    actif: z.boolean(),
    date_creation: z.string(),
  })
  .strict();
export const tableauComptesSchema = tableauSchema(compteSchema).meta({ id: 'TableauComptes', description: 'Comptes (sans les mots de passe)' });
