/**
 * Target figures of the demo territories, with where they come from.
 *
 * "Seed 000" is the CIA of the CA Grand Paris Sud Seine-Essonne-Sénart (2023), shared in
 * shared/seeds/000_*.txt; section numbers refer to its part I.2 "Synthèse du diagnostic"
 * (A. caractéristiques du parc social, B. caractéristiques de la demande et des attributions)
 * and part II (objectifs). Figures the seed does not give are marked "demo assumption".
 */
import { jour } from './dates.js';

/** Years of the allocation file (date_cal); the seed's last observed year is 2021. */
export const ANNEES_ATTRIBUTION = [2021, 2022, 2023, 2024] as const;
/** Years of the Q1 thresholds: the allocation years plus 2025, for leases signed in January 2025. */
export const ANNEES_SEUILS = [2021, 2022, 2023, 2024, 2025] as const;

/** Date of the demand stock ("demandes actives au 31 décembre"). */
export const DATE_SITUATION = jour(2024, 12, 31);
/** Date of the extraction: a lease that would be signed after it is still `en_cours`. */
export const DATE_EXTRACTION = jour(2025, 1, 15);
/**
 * Year of the arrêté the SNE's own `q1` flag is read against: the one in force at the extraction.
 * The importer checks the flag against the threshold of the year of the latest date of the file,
 * which is January 2025 here (leases of December commissions).
 */
export const ANNEE_DRAPEAU_Q1 = 2025;
/** Oldest deposit date kept in the demand (brief: requests deposited from about 2012). */
export const PREMIER_DEPOT = jour(2012, 1, 1);

/** Grand Paris Sud, SIREN of the EPCI. */
export const CODE_EPCI_GPS = '200059228';

/**
 * Île-de-France first-quartile threshold (€/UC/year), a single regional value.
 * 2022 is the only figure the seed gives (§I.2.A: "En 2022, le seuil du 1er quartile de ressources
 * en Ile de France est fixé à 10 674 €/UC/an"); the other years are plausible demo values
 * following the growth of the published medians (DOMAIN.md: 8 671 € in 2022, 9 243 € in 2023).
 */
export const SEUILS_IDF: Readonly<Record<number, { valeur: number; source: string }>> = {
  2021: { valeur: 10_215, source: 'Arrêté annuel 2021 fixant les seuils du 1er quartile (valeur de démonstration)' },
  2022: { valeur: 10_674, source: 'Arrêté annuel 2022 fixant les seuils du 1er quartile (10 674 €/UC cité par la CIA de Grand Paris Sud)' },
  2023: { valeur: 11_160, source: 'Arrêté annuel 2023 fixant les seuils du 1er quartile (valeur de démonstration)' },
  2024: { valeur: 11_720, source: 'Arrêté annuel 2024 fixant les seuils du 1er quartile (valeur de démonstration)' },
  2025: { valeur: 12_190, source: 'Arrêté annuel 2025 fixant les seuils du 1er quartile (valeur de démonstration)' },
};

/**
 * Outside Île-de-France, one threshold per EPCI: the median of EPCI thresholds (DOMAIN.md:
 * 8 671 € in 2022, 9 243 € in 2023) times a per-EPCI factor; 2021, 2024, 2025 are demo values.
 */
export const MEDIANE_SEUILS_EPCI: Readonly<Record<number, number>> = {
  2021: 8_330, 2022: 8_671, 2023: 9_243, 2024: 9_640, 2025: 9_990,
};

/** Seed 000 figures for Grand Paris Sud. */
export const GPS = {
  /** §I.2.A "En 2021, Grand Paris Sud compte 42 000 logements locatifs sociaux familiaux recensés au RPLS". */
  logements: 42_000,
  /** §I.2.A "La moitié de ce parc est concentrée dans les QPV situés dans 6 communes". */
  partQpv: 0.5,
  /** Demo assumption: the CIA plans to define assimilated sectors (fiche action 4); about 3 % of the stock. */
  partAssimile: 0.03,
  /** §I.2.A "34 organismes de logement social (23 ESH, 4 OPH, une société d'aménagement, 2 coopératives et 4 autres), dont 80 % par les 8 principaux". */
  bailleurs: 34,
  partHuitPrincipaux: 0.8,
  /** §I.2.B "il est passé de 18 654 fin 2018 à 20 426 fin 2021" (demand stock). */
  demandesActives: 20_400,
  /** §I.2.B "2 741 attributions" in 2021; 2022-2024 are demo values around the same level. */
  bauxParAn: { 2021: 2_741, 2022: 2_660, 2023: 2_610, 2024: 2_700 } as Readonly<Record<number, number>>,
} as const;

/**
 * Typologies (nb_pieces, 5 = "T5 ou plus"). The seed gives the tension (active requests ÷
 * allocations of the year) for T1 (14), T2 (6.9), T4 (9.4) and T5+ (8) (§I.2.B "une tension plus
 * élevée sur certaines typologies"); the split of leases by typology is a demo assumption, and the
 * T3 tension follows from the overall one (20 400 / 2 700).
 */
export const PARTS_BAUX_TYPOLOGIE: readonly number[] = [0, 0.09, 0.26, 0.37, 0.21, 0.07];
export const TENSION_TYPOLOGIE: Readonly<Record<number, number>> = { 1: 14, 2: 6.9, 4: 9.4, 5: 8 };

/** Share of the active demand by minimum typology, derived from the two lists above. */
export function partsDemandeTypologie(): number[] {
  const overall = GPS.demandesActives / (GPS.bauxParAn[2024] ?? 2_700);
  let known = 0;
  for (const [t, tension] of Object.entries(TENSION_TYPOLOGIE)) known += tension * (PARTS_BAUX_TYPOLOGIE[Number(t)] ?? 0);
  const tensionT3 = (overall - known) / (PARTS_BAUX_TYPOLOGIE[3] ?? 1);
  const raw = PARTS_BAUX_TYPOLOGIE.map((share, t) => share * (t === 3 ? tensionT3 : (TENSION_TYPOLOGIE[t] ?? 0)));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

/** Stock by number of rooms (demo assumption close to RPLS profiles of the Paris outer suburbs). */
export const PARTS_PARC_TYPOLOGIE: readonly number[] = [0, 0.07, 0.19, 0.36, 0.28, 0.08, 0.02];

/** Demand profile (§I.2.B "Des demandeurs précaires" and "Une tension encore plus forte sur les demandes de mutation"). */
export const DEMANDE = {
  /** "elles représentent 34 % des demandes de logement social sur le territoire". */
  partMutations: 0.34,
  /** "les ménages du premier quartile représentaient 28 % de la demande sur le territoire". */
  partQ1: 0.28,
  /** Q1 threshold sits at the 28th percentile of the local demand; the median splits Q2 from Q3-Q4. */
  quantileMedian: 0.5,
  /** Demo assumption: spread of log(resources per UC) in the demand. */
  sigmaLog: 0.5,
  /**
   * "28 % des demandeurs sont des familles monoparentales": not a parameter, it follows from the
   * household composition by typology (household.ts); the generated demand has about 29 %.
   */
  /** Demo assumptions. */
  partPrioritaires: 0.14,
  partDaloParmiPrioritaires: 0.3,
  partQ1ParmiPrioritaires: 0.45,
  partTravailleursEssentiels: 0.08,
  partRelogementAnru: 0.012,
  partHandicap: 0.06,
  /** "76 % de la demande" lives in the EPCI (§I.2.B "Des attributions majoritairement consacrées…"). */
  partResidantEpci: 0.76,
  /** Requests struck off (non-renewal, abandonment) per year, as a share of the active stock. */
  radiationsParAn: 0.15,
} as const;

/** Allocation profile (§I.2.B, figures of 2021). */
export const ATTRIBUTIONS = {
  /** "15,7% des attributions hors QPV sur GPS ont bénéficié aux ménages du 1er quartile ou relogés". */
  horsQpvQ1OuReloges: 0.157,
  /** "83% des attributions en QPV bénéficient aux 3 quartiles supérieurs". */
  qpvHorsQ1: 0.83,
  /** "A pondérer selon le poids important du 2ème quartile, de 30% en 2021". */
  qpvPartQ2: 0.3,
  /** "31% des attributions de Grand Paris Sud ont bénéficié aux publics prioritaires". */
  prioritaires: 0.31,
  /** "En 2021, 27 % des logements sociaux sont attribués à des demandeurs de mutation". */
  mutations: 0.27,
  /** Demo assumptions: NPNRU / ORCOD relocations (seed §I.2.A: 9 NPNRU projects, 1 633 demolitions). */
  relogesHorsQpv: 0.035,
  relogesQpv: 0.05,
  travailleursEssentiels: 0.06,
  travailleursEssentielsActionLogement: 0.2,
  /** Demo assumptions on the CALEOL: candidates examined per dwelling, failures per candidate. */
  candidats: [0, 0.3, 0.15, 0.55] as readonly number[],
  echecParCandidat: 0.2,
  echecs: { refus_demandeur: 0.82, non_attribution: 0.15, irrecevable: 0.03 },
  /** Days between CALEOL and lease (demo assumption). */
  delaiBailMin: 7,
  delaiBailMoyen: 16,
  /** Waiting time of allocated requests relative to the stock's mean stay (demo assumption). */
  attenteAutres: 1.1,
  attentePrioritaires: 0.55,
} as const;

/**
 * Per contingent, the seed's 2021 rates (§I.2.B): share of hors-QPV leases to Q1 or relocated
 * households ("30,4% … Mal Logés, 13,2% … GPS/Communes, 7,9% … Action Logement, 17,9% … non
 * contingentés"), share of QPV allocations above Q1 ("72,5% … 87,9% … 91,8% … 76,9"), and share to
 * priority households ("94,3% … 13,8% … 23,7% … 15,9%"). State agents: demo assumption.
 * The generator rescales each column so that the flow-weighted mean hits the overall figure.
 */
export type ProfilContingent = 'mal_loges' | 'collectivites' | 'action_logement' | 'etat_agents' | 'non_reserve';
export const PROFILS_CONTINGENT: Readonly<Record<ProfilContingent, { horsQpvQ1: number; qpvHorsQ1: number; prioritaires: number }>> = {
  mal_loges: { horsQpvQ1: 0.304, qpvHorsQ1: 0.725, prioritaires: 0.943 },
  collectivites: { horsQpvQ1: 0.132, qpvHorsQ1: 0.879, prioritaires: 0.138 },
  action_logement: { horsQpvQ1: 0.079, qpvHorsQ1: 0.918, prioritaires: 0.237 },
  etat_agents: { horsQpvQ1: 0.06, qpvHorsQ1: 0.93, prioritaires: 0.05 },
  non_reserve: { horsQpvQ1: 0.179, qpvHorsQ1: 0.769, prioritaires: 0.159 },
};

/**
 * Shares of the stock by reservation right (demo assumption within the legal frame of DOMAIN.md:
 * the State holds up to 30 % of the flow, of which at most 5 % for its agents).
 */
export const PARTS_CONTINGENTS = {
  etat_prioritaires: 0.19,
  etat_agents: 0.03,
  action_logement: 0.22,
  commune: 0.14,
  epci: 0.05,
  departement: 0.04,
  /** Only in Île-de-France, where the Région holds reservations. */
  region: 0.01,
} as const;

/** New buildings delivered each year, as a share of the stock (demo assumption). */
export const LIVRAISONS_PAR_AN = 0.012;

/** CIA targets written to cia.yaml for Grand Paris Sud (seed 000 part II). */
export const CIBLES_GPS = {
  /** II.1 "au moins 25 % des attributions réalisées en-dehors des QPV ou assimilés". */
  hors_qpv_q1: 0.25,
  /** II.2 "un objectif de 81 % au minimum des attributions réalisées dans les QPV". */
  qpv_hors_q1: 0.81,
  /** II.2 "a minima la situation 2019, soit 52%". */
  qpv_q3_q4: 0.52,
  /** "25% des attributions sur chaque contingent aux ménages prioritaires (100% sur contingent « mal-logés »)". */
  prioritaires: 0.25,
  etat_prioritaires: 1.0,
  /** Their share of the demand, 34 % (DOMAIN.md example). */
  mutations: 0.34,
  /** Demo value: the CIL sets it; there is no national rate. */
  travailleurs_essentiels: 0.1,
} as const;

/** Totals of the larger scales (orders of magnitude of the brief: SNE and RPLS published totals). */
export const ECHELLES = {
  idf: { demandesActives: 800_000, bauxParAn: 70_000, logements: 1_250_000 },
  national: { demandesActives: 2_700_000, bauxParAn: 450_000, logements: 5_300_000 },
} as const;
