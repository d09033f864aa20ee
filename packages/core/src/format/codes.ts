/**
 * Closed code lists of the canonical format (../shared/DATA-FORMAT.md).
 * Each list is the single source for the zod schemas, the SQL checks of the importer and the French labels.
 */

export const ZONES_ABC = ['abis', 'a', 'b1', 'b2', 'c'] as const;
export type ZoneAbc = (typeof ZONES_ABC)[number];

export const ZONES_APL = ['1', '2', '3'] as const;
export type ZoneApl = (typeof ZONES_APL)[number];

export const TYPES_BAILLEUR = ['oph', 'esh', 'sem', 'coop', 'autre'] as const;
export type TypeBailleur = (typeof TYPES_BAILLEUR)[number];

export const TYPES_RESERVATAIRE = [
  'etat_prioritaires',
  'etat_agents',
  'action_logement',
  'commune',
  'epci',
  'departement',
  'region',
  'autre',
] as const;
export type TypeReservataire = (typeof TYPES_RESERVATAIRE)[number];

export const FINANCEMENTS = ['plai', 'plus', 'pls', 'pli', 'autre'] as const;
export type Financement = (typeof FINANCEMENTS)[number];

export const STATUTS_DEMANDE = ['active', 'attribuee', 'radiee'] as const;
export type StatutDemande = (typeof STATUTS_DEMANDE)[number];

export const COMPOSITIONS = ['personne_seule', 'couple', 'couple_enfants', 'monoparentale', 'autre'] as const;
export type Composition = (typeof COMPOSITIONS)[number];

export const LOGEMENTS_ACTUELS = [
  'locataire_social',
  'locataire_prive',
  'proprietaire',
  'heberge_famille',
  'heberge_tiers',
  'structure',
  'sans_abri',
  'foyer',
  'hotel',
  'autre',
] as const;
export type LogementActuel = (typeof LOGEMENTS_ACTUELS)[number];

export const MOTIFS_DEMANDE = [
  'sans_logement',
  'trop_cher',
  'trop_petit',
  'trop_grand',
  'insalubre',
  'expulsion',
  'violences',
  'handicap',
  'sante',
  'rapprochement_travail',
  'separation',
  'renouvellement_urbain',
  'autre',
] as const;
export type MotifDemande = (typeof MOTIFS_DEMANDE)[number];

// attribution_sous_condition: R441-3's attribution sous condition suspensive (issue 15); it counts as an attribution.
export const DECISIONS = ['attribution', 'non_attribution', 'irrecevable', 'attribution_sous_condition'] as const;
export type Decision = (typeof DECISIONS)[number];

export const ISSUES = ['bail_signe', 'refus_demandeur', 'en_cours', 'non_proposee'] as const;
export type Issue = (typeof ISSUES)[number];

export const MOTIFS_REFUS = ['localisation', 'typologie', 'loyer', 'etat', 'environnement', 'sans_reponse', 'autre'] as const;
export type MotifRefus = (typeof MOTIFS_REFUS)[number];
