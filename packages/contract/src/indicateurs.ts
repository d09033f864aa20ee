import { DEMAND_INDICATOR_IDS, LEGAL_INDICATOR_IDS, PERIMETER_TYPES, parsePeriode } from '@mixite/core';
import { z } from 'zod';
import { identifiantLibelleSchema, liste, secretSchema, tableauSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** Legal indicators, their breakdowns, the allocations behind a row, the demand side (GET /api/territoire … /api/demande). */

const PERIODES_ATTENDUES = '2024, 2024-S1, 2024-S2, 12m-2024-06-30, 12m-2024-12-31 ou 2024-T1 … 2024-T4';
const cite = (valeur: unknown) => String(valeur).slice(0, 100);

// ——— Requests ———

/** A period id of the export (`2024`, `2024-S1`, `12m-2024-06-30`…). */
export const periodeSchema = z
  .string()
  .refine((v) => parsePeriode(v) !== null, { error: (iss) => `période inconnue : « ${cite(iss.input)} » (attendu : ${PERIODES_ATTENDUES})` })
  .meta({ description: `Période : ${PERIODES_ATTENDUES}`, example: '2024' });

export const TYPES_PERIMETRE_REQUETE = [...PERIMETER_TYPES, 'non_reserve'] as const;
export const perimetreTypeSchema = z
  .string()
  .refine((v): boolean => (TYPES_PERIMETRE_REQUETE as readonly string[]).includes(v), {
    error: (iss) => `type de périmètre inconnu : « ${cite(iss.input)} » (attendu : ${PERIMETER_TYPES.join(', ')})`,
  })
  .meta({ description: 'territoire, commune, qpv, bailleur, contingent, type_contingent (ou non_reserve)', example: 'bailleur' });

export const perimetreIdSchema = z
  .string()
  .refine((v) => v.length <= 100 && !/\p{Cc}/u.test(v), { error: 'paramètre « perimetre_id » invalide' })
  .meta({ description: 'Identifiant du périmètre (code INSEE, code QPV, id du bailleur ou du réservataire, non_reserve:<bailleur>)', example: 'B1' });

/** The indicator of a filter: an unknown id is a 404 (the route's), not a malformed request. */
export const indicateurSchema = z
  .string()
  .max(100, 'paramètre « indicateur » trop long')
  .meta({ description: `Identifiant d’un indicateur légal (${LEGAL_INDICATOR_IDS.join(', ')})`, example: 'prioritaires' });

const ANNEE_ATTENDUE = 'paramètre « annee » attendu (ex. 2024) ou « periode »';
const anneeRequeteSchema = z.string().meta({ description: 'Année civile (ex. 2024) ; ignorée quand « periode » est donnée', example: '2024' });

/** `annee` or `periode`: the year is the period's when one is given. */
const anneeOuPeriode = {
  annee: anneeRequeteSchema.optional(),
  periode: periodeSchema.optional(),
};
function exigerAnneeOuPeriode(q: { annee?: string | undefined; periode?: string | undefined }, ctx: z.RefinementCtx): void {
  if (q.periode) return;
  const annee = Number(q.annee);
  if (!q.annee || !Number.isInteger(annee) || annee < 1990 || annee > 2099) ctx.addIssue({ code: 'custom', message: ANNEE_ATTENDUE, path: ['annee'] });
}

const filtrePerimetre = {
  perimetre_type: perimetreTypeSchema.optional(),
  perimetre_id: perimetreIdSchema.optional(),
  indicateur: indicateurSchema.optional(),
};

export const requeteIndicateursSchema = z.object({ ...anneeOuPeriode, ...filtrePerimetre }).superRefine(exigerAnneeOuPeriode);
export type RequeteIndicateurs = z.input<typeof requeteIndicateursSchema>;

export const requeteTendanceSchema = z.object(filtrePerimetre);
export type RequeteTendance = z.input<typeof requeteTendanceSchema>;

export const requeteDemandeSchema = z.object(anneeOuPeriode).superRefine(exigerAnneeOuPeriode);
export type RequeteDemande = z.input<typeof requeteDemandeSchema>;

/** Rows of an allocation list sent by default, and at most: beyond, the page says how many there are. */
export const LIMITE_ATTRIBUTIONS_DEFAUT = 5_000;
export const LIMITE_ATTRIBUTIONS_MAX = 50_000;

/** A positive integer limit in a query string, between 1 and `max`. */
export function limiteSchema(defaut: number, max: number, description: string) {
  return z
    .string()
    .optional()
    .transform((texte, ctx) => {
      const limite = texte ? Number(texte) : defaut;
      if (!Number.isInteger(limite) || limite < 1 || limite > max) {
        ctx.addIssue({ code: 'custom', message: `paramètre « limite » : un entier entre 1 et ${max}` });
        return z.NEVER;
      }
      return limite;
    })
    .meta({ description, example: '100' });
}

export const parametresAttributionsSchema = z.object({
  indicateur: z.string().max(100).meta({ description: 'Identifiant de l’indicateur légal', example: 'prioritaires', param: { name: 'indicateur', in: 'path' } }),
});
export const requeteAttributionsSchema = z.object({
  periode: z
    .string({ error: `paramètre « periode » attendu : ${PERIODES_ATTENDUES}` })
    .refine((v) => parsePeriode(v) !== null, { error: `paramètre « periode » attendu : ${PERIODES_ATTENDUES}` })
    .meta({ description: `Période : ${PERIODES_ATTENDUES}`, example: '2024' }),
  perimetre_type: perimetreTypeSchema.optional(),
  perimetre_id: perimetreIdSchema.optional(),
  limite: limiteSchema(
    LIMITE_ATTRIBUTIONS_DEFAUT,
    LIMITE_ATTRIBUTIONS_MAX,
    `Nombre maximal de lignes rendues (${LIMITE_ATTRIBUTIONS_DEFAUT} par défaut, ${LIMITE_ATTRIBUTIONS_MAX} au plus) ; total et total_numerateur les comptent toutes`,
  ),
});
export type RequeteAttributions = z.input<typeof requeteAttributionsSchema>;

// ——— Answers ———

export const territoireSchema = z
  .object({
    nom: z.string().meta({ description: 'Nom du territoire' }),
    code_epci: z.string().nullable().meta({ description: 'SIREN de l’EPCI, s’il est connu' }),
    annees: liste(z.number().int()).meta({ description: 'Années qui ont des attributions' }),
    donnees: z.boolean().meta({ description: 'La base contient-elle des données ?' }),
    perimetres: z.record(z.string(), liste(identifiantLibelleSchema)).meta({ description: 'Par type de périmètre, les périmètres du territoire et leur nom' }),
  })
  .strict()
  .meta({ id: 'Territoire', description: 'Le territoire : nom, années disponibles, libellés des périmètres' });
export type Territoire = Lecture<z.infer<typeof territoireSchema>>;

export const declarationIndicateurSchema = z
  .object({
    id: z.enum(LEGAL_INDICATOR_IDS),
    libelle: z.string(),
    definition: z.string(),
    base: z.enum(['propositions', 'baux']).meta({ description: 'Ce qui est compté : propositions (datées par la CALEOL) ou baux signés' }),
    numerateur: z.string(),
    denominateur: z.string(),
    source: z.string().meta({ description: 'Source légale' }),
    perimetres: liste(z.enum(PERIMETER_TYPES)).meta({ description: 'Types de périmètre où s’applique l’objectif par défaut' }),
    courts: z
      .object({ titre: z.string(), numerateur: z.string(), denominateur: z.string(), unite: z.string() })
      .strict()
      .meta({ description: 'Noms courts : titre, colonnes du numérateur et du dénominateur, unité (« 8 sur 24 baux hors QPV »)' }),
    cible_par_defaut: z.number().min(0).max(1).nullable().meta({ description: 'Cible par défaut (clé « cibles.<id> » de cia.yaml), part entre 0 et 1' }),
    perimetres_legaux: liste(z.enum(PERIMETER_TYPES)).meta({ description: 'Types de périmètre où manquer la cible est un manquement légal' }),
    presentation: z
      .object({
        jugement: z.enum(['territoire', 'contingent']).meta({ description: 'Où se lit l’objectif : un taux du territoire, ou par contingent' }),
        ventilation: z.enum(PERIMETER_TYPES).meta({ description: 'Ventilation d’ouverture de la page de l’objectif' }),
        substitution_semestrielle: z.boolean().meta({ description: 'Un déficit sur un semestre ouvre la substitution du préfet (loi 3DS)' }),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'Declaration', description: 'Un indicateur légal tel que déclaré une fois dans le moteur' });
export type DeclarationIndicateur = Lecture<z.infer<typeof declarationIndicateurSchema>>;

export const UNITES = ['nombre', 'part', 'ratio', 'jours'] as const;
export const VENTILATIONS = ['aucune', 'quartile', 'typologie', 'motif_refus'] as const;

export const declarationDemandeSchema = z
  .object({
    id: z.enum(DEMAND_INDICATOR_IDS),
    libelle: z.string(),
    definition: z.string(),
    unite: z.enum(UNITES).meta({ description: 'Unité de la valeur : un nombre, une part (0–1), un ratio ou un nombre de jours' }),
    ventilation: z.enum(VENTILATIONS),
    numerateur: z.string(),
    denominateur: z.string().nullable(),
  })
  .strict()
  .meta({ id: 'DeclarationDemande', description: 'Un indicateur de la demande' });

export const declarationsSchema = z
  .object({
    legaux: liste(declarationIndicateurSchema),
    demande: z.record(z.enum(DEMAND_INDICATOR_IDS), declarationDemandeSchema),
  })
  .strict()
  .meta({ id: 'Declarations' });
export type Declarations = Lecture<z.infer<typeof declarationsSchema>>;

export const ligneIndicateurSchema = z
  .object({
    indicateur: z.string(),
    perimetre_type: z.string(),
    perimetre_id: z.string(),
    perimetre_libelle: z.string(),
    periode: z.string(),
    numerateur: z.number().int().nullable().meta({ description: 'Null quand le secret statistique masque la cellule' }),
    denominateur: z.number().int().nullable().meta({ description: 'Null quand le secret statistique masque la cellule' }),
    taux: z.number().nullable(),
    cible: z.number().nullable(),
    ecart: z.number().nullable(),
    atteint: z.boolean().nullable(),
    faible_effectif: z
      .boolean()
      .nullable()
      .meta({ description: 'Dénominateur non nul sous l’effectif minimum de la CIA (effectif_minimum) : taux marqué « faible effectif » ; null quand le dénominateur est masqué' }),
    secret: secretSchema.optional().meta({ description: 'Présent pour les rôles qui ne lisent que des tableaux publiés (lecteur)' }),
  })
  .strict()
  .meta({ id: 'LigneIndicateur', description: 'Un indicateur × périmètre × période (format long d’indicateurs.csv)' });
export type LigneIndicateur = Lecture<z.infer<typeof ligneIndicateurSchema>>;

export const tableauIndicateursSchema = tableauSchema(ligneIndicateurSchema).meta({ id: 'TableauIndicateurs', description: 'Indicateurs légaux' });
export type TableauIndicateurs = Lecture<z.infer<typeof tableauIndicateursSchema>>;

export const ligneAttributionSchema = z
  .object({
    id: z.string(),
    nur: z.string().meta({ description: 'Le NUR, ou son pseudonyme à clé (PS-…) pour les rôles qui n’en ont pas besoin' }),
    date_cal: z.string(),
    date_bail: z.string().nullable(),
    bailleur: z.string(),
    commune: z.string(),
    qpv: z.string().nullable().meta({ description: 'Le QPV ou secteur assimilé du logement ; null en dehors' }),
    contingent: z.string(),
    issue: z.string(),
    quartile: z.number().int().min(1).max(4).nullable().meta({ description: 'Quartile de ressources du ménage (1–4) ; null s’il est inconnu' }),
    prioritaire: z.boolean(),
    mutation: z.boolean(),
    relogement: z.boolean(),
    au_numerateur: z.boolean(),
  })
  .strict()
  .meta({ id: 'LigneAttribution', description: 'Une attribution derrière une ligne d’indicateur' });
export type LigneAttribution = Lecture<z.infer<typeof ligneAttributionSchema>>;

export const listeAttributionsSchema = tableauSchema(ligneAttributionSchema)
  .extend({
    total: z.number().int(),
    total_numerateur: z.number().int(),
    limite: z.number().int(),
    restriction: z.string().nullable().meta({ description: 'Pour un compte restreint, le périmètre auquel ses lignes sont réduites' }),
    nur_pseudonymise: z.boolean(),
  })
  .strict()
  .meta({ id: 'ListeAttributions', description: 'Les attributions derrière une ligne, coupées à « limite » ; total et total_numerateur les comptent toutes' });
export type ListeAttributions = Lecture<z.infer<typeof listeAttributionsSchema>>;

export const ligneDemandeSchema = z
  .object({
    indicateur: z.enum(DEMAND_INDICATOR_IDS),
    periode: z.string(),
    modalite: z.string().meta({ description: '« » pour l’ensemble, sinon un quartile, une typologie ou un motif de refus' }),
    numerateur: z.number().nullable(),
    denominateur: z.number().nullable(),
    valeur: z.number().nullable(),
    secret: secretSchema.optional(),
    libelle: z.string(),
    unite: z.enum(UNITES),
    modalite_libelle: z.string(),
  })
  .strict()
  .meta({ id: 'LigneDemande', description: 'Une valeur de la demande ; comptes et valeur null quand le secret statistique les masque' });
export type LigneDemande = Lecture<z.infer<typeof ligneDemandeSchema>>;

export const limitesSchema = z
  .object({
    annee: z.number().int(),
    date_reference: z.string(),
    demandes: z.number().int(),
    q1: z.number().nullable(),
    mediane: z.number().nullable(),
    q3: z.number().nullable(),
    seuil_publie: z.number().nullable(),
    source_seuil: z.string().nullable(),
    seuil_applique: z.number().nullable(),
    origine_seuil: z.enum(['publie', 'calcule', 'absent']),
  })
  .strict()
  .meta({ id: 'Limites', description: 'Limites des quartiles d’une année (€ par UC et par an) ; les limites calculées sont masquées sous le seuil du secret' });
export type LimitesVisibles = Lecture<z.infer<typeof limitesSchema>>;

export const controlesSchema = z
  .object({
    q1_desaccords: z.number().int(),
    q1_desaccords_exemples: liste(z.string()),
    q1_inconnus: z.number().int(),
    cibles_inconnues: liste(z.string()),
  })
  .strict()
  .meta({ id: 'Controles' });

export const demandeSchema = z
  .object({
    annee: z.number().int(),
    periodes: liste(identifiantLibelleSchema),
    lignes: liste(ligneDemandeSchema),
    limites: liste(limitesSchema),
    controles: controlesSchema,
  })
  .strict()
  .meta({ id: 'Demande', description: 'La demande : stock, flux, quartiles, tension, délais, refus' });
export type Demande = Lecture<z.infer<typeof demandeSchema>>;
