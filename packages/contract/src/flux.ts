import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { anneeSchema, liste } from './commun.ts';

/**
 * Gestion en flux (issue 13; docs/flux.md): the flow of each bailleur, the rights, orientations and balances of its
 * réservataires, and the R441-5-1 bilan. A bailleur account reads its own flux, a réservataire (or a commune, through
 * its communal réservataires) its lines at every bailleur; the EPCI, the State and the administrator read every one.
 */

const annee = anneeSchema.meta({ description: 'Année du flux (AAAA)', example: 2024 });
const identifiant = z.string().min(1).max(100);

export const requeteFluxSchema = z
  .object({
    annee,
    bailleur: identifiant.optional().meta({ description: 'Un seul bailleur (un compte bailleur ne lit que le sien)' }),
  })
  .meta({ id: 'RequeteFlux' });
export type RequeteFlux = z.input<typeof requeteFluxSchema>;

const ligneDroitsSchema = z
  .object({
    reservataire_id: z.string().meta({ description: 'Réservataire, ou non_reserve:<bailleur> pour la part propre du bailleur' }),
    reservataire_nom: z.string(),
    part: z.number().meta({ description: 'Part du flux (0–1) de la convention de l’année' }),
    droits_previsionnels: z.number().meta({ description: 'Part × flux prévisionnel' }),
    droits: z.number().meta({ description: 'Part × flux réalisé (à date)' }),
    orientations: z.number().int().meta({ description: 'Baux du flux sur le contingent du réservataire' }),
    report: z.number().meta({ description: 'Solde reporté des années précédentes' }),
    solde: z.number().meta({ description: 'Orientations − droits + report : négatif, le bailleur lui doit des logements' }),
    en_retard: z.boolean().meta({ description: 'Orientations sous le prorata des droits prévisionnels à la date' }),
  })
  .strict();

const ligneDimensionSchema = z
  .object({
    reservataire_id: z.string(),
    dimension: z.enum(['typologie', 'qpv', 'financement']),
    modalite: z.string(),
    flux: z.number().int(),
    droits: z.number(),
    orientations: z.number().int(),
  })
  .strict();

const ligneEquilibreSchema = z
  .object({
    reservataire_id: z.string(),
    colonne: z.enum(['part_qpv_min', 'part_hors_qpv_min', 'part_t1_t2_min', 'part_t4_plus_min']).meta({ description: 'Colonne d’équilibre de la convention' }),
    libelle: z.string().meta({ description: 'en QPV, hors QPV, en T1–T2, en T4 et plus' }),
    minimum: z.number().meta({ description: 'Part minimale fixée par la convention (0–1)' }),
    orientations: z.number().int().meta({ description: 'Orientations du réservataire dans l’année' }),
    dans_les_modalites: z.number().int(),
    part: z.number().nullable().meta({ description: 'Part réalisée ; null sans orientation' }),
    sous_le_minimum: z.boolean(),
  })
  .strict();

const alerteSchema = z.object({ niveau: z.enum(['attention', 'information']), message: z.string() }).strict();

export const fluxBailleurSchema = z
  .object({
    bailleur_id: z.string(),
    bailleur_nom: z.string(),
    prevision: z.number(),
    methode: z.string().meta({ description: 'La méthode de la prévision et ses données' }),
    realise: z.number().int(),
    baux: z.number().int().meta({ description: 'Baux de l’année sur le parc du bailleur, avant exclusions' }),
    exclus: z.object({ mutations_internes: z.number().int(), relogements_anru: z.number().int(), logements_hors_flux: z.number().int() }).strict(),
    droits: liste(ligneDroitsSchema),
    par_dimension: liste(ligneDimensionSchema),
    mensuel: liste(z.object({ reservataire_id: z.string(), mois: z.number().int(), orientations: z.number().int() }).strict()),
    equilibre: liste(ligneEquilibreSchema).meta({ description: 'Les colonnes d’équilibre des conventions de l’année (part_qpv_min…) : part réalisée contre le minimum' }),
    alertes: liste(alerteSchema),
  })
  .strict()
  .meta({ id: 'FluxBailleur' });

export const fluxSchema = z
  .object({
    annee: z.number().int(),
    date_reference: z.string().meta({ description: 'Date à laquelle le prorata est calculé (fin d’année pour une année passée)' }),
    fraction_annee: z.number().meta({ description: 'Part de l’année écoulée à la date de référence (0–1)' }),
    bailleurs_disponibles: liste(z.object({ id: z.string(), nom: z.string() }).strict()),
    bailleurs: liste(fluxBailleurSchema),
  })
  .strict()
  .meta({ id: 'Flux', description: 'Le flux des bailleurs visibles par le compte' });
export type Flux = Lecture<z.infer<typeof fluxSchema>>;
export type FluxBailleur = Lecture<z.infer<typeof fluxBailleurSchema>>;

export const FORMATS_BILAN_FLUX = ['csv', 'xlsx', 'docx'] as const;
export const requeteBilanFluxSchema = z
  .object({
    annee,
    bailleur: identifiant.meta({ description: 'Le bailleur dont on veut le bilan', example: 'B1' }),
    format: z.enum(FORMATS_BILAN_FLUX).default('csv'),
  })
  .meta({ id: 'RequeteBilanFlux' });
export type RequeteBilanFlux = z.input<typeof requeteBilanFluxSchema>;

// ——— Conventions edited from the page (issue 13): read, imported as conventions.csv, one share changed ———

export const requeteConventionsSchema = z.object({ annee }).meta({ id: 'RequeteConventions' });
export type RequeteConventions = z.input<typeof requeteConventionsSchema>;

const ligneConventionSchema = z
  .object({
    bailleur_id: z.string(),
    bailleur_nom: z.string(),
    reservataire_id: z.string(),
    reservataire_nom: z.string(),
    annee: z.number().int(),
    part: z.number().meta({ description: 'Part du flux du bailleur (0–1)' }),
    part_qpv_min: z.number().nullable(),
    part_hors_qpv_min: z.number().nullable(),
    part_t1_t2_min: z.number().nullable(),
    part_t4_plus_min: z.number().nullable(),
  })
  .strict();

export const conventionsSchema = z
  .object({
    annee: z.number().int(),
    conventions: liste(ligneConventionSchema),
    /** The bailleurs whose conventions this account may change (empty: none; every bailleur for the EPCI). */
    bailleurs_modifiables: liste(z.string()),
    reservataires: liste(z.object({ id: z.string(), nom: z.string() }).strict()),
  })
  .strict()
  .meta({ id: 'Conventions', description: 'Les conventions de l’année visibles par le compte, et ce qu’il peut en modifier' });
export type Conventions = Lecture<z.infer<typeof conventionsSchema>>;

export const partConventionSchema = z
  .object({
    bailleur_id: identifiant,
    reservataire_id: identifiant,
    annee,
    part: z.number().min(0, 'la part est comprise entre 0 et 1').max(1, 'la part est comprise entre 0 et 1').meta({ description: 'Part du flux (0–1)', example: 0.25 }),
  })
  .strict()
  .meta({ id: 'PartConvention' });
export type PartConvention = z.input<typeof partConventionSchema>;
