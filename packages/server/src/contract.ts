/**
 * What crosses the wire between the server and the web front end. The front end imports these types
 * (`import type … from '@mixite/server/contract'`), so the two sides cannot drift. Types only: nothing
 * here runs, so the browser bundle carries none of the server.
 */
import type { CiaConfig, PerimeterType } from '@mixite/core';
import type { ImportReport } from '@mixite/data';

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

/** One indicator × perimeter × period, the long format of `indicateurs.csv` plus the perimeter's name. */
export interface LigneIndicateur {
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly perimetre_libelle: string;
  readonly periode: string;
  readonly numerateur: number;
  readonly denominateur: number;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  readonly atteint: boolean | null;
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
  /** Perimeter types for which the engine computes the indicator. */
  readonly perimetres: readonly string[];
}

/** The dashboard of one year: each indicator for the territory, its semesters, rolling windows and trend. */
export interface TableauDeBord {
  readonly annee: number;
  readonly annees: readonly number[];
  readonly territoire: string;
  readonly indicateurs: readonly IndicateurDuTableauDeBord[];
}

export interface IndicateurDuTableauDeBord {
  readonly declaration: DeclarationIndicateur;
  readonly annee: LigneIndicateur | null;
  /** Semesters S1 and S2 and the rolling twelve months ending 30 June and 31 December: what the préfet watches. */
  readonly periodes: readonly LigneIndicateur[];
  /** The calendar years available, oldest first. */
  readonly tendance: readonly LigneIndicateur[];
}

/** The territory: names of the perimeters and the years that have allocations. */
export interface Territoire {
  readonly nom: string;
  readonly code_epci: string | null;
  readonly annees: readonly number[];
  readonly donnees: boolean;
  readonly perimetres: Readonly<Record<string, readonly { id: string; libelle: string }[]>>;
}

/** An allocation behind an indicator row, and how it counts for that indicator. */
export interface LigneAttribution {
  readonly id: string;
  readonly nur: string;
  readonly date_cal: string;
  readonly date_bail: string | null;
  readonly bailleur: string;
  readonly commune: string;
  readonly qpv: string | null;
  readonly contingent: string;
  readonly issue: string | null;
  readonly q1: boolean | null;
  readonly prioritaire: boolean | null;
  readonly au_numerateur: boolean;
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

export type { ImportReport, ImportProblem } from '@mixite/data';
export type { CiaConfig } from '@mixite/core';
