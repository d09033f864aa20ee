/**
 * What crosses the wire between the server and the web front end. The front end imports these types
 * (`import type … from '@mixite/server/contract'`), so the two sides cannot drift. Types only: nothing
 * here runs, so the browser bundle carries none of the server.
 */
import type { CiaConfig, Controles, DemandRow, LimitesDeLAnnee, PerimeterType, Unite } from '@mixite/core';
import type { ImportReport } from '@mixite/data';
import type { Role } from './auth/roles.ts';

/** How a column is shown and exported: a `taux` is a share between 0 and 1 shown as a percentage. */
export type TypeColonne = 'texte' | 'entier' | 'nombre' | 'taux' | 'date' | 'booleen';

export interface Colonne {
  readonly cle: string;
  readonly libelle: string;
  readonly type: TypeColonne;
}

/** A table as shown on screen. Every table route also answers `?format=csv|xlsx` with the same rows as a file. */
export interface Tableau<L extends object = Record<string, unknown>> {
  readonly titre: string;
  readonly colonnes: readonly Colonne[];
  readonly lignes: readonly L[];
}

export type TypePerimetre = PerimeterType | 'non_reserve';

/**
 * One indicator × perimeter × period, the long format of `indicateurs.csv` plus the perimeter's name. For the roles
 * that read published tables only (`lecteur`), small cells are masked: counts and rates null, `secret` says why.
 */
export interface LigneIndicateur {
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly perimetre_libelle: string;
  readonly periode: string;
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  readonly atteint: boolean | null;
  /** null: published as is; `primaire`: a small count; `secondaire`: masked so that another cannot be recomputed. */
  readonly secret?: 'primaire' | 'secondaire' | null;
}

/** An indicator as declared once in the engine: what the dashboard says about it. */
export interface DeclarationIndicateur {
  readonly id: string;
  readonly libelle: string;
  readonly definition: string;
  /** What is counted: proposals (dated by the CALEOL) or signed leases (dated by the lease). */
  readonly base: string;
  readonly numerateur: string;
  readonly denominateur: string;
  readonly source: string;
  /** Perimeter types where the default target applies (the priority target is judged per contingent). */
  readonly perimetres: readonly string[];
}

/** The territory: names of the perimeters and the years that have allocations. */
export interface Territoire {
  readonly nom: string;
  readonly code_epci: string | null;
  readonly annees: readonly number[];
  readonly donnees: boolean;
  readonly perimetres: Readonly<Record<string, readonly { id: string; libelle: string }[]>>;
}

/** A demand-side row as a viewer reads it: counts and value null when masked by the statistical secrecy. */
export interface LigneDemandeVisible extends Omit<DemandRow, 'numerateur' | 'denominateur' | 'valeur'> {
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly valeur: number | null;
  readonly secret?: 'primaire' | 'secondaire' | null;
}

/** Quartile limits; the computed ones are masked when fewer requests than the secrecy threshold make them. */
export interface LimitesVisibles extends Omit<LimitesDeLAnnee, 'q1' | 'mediane' | 'q3'> {
  readonly q1: number | null;
  readonly mediane: number | null;
  readonly q3: number | null;
}

/** The demand side of a year: the engine's rows with their labels, the quartile limits and the checks. */
export interface Demande {
  readonly annee: number;
  readonly periodes: readonly { id: string; libelle: string }[];
  readonly lignes: readonly (LigneDemandeVisible & { libelle: string; unite: Unite; modalite_libelle: string })[];
  readonly limites: readonly LimitesVisibles[];
  readonly controles: Controles;
}

/** An allocation behind an indicator row, and how it counts for that indicator. */
export interface LigneAttribution {
  readonly id: string;
  /** The NUR, or its keyed pseudonym (`PS-…`) for the roles that do not need it. */
  readonly nur: string;
  readonly date_cal: string;
  readonly date_bail: string | null;
  readonly bailleur: string;
  readonly commune: string;
  /** The QPV or assimilated sector of the dwelling; null outside. */
  readonly qpv: string | null;
  readonly contingent: string;
  readonly issue: string;
  /** Resource quartile of the household (1–4) with the limits of the year of the counting date; null when unknown. */
  readonly quartile: number | null;
  readonly prioritaire: boolean;
  readonly mutation: boolean;
  readonly relogement: boolean;
  readonly au_numerateur: boolean;
}

/**
 * The allocations behind a row. A territory's year can hold tens of thousands at regional scale: the list is cut
 * at `limite` rows, `total` and `total_numerateur` count them all.
 */
export interface ListeAttributions extends Tableau<LigneAttribution> {
  readonly total: number;
  readonly total_numerateur: number;
  readonly limite: number;
  /** For a scoped account: the perimeter its rows are narrowed to (« Bailleur Essonne Habitat »); null otherwise. */
  readonly restriction: string | null;
  readonly nur_pseudonymise: boolean;
}

export interface Configuration {
  /** 0 when nothing has been saved: the defaults of DATA-FORMAT.md apply. */
  readonly version: number;
  readonly date_modification: string | null;
  readonly auteur: string | null;
  readonly origine: string | null;
  readonly contenu: CiaConfig;
}

export interface ProblemeConfiguration {
  readonly chemin: string;
  readonly message: string;
}

export interface Seuil {
  readonly annee: number;
  readonly code_epci: string | null;
  readonly seuil_q1: number;
  readonly source: string | null;
}

/** The answer to an upload: the simulation's report and, when it passed, the token that confirms the import. */
export interface Televersement {
  readonly jeton: string | null;
  readonly rapport: ImportReport;
}

export interface ErreurApi {
  readonly erreur: string;
  readonly message: string;
  readonly details?: unknown;
}

export type { Role };

/** What the session's account may do: the front end hides what it cannot use (the server is the guard). */
export interface Droits {
  /** The history of the settings (names its authors). */
  readonly partenaire: boolean;
  /** Household-level rows (allocations behind an indicator), narrowed to the account's perimeter. */
  readonly menages: boolean;
  /** Imports and settings. */
  readonly modification: boolean;
  /** Audit log and accounts. */
  readonly administration: boolean;
  readonly nur_en_clair: boolean;
  /** Tables come with small cells masked. */
  readonly secret_statistique: boolean;
}

export interface SessionApi {
  readonly mode: 'demonstration' | 'production';
  readonly utilisateur: {
    readonly email: string | null;
    readonly nom: string;
    readonly role: Role;
    readonly role_libelle: string;
    readonly perimetre: string | null;
    readonly perimetre_libelle: string | null;
  };
  readonly droits: Droits;
  /** To echo in the `x-mixite-csrf` header of every mutating request. */
  readonly csrf: string;
  /** When the session ends without activity (ISO 8601); null in demonstration mode without login. */
  readonly expiration: string | null;
}

export interface Sante {
  readonly statut: 'ok';
  readonly mode: 'demonstration' | 'production';
}

export interface LigneJournalApi {
  readonly id: number;
  readonly date: string;
  readonly utilisateur: string;
  readonly role: string | null;
  readonly action: string;
  readonly code_action: string;
  readonly objet: string;
  readonly details: string | null;
}

export interface TableauJournal extends Tableau<LigneJournalApi> {
  readonly total: number;
  /** The check of the keyed chain and its anchors, in French: « intacte (…) », or « rompue à l’entrée n° … : why ». */
  readonly integrite: string;
  /** Whether that check passed. */
  readonly integre: boolean;
  readonly actions: readonly { id: string; libelle: string }[];
}

export type { ImportReport, ImportProblem } from '@mixite/data';
export type { CiaConfig, DemandRow, LimitesDeLAnnee, Controles, Unite } from '@mixite/core';

/**
 * A household-level export asked by its query, never by its rows (`POST /api/exports`): the server reads the
 * rows itself, narrowed to the viewer's perimeter and with the NUR pseudonymised for the roles that need it,
 * so no route turns a NUR the client sends into its pseudonym.
 */
export interface DemandeExportAttributions {
  readonly ressource: 'attributions';
  readonly format: 'csv' | 'xlsx';
  readonly indicateur: string;
  readonly periode: string;
  readonly perimetre_type?: string;
  readonly perimetre_id?: string | null;
}

export type DemandeExport = DemandeExportAttributions;

export type EtatTravailExport = 'en_attente' | 'en_cours' | 'pret' | 'echec';

/** A heavy export written in the background (`202` of `POST /api/exports`, then `GET /api/exports/{id}`). */
export interface TravailExport {
  readonly id: string;
  readonly titre: string;
  readonly format: 'csv' | 'xlsx';
  readonly etat: EtatTravailExport;
  readonly lignes_ecrites: number;
  readonly lignes_total: number;
  /** Where to download the file once `etat` is `pret`. */
  readonly fichier: string | null;
  /** Why it failed, in French, when `etat` is `echec`. */
  readonly message: string | null;
}
