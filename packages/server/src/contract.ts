/**
 * What crosses the wire between the server and the web front end now lives in `@mixite/contract` (zod schemas of
 * every request and answer, their inferred types): this module re-exports its types under the names the server's
 * modules and the web have always imported, plus the few domain types that travel inside them.
 */
import type { DemandeExport, LigneDemande, Tableau } from '@mixite/contract';
import type { PerimeterType } from '@mixite/core';

export type {
  Colonne,
  ComparaisonPubliee,
  Configuration,
  Declarations,
  DeclarationIndicateur,
  Demande,
  DemandeExport,
  DistributionPubliee,
  Droits,
  ErreurApi,
  EtatTravailExport,
  ExplicationCotation,
  LigneAttribution,
  LigneIndicateur,
  LigneJournalApi,
  LimitesVisibles,
  ListeAttributions,
  RapportImport,
  Role,
  SessionApi,
  Sante,
  Seuil,
  Tableau,
  TableauJournal,
  Televersement,
  Territoire,
  TravailExport,
  TypeColonne,
  VerificationGrille,
} from '@mixite/contract';

/** A demand-side row as the repository builds it, before the route adds its labels. */
export type LigneDemandeVisible = Omit<LigneDemande, 'libelle' | 'unite' | 'modalite_libelle'>;

export type TypePerimetre = PerimeterType | 'non_reserve';

export interface ProblemeConfiguration {
  readonly chemin: string;
  readonly message: string;
}

/** A table whose rows are any objects (history tables…). */
export type TableauLibre = Tableau<object>;

export type DemandeExportAttributions = DemandeExport;

export type { ImportReport, ImportProblem } from '@mixite/data';
export type { CiaConfig, DemandRow, LimitesDeLAnnee, Controles, Unite } from '@mixite/core';
