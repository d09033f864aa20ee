import type { TargetId } from '../config/cia-config.ts';
import type { Critere, ModaliteTypologie } from '../indicators/declarations.ts';
import { LEGAL_DECLARATIONS } from '../indicators/declarations.ts';
import type { Portee } from './grille.ts';

/**
 * What the cotation engine returns (packages/data/src/cotation), typed once for the CLI, the API and the web page.
 * Points are numbers with at most two decimals; waiting times are days.
 */

export interface ReferenceGrille {
  readonly nom: string;
  readonly version: string;
}

/** The cotation of one active request at the reference date. */
export interface CotationDemande {
  readonly nur: string;
  readonly portee: Portee;
  readonly note: number;
  /** Rank among the active similar requests, 1 = best; equal notes share the best rank. */
  readonly rang: number;
  /** Active similar requests, the request included. */
  readonly nb_similaires: number;
  /** Mean days from deposit to allocation of the similar requests satisfied in the twelve months before the date; null when none. */
  readonly delai_moyen_jours: number | null;
  /** How many satisfied requests the mean is taken over. */
  readonly nb_satisfaites_similaires: number;
  /** Ids of the lines of the note (criteria that count, `plafond:<heading>`, `refus`), in the grid's order. */
  readonly criteres: readonly string[];
}

/** One line of an explanation: what a demandeur is entitled to be told. */
export interface LigneExplication {
  readonly id: string;
  readonly libelle: string;
  readonly points: number;
}

export interface ExplicationCotation extends CotationDemande {
  readonly grille: ReferenceGrille;
  readonly date: string;
  readonly lignes: readonly LigneExplication[];
  /** The values of the similarity key for this request (field → value). */
  readonly cle_similarite: Readonly<Record<string, string | number | boolean | null>>;
}

/** A page of cotations (the list view of the web page). */
export interface PageCotations {
  readonly grille: ReferenceGrille;
  readonly date: string;
  readonly total: number;
  readonly lignes: readonly CotationDemande[];
}

export interface ResumeCotation {
  readonly grille: ReferenceGrille;
  readonly date: string;
  readonly demandes: number;
  readonly groupes_similaires: number;
  /** Free columns named by the grid that no request fills (a typo, or a column the extraction lacks). */
  readonly colonnes_libres_vides: readonly string[];
  /** Where the Q1 threshold of `q1` comes from, when the grid reads it. */
  readonly seuil_q1: SeuilQ1Cotation | null;
}

export interface SeuilQ1Cotation {
  readonly annee: number;
  /** € per UC per year for the territory ('' EPCI row): published, else computed from the demand. */
  readonly valeur: number | null;
  readonly origine: 'publie' | 'calcule' | 'absent';
}

/** The distribution of the notes (a histogram per population). */
export interface DistributionNotes {
  readonly grille: ReferenceGrille;
  readonly date: string;
  readonly classes: readonly { readonly portee: Portee; readonly note: number; readonly demandes: number }[];
  readonly resume: readonly {
    readonly portee: Portee;
    readonly demandes: number;
    readonly moyenne: number | null;
    readonly minimum: number | null;
    readonly mediane: number | null;
    readonly maximum: number | null;
  }[];
  /** How often each line counts (criterion id → requests). */
  readonly frequences: readonly { readonly portee: Portee; readonly id: string; readonly demandes: number }[];
}

// --- Impact of a grid on the CIA targets --------------------------------------------------------------------

export const INDICATEURS_IMPACT = ['q1', 'prioritaires', 'mutations', 'travailleurs_essentiels'] as const;
export type IndicateurImpact = (typeof INDICATEURS_IMPACT)[number];

export const LIBELLES_INDICATEUR_IMPACT: Record<IndicateurImpact, string> = {
  q1: 'Ménages du 1er quartile',
  prioritaires: 'Ménages prioritaires (DALO ou prioritaires)',
  mutations: 'Mutations (déjà locataires du parc social)',
  travailleurs_essentiels: 'Travailleurs essentiels',
};

/**
 * The household criterion of each impact share, as the indicator declarations name it. The q1 share counts the
 * first quartile alone (no relocation) over every dwelling: the legal 25 % it is compared with is on leases
 * outside QPV (Q1 or relocated), so the comparison over all typologies is indicative.
 */
const CRITERE_DE_L_IMPACT: Record<IndicateurImpact, Critere> = {
  q1: 'q1_ou_relogement',
  prioritaires: 'prioritaire',
  mutations: 'mutation',
  travailleurs_essentiels: 'travailleur_essentiel',
};

/**
 * The CIA target each impact share is compared with (cia.yaml `cibles`): the key of the first declared indicator
 * counting the same households (declaration order), read from the declarations rather than named here.
 */
export const CIBLE_DE_L_IMPACT: Record<IndicateurImpact, TargetId> = Object.fromEntries(
  INDICATEURS_IMPACT.map((i) => {
    const declaration = LEGAL_DECLARATIONS.find((d) => d.critere === CRITERE_DE_L_IMPACT[i]);
    if (!declaration) throw new Error(`aucun indicateur déclaré ne compte le critère ${CRITERE_DE_L_IMPACT[i]} de l’impact ${i}`);
    return [i, declaration.id];
  }),
) as Record<IndicateurImpact, TargetId>;

/** Counts and shares of a population of households. */
export interface Profil {
  readonly effectif: number;
  readonly nombres: Readonly<Record<IndicateurImpact, number>>;
  /** Share 0–1, null when the population is empty. */
  readonly parts: Readonly<Record<IndicateurImpact, number | null>>;
}

export type TypologieImpact = ModaliteTypologie | 'ensemble';

export interface LigneImpact {
  readonly typologie: TypologieImpact;
  /** Leases signed in the twelve months before the date for this typology: how many requests are retained. */
  readonly baux: number;
  /** The best-ranked active requests of the typology (as many as the leases). */
  readonly retenues: Profil;
  /** The leases of the twelve months (what the commissions actually did). */
  readonly attributions: Profil;
  /** Every active request of the typology (the demand the grid draws from). */
  readonly demande: Profil;
}

export interface CibleImpact {
  readonly indicateur: IndicateurImpact;
  readonly cible_cia: TargetId;
  readonly cible: number | null;
}

export interface ImpactGrille {
  readonly grille: ReferenceGrille;
  readonly date: string;
  /** The twelve months of leases: from `debut` to `fin` included. */
  readonly periode: { readonly debut: string; readonly fin: string };
  readonly cibles: readonly CibleImpact[];
  /** t1…t5_plus, inconnue (requests without typologie_min, leases without rooms), then `ensemble`. */
  readonly lignes: readonly LigneImpact[];
}

export interface EcartImpact {
  readonly typologie: TypologieImpact;
  readonly indicateur: IndicateurImpact;
  readonly a: number | null;
  readonly b: number | null;
  /** b − a, null when either is unknown. */
  readonly ecart: number | null;
}

export interface ComparaisonGrilles {
  readonly date: string;
  readonly a: ImpactGrille;
  readonly b: ImpactGrille;
  readonly ecarts: readonly EcartImpact[];
  /** Requests retained by both grids, per typology: how much the choice of grid changes who comes first. */
  readonly recouvrement: readonly { readonly typologie: TypologieImpact; readonly retenues: number; readonly communes: number; readonly part: number | null }[];
}

// --- As published to the roles under statistical secrecy (issue 10) -----------------------------------------

/** Why a published count is hidden: its own small size (primaire) or to protect another one (secondaire). */
export type SecretCotation = 'primaire' | 'secondaire';

/** DistributionNotes with counts that may be masked (null), as the public role reads it. */
export interface DistributionPubliee {
  readonly grille: ReferenceGrille;
  readonly date: string;
  /** The secrecy threshold applied (secret_statistique), null when nothing is masked (exact results). */
  readonly secret_statistique: number | null;
  readonly classes: readonly { readonly portee: Portee; readonly note: number; readonly demandes: number | null; readonly secret: SecretCotation | null }[];
  readonly resume: readonly {
    readonly portee: Portee;
    readonly demandes: number | null;
    readonly moyenne: number | null;
    readonly minimum: number | null;
    readonly mediane: number | null;
    readonly maximum: number | null;
  }[];
  readonly frequences: readonly { readonly portee: Portee; readonly id: string; readonly demandes: number | null; readonly secret: SecretCotation | null }[];
}

/** A Profil whose counts and shares may be masked. */
export interface ProfilPublie {
  readonly effectif: number | null;
  readonly nombres: Readonly<Record<IndicateurImpact, number | null>>;
  readonly parts: Readonly<Record<IndicateurImpact, number | null>>;
}

export interface LigneImpactPubliee {
  readonly typologie: TypologieImpact;
  readonly baux: number | null;
  readonly retenues: ProfilPublie;
  readonly attributions: ProfilPublie;
  readonly demande: ProfilPublie;
}

export interface ImpactPublie extends Omit<ImpactGrille, 'lignes'> {
  readonly lignes: readonly LigneImpactPubliee[];
}

export interface ComparaisonPubliee {
  readonly date: string;
  readonly secret_statistique: number | null;
  readonly a: ImpactPublie;
  readonly b: ImpactPublie;
  readonly ecarts: readonly EcartImpact[];
  readonly recouvrement: readonly { readonly typologie: TypologieImpact; readonly retenues: number | null; readonly communes: number | null; readonly part: number | null }[];
}
