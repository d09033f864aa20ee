/**
 * Three demand extractions written for the tests of the mapping proposer (issue 17): the same kind of content under
 * three labellings — an SNE-like screen export with long French labels, an infocentre export with abbreviated
 * upper-case codes, a bailleur's own export with its own words. No public header list of the SNE exists: these are
 * invented from the fields the SNE form asks (Cerfa 14069), not copied from a real file. Each comes with the
 * canonical column a reviewer would choose for each header (null: none, kept as a free attribute).
 */
export interface ExtractionDeTest {
  readonly nom: string;
  readonly csv: string;
  readonly attendu: Readonly<Record<string, string | null>>;
}

export const EXTRACTIONS: readonly ExtractionDeTest[] = [
  {
    nom: 'écran SNE, libellés longs',
    csv: `Numéro unique départemental;Date de création de la demande;Situation de la demande;Date de radiation;Commune de résidence;Âge du demandeur;Nombre de personnes à loger;Enfants de moins de 14 ans;Composition familiale;Revenus mensuels du ménage;Typologie minimale;Typologie maximale;Communes souhaitées;Demande de mutation;Logement actuel;Motif principal;Reconnu DALO;Public prioritaire;Guichet enregistreur
0912023000001;15/01/2023;Satisfaite;10/03/2024;91228;34;3;1;Famille monoparentale;1500,00;3;4;91228|91174;Non;Chez un particulier;Logement trop petit;Non;Oui;Mairie d'Évry
0912022000002;01/06/2022;Active;;91286;45;1;0;Personne seule;800,00;1;2;91174;Oui;Locataire HLM;Logement trop cher;Oui;Non;Bailleur
0912021000003;15/03/2021;Active;;91174;29;4;2;Couple avec enfant(s);2650,50;3;4;91174;Non;Locataire parc privé;Logement trop petit;Non;Non;Action Logement
0912024000004;02/02/2024;Radiée;30/09/2024;91228;61;2;0;Couple sans enfant;1900,00;2;3;91228;Non;Propriétaire occupant;Handicap;Non;Oui;Mairie d'Évry
0912023000005;20/11/2023;Active;;91286;38;3;2;Famille monoparentale;1120,00;2;3;91286|91228;Non;Chez parents / enfants;Sans logement propre;Non;Oui;Internet`,
    attendu: {
      'Numéro unique départemental': 'nur',
      'Date de création de la demande': 'date_depot',
      'Situation de la demande': 'statut',
      'Date de radiation': 'date_radiation',
      'Commune de résidence': 'code_insee_residence',
      'Âge du demandeur': 'age_demandeur',
      'Nombre de personnes à loger': 'nb_personnes',
      'Enfants de moins de 14 ans': 'nb_moins_14_ans',
      'Composition familiale': 'composition',
      'Revenus mensuels du ménage': 'ressources_mensuelles',
      'Typologie minimale': 'typologie_min',
      'Typologie maximale': 'typologie_max',
      'Communes souhaitées': 'communes_souhaitees',
      'Demande de mutation': 'mutation',
      'Logement actuel': 'logement_actuel',
      'Motif principal': 'motif',
      'Reconnu DALO': 'dalo',
      'Public prioritaire': 'prioritaire',
      'Guichet enregistreur': null,
    },
  },
  {
    nom: 'infocentre, codes abrégés',
    csv: `NUM_UNIQUE;DT_DEPOT;ETAT_DDE;DT_RADIATION;COM_RES;AGE_DEM;NB_PERS;NB_ENF_14;COMPO_FAM;REV_MENS;TYPO_MIN;TYPO_MAX;COM_SOUH;MUTATION;SITU_LOG;MOTIF_1;DALO;PRIO;LOYER_ACT;NB_REFUS
0912023000001;2023-01-15;SATISFAITE;2024-03-10;91228;34;3;1;MONOPARENTAL;1500.00;3;4;91228,91174;N;HEBERGE TIERS;TROP PETIT;N;O;;0
0912022000002;2022-06-01;ACTIVE;;91286;45;1;0;ISOLE;800.00;1;2;91174;O;HLM;TROP CHER;O;N;390.50;1
0912021000003;2021-03-15;ACTIVE;;91174;29;4;2;COUPLE AVEC ENFANTS;2650.50;3;4;91174;N;PARC PRIVE;TROP PETIT;N;N;720.00;0
0912024000004;2024-02-02;RADIEE;2024-09-30;91228;61;2;0;COUPLE;1900.00;2;3;91228;N;PROPRIETAIRE;HANDICAP;N;O;;2
0912023000005;2023-11-20;ACTIVE;;91286;38;3;2;MONOPARENTAL;1120.00;2;3;91286,91228;N;FAMILLE;SANS LOGEMENT;N;O;;0`,
    attendu: {
      NUM_UNIQUE: 'nur',
      DT_DEPOT: 'date_depot',
      ETAT_DDE: 'statut',
      DT_RADIATION: 'date_radiation',
      COM_RES: 'code_insee_residence',
      AGE_DEM: 'age_demandeur',
      NB_PERS: 'nb_personnes',
      NB_ENF_14: 'nb_moins_14_ans',
      COMPO_FAM: 'composition',
      REV_MENS: 'ressources_mensuelles',
      TYPO_MIN: 'typologie_min',
      TYPO_MAX: 'typologie_max',
      COM_SOUH: 'communes_souhaitees',
      MUTATION: 'mutation',
      SITU_LOG: 'logement_actuel',
      MOTIF_1: 'motif',
      DALO: 'dalo',
      PRIO: 'prioritaire',
      LOYER_ACT: 'loyer_actuel',
      NB_REFUS: 'nb_refus',
    },
  },
  {
    nom: 'export de bailleur, ses propres mots',
    csv: `Identifiant demande;Déposée le;Statut;Radiée le;Code commune actuelle;Age;Taille du ménage;Dont enfants -14 ans;Type de ménage;Ressources mensuelles (€);Pièces min;Pièces max;Secteurs souhaités;Mutation HLM;Mode de logement actuel;Raison de la demande;DALO;Prioritaire;Handicap;Observations
0912023000001;15/01/2023;attribuée;10/03/2024;91228;34;3;1;Famille monoparentale;1 500,00;3;4;91228|91174;non;Hébergé chez un tiers;Logement trop petit;non;oui;non;relance faite
0912022000002;01/06/2022;active;;91286;45;1;0;Personne seule;800,00;1;2;91174;oui;Locataire du parc social;Logement trop cher;oui;non;non;
0912021000003;15/03/2021;active;;91174;29;4;2;Couple avec enfant(s);2 650,50;3;4;91174;non;Locataire du parc privé;Logement trop petit;non;non;oui;dossier complet
0912024000004;02/02/2024;radiée;30/09/2024;91228;61;2;0;Couple sans enfant;1 900,00;2;3;91228;non;Propriétaire;Handicap;non;oui;oui;
0912023000005;20/11/2023;active;;91286;38;3;2;Famille monoparentale;1 120,00;2;3;91286|91228;non;Hébergé dans la famille;Sans logement;non;oui;non;urgent`,
    attendu: {
      'Identifiant demande': 'nur',
      'Déposée le': 'date_depot',
      Statut: 'statut',
      'Radiée le': 'date_radiation',
      'Code commune actuelle': 'code_insee_residence',
      Age: 'age_demandeur',
      'Taille du ménage': 'nb_personnes',
      'Dont enfants -14 ans': 'nb_moins_14_ans',
      'Type de ménage': 'composition',
      'Ressources mensuelles (€)': 'ressources_mensuelles',
      'Pièces min': 'typologie_min',
      'Pièces max': 'typologie_max',
      'Secteurs souhaités': 'communes_souhaitees',
      'Mutation HLM': 'mutation',
      'Mode de logement actuel': 'logement_actuel',
      'Raison de la demande': 'motif',
      DALO: 'dalo',
      Prioritaire: 'prioritaire',
      Handicap: 'handicap',
      Observations: null,
    },
  },
];

/** The sample of a test extraction: `;`, no quoted cells. */
export function echantillonDe(csv: string): { entetes: string[]; lignes: string[][] } {
  const [entete = '', ...lignes] = csv.split('\n');
  return { entetes: entete.split(';'), lignes: lignes.map((l) => l.split(';')) };
}
