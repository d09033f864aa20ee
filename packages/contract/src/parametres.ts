import type { CiaConfig } from '@mixite/core';
import { PERIMETER_TYPES, TARGET_IDS } from '@mixite/core';
import { z } from 'zod';
import { tableauSchema } from './commun.ts';
import type { Lecture } from './commun.ts';

/** The CIA settings and the Q1 thresholds (GET/PUT /api/configuration, /api/seuils). */

const part = z.number().min(0).max(1);

/** The settings as the server sends them: every default filled in (core's `CiaConfig`). */
export const ciaConfigReponseSchema = z
  .object({
    code_epci: z.string().nullable().meta({ description: 'SIREN de l’EPCI' }),
    cibles: z
      .object(Object.fromEntries(TARGET_IDS.map((id) => [id, part.nullable()])) as Record<(typeof TARGET_IDS)[number], z.ZodNullable<typeof part>>)
      .strict()
      .meta({ description: 'Objectifs par défaut (parts entre 0 et 1 ; null : pas d’objectif)' }),
    // A plain array: the settings page edits a copy of these rows (core's CiaConfig type).
    cibles_par_perimetre: z.array(
      z
        .object({ indicateur: z.string(), perimetre_type: z.enum(PERIMETER_TYPES), perimetre_id: z.string(), cible: part.nullable() })
        .strict(),
    ),
    assimiles_comme_qpv: z.boolean(),
    uc: z.object({ premiere_personne: z.number(), autre_14_ans_et_plus: z.number(), moins_14_ans: z.number() }).strict(),
    secret_statistique: z.number().int().meta({ description: 'Seuil du secret statistique (effectifs inférieurs masqués)' }),
    parc: z.looseObject({}).optional().meta({ description: 'Analyse du parc (taux d’effort, ménages de référence, fragilité, barèmes d’APL), si donnée : docs/parc.md' }),
    caleol: z.looseObject({}).optional().meta({ description: 'Règles des listes de la CALEOL (nombre de candidats, premier quartile hors QPV, prioritaires du contingent de l’État, taux d’effort), si données : docs/caleol.md' }),
    effectif_minimum: z.number().int().meta({ description: 'Dénominateur en dessous duquel un taux est marqué « faible effectif » (20 par défaut)' }),
    compter_faibles_effectifs: z.boolean().meta({ description: 'Les taux à faible effectif comptent-ils parmi les objectifs atteints ou manqués des synthèses ?' }),
  })
  .strict()
  .meta({ id: 'CiaConfig', description: 'Les paramètres de la CIA (cia.yaml), valeurs par défaut comprises' });

export const configurationSchema = z
  .object({
    version: z.number().int().meta({ description: '0 : aucun paramètre enregistré, valeurs par défaut du format' }),
    date_modification: z.string().nullable(),
    auteur: z.string().nullable(),
    origine: z.string().nullable(),
    contenu: ciaConfigReponseSchema,
  })
  .strict()
  .meta({ id: 'Configuration', description: 'Paramètres en vigueur de la CIA' });
/** `contenu` is core's `CiaConfig`, which the schema above describes as the server sends it. */
export type Configuration = Lecture<Omit<z.infer<typeof configurationSchema>, 'contenu'>> & { readonly contenu: CiaConfig };

/**
 * The body of PUT /api/configuration. The settings themselves are checked by core's one rule for configuration
 * documents (`validateCiaConfig`, the one cia.yaml goes through), whose refusals name each field: the edge checks the envelope.
 */
export const corpsConfigurationSchema = z
  .looseObject({
    contenu: z.record(z.string(), z.unknown()).meta({ description: 'Les nouveaux paramètres (forme de CiaConfig, clés inconnues refusées)' }),
  })
  .meta({ id: 'CorpsConfiguration' });
export type CorpsConfiguration = z.input<typeof corpsConfigurationSchema>;

export const versionConfigurationSchema = z
  .object({
    version: z.number().int(),
    date_modification: z.string().nullable(),
    auteur: z.string().nullable(),
    origine: z.string().nullable(),
    modifications: z
      .array(z.string())
      .meta({ description: 'Chaque champ modifié par cette version, « libellé : avant → après » (la première version : par rapport aux valeurs par défaut)' }),
  })
  .strict();
export const tableauVersionsSchema = tableauSchema(versionConfigurationSchema).meta({ id: 'TableauVersions', description: 'Historique des versions des paramètres' });

/** The same rules as seuils.csv: a year, an optional EPCI SIREN, a positive amount. */
export const seuilSchema = z
  .object({
    annee: z.number().int().min(1990).max(2099),
    code_epci: z.string().regex(/^[0-9]{9}$/, 'un SIREN de 9 chiffres').nullable().default(null).meta({ description: 'SIREN de l’EPCI ; null : tous' }),
    seuil_q1: z.number().positive().max(1_000_000).meta({ description: 'Seuil du premier quartile (€ par UC et par an)' }),
    source: z.string().max(200).nullable().default(null).meta({ description: 'Arrêté' }),
    seuil_q2: z.number().positive().max(1_000_000).nullable().default(null).meta({ description: 'Médiane publiée par l’arrêté (€ par UC et par an) ; null : calculée sur la demande' }),
    seuil_q3: z.number().positive().max(1_000_000).nullable().default(null).meta({ description: 'Troisième quartile publié par l’arrêté (€ par UC et par an) ; null : calculé sur la demande' }),
  })
  .strict()
  .meta({ id: 'Seuil' });
export type Seuil = Lecture<z.infer<typeof seuilSchema>>;

export const corpsSeuilsSchema = z.object({ seuils: z.array(seuilSchema).max(500) }).strict().meta({ id: 'CorpsSeuils' });
export type CorpsSeuils = z.input<typeof corpsSeuilsSchema>;

export const tableauSeuilsSchema = tableauSchema(
  z.object({ annee: z.number().int(), code_epci: z.string().nullable(), seuil_q1: z.number(), source: z.string().nullable(), seuil_q2: z.number().nullable(), seuil_q3: z.number().nullable() }).strict(),
).meta({ id: 'TableauSeuils', description: 'Seuils du premier quartile' });
