import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import { z } from 'zod';
import { liste } from './commun.ts';
import type { Lecture } from './commun.ts';
import { ligneIndicateurSchema } from './indicateurs.ts';

/**
 * A partner's own page, « Mon espace » (issue 12, item 5: GET /api/espace), and the source of the data the dashboard
 * shows at its top (GET /api/donnees/source).
 */

const cite = (valeur: unknown) => String(valeur).slice(0, 100);

/** The partners a page may be about: a bailleur (its stock and its non-reserved contingent), a contingent, a commune. */
export const TYPES_PARTENAIRE = ['bailleur', 'contingent', 'commune'] as const;
export type TypePartenaire = (typeof TYPES_PARTENAIRE)[number];

export const requeteEspaceSchema = z.object({
  annee: z
    .string()
    .optional()
    .refine((v) => v === undefined || (/^\d{4}$/.test(v) && Number(v) >= 1990 && Number(v) <= 2099), { error: 'paramètre « annee » : une année (ex. 2024)' })
    .meta({ description: 'Année civile ; la plus récente des données par défaut', example: '2024' }),
  perimetre_type: z
    .string()
    .optional()
    .refine((v) => v === undefined || (TYPES_PARTENAIRE as readonly string[]).includes(v), {
      error: (iss) => `type de partenaire inconnu : « ${cite(iss.input)} » (attendu : ${TYPES_PARTENAIRE.join(', ')})`,
    })
    .meta({ description: 'Pour l’EPCI, l’État et l’administrateur : le type du partenaire choisi (bailleur, contingent ou commune)' }),
  // No example: the matrix of the access tests calls the route as each account's own page.
  perimetre_id: z
    .string()
    .optional()
    .refine((v) => v === undefined || (v.length <= 100 && !/\p{Cc}/u.test(v)), { error: 'paramètre « perimetre_id » invalide' })
    .meta({ description: 'Identifiant du partenaire choisi : id du bailleur, id du contingent (réservataire ou non_reserve:<bailleur>), code INSEE' }),
});
export type RequeteEspace = z.input<typeof requeteEspaceSchema>;

export const rangSchema = z
  .object({
    position: z.number().int().min(1).meta({ description: '1 pour le meilleur taux ; des taux égaux partagent le rang' }),
    sur: z.number().int().min(1).meta({ description: 'Nombre de pairs classés (même type de périmètre, même type de contingent, dénominateur non nul)' }),
  })
  .strict()
  .meta({ id: 'Rang', description: 'Rang du taux de l’année parmi les pairs' });

export const objectifEspaceSchema = z
  .object({
    indicateur: z.enum(LEGAL_INDICATOR_IDS),
    libelle: z.string(),
    lignes: liste(ligneIndicateurSchema).meta({ description: 'Les périodes de l’année : année, semestres, douze mois glissants' }),
    tendance: liste(ligneIndicateurSchema).meta({ description: 'Le taux de chaque année des données, la plus ancienne d’abord' }),
    rang: rangSchema.nullable().meta({ description: 'Null sans dénominateur sur l’année' }),
    manquants: z
      .number()
      .int()
      .min(0)
      .nullable()
      .meta({ description: 'Ménages manquants sur l’année pour atteindre la cible : ⌈cible × dénominateur⌉ − numérateur, 0 si atteinte ; null sans cible ou sans dénominateur' }),
    manquants_semestre: z.number().int().min(0).nullable().meta({ description: 'Les mêmes sur le dernier semestre (champ « semestre »)' }),
  })
  .strict()
  .meta({ id: 'ObjectifEspace', description: 'Un objectif vu d’un périmètre' });

export const perimetreEspaceSchema = z
  .object({
    perimetre_type: z.enum(['bailleur', 'contingent', 'commune']),
    perimetre_id: z.string(),
    perimetre_libelle: z.string(),
    objectifs: liste(objectifEspaceSchema),
  })
  .strict()
  .meta({ id: 'PerimetreEspace', description: 'Un périmètre du partenaire et ses objectifs' });

export const espaceSchema = z
  .object({
    annee: z.number().int(),
    annees: liste(z.number().int()),
    semestre: z.string().meta({ description: 'Le dernier semestre de l’année qui a des données (2024-S2, sinon 2024-S1)' }),
    glissant: z.string().meta({ description: 'Les douze mois glissants qui finissent avec ce semestre' }),
    partenaire: z
      .object({ type: z.enum(TYPES_PARTENAIRE), id: z.string(), libelle: z.string() })
      .strict()
      .nullable()
      .meta({ description: 'Le partenaire de la page : celui du compte, ou celui que l’EPCI, l’État ou l’administrateur a choisi ; null tant qu’ils n’en ont pas choisi' }),
    perimetres: liste(perimetreEspaceSchema).meta({
      description: 'Ses périmètres : pour un bailleur, son patrimoine puis son contingent « Non réservé » (où se lit l’objectif des ménages prioritaires) ; vide sans partenaire',
    }),
  })
  .strict()
  .meta({ id: 'Espace', description: 'La page d’un partenaire : ses chiffres sur chaque objectif, son rang, les ménages manquants' });
export type Espace = Lecture<z.infer<typeof espaceSchema>>;
export type ObjectifEspace = Lecture<z.infer<typeof objectifEspaceSchema>>;

export const sourceDonneesSchema = z
  .object({
    date_import: z.string().nullable().meta({ description: 'Date et heure (UTC, ISO) du dernier import réussi ; null si aucun' }),
    fichiers: liste(z.string()).meta({ description: 'Les fichiers de ce dernier import' }),
    annee_max: z.number().int().nullable().meta({ description: 'La dernière année des données' }),
  })
  .strict()
  .meta({ id: 'SourceDonnees', description: 'D’où viennent les chiffres : le dernier import, ses fichiers' });
export type SourceDonnees = Lecture<z.infer<typeof sourceDonneesSchema>>;

export const requeteComptesRetardsSchema = z.object({
  annee: z
    .string()
    .refine((v) => /^\d{4}$/.test(v) && Number(v) >= 1990 && Number(v) <= 2099, { error: 'paramètre « annee » : une année (ex. 2024)' })
    .meta({ description: 'Année civile', example: '2024' }),
});

const compteRetardsSchema = z
  .object({
    indicateur: z.string().meta({ description: 'Identifiant de l’objectif légal' }),
    perimetre_type: z.string().meta({ description: 'Type de partenaire : bailleur, contingent, commune, qpv' }),
    juges: z.number().int().meta({ description: 'Partenaires jugés sur l’année (atteint ou non), faibles effectifs exclus selon les paramètres' }),
    en_retard: z.number().int().meta({ description: 'Partenaires sous leur cible sur l’année' }),
    en_retard_semestre: z.number().int().meta({ description: 'Partenaires sous leur cible au dernier semestre' }),
    faibles: z.number().int().meta({ description: 'Partenaires à faible effectif, non jugés' }),
  })
  .strict();

export const comptesRetardsSchema = z
  .object({
    annee: z.number().int(),
    semestre: z.string().meta({ description: 'Le dernier semestre des données (2024-S2, sinon 2024-S1)' }),
    comptes: liste(compteRetardsSchema),
  })
  .strict()
  .meta({
    id: 'ComptesRetards',
    description:
      'Combien de partenaires sont sous leur cible, par objectif et type de partenaire, comptés sur les chiffres non masqués : des nombres de périmètres, ' +
      'non de ménages, publiés dans toutes les éditions comme dans le bilan (issue 12)',
  });
export type ComptesRetards = Lecture<z.infer<typeof comptesRetardsSchema>>;
