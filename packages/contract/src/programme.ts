import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { liste } from './commun.ts';
import { numeroSchema } from './imports.ts';

/**
 * The CIA's action programme and its follow-up (issue 19; docs/programme.md): GET /api/programme (the convention,
 * the fiches by orientation with their status of the year, the status history and the partners' comments),
 * PUT /api/programme/fiches/{numero}/statut (the EPCI), POST /api/programme/fiches/{numero}/commentaires (the pilot
 * and the partners of a fiche), GET /api/programme/calendrier (the obligations of the year, late or due soon).
 */

const annee = z.coerce.number().int().min(2001).max(2099);
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
    genre: z.enum(['loi', 'convention', 'fiche']),
    situation: z.enum(['en_retard', 'echue', 'proche', 'a_venir']).meta({
      description:
        'Par rapport au jour de la requête : en_retard (étape d’une fiche passée, fiche ni réalisée ni abandonnée), echue (obligation passée dont Mixité ne suit pas la réalisation, ou étape d’une fiche close), proche (dans les 30 jours), a_venir',
    }),
  })
  .strict();
export const calendrierSchema = z
  .object({ annee: z.number().int(), aujourdhui: z.string(), echeances: liste(echeanceApiSchema) })
  .strict();
export type CalendrierApi = Lecture<z.infer<typeof calendrierSchema>>;
