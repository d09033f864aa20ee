import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { anneeSchema, liste } from './commun.ts';

/**
 * The refusal observatory and the mutations (issue 15, GET /api/refus; docs/refus-mutations.md). Counts of
 * proposals (CALEOL rows with decision attribution, issue ≠ non_proposee), refusals (issue refus_demandeur), leases;
 * rates as shares between 0 and 1, null when the denominator is 0.
 */

const annee = anneeSchema;
const taux = z.number().min(0).max(1).nullable();
const effectif = z.number().int().min(0);

export const requeteRefusSchema = z
  .object({ annee: annee.meta({ description: 'Année des propositions (datées par la CALEOL) et des baux (datés par leur signature)', example: 2024 }) })
  .strict();

export const DIMENSIONS_REFUS_API = ['residence', 'typologie', 'qpv', 'reservataire', 'bailleur', 'loyer', 'quartile'] as const;
export const PROFILS_REFUS_API = ['ensemble', 'quartile', 'prioritaire', 'mutation', 'typologie'] as const;
export const MOTIFS_REFUS_API = ['localisation', 'typologie', 'loyer', 'etat', 'environnement', 'sans_reponse', 'autre', 'non_renseigne'] as const;

const motifCompteSchema = z.object({ motif: z.enum(MOTIFS_REFUS_API), libelle: z.string(), refus: effectif }).strict();

const ligneRefusChamps = {
  modalite: z.string().meta({ description: 'Code de la modalité (identifiant de résidence, T3, qpv, q1, 400_499…)' }),
  libelle: z.string(),
  propositions: effectif,
  refus: effectif,
  taux: taux.meta({ description: 'refus ÷ propositions' }),
  propositions_precedentes: effectif.meta({ description: 'Propositions de l’année précédente' }),
  taux_precedent: taux.meta({ description: 'Taux de refus de l’année précédente' }),
  motifs: liste(motifCompteSchema).meta({ description: 'Refus de l’année par motif (tous les motifs, zéros compris)' }),
};

export const ligneRefusSchema = z.object(ligneRefusChamps).strict().meta({ id: 'LigneRefus' });

const satisfactionSchema = z
  .object({ demandes: effectif, satisfaites: effectif, taux: taux.meta({ description: 'satisfaites ÷ demandes' }) })
  .strict()
  .meta({ id: 'Satisfaction', description: 'Demandes présentes dans l’année (au moins un jour) et celles dont le bail a été signé dans l’année' });

export const mutationsSchema = z
  .object({
    annee: z.number().int(),
    par_motif: liste(z.object({ motif: z.string(), libelle: z.string(), demandes: effectif, satisfaites: effectif, taux }).strict()),
    mutation: satisfactionSchema,
    premier_acces: satisfactionSchema,
    tendance: liste(z.object({ annee: z.number().int(), mutation: satisfactionSchema, premier_acces: satisfactionSchema }).strict()),
    baux: z.object({ total: effectif, mutations: effectif, internes: effectif, inter_bailleurs: effectif, bailleur_inconnu: effectif }).strict(),
    sous_occupation_liberee: effectif.meta({ description: 'Baux de l’année à des demandes de mutation au motif « logement trop grand »' }),
    flux: z
      .object({ exclusion_mutations_active: z.boolean(), baux_exclus: effectif, mutations_internes_exclues: effectif, part: taux })
      .strict()
      .nullable()
      .meta({ description: 'Part des mutations internes dans les baux tenus hors du flux (null sans conventions de réservation importées)' }),
  })
  .strict()
  .meta({ id: 'Mutations' });

export const observatoireRefusSchema = z
  .object({
    annee: z.number().int(),
    ensemble: ligneRefusSchema,
    ventilations: liste(z.object({ dimension: z.enum(DIMENSIONS_REFUS_API), libelle: z.string(), lignes: liste(ligneRefusSchema) }).strict()),
    tendance: liste(z.object({ annee: z.number().int(), propositions: effectif, refus: effectif, taux, motifs: liste(motifCompteSchema) }).strict()),
    residences_plus_refusees: liste(
      z.object({ ...ligneRefusChamps, bailleur: z.string().nullable(), commune: z.string().nullable(), en_qpv: z.boolean() }).strict(),
    ),
    refus_avant_bail: liste(
      z
        .object({
          profil: z.enum(PROFILS_REFUS_API),
          libelle_profil: z.string(),
          modalite: z.string(),
          libelle: z.string(),
          baux: effectif,
          refus: effectif.meta({ description: 'Refus du même ménage (NUR) à une CALEOL antérieure à celle du bail' }),
          moyenne: z.number().min(0).nullable(),
          sans_refus: effectif,
          un_refus: effectif,
          deux_refus_ou_plus: effectif,
        })
        .strict(),
    ),
    mutations: mutationsSchema,
  })
  .strict()
  .meta({ id: 'ObservatoireRefus', description: 'Observatoire des refus et des mutations d’une année, agrégats de tout le territoire' });
export type ObservatoireRefusApi = Lecture<z.infer<typeof observatoireRefusSchema>>;
