import {
  COMPOSITIONS,
  DECISIONS,
  FINANCEMENTS,
  ISSUES,
  LOGEMENTS_ACTUELS,
  MOTIFS_DEMANDE,
  MOTIFS_REFUS,
  STATUTS_DEMANDE,
  TYPES_BAILLEUR,
  TYPES_RESERVATAIRE,
  ZONES_ABC,
  ZONES_APL,
} from './codes.ts';
import type { ColumnSpec } from './columns.ts';
import { PATTERNS, boolean, code, date, decimal, integer, list, real, req, text } from './columns.ts';

/** Files of a territory dataset, in the order they must be loaded (referenced files first). */
export const FILE_NAMES = [
  'communes',
  'qpv',
  'bailleurs',
  'reservataires',
  'residences',
  'occupation',
  'logements',
  'demandes',
  'attributions',
  'seuils',
  'conventions',
] as const;
export type FileName = (typeof FILE_NAMES)[number];

export type Severity = 'erreur' | 'avertissement';

/** A reference from a column to the key of another file (a foreign key). */
export interface Reference {
  readonly column: string;
  readonly file: FileName;
  readonly key: string;
}

/** Cross-column rules, in a form both JavaScript and SQL can execute. */
export type RowRule =
  /** left ≤ right when both are known (numbers or dates). */
  | { readonly kind: 'lte'; readonly left: string; readonly right: string; readonly severity: Severity; readonly message: string }
  /** column must be filled when `when` holds one of `values`. */
  | {
      readonly kind: 'requiredWhen';
      readonly column: string;
      readonly when: string;
      readonly values: readonly string[];
      readonly severity: Severity;
      readonly message: string;
    }
  /** column must be filled unless `unless` is filled (a value that can be taken from elsewhere). */
  | { readonly kind: 'requiredUnless'; readonly column: string; readonly unless: string; readonly severity: Severity; readonly message: string }
  /** left < right when both are known (e.g. children under 14 < persons: at least one adult). */
  | { readonly kind: 'lt'; readonly left: string; readonly right: string; readonly severity: Severity; readonly message: string }
  /** right ≤ left + `days` when both dates are known (a plausible delay between two events). */
  | { readonly kind: 'withinDays'; readonly left: string; readonly right: string; readonly days: number; readonly severity: Severity; readonly message: string }
  /** column may be filled only when `when` holds one of `values` (an empty `when` breaks it too). */
  | {
      readonly kind: 'onlyWhen';
      readonly column: string;
      readonly when: string;
      readonly values: readonly string[];
      readonly severity: Severity;
      readonly message: string;
    }
  /** column must not hold one of `columnValues` when `when` holds one of `values` (two codes that contradict; a boolean reads `true`/`false`). */
  | {
      readonly kind: 'excludes';
      readonly column: string;
      readonly columnValues: readonly string[];
      readonly when: string;
      readonly values: readonly string[];
      readonly severity: Severity;
      readonly message: string;
    }
  /** the number in column is within [min, max] when `when` holds one of `values` (a code that implies a count). */
  | {
      readonly kind: 'rangeWhen';
      readonly column: string;
      readonly min: number;
      readonly max: number;
      readonly when: string;
      readonly values: readonly string[];
      readonly severity: Severity;
      readonly message: string;
    };

/** The columns a rule reads; the first is the one its message is about. */
export function ruleColumns(rule: RowRule): readonly [string, string] {
  switch (rule.kind) {
    case 'lte':
    case 'lt':
    case 'withinDays':
      return [rule.right, rule.left];
    case 'requiredUnless':
      return [rule.column, rule.unless];
    default:
      return [rule.column, rule.when];
  }
}

export interface FileSpec {
  readonly name: FileName;
  readonly libelle: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** Columns whose values together identify a row (unique in the file). */
  readonly key: readonly string[];
  readonly references: readonly Reference[];
  readonly rules: readonly RowRule[];
  /** A dataset can be imported without this file. */
  readonly optional: boolean;
}

const define = <const C extends Record<string, ColumnSpec>>(spec: Omit<FileSpec, 'columns'> & { columns: C }) => spec;

export const COMMUNES = define({
  name: 'communes',
  libelle: 'Communes du territoire',
  columns: {
    code_insee: text({ ...req, pattern: PATTERNS.insee }),
    nom: text(req),
    code_epci: text({ ...req, pattern: PATTERNS.siren }),
    nom_epci: text(),
    zone_abc: code(ZONES_ABC),
    zone_apl: code(ZONES_APL),
  },
  key: ['code_insee'],
  references: [],
  rules: [],
  optional: false,
});

export const QPV = define({
  name: 'qpv',
  libelle: 'Quartiers prioritaires et secteurs assimilés',
  columns: {
    code_qpv: text(req),
    nom: text(req),
    code_insee: text({ ...req, pattern: PATTERNS.insee }),
    assimile: boolean(),
  },
  key: ['code_qpv'],
  references: [{ column: 'code_insee', file: 'communes', key: 'code_insee' }],
  rules: [],
  optional: false,
});

export const BAILLEURS = define({
  name: 'bailleurs',
  libelle: 'Bailleurs sociaux',
  columns: { id: text(req), nom: text(req), type: code(TYPES_BAILLEUR) },
  key: ['id'],
  references: [],
  rules: [],
  optional: false,
});

export const RESERVATAIRES = define({
  name: 'reservataires',
  libelle: 'Réservataires (contingents)',
  columns: {
    id: text(req),
    nom: text(req),
    type: code(TYPES_RESERVATAIRE, req),
    code_insee: text({ pattern: PATTERNS.insee }),
  },
  key: ['id'],
  references: [],
  rules: [
    {
      kind: 'requiredWhen',
      column: 'code_insee',
      when: 'type',
      values: ['commune'],
      severity: 'avertissement',
      message: 'un réservataire de type commune devrait indiquer son code INSEE',
    },
  ],
  optional: false,
});

export const RESIDENCES = define({
  name: 'residences',
  libelle: 'Résidences',
  columns: {
    id: text(req),
    bailleur_id: text(req),
    nom: text(),
    code_insee: text({ ...req, pattern: PATTERNS.insee }),
    code_qpv: text(),
    adresse: text(),
    latitude: real({ min: -90, max: 90 }),
    longitude: real({ min: -180, max: 180 }),
    nb_logements: integer({ min: 0, max: 100_000 }),
  },
  key: ['id'],
  references: [
    { column: 'bailleur_id', file: 'bailleurs', key: 'id' },
    { column: 'code_insee', file: 'communes', key: 'code_insee' },
    { column: 'code_qpv', file: 'qpv', key: 'code_qpv' },
  ],
  rules: [],
  optional: true,
});

export const OCCUPATION = define({
  name: 'occupation',
  libelle: 'Occupation du parc (enquête OPS)',
  columns: {
    residence_id: text(req),
    annee: integer({ ...req, min: 1990, max: 2099 }),
    menages: integer({ ...req, min: 0 }),
    menages_sous_40pct_plafonds: integer({ min: 0 }),
    menages_sous_60pct_plafonds: integer({ min: 0 }),
    menages_apl: integer({ min: 0 }),
    menages_monoparentaux: integer({ min: 0 }),
    menages_sans_emploi: integer({ min: 0 }),
  },
  key: ['residence_id', 'annee'],
  references: [{ column: 'residence_id', file: 'residences', key: 'id' }],
  rules: [
    ...(['menages_sous_40pct_plafonds', 'menages_sous_60pct_plafonds', 'menages_apl', 'menages_monoparentaux', 'menages_sans_emploi'] as const).map(
      (column) =>
        ({
          kind: 'lte',
          left: column,
          right: 'menages',
          severity: 'erreur',
          message: `${column} ne peut pas dépasser le nombre de ménages`,
        }) as const,
    ),
    {
      kind: 'lte',
      left: 'menages_sous_40pct_plafonds',
      right: 'menages_sous_60pct_plafonds',
      severity: 'erreur',
      message: 'les ménages sous 40 % des plafonds sont aussi sous 60 % : leur nombre ne peut pas être plus grand',
    },
  ],
  optional: true,
});

export const LOGEMENTS = define({
  name: 'logements',
  libelle: 'Logements (RPLS)',
  columns: {
    id: text(req),
    residence_id: text(),
    bailleur_id: text(req),
    code_insee: text({ ...req, pattern: PATTERNS.insee }),
    code_qpv: text(),
    nb_pieces: integer({ ...req, min: 1, max: 12 }),
    surface: decimal({ min: 5, max: 500 }),
    financement: code(FINANCEMENTS),
    /**
     * Monthly rent before APL and charges. Empty for a dwelling that is not let or whose rent is not applicable (RPLS
     * `LOYERPRINC` = 9999, the open RPLS file has no rent): kept, and left out of the analyses that need a rent (parc
     * abordable, calculateur). docs/format-donnees.md, docs/presets.md.
     */
    loyer: decimal({ min: 0, max: 10_000 }),
    charges: decimal({ min: 0, max: 5_000 }),
    annee_construction: integer({ min: 1800, max: 2099 }),
    date_mise_en_service: date(),
    contingent: text(),
    pmr: boolean(),
    etage: integer({ min: -5, max: 100 }),
    ascenseur: boolean(),
    /** 1 = kept out of the flux (defence, internal security, hospital programmes: CCH R441-5), see docs/flux.md. */
    hors_flux: boolean(),
  },
  key: ['id'],
  references: [
    { column: 'residence_id', file: 'residences', key: 'id' },
    { column: 'bailleur_id', file: 'bailleurs', key: 'id' },
    { column: 'code_insee', file: 'communes', key: 'code_insee' },
    { column: 'code_qpv', file: 'qpv', key: 'code_qpv' },
    { column: 'contingent', file: 'reservataires', key: 'id' },
  ],
  rules: [],
  optional: true,
});

/** A household has at least one person of 14 or more: its children under 14 are fewer than its persons. */
const ADULT_RULE: RowRule = {
  kind: 'lt',
  left: 'nb_moins_14_ans',
  right: 'nb_personnes',
  severity: 'erreur',
  message: 'un ménage compte au moins une personne de 14 ans ou plus : les moins de 14 ans doivent être moins nombreux que les personnes',
};

/** What a composition says of the household's size. */
const COMPOSITION_RULES: readonly RowRule[] = (
  [
    ['personne_seule', 1, 1, 'une personne seule compte 1 personne'],
    ['couple', 2, 2, 'un couple sans enfant compte 2 personnes (sinon : couple_enfants ou autre)'],
    ['couple_enfants', 3, 20, 'un couple avec enfants compte au moins 3 personnes'],
    ['monoparentale', 2, 20, 'une famille monoparentale compte au moins 2 personnes'],
  ] as const
).map(([value, min, max, message]) => ({ kind: 'rangeWhen', column: 'nb_personnes', min, max, when: 'composition', values: [value], severity: 'erreur', message }));

/** A lease signed more than this many days after its CALEOL is not the lease of that decision. */
export const MAX_DAYS_DECISION_TO_LEASE = 365;

export const DEMANDES = define({
  name: 'demandes',
  libelle: 'Demandes de logement social (SNE)',
  columns: {
    nur: text(req),
    date_depot: date(req),
    statut: code(STATUTS_DEMANDE, req),
    date_radiation: date(),
    code_insee_residence: text(),
    age_demandeur: integer({ min: 16, max: 120 }),
    nb_personnes: integer({ ...req, min: 1, max: 20 }),
    nb_moins_14_ans: integer({ min: 0, max: 19 }),
    composition: code(COMPOSITIONS),
    ressources_mensuelles: decimal({ ...req, min: 0, max: 1_000_000 }),
    typologie_min: integer({ min: 1, max: 12 }),
    typologie_max: integer({ min: 1, max: 12 }),
    communes_souhaitees: list(),
    mutation: boolean(),
    bailleur_actuel_id: text(),
    logement_actuel: code(LOGEMENTS_ACTUELS),
    loyer_actuel: decimal({ min: 0, max: 100_000 }),
    motif: code(MOTIFS_DEMANDE),
    dalo: boolean(),
    prioritaire: boolean(),
    priorite_motifs: list(),
    relogement_anru: boolean(),
    travailleur_essentiel: boolean(),
    handicap: boolean(),
    pmr: boolean(),
    nb_refus: integer({ min: 0, max: 100 }),
    q1: boolean(),
  },
  key: ['nur'],
  references: [],
  rules: [
    ADULT_RULE,
    ...COMPOSITION_RULES,
    {
      kind: 'lte',
      left: 'typologie_min',
      right: 'typologie_max',
      severity: 'erreur',
      message: 'la typologie minimale ne peut pas dépasser la typologie maximale',
    },
    {
      kind: 'lte',
      left: 'date_depot',
      right: 'date_radiation',
      severity: 'erreur',
      message: 'la date de radiation ne peut pas précéder la date de dépôt',
    },
    {
      kind: 'requiredWhen',
      column: 'date_radiation',
      when: 'statut',
      values: ['attribuee', 'radiee'],
      severity: 'erreur',
      message: 'une demande satisfaite ou radiée doit avoir une date de radiation (sans elle, on ne sait pas jusqu’à quand elle était active)',
    },
    {
      kind: 'excludes',
      column: 'logement_actuel',
      columnValues: LOGEMENTS_ACTUELS.filter((l) => l !== 'locataire_social' && l !== 'autre'),
      when: 'mutation',
      values: ['true'],
      severity: 'erreur',
      message: 'une demande de mutation est celle d’un locataire du parc social : logement_actuel locataire_social (ou vide), sinon mutation = 0',
    },
    {
      kind: 'onlyWhen',
      column: 'date_radiation',
      when: 'statut',
      values: ['attribuee', 'radiee'],
      severity: 'erreur',
      message: 'une demande active ne peut pas avoir de date de radiation : statut attribuee ou radiee, ou date à vider',
    },
  ],
  optional: false,
});

/** Household fields of an allocation: when empty, taken from the request (DATA-FORMAT.md). */
export const HOUSEHOLD_FIELDS = [
  'ressources_mensuelles',
  'nb_personnes',
  'nb_moins_14_ans',
  'dalo',
  'prioritaire',
  'mutation',
  'relogement_anru',
  'travailleur_essentiel',
  'q1',
] as const;

/** Dwelling fields of an allocation: when empty and `logement_id` is given, taken from the dwelling. */
export const DWELLING_FIELDS = ['bailleur_id', 'code_insee', 'code_qpv', 'nb_pieces', 'financement', 'loyer', 'contingent'] as const;

export const ATTRIBUTIONS = define({
  name: 'attributions',
  libelle: 'Attributions (décisions de CALEOL)',
  columns: {
    id: text(req),
    nur: text(req),
    logement_id: text(),
    bailleur_id: text(),
    code_insee: text({ pattern: PATTERNS.insee }),
    code_qpv: text(),
    nb_pieces: integer({ min: 1, max: 12 }),
    financement: code(FINANCEMENTS),
    loyer: decimal({ min: 0, max: 10_000 }),
    premiere_mise_en_location: boolean(),
    contingent: text(),
    date_cal: date(req),
    decision: code(DECISIONS, req),
    rang: integer({ min: 1, max: 20 }),
    issue: code(ISSUES),
    date_bail: date(),
    motif_refus: code(MOTIFS_REFUS),
    ressources_mensuelles: decimal({ min: 0, max: 1_000_000 }),
    nb_personnes: integer({ min: 1, max: 20 }),
    nb_moins_14_ans: integer({ min: 0, max: 19 }),
    dalo: boolean(),
    prioritaire: boolean(),
    mutation: boolean(),
    relogement_anru: boolean(),
    travailleur_essentiel: boolean(),
    q1: boolean(),
  },
  key: ['id'],
  references: [
    { column: 'nur', file: 'demandes', key: 'nur' },
    { column: 'logement_id', file: 'logements', key: 'id' },
    { column: 'bailleur_id', file: 'bailleurs', key: 'id' },
    { column: 'code_insee', file: 'communes', key: 'code_insee' },
    { column: 'code_qpv', file: 'qpv', key: 'code_qpv' },
    { column: 'contingent', file: 'reservataires', key: 'id' },
  ],
  rules: [
    {
      kind: 'requiredUnless',
      column: 'bailleur_id',
      unless: 'logement_id',
      severity: 'erreur',
      message: 'le bailleur est obligatoire quand le logement n’est pas identifié (logement_id vide)',
    },
    {
      kind: 'requiredUnless',
      column: 'code_insee',
      unless: 'logement_id',
      severity: 'erreur',
      message: 'la commune est obligatoire quand le logement n’est pas identifié (logement_id vide)',
    },
    {
      kind: 'requiredWhen',
      column: 'date_bail',
      when: 'issue',
      values: ['bail_signe'],
      severity: 'erreur',
      message: 'un bail signé doit avoir sa date de signature (les baux sont comptés à cette date)',
    },
    {
      kind: 'lte',
      left: 'date_cal',
      right: 'date_bail',
      severity: 'erreur',
      message: 'le bail est daté d’avant la CALEOL qui l’a décidé : un bail se signe après la décision',
    },
    {
      kind: 'withinDays',
      left: 'date_cal',
      right: 'date_bail',
      days: MAX_DAYS_DECISION_TO_LEASE,
      severity: 'erreur',
      message: `le bail est signé plus d’un an (${MAX_DAYS_DECISION_TO_LEASE} jours) après la CALEOL : ce n’est pas le bail de cette décision (vérifiez date_cal et date_bail)`,
    },
    {
      kind: 'excludes',
      column: 'issue',
      columnValues: ['bail_signe', 'refus_demandeur', 'en_cours'],
      when: 'decision',
      values: ['non_attribution', 'irrecevable'],
      severity: 'erreur',
      message: 'une décision de non-attribution ou d’irrecevabilité ne peut pas avoir été proposée au ménage (issue bail_signe, refus_demandeur ou en_cours)',
    },
    {
      kind: 'onlyWhen',
      column: 'date_bail',
      when: 'issue',
      values: ['bail_signe'],
      severity: 'erreur',
      message: 'une date de bail suppose l’issue bail_signe : sans elle, le bail ne serait pas compté',
    },
    {
      kind: 'onlyWhen',
      column: 'motif_refus',
      when: 'issue',
      values: ['refus_demandeur'],
      severity: 'erreur',
      message: 'un motif de refus suppose l’issue refus_demandeur',
    },
    ADULT_RULE,
  ],
  optional: true,
});

export const SEUILS = define({
  name: 'seuils',
  libelle: 'Seuils du premier quartile (arrêtés)',
  columns: {
    annee: integer({ ...req, min: 2000, max: 2099 }),
    code_epci: text({ pattern: PATTERNS.siren }),
    seuil_q1: decimal({ ...req, min: 1, max: 100_000 }),
    source: text(),
    // Published (or computed) limits of the second and third quartiles (issue 17): optional, typed like seuil_q1.
    seuil_q2: decimal({ min: 1, max: 100_000 }),
    seuil_q3: decimal({ min: 1, max: 100_000 }),
  },
  key: ['annee', 'code_epci'],
  references: [],
  // Quartile limits rise: a threshold above the next one is a typing error (q1 ≤ q3 catches it when q2 is absent).
  rules: [
    { kind: 'lte', left: 'seuil_q1', right: 'seuil_q2', severity: 'erreur', message: 'le seuil du premier quartile dépasse celui du deuxième (seuil_q1 > seuil_q2)' },
    { kind: 'lte', left: 'seuil_q2', right: 'seuil_q3', severity: 'erreur', message: 'le seuil du deuxième quartile dépasse celui du troisième (seuil_q2 > seuil_q3)' },
    { kind: 'lte', left: 'seuil_q1', right: 'seuil_q3', severity: 'erreur', message: 'le seuil du premier quartile dépasse celui du troisième (seuil_q1 > seuil_q3)' },
  ],
  optional: true,
});

/**
 * Reservation conventions in flux (CCH R441-5, décret 2020-145): one row per bailleur × réservataire × year, the
 * réservataire's share of the bailleur's yearly flow. Checks across rows (shares of a bailleur and year ≤ 1, the
 * State's ceilings, a year with no stock) are in packages/data/src/flux/conventions-checks.ts.
 */
export const CONVENTIONS = define({
  name: 'conventions',
  libelle: 'Conventions de réservation en flux',
  columns: {
    bailleur_id: text(req),
    reservataire_id: text(req),
    annee: integer({ ...req, min: 2000, max: 2099 }),
    // Floating point, not a two-digit decimal: a share of 27.5 % must not be read as 28 %.
    part: real({ ...req, min: 0, max: 1 }),
    departement: text({ pattern: { regex: '^([0-9]{2}|2A|2B|97[1-6])$', attendu: 'un code de département (ex. 91, 2A, 974)' } }),
    part_qpv_min: real({ min: 0, max: 1 }),
    part_hors_qpv_min: real({ min: 0, max: 1 }),
    part_t1_t2_min: real({ min: 0, max: 1 }),
    part_t4_plus_min: real({ min: 0, max: 1 }),
  },
  key: ['bailleur_id', 'reservataire_id', 'annee'],
  references: [
    { column: 'bailleur_id', file: 'bailleurs', key: 'id' },
    { column: 'reservataire_id', file: 'reservataires', key: 'id' },
  ],
  rules: [],
  optional: true,
});

export const FILE_SPECS = {
  communes: COMMUNES,
  qpv: QPV,
  bailleurs: BAILLEURS,
  reservataires: RESERVATAIRES,
  residences: RESIDENCES,
  occupation: OCCUPATION,
  logements: LOGEMENTS,
  demandes: DEMANDES,
  attributions: ATTRIBUTIONS,
  seuils: SEUILS,
  conventions: CONVENTIONS,
} as const satisfies Record<FileName, FileSpec>;

/**
 * Dates of events already past when a file is extracted: a request's filing and radiation, a CALEOL, a lease.
 * After the day of the import they are typing errors (the bounds: 1950–2099 for any date, today for these).
 */
export const EVENT_DATE_COLUMNS: Readonly<Partial<Record<FileName, readonly string[]>>> = {
  demandes: ['date_depot', 'date_radiation'],
  attributions: ['date_cal', 'date_bail'],
};

export const isFileName = (name: string): name is FileName => (FILE_NAMES as readonly string[]).includes(name);
