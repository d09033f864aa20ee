import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { anneeSchema, liste } from './commun.ts';
import { numeroSchema } from './imports.ts';

/**
 * The CIA's action programme and its follow-up (issue 19; docs/programme.md): GET /api/programme (the convention,
 * the fiches by orientation with their status of the year, the status history and the partners' comments),
 * PUT /api/programme/fiches/{numero}/statut (the EPCI), POST /api/programme/fiches/{numero}/commentaires (the pilot
 * and the partners of a fiche), GET /api/programme/calendrier (the obligations of the year, late or due soon).
 */

const annee = anneeSchema;
export const STATUTS_FICHE_API = ['non_commencee', 'en_cours', 'realisee', 'abandonnee'] as const;
const statut = z.enum(STATUTS_FICHE_API);

export const requeteProgrammeSchema = z.object({ annee: annee.meta({ description: 'Année du suivi (statuts, commentaires)', example: 2024 }) }).strict();
// The path's number read like every other (imports.ts `numeroSchema`): a French message for « abc » or « 1.5 », never « NaN ».
export const parametreFicheSchema = z.object({ numero: numeroSchema('numéro de fiche action').meta({ description: 'Numéro de la fiche action', example: '1' }) }).strict();

const valeurIndicateurSchema = z
  .object({
    annee: z.number().int(),
    taux: z.number().nullable().meta({ description: 'Taux de l’année (part entre 0 et 1), null sans dénominateur ou masqué' }),
    numerateur: z.number().nullable(),
    denominateur: z.number().nullable(),
    cible: z.number().nullable(),
  })
  .strict();

const lienIndicateurSchema = z
  .object({
    indicateur: z.string(),
    libelle: z.string().meta({ description: 'Titre de l’indicateur et périmètre' }),
    perimetre_type: z.string(),
    perimetre_id: z.string().nullable(),
    valeurs: liste(valeurIndicateurSchema).meta({ description: 'Valeur de chaque année disponible jusqu’à l’année demandée (tendance), calculée par le moteur d’indicateurs' }),
  })
  .strict();

export const ficheApiSchema = z
  .object({
    numero: z.number().int(),
    titre: z.string(),
    orientation: z.string(),
    enjeux: z.string(),
    etapes: liste(z.string()).meta({ description: 'Calendrier de la fiche, une étape par ligne (« année 1 : … », « 2024 : … », « annuel : … »)' }),
    pilote: z.string(),
    partenaires: liste(z.string()),
    indicateurs: liste(lienIndicateurSchema),
    indicateurs_qualitatifs: liste(z.string()),
    statut: statut.nullable().meta({ description: 'Statut de l’année demandée (le dernier enregistré), null si aucun' }),
    commentable: z.boolean().meta({ description: 'Le compte peut commenter la fiche (EPCI, ou pilote ou partenaire de la fiche)' }),
  })
  .strict();

const statutDateSchema = z.object({ numero: z.number().int(), annee: z.number().int(), statut, date: z.string(), auteur: z.string() }).strict();
const commentaireSchema = z.object({ numero: z.number().int(), annee: z.number().int(), partenaire: z.string(), texte: z.string(), date: z.string(), auteur: z.string() }).strict();

export const programmeSchema = z
  .object({
    annee: z.number().int(),
    convention: z
      .object({ intitule: z.string(), date_debut: z.string(), date_fin: z.string(), zone_tendue: z.boolean(), bilan_cil: z.string(), arrete_q1: z.string() })
      .strict()
      .nullable()
      .meta({ description: 'null tant qu’aucun programme n’a été importé (mixite programme importer)' }),
    fiches: liste(ficheApiSchema),
    historique: liste(statutDateSchema).meta({ description: 'Chaque statut enregistré, daté et signé (toutes années) ; vide pour le public' }),
    commentaires: liste(commentaireSchema).meta({ description: 'Commentaires datés et signés des partenaires (toutes années) ; non publiés au public' }),
    modifiable: z.boolean().meta({ description: 'Le compte peut changer les statuts (EPCI, administrateur)' }),
  })
  .strict();
export type ProgrammeApi = Lecture<z.infer<typeof programmeSchema>>;
export type FicheApi = ProgrammeApi['fiches'][number];

export const corpsStatutSchema = z.object({ annee, statut }).strict();
export const corpsCommentaireSchema = z
  .object({ annee, texte: z.string().trim().min(1, 'commentaire vide').max(4000, 'au plus 4 000 caractères') })
  .strict();

export const echeanceApiSchema = z
  .object({
    date: z.string(),
    obligation: z.string(),
    source: z.string(),
    genre: z.enum(['loi', 'convention', 'fiche', 'engagement']),
    situation: z.enum(['en_retard', 'echue', 'proche', 'a_venir']).meta({
      description:
        'Par rapport au jour de la requête : en_retard (étape d’une fiche passée, fiche ni réalisée ni abandonnée ; engagement passé ni tenu, ni non tenu, ni abandonné), echue (obligation passée dont Mixité ne suit pas la réalisation, ou étape d’une fiche close), proche (dans les 30 jours), a_venir',
    }),
  })
  .strict();
export const calendrierSchema = z
  .object({ annee: z.number().int(), aujourdhui: z.string(), echeances: liste(echeanceApiSchema) })
  .strict();
export type CalendrierApi = Lecture<z.infer<typeof calendrierSchema>>;

// --- Governance (issue 19): instances, meetings and their decisions, partners' commitments. GET /api/programme/instances
// for every account (the public reader without minutes, attendance nor signatures); writes by the EPCI (`modification`).

export const GENRES_INSTANCE_API = ['cil', 'comite_technique', 'commission_coordination', 'commission_qpv', 'caleol', 'groupe_travail', 'autre'] as const;
export const STATUTS_ENGAGEMENT_API = ['a_tenir', 'en_cours', 'tenu', 'non_tenu', 'abandonne'] as const;
const jourSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'date inexistante');
const texteCourt = (quoi: string, max = 300) => z.string().trim().min(1, `${quoi} vide`).max(max, `${quoi} : au plus ${max} caractères`);
const organisations = z.array(texteCourt('organisation', 120)).max(200);

export const parametreIdSchema = z.object({ id: numeroSchema('identifiant').meta({ description: 'Identifiant', example: '1' }) }).strict();

export const instanceApiSchema = z
  .object({ id: z.number().int(), genre: z.enum(GENRES_INSTANCE_API), nom: z.string(), membres: liste(z.string()), frequence: z.string().nullable() })
  .strict();
const decisionSchema = z
  .object({
    texte: texteCourt('décision', 2000),
    fiches: z.array(z.number().int().min(1)).max(50).meta({ description: 'Numéros des fiches action que la décision concerne' }),
  })
  .strict();
export const reunionApiSchema = z
  .object({
    id: z.number().int(),
    instance_id: z.number().int(),
    date: z.string(),
    ordre_du_jour: z.string(),
    compte_rendu: z.string().nullable().meta({ description: 'Compte rendu ; null s’il n’est pas écrit ou pour le public' }),
    documents: liste(z.string()),
    decisions: liste(z.object({ texte: z.string(), fiches: liste(z.number().int()) }).strict()),
    presents: liste(z.string()).meta({ description: 'Organisations présentes ; vide pour le public' }),
    auteur: z.string().nullable().meta({ description: 'Dernier signataire ; null pour le public' }),
    date_modification: z.string().nullable(),
  })
  .strict();
const cibleEngagementSchema = z
  .object({
    indicateur: z.string(),
    perimetre_type: z.enum(['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent']),
    perimetre_id: z.string().nullable(),
    cible: z.number().min(0).max(1).meta({ description: 'Taux visé, entre 0 et 1' }),
  })
  .strict();
export const engagementApiSchema = z
  .object({
    id: z.number().int(),
    partenaire: z.string(),
    fiche: z.number().int().nullable(),
    libelle: z.string(),
    echeance: z.string().nullable(),
    statut: z.enum(STATUTS_ENGAGEMENT_API),
    quantifie: cibleEngagementSchema.nullable(),
    valeur: z
      .object({ annee: z.number().int(), taux: z.number().nullable(), numerateur: z.number().nullable(), denominateur: z.number().nullable() })
      .strict()
      .nullable()
      .meta({ description: 'Engagement quantifié : valeur de l’indicateur pour l’année demandée, calculée par le moteur (secret statistique du compte)' }),
    auteur: z.string().nullable(),
    date_modification: z.string().nullable(),
  })
  .strict();

export const requeteGouvernanceSchema = requeteProgrammeSchema;
export const gouvernanceSchema = z
  .object({
    annee: z.number().int(),
    instances: liste(instanceApiSchema),
    reunions: liste(reunionApiSchema).meta({ description: 'Toutes les réunions, par date' }),
    engagements: liste(engagementApiSchema),
    modifiable: z.boolean().meta({ description: 'Le compte peut saisir instances, réunions et engagements (EPCI, administrateur)' }),
  })
  .strict();
export type GouvernanceApi = Lecture<z.infer<typeof gouvernanceSchema>>;
export type ReunionApi = GouvernanceApi['reunions'][number];
export type EngagementApi = GouvernanceApi['engagements'][number];

export const corpsInstanceSchema = z
  .object({ genre: z.enum(GENRES_INSTANCE_API), nom: texteCourt('nom', 200), membres: organisations, frequence: texteCourt('fréquence', 200).nullable() })
  .strict();
export const corpsReunionSchema = z
  .object({
    instance_id: z.number().int().min(1),
    date: jourSchema,
    ordre_du_jour: texteCourt('ordre du jour', 4000),
    compte_rendu: z.string().trim().max(50_000, 'compte rendu : au plus 50 000 caractères').nullable(),
    documents: z.array(texteCourt('document', 300)).max(100),
    decisions: z.array(decisionSchema).max(100),
    presents: organisations,
  })
  .strict();
export const corpsEngagementSchema = z
  .object({
    partenaire: texteCourt('partenaire', 120),
    fiche: z.number().int().min(1).nullable(),
    libelle: texteCourt('engagement', 2000),
    echeance: jourSchema.nullable(),
    statut: z.enum(STATUTS_ENGAGEMENT_API),
    quantifie: cibleEngagementSchema.nullable(),
  })
  .strict();
