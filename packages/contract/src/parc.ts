import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { anneeSchema, liste } from './commun.ts';

/**
 * The stock (issue 14): the household calculator (POST /api/menage), the affordability of the dwellings to the first
 * quartile once the APL is counted (GET /api/parc) and the fragile residences (GET /api/parc/residences).
 * Amounts in € a month, rates as shares between 0 and 1, resources per UC in € a year.
 */

const zoneApl = z.enum(['1', '2', '3']).meta({ description: 'Zone APL (1, 2 ou 3) de la commune' });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'une date AAAA-MM-JJ');
const annee = anneeSchema;

export const CLASSES_RESIDENCE = ['tres_fragile', 'fragile', 'non_fragile', 'inconnue'] as const;
export const classeResidenceSchema = z
  .enum(CLASSES_RESIDENCE)
  .meta({ description: 'Fragilité d’une résidence : très fragile (> 50 % des ménages sous 40 % des plafonds), fragile (25 à 50 % inclus), non fragile, inconnue (sans enquête)' });
export type ClasseResidence = z.infer<typeof classeResidenceSchema>;

export const TENDANCES = ['aggravation', 'amelioration', 'stable'] as const;
export const tendanceSchema = z.enum(TENDANCES).nullable().meta({ description: 'Évolution de la part entre les deux dernières enquêtes (null : une seule enquête)' });

// ——— Household calculator ———

export const requeteMenageSchema = z
  .object({
    personnes: z.number().int().min(1).max(20).meta({ description: 'Nombre de personnes du ménage' }),
    adultes: z.union([z.literal(1), z.literal(2)]).meta({ description: '1 ou 2 adultes ; les autres personnes sont à charge pour l’APL' }),
    moins_14_ans: z.number().int().min(0).max(19).meta({ description: 'Enfants de moins de 14 ans (pour les UC)' }),
    ressources_mensuelles: z.number().min(0).max(1_000_000).meta({ description: 'Ressources mensuelles du ménage, €' }),
    date: date.optional().meta({ description: 'Date du calcul (défaut : aujourd’hui) : année du seuil Q1, barème d’APL' }),
    code_insee: z.string().optional().meta({ description: 'Commune du logement : sa zone APL et l’EPCI de son seuil' }),
    zone_apl: zoneApl.optional(),
    loyer: z.number().min(0).max(10_000).optional().meta({ description: 'Loyer mensuel hors charges, €' }),
    charges: z.number().min(0).max(5_000).optional().meta({ description: 'Charges mensuelles, € (défaut : forfait charges de l’APL)' }),
  })
  .strict()
  .meta({ id: 'RequeteMenage', description: 'Un ménage (et, s’il est donné, un logement) à situer et à simuler' });
export type RequeteMenage = z.infer<typeof requeteMenageSchema>;

export const resultatMenageSchema = z
  .object({
    uc: z.number().meta({ description: 'Unités de consommation (pondération de la CIA)' }),
    ressources_par_uc: z.number().meta({ description: 'Ressources annuelles par UC, €' }),
    quartile: z.number().int().min(1).max(4).nullable().meta({ description: 'Quartile du ménage (null : limite inconnue)' }),
    annee: z.number().int(),
    seuil_q1: z.number().nullable().meta({ description: 'Seuil du premier quartile appliqué, € par UC et par an' }),
    origine_seuil: z.enum(['publie', 'calcule', 'absent']),
    mediane: z.number().nullable(),
    q3: z.number().nullable(),
    origine_mediane: z.enum(['publie', 'calcule', 'absent']).meta({ description: 'Médiane : seuil_q2 de l’arrêté (seuils.csv), sinon calculée sur la demande' }),
    origine_q3: z.enum(['publie', 'calcule', 'absent']).meta({ description: 'Troisième quartile : seuil_q3 de l’arrêté (seuils.csv), sinon calculé sur la demande' }),
    logement: z
      .object({
        zone_apl: zoneApl,
        loyer: z.number(),
        charges: z.number(),
        charges_estimees: z.boolean().meta({ description: 'Charges non données : forfait charges de l’APL' }),
        apl: z.number().meta({ description: 'APL mensuelle estimée, €' }),
        taux_effort: z.number().nullable().meta({ description: '(loyer + charges − APL) ÷ ressources mensuelles (null sans ressources)' }),
        reste_a_vivre_uc_jour: z.number().nullable().meta({ description: 'Reste à vivre par UC et par jour, €' }),
        bareme: z.object({ debut: z.string(), source: z.string() }).strict(),
        detail: z
          .object({
            loyer_retenu: z.number(),
            plafond: z.number(),
            forfait_charges: z.number(),
            p0: z.number(),
            r0: z.number(),
            rl: z.number(),
            tp: z.number(),
            participation: z.number(),
          })
          .strict(),
      })
      .strict()
      .nullable()
      .meta({ description: 'Simulation dans le logement (null sans loyer ou sans zone)' }),
  })
  .strict()
  .meta({ id: 'ResultatMenage', description: 'Le ménage situé : UC, quartile, et dans un logement : APL, taux d’effort, reste à vivre' });
export type ResultatMenage = Lecture<z.infer<typeof resultatMenageSchema>>;

// ——— Affordability of the stock ———

export const requeteParcSchema = z.object({ annee: annee.meta({ description: 'Année : seuil Q1 de l’année, barème d’APL en vigueur au 31 décembre, dernière enquête d’occupation, baux signés dans l’année', example: 2024 }) }).strict();

export const DIMENSIONS_PARC = ['commune', 'qpv', 'bailleur', 'typologie', 'financement'] as const;
export const dimensionParcSchema = z.enum(DIMENSIONS_PARC);

export const ligneParcSchema = z
  .object({
    cle: z.string().meta({ description: 'Code de la commune, du QPV (hors_qpv), du bailleur, nombre de pièces, financement' }),
    libelle: z.string(),
    logements: z.number().int(),
    abordables: liste(z.number().int()).meta({ description: 'Logements abordables au ménage Q1 de référence, un nombre par hypothèse de taux d’effort (même ordre que `hypotheses`)' }),
    abordables_non_fragiles_hors_qpv: z.number().int().meta({ description: 'Abordables (hypothèse centrale), hors QPV et dans une résidence non fragile' }),
    zone_inconnue: z.number().int().meta({ description: 'Logements sans zone APL (commune sans zone) : non évalués' }),
  })
  .strict();
export type LigneParc = Lecture<z.infer<typeof ligneParcSchema>>;

export const croisementCommuneSchema = z
  .object({
    code_insee: z.string(),
    commune: z.string(),
    logements: z.number().int(),
    abordables: z.number().int().meta({ description: 'Abordables (hypothèse centrale)' }),
    abordables_non_fragiles_hors_qpv: z.number().int(),
    baux: z.number().int().meta({ description: 'Baux signés dans l’année dans des logements identifiés de la commune' }),
    baux_croisement: z.number().int().meta({ description: 'Dont dans un logement abordable, hors QPV, d’une résidence non fragile' }),
  })
  .strict();

export const parcSchema = z
  .object({
    annee: z.number().int(),
    seuil_q1: z.number().nullable().meta({ description: 'Seuil Q1 du territoire pour l’année, € par UC et par an' }),
    bareme: z.object({ debut: z.string(), source: z.string() }).strict(),
    hypotheses: liste(z.number()).meta({ description: 'Taux d’effort maximaux retenus (parts), par défaut 0,25 / 0,30 / 0,35' }),
    hypothese_centrale: z.number(),
    reste_a_vivre_minimum: z.number().nullable().meta({ description: 'Reste à vivre minimal par UC et par jour, € (null : non appliqué)' }),
    total: ligneParcSchema,
    repartitions: z
      .object({
        commune: liste(ligneParcSchema),
        qpv: liste(ligneParcSchema),
        bailleur: liste(ligneParcSchema),
        typologie: liste(ligneParcSchema),
        financement: liste(ligneParcSchema),
      })
      .strict()
      .meta({ description: 'Par commune, QPV (hors_qpv pour le reste), bailleur, nombre de pièces, financement' }),
    croisement: liste(croisementCommuneSchema).meta({ description: 'Par commune : abordable ∧ non fragile ∧ hors QPV, et les baux de l’année qui y sont tombés' }),
    baux: z.number().int(),
    baux_croisement: z.number().int(),
  })
  .strict()
  .meta({ id: 'Parc', description: 'Parc abordable au premier quartile après APL, par commune, QPV, bailleur, typologie et financement, restreint au périmètre du compte' });
export type Parc = Lecture<z.infer<typeof parcSchema>>;

// ——— Fragile residences ———

export const residenceParcSchema = z
  .object({
    residence_id: z.string(),
    nom: z.string().nullable(),
    bailleur_id: z.string(),
    bailleur: z.string().nullable(),
    code_insee: z.string(),
    commune: z.string().nullable(),
    code_qpv: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    nb_logements: z.number().int().nullable(),
    annee_enquete: z.number().int().nullable().meta({ description: 'Dernière enquête d’occupation au plus tard l’année demandée' }),
    menages: z.number().int().nullable(),
    part_sous_40pct: z.number().nullable().meta({ description: 'Part des ménages sous le seuil de l’indicateur de fragilité (par défaut 40 % des plafonds)' }),
    classe: classeResidenceSchema,
    tendance: tendanceSchema,
    attributions: z.number().int().meta({ description: 'Baux signés dans l’année dans un logement de la résidence' }),
    attributions_q1: z.number().int().meta({ description: 'Dont à des ménages du premier quartile' }),
  })
  .strict();
export type ResidenceParc = Lecture<z.infer<typeof residenceParcSchema>>;

export const residencesParcSchema = z
  .object({
    annee: z.number().int(),
    indicateur: z.string().meta({ description: 'Colonne d’occupation.csv comptée (parametre parc.fragilite.indicateur)' }),
    seuil_fragile: z.number(),
    seuil_tres_fragile: z.number(),
    residences: liste(residenceParcSchema),
    attributions_par_classe: liste(
      z.object({ classe: classeResidenceSchema, attributions: z.number().int(), attributions_q1: z.number().int() }).strict(),
    ).meta({ description: 'Baux de l’année par classe de la résidence : combien de ménages Q1 placés dans des résidences déjà fragiles' }),
  })
  .strict()
  .meta({ id: 'ResidencesParc', description: 'Résidences, leur fragilité et les attributions de l’année, restreintes au périmètre du compte' });
export type ResidencesParc = Lecture<z.infer<typeof residencesParcSchema>>;
