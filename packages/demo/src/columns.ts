/**
 * Canonical columns of each file, in the order DATA-FORMAT.md lists them.
 * The demo writes every column, optional ones included, so that an import followed by an
 * export reproduces the files byte for byte.
 */
export const COLONNES = {
  communes: ['code_insee', 'nom', 'code_epci', 'nom_epci', 'zone_abc', 'zone_apl'],
  qpv: ['code_qpv', 'nom', 'code_insee', 'assimile'],
  bailleurs: ['id', 'nom', 'type'],
  reservataires: ['id', 'nom', 'type', 'code_insee'],
  residences: ['id', 'bailleur_id', 'nom', 'code_insee', 'code_qpv', 'adresse', 'latitude', 'longitude', 'nb_logements'],
  occupation: [
    'residence_id', 'annee', 'menages', 'menages_sous_40pct_plafonds', 'menages_sous_60pct_plafonds',
    'menages_apl', 'menages_monoparentaux', 'menages_sans_emploi',
  ],
  logements: [
    'id', 'residence_id', 'bailleur_id', 'code_insee', 'code_qpv', 'nb_pieces', 'surface', 'financement', 'loyer',
    'charges', 'annee_construction', 'date_mise_en_service', 'contingent', 'pmr', 'etage', 'ascenseur',
  ],
  demandes: [
    'nur', 'date_depot', 'statut', 'date_radiation', 'code_insee_residence', 'age_demandeur', 'nb_personnes',
    'nb_moins_14_ans', 'composition', 'ressources_mensuelles', 'typologie_min', 'typologie_max',
    'communes_souhaitees', 'mutation', 'bailleur_actuel_id', 'logement_actuel', 'loyer_actuel', 'motif', 'dalo',
    'prioritaire', 'priorite_motifs', 'relogement_anru', 'travailleur_essentiel', 'handicap', 'pmr', 'nb_refus', 'q1',
  ],
  attributions: [
    'id', 'nur', 'logement_id', 'bailleur_id', 'code_insee', 'code_qpv', 'nb_pieces', 'financement', 'loyer',
    'premiere_mise_en_location', 'contingent', 'date_cal', 'decision', 'rang', 'issue', 'date_bail', 'motif_refus',
    'ressources_mensuelles', 'nb_personnes', 'nb_moins_14_ans', 'dalo', 'prioritaire', 'mutation', 'relogement_anru',
    'travailleur_essentiel', 'q1',
  ],
  seuils: ['annee', 'code_epci', 'seuil_q1', 'source'],
} as const satisfies Record<string, readonly string[]>;

export type Fichier = keyof typeof COLONNES;

/**
 * Free (non-canonical) columns the demo appends, to show that the importer keeps them as free
 * attributes usable by a cotation grid. Always after the canonical ones.
 */
export const COLONNES_LIBRES: Partial<Record<Fichier, readonly string[]>> = {
  demandes: ['profession'],
};

export const FICHIERS: readonly Fichier[] = [
  'communes', 'qpv', 'bailleurs', 'reservataires', 'residences', 'occupation', 'logements', 'demandes',
  'attributions', 'seuils',
];
