import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { liste } from './commun.ts';

/**
 * The simulation of an allocation policy over a year (issue 16, docs/simulation.md): the shipped policies, the check
 * of an edited one, a Monte-Carlo run as a background job (progress, cancel) and its result as intervals per target.
 * Rates are shares between 0 and 1; counts and waiting times (days) are numbers.
 */

/** Runs one request may ask for through the API (the CLI goes to 100 000): a few minutes of the server's cores at most. */
export const TIRAGES_MAX_API = 500;
/** Longest policy text accepted (a policy is a few dozen lines). */
export const TAILLE_MAX_POLITIQUE = 20_000;

export const politiquesLivreesSchema = z
  .object({
    politiques: liste(
      z
        .object({
          fichier: z.string().meta({ description: 'Nom du fichier dans politiques/ (sans chemin)' }),
          nom: z.string().meta({ description: 'Nom de la politique (clé nom)' }),
          description: z.string().nullable(),
          contenu: z.string().meta({ description: 'Texte YAML de la politique' }),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'PolitiquesLivrees', description: 'Les politiques d’attribution livrées avec Mixité (politiques/*.yaml)' });
export type PolitiquesLivrees = Lecture<z.infer<typeof politiquesLivreesSchema>>;

const texteDePolitique = z.string().min(1, 'le texte de la politique est vide').max(TAILLE_MAX_POLITIQUE, `une politique tient en ${TAILLE_MAX_POLITIQUE} caractères au plus`);
const nomDeFichier = z
  .string()
  .max(100)
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'un nom de fichier sans chemin (lettres, chiffres, _ . -)')
  .meta({ description: 'Nom du fichier de la politique (sert d’identifiant dans les résultats et les messages)' });

export const corpsPolitiqueSchema = z
  .object({ contenu: texteDePolitique.meta({ description: 'Texte YAML de la politique' }), fichier: nomDeFichier.optional() })
  .strict()
  .meta({ id: 'CorpsPolitique', example: { contenu: 'nom: Essai\nordre: anciennete\n', fichier: 'essai.yaml' } });

export const problemePolitiqueSchema = z
  .object({
    fichier: z.string(),
    ligne: z.number().int().nullable(),
    colonne: z.number().int().nullable(),
    chemin: z.string().meta({ description: 'Chemin de la clé dans le document, par exemple regles.quotas_prioritaires.etat_prioritaires' }),
    message: z.string(),
  })
  .strict()
  .meta({ id: 'ProblemePolitique', description: 'Un problème localisé d’une politique' });

export const verificationPolitiqueSchema = z
  .object({ ok: z.boolean(), problemes: liste(problemePolitiqueSchema), nom: z.string().nullable().meta({ description: 'Le nom de la politique quand elle est valide' }) })
  .strict()
  .meta({ id: 'VerificationPolitique' });
export type VerificationPolitique = Lecture<z.infer<typeof verificationPolitiqueSchema>>;

const politiqueDemandee = z
  .object({
    livree: z.string().max(100).optional().meta({ description: 'Nom d’un fichier de politiques/ (ex. pratique-observee.yaml)' }),
    contenu: texteDePolitique.optional().meta({ description: 'Ou le texte YAML d’une politique éditée' }),
    fichier: nomDeFichier.optional(),
  })
  .strict()
  .refine((p) => (p.livree === undefined) !== (p.contenu === undefined), { message: 'une politique est soit « livree » (un fichier de politiques/), soit « contenu » (son texte YAML)' });

export const demandeSimulationSchema = z
  .object({
    annee: z.number().int().min(2000).max(2099).meta({ description: 'Année simulée ; les (au plus) trois années d’avant servent à la calibration' }),
    politiques: z.array(politiqueDemandee).min(1, 'au moins une politique').max(2, 'deux politiques au plus (A, et B comparée à A)'),
    tirages: z
      .number()
      .int('un nombre entier de tirages')
      .min(1, 'au moins un tirage pour avoir un résultat')
      .max(TIRAGES_MAX_API, `au plus ${TIRAGES_MAX_API} tirages par l’API (la commande mixite simuler va plus loin)`)
      .default(100),
    graine: z.number().int().min(0).max(0xffffffff).default(1).meta({ description: 'Mêmes données, politiques et graine → même résultat' }),
  })
  .strict()
  .meta({ id: 'DemandeSimulation', example: { annee: 2024, politiques: [{ livree: 'pratique-observee.yaml' }], tirages: 10, graine: 1 } });
export type DemandeSimulation = z.input<typeof demandeSimulationSchema>;

export const ligneSimulationSchema = z
  .object({
    politique: z.string().meta({ description: 'Identifiant de la politique (nom de fichier sans extension) ou « difference » (B − A)' }),
    indicateur: z.string().meta({ description: 'hors_qpv_q1, qpv_hors_q1, qpv_q3_q4, prioritaires, menages_loges, attente_jours, baux, propositions, vacances_non_pourvues' }),
    perimetre_type: z.string(),
    perimetre_id: z.string(),
    moyenne: z.number(),
    p05: z.number(),
    p95: z.number(),
    observe: z.number().nullable().meta({ description: 'Valeur observée de l’année (rétro-test), null sans données' }),
    cible: z.number().nullable().meta({ description: 'Objectif de la CIA pour cet indicateur (paramètres), sur le territoire ; null sinon' }),
  })
  .strict()
  .meta({ id: 'LigneSimulation' });
export type LigneSimulationApi = Lecture<z.infer<typeof ligneSimulationSchema>>;

export const resultatSimulationSchema = z
  .object({
    annee: z.number().int(),
    annees_calibration: liste(z.number().int()),
    tirages: z.number().int(),
    graine: z.number().int(),
    politiques: liste(z.object({ id: z.string(), nom: z.string() }).strict()),
    lignes: liste(ligneSimulationSchema),
  })
  .strict()
  .meta({ id: 'ResultatSimulation', description: 'Moyenne et intervalle de 5 à 95 % des tirages, par politique et par indicateur' });
export type ResultatSimulationApi = Lecture<z.infer<typeof resultatSimulationSchema>>;

export const ETATS_SIMULATION = ['en_attente', 'en_cours', 'pret', 'echec', 'annule'] as const;
export type EtatSimulation = (typeof ETATS_SIMULATION)[number];

export const travailSimulationSchema = z
  .object({
    id: z.string(),
    etat: z.enum(ETATS_SIMULATION),
    faits: z.number().int().meta({ description: 'Tirages faits (toutes politiques)' }),
    total: z.number().int(),
    etape: z.string().meta({ description: 'Ce que fait la simulation : calibration, tirages de telle politique' }),
    message: z.string().nullable().meta({ description: 'Pourquoi la simulation a échoué, en français' }),
    resultat: resultatSimulationSchema.nullable(),
  })
  .strict()
  .meta({ id: 'TravailSimulation', description: 'Une simulation lancée en arrière-plan' });
export type TravailSimulation = Lecture<z.infer<typeof travailSimulationSchema>>;

export const parametresSimulationSchema = z.object({
  id: z.string().max(100).meta({ description: 'Identifiant rendu par POST /api/simulations', example: 'AAAAAAAAAAAAAAAAAAAAAA' }),
});
