import { INDICATEURS_IMPACT, MODALITES_TYPOLOGIE, PORTEES, TARGET_IDS } from '@mixite/core';
import { z } from 'zod';
import { liste, secretSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** The cotation page: a grid, its check, the distribution of its notes, its impact, one request's note (/api/cotation/…). */

/** A grid is small YAML: 200 000 characters is far above the largest useful one. */
const texteGrille = z
  .string()
  .min(1, 'grille vide')
  .max(200_000, 'grille trop longue (200 000 caractères au plus)')
  .meta({ description: 'Texte YAML ou JSON de la grille' });
const fichier = z.string().min(1).max(200).optional().meta({ description: 'Nom du fichier, repris dans les messages' });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
  .optional()
  .meta({ description: 'Date de référence AAAA-MM-JJ (par défaut, celle des données)' });

export const corpsGrilleSchema = z.object({ grille: texteGrille, fichier, date }).meta({ id: 'CorpsGrille' });
export type CorpsGrille = z.input<typeof corpsGrilleSchema>;
export const corpsCotationDemandeSchema = corpsGrilleSchema.extend({ nur: z.string().min(1).max(64).meta({ description: 'NUR de la demande' }) }).meta({ id: 'CorpsCotationDemande' });
export type CorpsCotationDemande = z.input<typeof corpsCotationDemandeSchema>;
export const corpsImpactSchema = z.object({ grille_a: texteGrille, fichier_a: fichier, grille_b: texteGrille, fichier_b: fichier, date }).meta({ id: 'CorpsImpact' });
export type CorpsImpact = z.input<typeof corpsImpactSchema>;

export const grilleParDefautSchema = z
  .object({ fichier: z.string(), contenu: z.string().meta({ description: 'Texte YAML de la grille' }) })
  .strict()
  .meta({ id: 'GrilleParDefaut' });

export const problemeGrilleSchema = z
  .object({
    fichier: z.string(),
    ligne: z.number().int().nullable(),
    colonne: z.number().int().nullable(),
    chemin: z.string().meta({ description: 'Chemin de la clé dans le document, par exemple criteres[2].si.motif' }),
    message: z.string(),
  })
  .strict()
  .meta({ id: 'ProblemeGrille', description: 'Un problème localisé d’une grille' });

export const grillesLivreesSchema = z
  .object({
    grilles: liste(
      z
        .object({
          fichier: z.string().meta({ description: 'Nom du fichier dans grilles/' }),
          nom: z.string().meta({ description: 'Nom de la grille (clé nom)' }),
          description: z.string().nullable(),
          contenu: z.string().meta({ description: 'Texte YAML de la grille' }),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'GrillesLivrees', description: 'Les grilles de cotation livrées avec Mixité (grilles/*.yaml), publiées' });
export type GrillesLivrees = Lecture<z.infer<typeof grillesLivreesSchema>>;

const referenceGrilleSchema = z.object({ nom: z.string(), version: z.string() }).strict();

export const verificationGrilleSchema = z
  .object({ ok: z.boolean(), problemes: liste(problemeGrilleSchema), grille: referenceGrilleSchema.nullable() })
  .strict()
  .meta({ id: 'VerificationGrille' });
export type VerificationGrille = Lecture<z.infer<typeof verificationGrilleSchema>>;

const porteeSchema = z.enum(PORTEES);
const n = z.number().nullable();

export const distributionSchema = z
  .object({
    grille: referenceGrilleSchema,
    date: z.string(),
    secret_statistique: z.number().int().nullable().meta({ description: 'Seuil du secret appliqué (rôle lecteur) ; null : effectifs exacts' }),
    classes: liste(z.object({ portee: porteeSchema, note: z.number(), demandes: n, secret: secretSchema }).strict()),
    resume: liste(z.object({ portee: porteeSchema, demandes: n, moyenne: n, minimum: n, mediane: n, maximum: n }).strict()),
    frequences: liste(z.object({ portee: porteeSchema, id: z.string(), demandes: n, secret: secretSchema }).strict()),
  })
  .strict()
  .meta({ id: 'DistributionNotes', description: 'Distribution des notes d’une grille (agrégats, secret statistique pour le rôle lecteur)' });
export type DistributionPubliee = Lecture<z.infer<typeof distributionSchema>>;

const parIndicateur = z.object(Object.fromEntries(INDICATEURS_IMPACT.map((i) => [i, n])) as Record<(typeof INDICATEURS_IMPACT)[number], typeof n>).strict();
const profilSchema = z.object({ effectif: n, nombres: parIndicateur, parts: parIndicateur }).strict();
const typologieSchema = z.enum([...MODALITES_TYPOLOGIE, 'ensemble']);

const impactSchema = z
  .object({
    grille: referenceGrilleSchema,
    date: z.string(),
    periode: z.object({ debut: z.string(), fin: z.string() }).strict(),
    cibles: liste(z.object({ indicateur: z.enum(INDICATEURS_IMPACT), cible_cia: z.enum(TARGET_IDS), cible: n }).strict()),
    lignes: liste(z.object({ typologie: typologieSchema, baux: n, retenues: profilSchema, attributions: profilSchema, demande: profilSchema }).strict()),
  })
  .strict();

export const comparaisonSchema = z
  .object({
    date: z.string(),
    secret_statistique: z.number().int().nullable(),
    a: impactSchema,
    b: impactSchema,
    ecarts: liste(z.object({ typologie: typologieSchema, indicateur: z.enum(INDICATEURS_IMPACT), a: n, b: n, ecart: n }).strict()),
    recouvrement: liste(z.object({ typologie: typologieSchema, retenues: n, communes: n, part: n }).strict()),
  })
  .strict()
  .meta({ id: 'ComparaisonGrilles', description: 'Impact comparé de deux grilles sur les objectifs de la CIA (agrégats)' });
export type ComparaisonPubliee = Lecture<z.infer<typeof comparaisonSchema>>;

export const explicationCotationSchema = z
  .object({
    nur: z.string().meta({ description: 'Le NUR, ou son pseudonyme pour les rôles qui ne le lisent pas en clair' }),
    portee: porteeSchema,
    note: z.number(),
    rang: z.number().int(),
    nb_similaires: z.number().int(),
    delai_moyen_jours: z.number().nullable(),
    nb_satisfaites_similaires: z.number().int(),
    criteres: liste(z.string()),
    grille: referenceGrilleSchema,
    date: z.string(),
    lignes: liste(z.object({ id: z.string(), libelle: z.string(), points: z.number() }).strict()),
    cle_similarite: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .strict()
  .meta({ id: 'ExplicationCotation', description: 'La note d’une demande et son explication ligne par ligne' });
export type ExplicationCotation = Lecture<z.infer<typeof explicationCotationSchema>>;
