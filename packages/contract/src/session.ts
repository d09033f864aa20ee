import { z } from 'zod';
import { modeSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** Login, the session, the health check (GET /api/sante, /api/session). */

export const ROLES = ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune', 'lecteur'] as const;
export const roleSchema = z.enum(ROLES).meta({ description: 'Rôle du compte' });
export type Role = Lecture<z.infer<typeof roleSchema>>;

export const santeSchema = z
  .object({ statut: z.literal('ok'), mode: modeSchema })
  .strict()
  .meta({ id: 'Sante', description: 'Le serveur répond, et dans quel mode' });
export type Sante = Lecture<z.infer<typeof santeSchema>>;

export const connexionSchema = z
  .object({
    email: z.string().min(1).max(254).meta({ description: 'Adresse e-mail du compte' }),
    mot_de_passe: z.string().min(1).max(256),
  })
  .strict()
  .meta({ id: 'Connexion' });
export type Connexion = Lecture<z.infer<typeof connexionSchema>>;

export const droitsSchema = z
  .object({
    partenaire: z.boolean().meta({ description: 'Historique des paramètres (nomme ses auteurs), bilan' }),
    menages: z.boolean().meta({ description: 'Données des ménages (attributions derrière un indicateur), réduites au périmètre du compte' }),
    modification: z.boolean().meta({ description: 'Imports et paramètres' }),
    administration: z.boolean().meta({ description: 'Journal d’audit et comptes' }),
    nur_en_clair: z.boolean(),
    secret_statistique: z.boolean().meta({ description: 'Les tableaux arrivent avec les petits effectifs masqués' }),
  })
  .strict()
  .meta({ id: 'Droits', description: 'Ce que le compte peut faire : l’application cache ce qu’il ne peut pas utiliser (le serveur est le garde)' });
export type Droits = Lecture<z.infer<typeof droitsSchema>>;

export const sessionSchema = z
  .object({
    mode: modeSchema,
    utilisateur: z
      .object({
        email: z.string().nullable(),
        nom: z.string(),
        role: roleSchema,
        role_libelle: z.string(),
        perimetre: z.string().nullable(),
        perimetre_libelle: z.string().nullable(),
      })
      .strict(),
    droits: droitsSchema,
    csrf: z.string().meta({ description: 'À renvoyer dans l’en-tête x-mixite-csrf de chaque requête qui modifie' }),
    expiration: z.string().nullable().meta({ description: 'Fin de la session sans activité (ISO 8601) ; null en démonstration sans connexion' }),
  })
  .strict()
  .meta({ id: 'Session', description: 'La session : utilisateur, rôle, droits, jeton CSRF, mode' });
export type SessionApi = Lecture<z.infer<typeof sessionSchema>>;

export const requeteDeblocageSchema = z.object({
  email: z.string().max(254, 'adresse e-mail ou adresse IP invalide').optional().meta({ description: 'Le compte à débloquer', example: 'agent@epci.fr' }),
  adresse: z
    .string()
    .refine((v) => v === '' || /^[0-9A-Fa-f.:]{2,45}$/.test(v), { error: 'adresse e-mail ou adresse IP invalide' })
    .optional()
    .meta({ description: 'L’adresse IP à débloquer', example: '203.0.113.7' }),
});
export const deblocageSchema = z.object({ levees: z.number().int().meta({ description: 'Nombre de délais levés' }) }).strict().meta({ id: 'Deblocage' });
