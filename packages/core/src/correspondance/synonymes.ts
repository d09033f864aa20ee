/**
 * Words extractions use for the canonical columns, beyond the column's own name (« date_depot » is also « date de
 * dépôt », « date de création », « déposée le »). Written from the SNE's screens and usual exports, the RPLS and
 * bailleurs' files; the name similarity does the rest. Keys are canonical column names, whatever the file.
 */
export const SYNONYMES: Readonly<Record<string, readonly string[]>> = {
  nur: ['numero unique', 'numero unique departemental', 'numero unique regional', 'num unique', 'n unique', 'identifiant demande', 'numero de la demande', 'num demande', 'nur'],
  date_depot: ['date de depot', 'date depot', 'date de creation', 'date creation demande', 'date de la demande', 'deposee le', 'dt depot', 'date enregistrement'],
  statut: ['etat de la demande', 'etat demande', 'statut de la demande', 'situation de la demande', 'etat', 'statut'],
  date_radiation: ['date de radiation', 'date radiation', 'radiee le', 'dt radiation', 'date de sortie'],
  code_insee_residence: ['commune de residence', 'commune actuelle', 'code commune actuelle', 'code insee residence', 'commune residence', 'com res', 'insee residence', 'lieu de residence'],
  age_demandeur: ['age du demandeur', 'age demandeur', 'age', 'age dem', 'age du titulaire'],
  nb_personnes: ['nombre de personnes', 'nb personnes', 'nb pers', 'taille du menage', 'personnes a loger', 'nombre de personnes a loger', 'composition nombre'],
  nb_moins_14_ans: ['enfants de moins de 14 ans', 'nb enfants moins 14', 'dont enfants 14 ans', 'moins de 14 ans', 'nb enf 14', 'enfants 14'],
  composition: ['composition familiale', 'composition du menage', 'compo fam', 'type de menage', 'situation familiale'],
  ressources_mensuelles: ['revenus mensuels', 'revenus mensuels du menage', 'ressources mensuelles', 'rev mens', 'revenu mensuel', 'ressources du menage', 'montant des ressources'],
  typologie_min: ['typologie minimale', 'typologie min', 'typo min', 'pieces min', 'nombre de pieces minimum', 'type minimum'],
  typologie_max: ['typologie maximale', 'typologie max', 'typo max', 'pieces max', 'nombre de pieces maximum', 'type maximum'],
  communes_souhaitees: ['communes souhaitees', 'communes demandees', 'souhaits de communes', 'communes souh', 'localisation souhaitee', 'secteurs souhaites'],
  mutation: ['demande de mutation', 'mutation', 'mutation hlm', 'demandeur deja locataire hlm', 'mutation interne'],
  bailleur_actuel_id: ['bailleur actuel', 'organisme actuel', 'bailleur du logement actuel'],
  logement_actuel: ['situation de logement actuelle', 'logement actuel', 'situation logement', 'situ log', 'mode de logement actuel', 'type de logement actuel'],
  loyer_actuel: ['loyer actuel', 'loyer du logement actuel', 'montant du loyer actuel'],
  motif: ['motif principal', 'motif de la demande', 'motif', 'motif 1', 'raison de la demande'],
  dalo: ['dalo', 'reconnu dalo', 'prioritaire dalo', 'decision dalo', 'menage dalo'],
  prioritaire: ['public prioritaire', 'prioritaire', 'prio', 'menage prioritaire', 'priorite', 'prioritaire l441 1'],
  priorite_motifs: ['motifs de priorite', 'criteres de priorite', 'motifs prioritaires'],
  relogement_anru: ['relogement anru', 'relogement renouvellement urbain', 'anru'],
  travailleur_essentiel: ['travailleur essentiel', 'travailleur cle', 'metier essentiel'],
  handicap: ['handicap', 'situation de handicap', 'personne handicapee'],
  pmr: ['pmr', 'mobilite reduite', 'besoin pmr', 'logement adapte'],
  nb_refus: ['nombre de refus', 'nb refus', 'refus anterieurs'],
  q1: ['premier quartile', 'q1', 'quartile 1', 'menage q1'],
  code_insee: ['code insee', 'commune', 'code commune', 'depcom', 'insee'],
  nb_pieces: ['nombre de pieces', 'nb pieces', 'nbpiece', 'typologie', 'pieces'],
  loyer: ['loyer', 'loyer principal', 'loyerprinc', 'loyer hors charges'],
  surface: ['surface', 'surface habitable', 'surfhab'],
  financement: ['financement', 'finan', 'mode de financement', 'type de financement'],
};
