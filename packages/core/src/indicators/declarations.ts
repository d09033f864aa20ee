import type { MotifRefus } from '../format/codes.ts';
import { MOTIFS_REFUS } from '../format/codes.ts';
import { LIBELLES_MOTIF_REFUS } from '../format/labels.ts';
import type { PerimeterType } from './perimeter-types.ts';
import { PERIMETER_TYPES } from './perimeter-types.ts';
import type { TypeContingent } from './perimeters.ts';

/**
 * The indicators, declared once, with everything said about them: what is counted (the SQL engine in
 * packages/data/src/indicators builds its counting rules from `base`, `date`, `champ` and `critere` with
 * exhaustive switches), their names long and short, their default targets (cia-config.ts derives the keys of
 * `cibles` and their defaults from here), where the target is judged and where missing it is a legal shortfall,
 * how they are presented, and their legal source. The API, the dashboard, the objective and settings pages, the
 * reports, the CLI help and the table of docs/indicators.md read these declarations: adding a legal indicator is
 * one entry here (plus, for a new household criterion, one case of `critereSql`), nothing else.
 * Ids and counting bases are those of DATA-FORMAT.md ("Counting bases", "Indicator export"): never rename them.
 */

/** What is counted: CALEOL proposals (refusals included) or signed leases. */
export type Base = 'propositions' | 'baux';
/** The date that places a row in a period: proposals by the CALEOL, leases by their signature. */
export type DateComptage = 'date_cal' | 'date_bail';
/** Which dwellings make the denominator. */
export type Champ = 'hors_qpv' | 'qpv' | 'tout';
/** Which households make the numerator. */
export type Critere = 'q1_ou_relogement' | 'hors_q1' | 'q3_q4' | 'prioritaire' | 'mutation' | 'travailleur_essentiel';

export const LEGAL_INDICATOR_IDS = ['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires', 'mutations', 'travailleurs_essentiels'] as const;
export type LegalIndicatorId = (typeof LEGAL_INDICATOR_IDS)[number];

/** Keys of `cibles` in cia.yaml that are not an indicator's own: targets of one contingent type. */
export const CONTINGENT_TARGET_IDS = ['etat_prioritaires'] as const;
export type ContingentTargetId = (typeof CONTINGENT_TARGET_IDS)[number];
/** The keys of `cibles` in cia.yaml: each indicator's own (its id) and the targets of a contingent type. */
export type TargetId = LegalIndicatorId | ContingentTargetId;

/** The short names the tables, charts and points of attention print (the long ones are `libelle`, `numerateur`…). */
export interface NomsCourts {
  readonly titre: string;
  /** Column of the numerator. */
  readonly numerateur: string;
  /** Column of the denominator. */
  readonly denominateur: string;
  /** What the denominator counts, after a figure: « 8 sur 24 baux hors QPV ». */
  readonly unite: string;
}

/** The target of one contingent type, set by its own key of `cibles` (the State's priority contingent: 100 %). */
export interface CibleDeContingent {
  readonly cle: ContingentTargetId;
  readonly defaut: number | null;
  /** Its name inside a sentence (« Cible « contingent préfectoral … » »). */
  readonly libelle: string;
  /** Its name as a field of the settings screen. */
  readonly intitule: string;
}

export interface Presentation {
  /**
   * Where the target is read: one rate for the territory, or per contingent (the dashboard card counts the
   * contingents that meet it, the points of attention of the bilan name contingents, the objective page opens on them).
   */
  readonly jugement: 'territoire' | 'contingent';
  /** The breakdown the objective page opens on. */
  readonly ventilation: Exclude<PerimeterType, 'territoire'>;
  /**
   * A shortfall over a semester lets the préfet make the allocations until the twelve previous months reach the
   * target (art. L441-1 CCH, 3DS law): the bilan raises it as an alert, not a point to watch.
   */
  readonly substitutionSemestrielle: boolean;
}

export interface LegalIndicatorDeclaration {
  readonly id: LegalIndicatorId;
  readonly libelle: string;
  readonly definition: string;
  readonly courts: NomsCourts;
  readonly base: Base;
  readonly date: DateComptage;
  readonly champ: Champ;
  readonly critere: Critere;
  readonly numerateur: string;
  readonly denominateur: string;
  /** Default of the key `cibles.<id>` of cia.yaml (DATA-FORMAT.md): null, no target unless the CIA sets one. */
  readonly cibleParDefaut: number | null;
  /** Contingent types whose target is another key (the State's priority contingent: 100 %). */
  readonly ciblesParTypeContingent: Readonly<Partial<Record<TypeContingent, CibleDeContingent>>>;
  /** Perimeter types where the default target applies (overrides of cibles_par_perimetre apply anywhere). */
  readonly perimetresCibles: readonly PerimeterType[];
  /** Perimeter types where a missed target is a shortfall the law sanctions (elsewhere a reading aid, or a local goal). */
  readonly perimetresLegaux: readonly PerimeterType[];
  readonly presentation: Presentation;
  /** Targets are minimums: a row is `atteint` when taux ≥ cible. */
  readonly sens: 'au_moins';
  readonly sourceLegale: string;
}

const TOUS = PERIMETER_TYPES;
/** Judged on the territory, opened by bailleur. */
const SUR_LE_TERRITOIRE: Presentation = { jugement: 'territoire', ventilation: 'bailleur', substitutionSemestrielle: false };

export const LEGAL_INDICATORS: Readonly<Record<LegalIndicatorId, LegalIndicatorDeclaration>> = {
  hors_qpv_q1: {
    id: 'hors_qpv_q1',
    libelle: 'Baux hors QPV signés par des ménages du 1er quartile ou relogés',
    definition:
      'Part des baux signés sur des logements situés hors QPV (et hors secteurs assimilés si la CIA les compte comme QPV) ' +
      'qui bénéficient à des ménages du premier quartile de ressources des demandeurs ou à des ménages relogés dans le cadre ' +
      'd’une opération de renouvellement urbain (NPNRU) ou d’une ORCOD, ces derniers quelles que soient leurs ressources.',
    courts: { titre: 'Baux hors QPV au 1er quartile ou relogés', numerateur: 'Baux Q1 ou relogés', denominateur: 'Baux hors QPV', unite: 'baux hors QPV' },
    base: 'baux',
    date: 'date_bail',
    champ: 'hors_qpv',
    critere: 'q1_ou_relogement',
    numerateur: 'baux signés hors QPV par un ménage du 1er quartile (ressources par UC ≤ seuil de l’année du bail) ou relogé',
    denominateur: 'baux signés hors QPV, datés par la signature du bail',
    cibleParDefaut: 0.25,
    ciblesParTypeContingent: {},
    perimetresCibles: TOUS,
    perimetresLegaux: ['territoire'],
    presentation: { ...SUR_LE_TERRITOIRE, substitutionSemestrielle: true },
    sens: 'au_moins',
    sourceLegale: 'CCH, art. L441-1 (au moins 25 % des attributions suivies de baux signés hors QPV) ; suivi semestriel et 12 mois glissants : loi 3DS du 21 février 2022',
  },
  qpv_hors_q1: {
    id: 'qpv_hors_q1',
    libelle: 'Propositions en QPV à des ménages des quartiles 2 à 4',
    definition:
      'Part des propositions de logements situés en QPV (et dans les secteurs assimilés si la CIA le prévoit) faites à des ' +
      'ménages qui ne sont pas du premier quartile, refus des demandeurs compris.',
    courts: { titre: 'Propositions en QPV aux quartiles 2 à 4', numerateur: 'Propositions Q2 à Q4', denominateur: 'Propositions en QPV', unite: 'propositions en QPV' },
    base: 'propositions',
    date: 'date_cal',
    champ: 'qpv',
    critere: 'hors_q1',
    numerateur: 'propositions en QPV à un ménage au-dessus du seuil du 1er quartile de l’année de la CALEOL',
    denominateur: 'propositions en QPV (décision d’attribution hors candidats non sollicités), datées par la CALEOL',
    cibleParDefaut: 0.5,
    ciblesParTypeContingent: {},
    perimetresCibles: TOUS,
    perimetresLegaux: ['territoire'],
    presentation: SUR_LE_TERRITOIRE,
    sens: 'au_moins',
    sourceLegale: 'CCH, art. L441-1 (au moins 50 % des attributions en QPV aux demandeurs des trois autres quartiles) ; taux local fixé par les orientations de la CIL (art. L441-1-5)',
  },
  qpv_q3_q4: {
    id: 'qpv_q3_q4',
    libelle: 'Propositions en QPV à des ménages des quartiles 3 et 4',
    definition:
      'Part des propositions de logements situés en QPV faites à des ménages dont les ressources par UC dépassent la médiane ' +
      'de la demande (calculée sur les demandes actives au 31 décembre de l’année précédente).',
    courts: { titre: 'Propositions en QPV aux quartiles 3 et 4', numerateur: 'Propositions Q3 et Q4', denominateur: 'Propositions en QPV', unite: 'propositions en QPV' },
    base: 'propositions',
    date: 'date_cal',
    champ: 'qpv',
    critere: 'q3_q4',
    numerateur: 'propositions en QPV à un ménage dont les ressources par UC dépassent la médiane de la demande de l’année',
    denominateur: 'propositions en QPV, datées par la CALEOL',
    cibleParDefaut: null,
    ciblesParTypeContingent: {},
    perimetresCibles: TOUS,
    perimetresLegaux: [],
    presentation: SUR_LE_TERRITOIRE,
    sens: 'au_moins',
    sourceLegale: 'Objectif local de la CIA (CCH, art. L441-1-6), par exemple 52 % à Grand Paris Sud pour limiter la surreprésentation du 2e quartile',
  },
  prioritaires: {
    id: 'prioritaires',
    libelle: 'Propositions aux ménages prioritaires (DALO ou prioritaires)',
    definition:
      'Part des propositions faites à des ménages reconnus DALO ou prioritaires (art. L441-1, PDALHPD, accords collectifs), ' +
      'refus compris. L’objectif s’apprécie par contingent : chaque réservataire et le stock non réservé de chaque bailleur ; ' +
      'le contingent préfectoral des publics prioritaires leur est entièrement consacré.',
    courts: { titre: 'Propositions aux ménages prioritaires', numerateur: 'Propositions à des prioritaires', denominateur: 'Propositions', unite: 'propositions' },
    base: 'propositions',
    date: 'date_cal',
    champ: 'tout',
    critere: 'prioritaire',
    numerateur: 'propositions à un ménage DALO ou prioritaire',
    denominateur: 'propositions, datées par la CALEOL',
    cibleParDefaut: 0.25,
    ciblesParTypeContingent: {
      etat_prioritaires: {
        cle: 'etat_prioritaires',
        defaut: 1.0,
        libelle: 'contingent préfectoral des publics prioritaires',
        intitule: 'Contingent préfectoral des publics prioritaires : part des propositions aux ménages prioritaires',
      },
    },
    perimetresCibles: ['contingent', 'type_contingent'],
    // The law sets the target per contingent: a missed one is a missed legal target.
    perimetresLegaux: ['contingent', 'type_contingent'],
    presentation: { jugement: 'contingent', ventilation: 'contingent', substitutionSemestrielle: false },
    sens: 'au_moins',
    sourceLegale: 'CCH, art. L441-1 (25 % des attributions de chaque réservataire et des logements non réservés aux publics DALO puis prioritaires) ; contingent préfectoral : art. R441-5',
  },
  mutations: {
    id: 'mutations',
    libelle: 'Propositions aux demandeurs de mutation',
    definition: 'Part des propositions faites à des ménages déjà locataires du parc social (demandes de mutation), refus compris.',
    courts: { titre: 'Propositions aux demandeurs de mutation', numerateur: 'Propositions en mutation', denominateur: 'Propositions', unite: 'propositions' },
    base: 'propositions',
    date: 'date_cal',
    champ: 'tout',
    critere: 'mutation',
    numerateur: 'propositions à un ménage déjà locataire du parc social',
    denominateur: 'propositions, datées par la CALEOL',
    cibleParDefaut: null,
    ciblesParTypeContingent: {},
    perimetresCibles: TOUS,
    perimetresLegaux: [],
    presentation: SUR_LE_TERRITOIRE,
    sens: 'au_moins',
    sourceLegale: 'Objectif local fixé par les orientations de la CIL (CCH, art. L441-1-5), par exemple la part des mutations dans la demande',
  },
  travailleurs_essentiels: {
    id: 'travailleurs_essentiels',
    libelle: 'Propositions aux travailleurs essentiels',
    definition: 'Part des propositions faites à des ménages dont un membre exerce une activité essentielle au sens de la définition locale de la CIL.',
    courts: {
      titre: 'Propositions aux travailleurs essentiels',
      numerateur: 'Propositions à des travailleurs essentiels',
      denominateur: 'Propositions',
      unite: 'propositions',
    },
    base: 'propositions',
    date: 'date_cal',
    champ: 'tout',
    critere: 'travailleur_essentiel',
    numerateur: 'propositions à un ménage de travailleurs essentiels',
    denominateur: 'propositions, datées par la CALEOL',
    cibleParDefaut: null,
    ciblesParTypeContingent: {},
    perimetresCibles: TOUS,
    perimetresLegaux: [],
    presentation: SUR_LE_TERRITOIRE,
    sens: 'au_moins',
    sourceLegale: 'Loi 3DS du 21 février 2022 ; CCH, art. L441-1 (pas de taux national : objectif et métiers fixés par la CIL)',
  },
};

/** The declarations in their order (the order of indicateurs.csv, of the dashboard and of the bilan). */
export const LEGAL_DECLARATIONS: readonly LegalIndicatorDeclaration[] = LEGAL_INDICATOR_IDS.map((id) => LEGAL_INDICATORS[id]);

/** One key of `cibles` in cia.yaml: its default (DATA-FORMAT.md) and its names, derived from the declarations. */
export interface CibleDeclaree {
  readonly cle: TargetId;
  readonly defaut: number | null;
  /** The indicator it sets the target of. */
  readonly indicateur: LegalIndicatorId;
  /** For a contingent type's key, that type. */
  readonly typeContingent: TypeContingent | null;
  readonly libelle: string;
  readonly intitule: string;
}

/** Every key of `cibles`, in the order of cia.yaml: each indicator's own, then those of its contingent types. */
export const CIBLES_DECLAREES: readonly CibleDeclaree[] = LEGAL_DECLARATIONS.flatMap((d): CibleDeclaree[] => [
  { cle: d.id, defaut: d.cibleParDefaut, indicateur: d.id, typeContingent: null, libelle: d.libelle, intitule: d.libelle },
  ...(Object.entries(d.ciblesParTypeContingent) as [TypeContingent, CibleDeContingent][]).map(([type, c]) => ({
    cle: c.cle,
    defaut: c.defaut,
    indicateur: d.id,
    typeContingent: type,
    libelle: c.libelle,
    intitule: c.intitule,
  })),
]);

/** The key of `cibles` as a field name of the settings screen (an indicator's label, or the contingent type's). */
export function intituleDeLaCible(cle: string): string {
  return CIBLES_DECLAREES.find((c) => c.cle === cle)?.intitule ?? cle;
}

/** The key of `cibles` inside a sentence of the bilan. */
export function libelleDeLaCible(cle: string): string {
  return CIBLES_DECLAREES.find((c) => c.cle === cle)?.libelle ?? cle;
}

/**
 * The first declaration counting every proposal (propositions, all dwellings): its denominator is the number of
 * proposals, which the bilan prints (published, so masked alike with the indicators sharing it).
 */
export function declarationDesPropositions(declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS): LegalIndicatorDeclaration | null {
  return declarations.find((d) => d.base === 'propositions' && d.champ === 'tout') ?? null;
}

export const isLegalIndicatorId = (value: string): value is LegalIndicatorId => (LEGAL_INDICATOR_IDS as readonly string[]).includes(value);

// ---------------------------------------------------------------------------------------------------------
// Demand side (issue 3, item 3): the context of the targets. Territory-wide, for the same periods.

export const DEMAND_INDICATOR_IDS = [
  'demandes_actives',
  'demandes_deposees',
  'demandes_satisfaites',
  'demandes_radiees',
  'quartile_demande',
  'quartile_attributions',
  'mutations_demande',
  'mutations_attributions',
  'tension_typologie',
  'tension_quartile',
  'delai_attente_satisfaites',
  'refus_par_motif',
] as const;
export type DemandIndicatorId = (typeof DEMAND_INDICATOR_IDS)[number];

/** The unit of `valeur`: a count, a share (0–1), a ratio (requests per allocation) or a number of days. */
export type Unite = 'nombre' | 'part' | 'ratio' | 'jours';
/** How an indicator is broken down (`modalite` of its rows; '' is the whole). */
export type Ventilation = 'aucune' | 'quartile' | 'typologie' | 'motif_refus';

export interface DemandIndicatorDeclaration {
  readonly id: DemandIndicatorId;
  readonly libelle: string;
  readonly definition: string;
  readonly unite: Unite;
  readonly ventilation: Ventilation;
  readonly numerateur: string;
  readonly denominateur: string | null;
}

const ACTIVE = 'demande active à la date : déposée au plus tard ce jour et non radiée avant le lendemain (date_radiation vide ou postérieure)';

export const DEMAND_INDICATORS: Readonly<Record<DemandIndicatorId, DemandIndicatorDeclaration>> = {
  demandes_actives: {
    id: 'demandes_actives',
    libelle: 'Demandes actives en fin de période (stock)',
    definition: `Nombre de demandes actives le dernier jour de la période (${ACTIVE}).`,
    unite: 'nombre',
    ventilation: 'aucune',
    numerateur: 'demandes actives le dernier jour de la période',
    denominateur: null,
  },
  demandes_deposees: {
    id: 'demandes_deposees',
    libelle: 'Demandes déposées (flux)',
    definition: 'Nombre de demandes dont la date de dépôt tombe dans la période.',
    unite: 'nombre',
    ventilation: 'aucune',
    numerateur: 'demandes déposées dans la période',
    denominateur: null,
  },
  demandes_satisfaites: {
    id: 'demandes_satisfaites',
    libelle: 'Demandes satisfaites (flux)',
    definition: 'Nombre de demandes au statut « attribuée » dont la date de radiation tombe dans la période.',
    unite: 'nombre',
    ventilation: 'aucune',
    numerateur: 'demandes satisfaites dans la période',
    denominateur: null,
  },
  demandes_radiees: {
    id: 'demandes_radiees',
    libelle: 'Demandes radiées sans attribution (flux)',
    definition: 'Nombre de demandes au statut « radiée » (non-renouvellement, abandon, irrecevabilité) radiées dans la période.',
    unite: 'nombre',
    ventilation: 'aucune',
    numerateur: 'demandes radiées dans la période',
    denominateur: null,
  },
  quartile_demande: {
    id: 'quartile_demande',
    libelle: 'Répartition de la demande par quartile de ressources',
    definition:
      'Part de chaque quartile parmi les demandes actives le dernier jour de la période, avec le seuil publié et les limites ' +
      '(médiane, 3e quartile) de l’année de ce jour.',
    unite: 'part',
    ventilation: 'quartile',
    numerateur: 'demandes actives du quartile',
    denominateur: 'demandes actives',
  },
  quartile_attributions: {
    id: 'quartile_attributions',
    libelle: 'Répartition des attributions (baux) par quartile de ressources',
    definition: 'Part de chaque quartile parmi les baux signés dans la période (limites de l’année du bail).',
    unite: 'part',
    ventilation: 'quartile',
    numerateur: 'baux signés par un ménage du quartile',
    denominateur: 'baux signés',
  },
  mutations_demande: {
    id: 'mutations_demande',
    libelle: 'Part des mutations dans la demande',
    definition: 'Part des demandes de mutation (déjà locataires du parc social) parmi les demandes actives le dernier jour de la période.',
    unite: 'part',
    ventilation: 'aucune',
    numerateur: 'demandes actives de mutation',
    denominateur: 'demandes actives',
  },
  mutations_attributions: {
    id: 'mutations_attributions',
    libelle: 'Part des mutations dans les attributions (baux)',
    definition: 'Part des baux signés dans la période par des ménages déjà locataires du parc social.',
    unite: 'part',
    ventilation: 'aucune',
    numerateur: 'baux signés par un ménage en mutation',
    denominateur: 'baux signés',
  },
  tension_typologie: {
    id: 'tension_typologie',
    libelle: 'Tension par typologie',
    definition:
      'Demandes actives le dernier jour de la période rapportées aux baux signés dans la période, par typologie ' +
      '(typologie minimale demandée ; nombre de pièces du logement attribué).',
    unite: 'ratio',
    ventilation: 'typologie',
    numerateur: 'demandes actives de la typologie',
    denominateur: 'baux signés de la typologie',
  },
  tension_quartile: {
    id: 'tension_quartile',
    libelle: 'Tension par quartile de ressources',
    definition: 'Demandes actives le dernier jour de la période rapportées aux baux signés dans la période, par quartile.',
    unite: 'ratio',
    ventilation: 'quartile',
    numerateur: 'demandes actives du quartile',
    denominateur: 'baux signés par un ménage du quartile',
  },
  delai_attente_satisfaites: {
    id: 'delai_attente_satisfaites',
    libelle: 'Délai moyen d’attente des demandes satisfaites (jours)',
    definition: 'Moyenne, sur les demandes satisfaites dans la période, du nombre de jours entre le dépôt et la radiation pour attribution.',
    unite: 'jours',
    ventilation: 'aucune',
    numerateur: 'somme des délais (jours)',
    denominateur: 'demandes satisfaites',
  },
  refus_par_motif: {
    id: 'refus_par_motif',
    libelle: 'Refus des demandeurs par motif',
    definition:
      'Propositions refusées par le demandeur dans la période (datées par la CALEOL) : par motif, part de chaque motif parmi ' +
      'les refus ; sur la ligne d’ensemble, part des refus parmi les propositions.',
    unite: 'part',
    ventilation: 'motif_refus',
    numerateur: 'refus (du motif)',
    denominateur: 'refus (ensemble : propositions)',
  },
};

/** Modalities of the breakdowns; '' is the whole. */
export const MODALITES_QUARTILE = ['q1', 'q2', 'q3', 'q4', 'inconnu'] as const;
export const MODALITES_TYPOLOGIE = ['t1', 't2', 't3', 't4', 't5_plus', 'inconnue'] as const;
export const MODALITES_MOTIF_REFUS = [...MOTIFS_REFUS, 'non_renseigne'] as const;
export type ModaliteQuartile = (typeof MODALITES_QUARTILE)[number];
export type ModaliteTypologie = (typeof MODALITES_TYPOLOGIE)[number];
export type ModaliteMotifRefus = MotifRefus | 'non_renseigne';

export const LIBELLES_MODALITE: Readonly<Record<string, string>> = {
  '': 'Ensemble',
  q1: '1er quartile',
  q2: '2e quartile',
  q3: '3e quartile',
  q4: '4e quartile',
  inconnu: 'Quartile inconnu',
  t1: 'T1',
  t2: 'T2',
  t3: 'T3',
  t4: 'T4',
  t5_plus: 'T5 et plus',
  inconnue: 'Typologie inconnue',
  ...LIBELLES_MOTIF_REFUS,
  non_renseigne: 'Motif non renseigné',
};
