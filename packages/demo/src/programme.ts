/**
 * The demo territory's action programme (issue 19): the sixteen fiches action of the seed CIA of Grand Paris Sud
 * (seed 000 §III) — their orientation, pilot, partners and calendar by year of the convention as the seed states
 * them, summarised in the product's own words —, plausible statuses for 2022 to 2024, the instances of §IV, a few
 * meetings a year with their decisions, and partners' commitments. Fixed data, no draw: the same at every
 * generation. Loaded into the store on the first start of the demonstration (server/src/start.ts).
 */
import type { EtapeFiche, FicheAction, JeuProgramme, PartenaireFiche, StatutFiche } from '@mixite/core';

const EPCI: PartenaireFiche = { genre: 'epci' };
const ETAT: PartenaireFiche = { genre: 'etat' };
const autre = (nom: string): PartenaireFiche => ({ genre: 'autre', nom });
const BAILLEURS = autre('Bailleurs sociaux');
const COMMUNES = autre('Communes');
const DEPARTEMENTS = autre('Départements de l’Essonne et de Seine-et-Marne');
const AORIF = autre('AORIF');
const ACTION_LOGEMENT = autre('Action Logement');
/** Évry-Courcouronnes, a commune of the demo with QPV: its account comments the fiches it is partner of. */
const EVRY: PartenaireFiche = { genre: 'commune', id: '91228' };

const an = (rang: number, libelle: string): EtapeFiche => ({ quand: { genre: 'annee_convention', rang }, libelle });
const annuel = (libelle: string): EtapeFiche => ({ quand: { genre: 'annuel' }, libelle });
const continu = (libelle: string): EtapeFiche => ({ quand: { genre: 'continu' }, libelle });

const O1 = 'Actions transversales : connaître et partager';
const O2 = 'Accueillir les ménages modestes hors QPV';
const O3 = 'Rendre les QPV attractifs pour la mixité';
const O4 = 'Publics prioritaires et relogements NPRU';
const O5 = 'Coopération entre acteurs et gestion en flux';
const O6 = 'Offre nouvelle, mutations et accompagnement social';

function fiche(
  numero: number,
  titre: string,
  orientation: string,
  enjeux: string,
  pilote: PartenaireFiche,
  partenaires: PartenaireFiche[],
  etapes: EtapeFiche[],
  indicateurs: FicheAction['indicateurs'],
  indicateurs_qualitatifs: string[],
): FicheAction {
  return { numero, titre, orientation, enjeux, pilote, partenaires, etapes, indicateurs, indicateurs_qualitatifs };
}

const TERRITOIRE = { perimetre_type: 'territoire', perimetre_id: null } as const;

export const FICHES_DEMO: readonly FicheAction[] = [
  fiche(1, 'Observatoire du parc social, de la demande et des attributions', O1, 'Disposer de données partagées, à la résidence, pour suivre les objectifs de la convention.', EPCI, [ETAT, BAILLEURS], [
    an(1, 'Maille résidence créée par les bailleurs dans le SNE ; accès de l’agglomération au SNE en consultation'),
    an(2, 'Premiers tableaux de l’observatoire partagés avec les partenaires'),
    annuel('Bilan annuel de l’observatoire présenté à la CIL'),
  ], [{ indicateur: 'hors_qpv_q1', ...TERRITOIRE }, { indicateur: 'qpv_hors_q1', ...TERRITOIRE }], ['Bilan annuel présenté en CIL', 'Publications de l’observatoire']),
  fiche(2, 'Fiabiliser les données saisies dans le SNE', O1, 'Des demandes complètes et à jour, condition de toute mesure des objectifs.', ETAT, [BAILLEURS, ACTION_LOGEMENT, COMMUNES], [
    an(1, 'Repérer les champs les moins renseignés et les causes des erreurs'),
    an(2, 'Rappels de saisie et formation des guichets enregistreurs'),
    continu('Contrôle de la complétude des dossiers avant CALEOL'),
  ], [], ['Part des demandes sans ressources renseignées']),
  fiche(3, 'Objectifs d’attribution aux travailleurs essentiels', O1, 'Définir localement les travailleurs essentiels et suivre leur accès au parc social.', EPCI, [COMMUNES, BAILLEURS, ACTION_LOGEMENT], [
    an(1, 'Concertation sur la définition du travailleur essentiel, en lien avec la cotation'),
    an(2, 'Données de cadrage restituées ; objectif local validé en CIL'),
    annuel('Suivi de la part des attributions aux travailleurs essentiels'),
  ], [{ indicateur: 'travailleurs_essentiels', ...TERRITOIRE }], ['Bilan annuel présenté en CIL']),
  fiche(4, 'Qualifier la fragilité du parc et adapter les objectifs par secteur', O1, 'Repérer les résidences fragiles, en et hors QPV, pour y ajuster les objectifs d’attribution.', EPCI, [BAILLEURS, COMMUNES, ETAT], [
    an(1, 'Choisir ensemble les indicateurs de fragilité et d’attractivité'),
    an(2, 'Classer les résidences ; proposer des secteurs assimilés aux QPV'),
    an(3, 'Objectifs adaptés validés en CIL'),
  ], [], ['Liste des résidences fragiles validée']),
  fiche(5, 'Analyser le parc hors QPV abordable pour le premier quartile', O2, 'Savoir où des loyers restent accessibles aux ménages les plus modestes hors QPV.', EPCI, [BAILLEURS, ETAT], [
    an(2, 'Outil croisant loyers et capacités des demandeurs du premier quartile'),
    annuel('Mise à jour de l’analyse et partage avec les réservataires'),
  ], [{ indicateur: 'hors_qpv_q1', ...TERRITOIRE }], []),
  fiche(6, 'Attribuer les logements libérés en QPV aux ménages moins fragiles', O3, 'Favoriser l’arrivée de ménages des 3e et 4e quartiles dans les QPV, avec les communes volontaires.', EPCI, [EVRY, ETAT, BAILLEURS, ACTION_LOGEMENT], [
    an(1, 'Cadre des commissions QPV ; analyse des données de départ'),
    an(2, 'Objectifs locaux par commission (publics, relocation, cadre de vie)'),
    annuel('Bilan des commissions QPV et révision des objectifs'),
  ], [{ indicateur: 'qpv_q3_q4', ...TERRITOIRE }, { indicateur: 'qpv_hors_q1', ...TERRITOIRE }], ['Bilans annuels des commissions QPV']),
  fiche(7, 'Renforcer l’attractivité du parc en QPV', O3, 'Renouvellement urbain, réhabilitation, gestion de proximité et remise en location soignée.', EPCI, [BAILLEURS, COMMUNES], [
    an(1, 'Instance de concertation sur les sites de l’expérimentation « mixité »'),
    an(2, 'Groupe de travail sur les leviers d’attractivité'),
    continu('Requalification du parc selon les contrats (NPRU, CUS)'),
  ], [], ['Réunions du groupe de travail']),
  fiche(8, 'Mobiliser le parc existant pour les publics prioritaires', O4, 'Loger les ménages prioritaires, d’abord dans le parc à bas loyer hors QPV.', ETAT, [DEPARTEMENTS, BAILLEURS, ACTION_LOGEMENT, EPCI], [
    an(1, 'Comparer les critères et procédures de labellisation des publics prioritaires'),
    an(2, 'Clarifier la fiche navette de labellisation'),
    annuel('Bilan des attributions aux publics prioritaires par réservataire'),
  ], [{ indicateur: 'prioritaires', ...TERRITOIRE }], []),
  fiche(9, 'Appliquer la charte intercommunale des relogements NPRU', O4, 'Reloger les ménages des opérations NPRU selon leurs choix, en tout point du territoire.', EPCI, [ETAT, BAILLEURS, ACTION_LOGEMENT, DEPARTEMENTS], [
    continu('Application de la charte jusqu’au dernier relogement'),
    annuel('Bilan des relogements présenté à la CIL'),
  ], [], ['Nombre de ménages relogés, dont hors QPV']),
  fiche(10, 'Mieux préparer les dossiers en amont des CALEOL', O5, 'Des dossiers complets et des pratiques partagées entre bailleurs et réservataires.', EPCI, [BAILLEURS, AORIF], [
    an(2, 'Recueil des pratiques des bailleurs avec l’AORIF'),
    an(3, 'Bilan collégial des pratiques ; fiche de synthèse avant CALEOL'),
    annuel('Mise à jour du tableau des pratiques'),
  ], [], ['Tableau des pratiques à jour']),
  fiche(11, 'Coordonner les réservataires avant la livraison des programmes neufs', O5, 'Concerter les candidatures proposées sur les opérations neuves pour équilibrer leur peuplement.', BAILLEURS, [COMMUNES, EPCI, ACTION_LOGEMENT], [
    an(2, 'Recenser les pratiques ; proposer un cadre commun de concertation'),
    annuel('Concertations tenues et bilans transmis'),
  ], [], ['Nombre de livraisons concertées']),
  fiche(12, 'Passer à la gestion en flux des réservations', O5, 'Appliquer le cadre régional de la gestion en flux (échéance légale : 24 novembre 2023).', BAILLEURS, [ETAT, AORIF, ACTION_LOGEMENT], [
    { quand: { genre: 'date', date: '2023-11-24' }, libelle: 'Conventions de réservation en flux signées' },
    annuel('Bilan de la gestion en flux adressé à chaque réservataire'),
  ], [], []),
  fiche(13, 'Intégrer au PLH les besoins issus de la demande', O6, 'Programmer une offre neuve adaptée : loyers, typologies, surfaces, localisation.', EPCI, [COMMUNES, BAILLEURS], [
    an(2, 'Besoins de la demande transmis à l’élaboration du PLH'),
    an(3, 'Bilan de la production de logements sociaux présenté aux partenaires'),
  ], [], ['Production à bas loyer hors QPV']),
  fiche(14, 'Favoriser les mutations, internes et entre bailleurs', O6, 'Fluidifier les parcours en répondant aux demandes de mutation les plus prioritaires.', EPCI, [AORIF, BAILLEURS], [
    an(1, 'Volet examen de l’occupation des CALEOL mis en œuvre'),
    an(2, 'Tableau partagé des politiques de mutation'),
    an(3, 'Instance de concertation sur les mutations prioritaires'),
  ], [{ indicateur: 'mutations', ...TERRITOIRE }], ['Dossiers examinés en CALEOL']),
  fiche(15, 'Mieux connaître et articuler les dispositifs d’accompagnement social', O6, 'Informer et former les partenaires sur les dispositifs existants.', ETAT, [DEPARTEMENTS, BAILLEURS, EPCI], [
    an(1, 'Mallette de ressources sur l’accompagnement social'),
    an(2, 'Diffusion des ressources et formation d’introduction'),
  ], [], ['Partenaires formés']),
  fiche(16, 'Renforcer l’accompagnement social dans les secteurs fragiles', O6, 'Prévenir les impayés et accompagner les ménages fragiles là où ils se concentrent.', ETAT, [DEPARTEMENTS, BAILLEURS, COMMUNES], [
    an(1, 'Mobilisation des dispositifs sur les secteurs de l’expérimentation « mixité »'),
    an(2, 'Secteurs pour des commissions locales des impayés'),
    an(3, 'Commissions locales des impayés installées ; évaluation de l’expérimentation'),
  ], [], ['Commissions locales installées']),
];

/**
 * The status of each fiche at the end of 2022, 2023 and 2024 (the convention was signed in February 2023: 2022 is
 * the preparation, where only the observatory and the NPRU charter had started).
 */
const STATUTS: Readonly<Record<number, readonly [StatutFiche, StatutFiche, StatutFiche]>> = {
  1: ['en_cours', 'en_cours', 'realisee'],
  2: ['non_commencee', 'en_cours', 'en_cours'],
  3: ['non_commencee', 'en_cours', 'en_cours'],
  4: ['non_commencee', 'en_cours', 'en_cours'],
  5: ['non_commencee', 'non_commencee', 'en_cours'],
  6: ['non_commencee', 'en_cours', 'en_cours'],
  7: ['non_commencee', 'en_cours', 'en_cours'],
  8: ['non_commencee', 'en_cours', 'en_cours'],
  9: ['en_cours', 'en_cours', 'en_cours'],
  10: ['non_commencee', 'non_commencee', 'en_cours'],
  11: ['non_commencee', 'non_commencee', 'non_commencee'],
  12: ['non_commencee', 'realisee', 'realisee'],
  13: ['non_commencee', 'non_commencee', 'abandonnee'],
  14: ['non_commencee', 'en_cours', 'en_cours'],
  15: ['non_commencee', 'en_cours', 'realisee'],
  16: ['non_commencee', 'non_commencee', 'en_cours'],
};

export function programmeDemo(): JeuProgramme {
  const statuts = FICHES_DEMO.flatMap((f) =>
    [2022, 2023, 2024].map((annee, i) => ({
      numero: f.numero,
      annee,
      statut: (STATUTS[f.numero] as readonly StatutFiche[])[i] as StatutFiche,
      date: `${annee}-12-15T10:00:00Z`,
      auteur: 'Service habitat de l’agglomération',
      role: 'epci',
    })),
  );
  return {
    programme: {
      convention: {
        intitule: 'Convention intercommunale d’attribution de Grand Paris Sud (démonstration)',
        date_debut: '2023-02-16',
        date_fin: '2029-02-15',
        zone_tendue: true,
        bilan_cil: '06-30',
        arrete_q1: '03-31',
      },
      fiches: FICHES_DEMO,
    },
    statuts,
    commentaires: [
      { numero: 1, annee: 2024, partenaire: 'etat', texte: 'Accès au SNE ouvert aux agents de l’agglomération en consultation.', date: '2024-03-12T09:00:00Z', auteur: 'DDETS 91', role: 'etat' },
      { numero: 6, annee: 2024, partenaire: 'commune:91228', texte: 'Commission QPV installée ; premier bilan attendu à la fin de l’année.', date: '2024-10-03T09:00:00Z', auteur: 'Mairie d’Évry-Courcouronnes', role: 'commune' },
      { numero: 12, annee: 2023, partenaire: 'etat', texte: 'Conventions en flux signées avec les principaux réservataires.', date: '2023-12-05T09:00:00Z', auteur: 'DDETS 91', role: 'etat' },
    ],
    instances: [
      { cle: 'cil', genre: 'cil', nom: 'CIL plénière', membres: ['epci', 'etat', 'Communes', 'Bailleurs sociaux', 'Départements de l’Essonne et de Seine-et-Marne', 'Action Logement', 'Associations'], frequence: 'au moins une fois par an' },
      { cle: 'cotech', genre: 'comite_technique', nom: 'Comité technique de la CIL', membres: ['epci', 'etat', 'Départements de l’Essonne et de Seine-et-Marne', 'AORIF', 'Bailleurs sociaux', 'Action Logement'], frequence: 'avant chaque CIL plénière' },
      { cle: 'coord', genre: 'commission_coordination', nom: 'Commission de coordination', membres: ['epci', 'etat', 'Communes', 'Bailleurs sociaux', 'Départements de l’Essonne et de Seine-et-Marne', 'Action Logement', 'Associations'], frequence: 'deux fois par an' },
      { cle: 'qpv-evry', genre: 'commission_qpv', nom: 'Commission QPV d’Évry-Courcouronnes', membres: ['commune:91228', 'epci', 'etat', 'Bailleurs sociaux', 'Action Logement'], frequence: 'à la demande du maire' },
    ],
    reunions: [
      { instance: 'cil', date: '2022-03-31', ordre_du_jour: 'Document-cadre d’orientations', compte_rendu: 'La CIL examine le document-cadre d’orientations préparé avec les partenaires.', documents: ['Document-cadre d’orientations'], decisions: [{ texte: 'Le document-cadre d’orientations est approuvé.', fiches: [] }], presents: ['epci', 'etat', 'Communes', 'Bailleurs sociaux'] },
      { instance: 'cotech', date: '2023-06-08', ordre_du_jour: 'Préparation de la CIL du 30 juin', compte_rendu: 'Relecture de la convention et du calendrier des premières actions.', documents: [], decisions: [], presents: ['epci', 'etat', 'AORIF', 'Bailleurs sociaux'] },
      { instance: 'cil', date: '2023-06-30', ordre_du_jour: 'Approbation de la convention intercommunale d’attribution', compte_rendu: 'La convention signée le 16 février 2023 est présentée avec ses seize fiches action.', documents: ['Convention intercommunale d’attribution'], decisions: [{ texte: 'La convention et son programme d’actions sont approuvés.', fiches: [] }, { texte: 'L’observatoire est lancé ; un premier bilan sera présenté en 2024.', fiches: [1] }], presents: ['epci', 'etat', 'Communes', 'Bailleurs sociaux', 'Action Logement'] },
      { instance: 'coord', date: '2023-11-16', ordre_du_jour: 'Gestion en flux et commissions QPV', compte_rendu: 'Point sur la signature des conventions en flux et sur les communes volontaires.', documents: [], decisions: [{ texte: 'Évry-Courcouronnes installe la première commission QPV en 2024.', fiches: [6] }], presents: ['epci', 'etat', 'Communes', 'Bailleurs sociaux'] },
      { instance: 'coord', date: '2024-04-11', ordre_du_jour: 'Suivi des attributions 2023', compte_rendu: 'Les taux 2023 sont présentés par quartile, par QPV et par commune.', documents: ['Tableaux de l’observatoire 2023'], decisions: [{ texte: 'Un groupe de travail sur l’attractivité du parc en QPV est constitué.', fiches: [7] }], presents: ['epci', 'etat', 'Bailleurs sociaux', 'Action Logement'] },
      { instance: 'cil', date: '2024-06-27', ordre_du_jour: 'Bilan 2023 de la convention', compte_rendu: 'Le bilan 2023 est présenté ; les objectifs hors QPV sont proches de la cible.', documents: ['Bilan 2023 de la CIA (édition publique)'], decisions: [{ texte: 'Le bilan 2023 est approuvé.', fiches: [1] }, { texte: 'La définition locale des travailleurs essentiels est adoptée.', fiches: [3] }, { texte: 'Le PLH n’étant pas adopté, la fiche 13 est suspendue.', fiches: [13] }], presents: ['epci', 'etat', 'Communes', 'Bailleurs sociaux', 'Départements de l’Essonne et de Seine-et-Marne'] },
      { instance: 'qpv-evry', date: '2024-09-19', ordre_du_jour: 'Installation de la commission QPV', compte_rendu: 'Cadre de fonctionnement adopté ; données de départ présentées.', documents: [], decisions: [{ texte: 'Objectif local : au moins la part 2023 d’attributions aux 3e et 4e quartiles.', fiches: [6] }], presents: ['commune:91228', 'epci', 'etat', 'Bailleurs sociaux'] },
      { instance: 'coord', date: '2024-11-21', ordre_du_jour: 'Accompagnement social et mutations', compte_rendu: 'Présentation de la mallette de ressources ; point sur l’examen de l’occupation.', documents: ['Mallette de ressources sur l’accompagnement social'], decisions: [{ texte: 'La formation d’introduction est ouverte à tous les partenaires.', fiches: [15] }, { texte: 'Le tableau des politiques de mutation est partagé au premier trimestre 2025.', fiches: [14] }], presents: ['epci', 'etat', 'Bailleurs sociaux', 'AORIF'] },
    ],
    engagements: [
      { partenaire: 'Bailleurs sociaux', fiche: 1, libelle: 'Créer la maille résidence dans le SNE', echeance: '2023-12-31', statut: 'tenu', quantifie: null },
      { partenaire: 'etat', fiche: 1, libelle: 'Ouvrir à l’agglomération un accès au SNE en consultation', echeance: '2024-03-31', statut: 'tenu', quantifie: null },
      { partenaire: 'Bailleurs sociaux', fiche: 5, libelle: 'Au moins 25 % des attributions hors QPV aux ménages du premier quartile ou relogés', echeance: '2024-12-31', statut: 'en_cours', quantifie: { indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: null, cible: 0.25 } },
      { partenaire: 'etat', fiche: 8, libelle: 'Au moins 25 % des attributions de chaque réservataire aux publics prioritaires', echeance: '2024-12-31', statut: 'en_cours', quantifie: { indicateur: 'prioritaires', perimetre_type: 'territoire', perimetre_id: null, cible: 0.25 } },
      { partenaire: 'commune:91228', fiche: 6, libelle: 'Fournir le bilan annuel de la commission QPV', echeance: '2025-03-31', statut: 'a_tenir', quantifie: null },
      { partenaire: 'AORIF', fiche: 10, libelle: 'Recueillir les pratiques des bailleurs en amont des CALEOL', echeance: '2024-12-31', statut: 'en_cours', quantifie: null },
      { partenaire: 'Départements de l’Essonne et de Seine-et-Marne', fiche: 16, libelle: 'Identifier les secteurs des commissions locales des impayés', echeance: '2025-06-30', statut: 'a_tenir', quantifie: null },
    ],
  };
}
