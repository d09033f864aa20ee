import { CRITERES_ELIGIBILITE, DECISIONS, ISSUES, MOTIFS_REFUS, REGLES_LISTE, ZONES_PLAFONDS } from '@mixite/core';
import { z } from 'zod';
import { liste } from './commun.ts';

/**
 * The CALEOL's table (issue 15, docs/caleol.md): the candidate list of a vacant dwelling with each candidate's effect
 * on the targets and the contingent's gap (POST /api/caleol/liste), the dwellings a viewer may prepare
 * (GET /api/caleol/logements), the decisions recorded (GET and POST /api/caleol/decisions) and the household's
 * answer (POST /api/caleol/decisions/{id}/reponse). Household-level: no resources, composition or motive of the
 * request is sent, only what the commission decides on (note, Q1, priority, effects, effort rate after APL).
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'une date AAAA-MM-JJ');
const identifiant = z.string().min(1, 'un identifiant').max(64, 'au plus 64 caractères');

export const requeteListeCaleolSchema = z
  .object({
    logement_id: identifiant.meta({ description: 'Le logement vacant (colonne id de logements.csv)' }),
    date: date.optional().meta({ description: 'Date de la commission (défaut : la date des données)' }),
    grille: z.string().max(200_000).optional().meta({ description: 'Grille de cotation de la CIA en YAML (défaut : grilles/equilibre-cia.yaml)' }),
    fichier: z.string().max(200).optional().meta({ description: 'Nom du fichier de la grille, pour situer ses problèmes' }),
    nombre: z.number().int().min(1).max(10).optional().meta({ description: 'Nombre de candidats (défaut : caleol.nombre_candidats de cia.yaml, sinon 3)' }),
  })
  .strict();
export type RequeteListeCaleol = z.infer<typeof requeteListeCaleolSchema>;

const effetsSchema = z
  .object({
    hors_qpv_q1: z.boolean().meta({ description: 'Hors QPV, premier quartile ou relogé : compterait pour l’objectif hors QPV (au bail)' }),
    qpv_hors_q1: z.boolean().meta({ description: 'En QPV, quartiles 2 à 4 : compterait pour l’objectif QPV (à la proposition)' }),
    prioritaires: z.boolean().meta({ description: 'DALO ou prioritaire : compterait pour la part de prioritaires du contingent' }),
    mutations: z.boolean(),
    travailleurs_essentiels: z.boolean(),
  })
  .strict();

export const candidatCaleolSchema = z
  .object({
    rang: z.number().int().meta({ description: 'Place dans la liste (1 = premier)' }),
    rang_classement: z.number().int().meta({ description: 'Place parmi les demandes éligibles, avant les règles de la liste' }),
    nur: z.string().meta({ description: 'NUR, ou pseudonyme pour les rôles qui n’en ont pas besoin' }),
    note: z.number(),
    date_depot: date,
    q1: z.boolean().nullable().meta({ description: 'Premier quartile au seuil de l’année (null : inconnu)' }),
    prioritaire: z.boolean().meta({ description: 'DALO ou prioritaire' }),
    mutation: z.boolean(),
    relogement: z.boolean(),
    travailleur_essentiel: z.boolean(),
    effets: effetsSchema,
    taux_effort: z.number().nullable().meta({ description: 'Taux d’effort après APL estimée (part entre 0 et 1 ; null : non vérifiable)' }),
    apl: z.number().nullable().meta({ description: 'APL mensuelle estimée, €' }),
    charges_estimees: z.boolean(),
    plafond: z.number().nullable().meta({ description: 'Plafond de ressources retenu (€ par an ; null : pas de barème pour ce financement)' }),
    ressources_approximees: z.boolean().meta({ description: 'Ressources comparées au plafond = ressources déclarées × 12 (pas de revenu fiscal de référence)' }),
    non_verifie: liste(z.enum(['plafond', 'taux_effort'])).meta({ description: 'Règles qui n’ont pas pu être vérifiées (à contrôler en commission)' }),
    ajoute_par: z.enum(REGLES_LISTE).nullable().meta({ description: 'La règle de la CIA qui a fait entrer ce candidat' }),
  })
  .strict();
export type CandidatCaleol = z.infer<typeof candidatCaleolSchema>;

export const regleCaleolSchema = z
  .object({
    regle: z.enum(REGLES_LISTE),
    minimum: z.number().int(),
    avant: z.number().int(),
    apres: z.number().int(),
    respectee: z.boolean(),
    remplacements: liste(z.object({ sort: z.string(), entre: z.string() }).strict()),
    message: z.string(),
  })
  .strict();

export const ecartContingentSchema = z
  .object({
    contingent: z.string(),
    contingent_libelle: z.string(),
    periode: z.string(),
    numerateur: z.number().int(),
    denominateur: z.number().int(),
    taux: z.number().nullable(),
    cible: z.number().nullable(),
    ecart: z.number().nullable(),
    propositions_prioritaires_manquantes: z.number().int().nullable(),
  })
  .strict();

export const logementCaleolSchema = z
  .object({
    id: z.string(),
    bailleur_id: z.string(),
    bailleur: z.string(),
    code_insee: z.string(),
    commune: z.string(),
    code_qpv: z.string().nullable(),
    en_qpv: z.boolean(),
    nb_pieces: z.number().int(),
    financement: z.string().nullable(),
    loyer: z.number().nullable(),
    charges: z.number().nullable(),
    pmr: z.boolean(),
    contingent: z.string(),
    type_contingent: z.string(),
    zone_plafonds: z.enum(ZONES_PLAFONDS),
    classe_residence: z.string().nullable().meta({ description: 'Fragilité de la résidence (dernière enquête), si connue' }),
  })
  .strict();

export const listeCaleolSchema = z
  .object({
    date: date,
    logement: logementCaleolSchema,
    grille: z.object({ nom: z.string(), version: z.union([z.string(), z.number()]).nullable() }).strict(),
    seuil_q1: z.number().nullable(),
    bareme_apl: z.string().nullable(),
    taux_effort_maximum: z.number(),
    examinees: z.number().int().meta({ description: 'Demandes actives dont les souhaits conviennent (typologie, commune, accessibilité)' }),
    eligibles: z.number().int().meta({ description: 'Éligibles (plafond, taux d’effort) parmi les « lues » premières du classement' }),
    lues: z.number().int(),
    candidats: liste(candidatCaleolSchema),
    regles: liste(regleCaleolSchema),
    ecart_contingent: ecartContingentSchema,
    criteres: liste(z.enum(CRITERES_ELIGIBILITE)),
  })
  .strict();
export type ListeCaleol = z.infer<typeof listeCaleolSchema>;

export const requeteLogementsCaleolSchema = z.object({
  recherche: z.string().max(64).optional().meta({ description: 'Début de l’identifiant du logement, ou code INSEE' }),
});

export const logementsCaleolSchema = z
  .object({
    logements: liste(
      z
        .object({ id: z.string(), bailleur: z.string(), commune: z.string(), nb_pieces: z.number().int(), en_qpv: z.boolean(), contingent: z.string(), loyer: z.number().nullable() })
        .strict(),
    ),
    total: z.number().int(),
  })
  .strict();
export type LogementsCaleol = z.infer<typeof logementsCaleolSchema>;

export const requeteDecisionsCaleolSchema = z
  .object({
    logement_id: identifiant,
    date_cal: date.meta({ description: 'Date de la commission' }),
    candidats: z
      .array(
        z
          .object({
            nur: identifiant,
            decision: z.enum(DECISIONS).meta({ description: 'R441-3 : attribution (classée par rang), attribution sous condition suspensive, non-attribution, irrecevabilité' }),
            rang: z.number().int().min(1).max(10).nullable().optional(),
            motif: z.string().max(500).nullable().optional().meta({ description: 'Motif de la commission (obligatoire pour une non-attribution ou une irrecevabilité)' }),
          })
          .strict(),
      )
      .min(1)
      .max(10),
  })
  .strict();
export type RequeteDecisionsCaleol = z.infer<typeof requeteDecisionsCaleolSchema>;

export const decisionCaleolSchema = z
  .object({
    attribution_id: z.string(),
    logement_id: z.string(),
    bailleur_id: z.string(),
    code_insee: z.string(),
    nur: z.string(),
    date_cal: date,
    decision: z.enum(DECISIONS),
    rang: z.number().int().nullable(),
    motif: z.string().nullable(),
    issue: z.enum(ISSUES).nullable(),
    date_bail: date.nullable(),
    motif_refus: z.enum(MOTIFS_REFUS).nullable(),
    auteur: z.string(),
    enregistre_le: z.string(),
  })
  .strict();
export const decisionsCaleolSchema = z.object({ decisions: liste(decisionCaleolSchema) }).strict();
export type DecisionsCaleol = z.infer<typeof decisionsCaleolSchema>;

export const requeteFiltreDecisionsSchema = z.object({ logement_id: identifiant.optional() });

export const requeteReponseCaleolSchema = z
  .object({
    issue: z.enum(['bail_signe', 'refus_demandeur']),
    date_bail: date.nullable().optional(),
    motif_refus: z.enum(MOTIFS_REFUS).nullable().optional(),
  })
  .strict();
export const parametreDecisionSchema = z.object({ id: z.string().min(1).max(64).meta({ description: 'Identifiant de la décision (attribution caleol-…)', example: 'caleol-000001' }) });

/** The agenda's file formats (POST /api/caleol/ordre-du-jour). */
export const FORMATS_ORDRE_DU_JOUR = ['docx', 'pdf', 'xlsx'] as const;

export const requeteOrdreDuJourSchema = z
  .object({
    date: date.meta({ description: 'Date de la commission', example: '2025-06-30' }),
    logements: z
      .array(identifiant)
      .min(1, 'au moins un logement')
      .max(50, 'au plus 50 logements par commission')
      .meta({ description: 'Les logements examinés, dans l’ordre du jour (colonne id de logements.csv)', example: ['L1', 'L2'] }),
    format: z.enum(FORMATS_ORDRE_DU_JOUR).meta({ description: 'docx (Word), pdf ou xlsx (Excel)' }),
    grille: z.string().max(200_000).optional().meta({ description: 'Grille de cotation de la CIA en YAML (défaut : grilles/equilibre-cia.yaml)' }),
    fichier: z.string().max(200).optional().meta({ description: 'Nom du fichier de la grille, pour situer ses problèmes' }),
    nombre: z.number().int().min(1).max(10).optional().meta({ description: 'Candidats par logement (défaut : caleol.nombre_candidats de cia.yaml, sinon 3)' }),
  })
  .strict();
export type RequeteOrdreDuJour = z.infer<typeof requeteOrdreDuJourSchema>;
