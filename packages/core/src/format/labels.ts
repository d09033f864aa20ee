import type {
  Composition,
  Decision,
  Financement,
  Issue,
  LogementActuel,
  MotifDemande,
  MotifRefus,
  StatutDemande,
  TypeBailleur,
  TypeReservataire,
} from './codes.ts';

/** French labels shown in the UI and the reports; Record<> makes a missing label a type error. */
export const LIBELLES_TYPE_BAILLEUR: Record<TypeBailleur, string> = {
  oph: 'Office public de l’habitat',
  esh: 'Entreprise sociale pour l’habitat',
  sem: 'Société d’économie mixte',
  coop: 'Coopérative HLM',
  autre: 'Autre bailleur',
};

export const LIBELLES_TYPE_RESERVATAIRE: Record<TypeReservataire, string> = {
  etat_prioritaires: 'État — publics prioritaires',
  etat_agents: 'État — agents publics',
  action_logement: 'Action Logement',
  commune: 'Commune',
  epci: 'EPCI',
  departement: 'Département',
  region: 'Région',
  autre: 'Autre réservataire',
};

export const LIBELLES_FINANCEMENT: Record<Financement, string> = {
  plai: 'PLAI',
  plus: 'PLUS',
  pls: 'PLS',
  pli: 'PLI',
  autre: 'Autre financement',
};

export const LIBELLES_STATUT_DEMANDE: Record<StatutDemande, string> = {
  active: 'Active',
  attribuee: 'Satisfaite (attribuée)',
  radiee: 'Radiée',
};

export const LIBELLES_COMPOSITION: Record<Composition, string> = {
  personne_seule: 'Personne seule',
  couple: 'Couple sans enfant',
  couple_enfants: 'Couple avec enfant(s)',
  monoparentale: 'Famille monoparentale',
  autre: 'Autre composition',
};

export const LIBELLES_LOGEMENT_ACTUEL: Record<LogementActuel, string> = {
  locataire_social: 'Locataire du parc social',
  locataire_prive: 'Locataire du parc privé',
  proprietaire: 'Propriétaire',
  heberge_famille: 'Hébergé dans la famille',
  heberge_tiers: 'Hébergé chez un tiers',
  structure: 'Structure d’hébergement',
  sans_abri: 'Sans abri',
  foyer: 'Foyer',
  hotel: 'Hôtel',
  autre: 'Autre situation',
};

export const LIBELLES_MOTIF_DEMANDE: Record<MotifDemande, string> = {
  sans_logement: 'Sans logement',
  trop_cher: 'Logement trop cher',
  trop_petit: 'Logement trop petit',
  trop_grand: 'Logement trop grand',
  insalubre: 'Logement insalubre ou dangereux',
  expulsion: 'Procédure d’expulsion',
  violences: 'Violences familiales',
  handicap: 'Handicap',
  sante: 'Raisons de santé',
  rapprochement_travail: 'Rapprochement du lieu de travail',
  separation: 'Séparation, divorce',
  renouvellement_urbain: 'Renouvellement urbain',
  autre: 'Autre motif',
};

export const LIBELLES_DECISION: Record<Decision, string> = {
  attribution: 'Attribution',
  non_attribution: 'Non-attribution',
  irrecevable: 'Irrecevable',
  attribution_sous_condition: 'Attribution sous condition suspensive',
};

export const LIBELLES_ISSUE: Record<Issue, string> = {
  bail_signe: 'Bail signé',
  refus_demandeur: 'Refus du demandeur',
  en_cours: 'En cours',
  non_proposee: 'Non proposée (candidat suivant non sollicité)',
};

export const LIBELLES_MOTIF_REFUS: Record<MotifRefus, string> = {
  localisation: 'Localisation',
  typologie: 'Typologie',
  loyer: 'Loyer trop élevé',
  etat: 'État du logement',
  environnement: 'Environnement',
  sans_reponse: 'Sans réponse',
  autre: 'Autre motif',
};
