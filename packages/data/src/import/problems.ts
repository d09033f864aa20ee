import { AsyncLocalStorage } from 'node:async_hooks';
import type { Probleme, Severity } from '@mixite/core';
// The errors' module alone, not the domain's barrel: the CLI's pre-parse check (limits.ts) loads this file at start.
import { DonneesInvalidesError } from '@mixite/core/erreurs';
import type { ImportCause } from './causes.ts';

/**
 * A located problem found while importing: the file, the line as a spreadsheet shows it
 * (header = line 1), the column, the value and what was expected. Messages are in French: they reach the user.
 */
export interface ImportProblem extends Probleme {
  readonly severite: Severity;
  readonly fichier: string;
  /** Spreadsheet line (header = 1); null when the problem concerns the whole file or rows already in the store. */
  readonly ligne: number | null;
  readonly colonne: string | null;
  readonly valeur: string | null;
  readonly message: string;
  /**
   * The cause this row is an example of, when it is not the message itself (a missing reference file, a duplicate key
   * whose message names the first line): rows of one cause are grouped in the report (see causes.ts).
   */
  readonly cause?: string;
  /** How many rows the check that found this one found in all (the report lists only the first): the cause's count. */
  readonly nombre?: number;
}

/** At most this many errors are listed per file; the count of the others is given. */
export const MAX_PROBLEMS_PER_FILE = 200;
/** At most this many rows are listed per check (one column, one rule). */
export const MAX_PROBLEMS_PER_CHECK = 50;
/**
 * The bound of the full list (issue 17: every located error, downloadable as CSV). Not infinite so that the SQL keeps
 * a LIMIT; the import's own bounds (cells, size) keep a file far below it.
 */
export const MAX_PROBLEMS_FULL_LIST = 50_000_000;

/**
 * The caps in force for the work running now: the report's (above) by default, none within `withoutCaps`. Carried by
 * the async context, not a module variable, so that a full list computed for one user never uncaps another's import.
 */
const caps = new AsyncLocalStorage<{ readonly perCheck: number; readonly perFile: number }>();
export const maxProblemsPerCheck = (): number => caps.getStore()?.perCheck ?? MAX_PROBLEMS_PER_CHECK;
export const maxProblemsPerFile = (): number => caps.getStore()?.perFile ?? MAX_PROBLEMS_PER_FILE;
/** Runs `work` (an import's simulation) listing every problem found, not the report's first ones. */
export function withoutCaps<T>(work: () => Promise<T>): Promise<T> {
  return caps.run({ perCheck: MAX_PROBLEMS_FULL_LIST, perFile: MAX_PROBLEMS_FULL_LIST }, work);
}

export function problem(p: {
  severite?: Severity;
  fichier: string;
  ligne?: number | null;
  colonne?: string | null;
  valeur?: string | null;
  message: string;
  cause?: string;
  nombre?: number;
}): ImportProblem {
  return {
    severite: p.severite ?? 'erreur',
    fichier: p.fichier,
    ligne: p.ligne ?? null,
    colonne: p.colonne ?? null,
    valeur: p.valeur ?? null,
    message: p.message,
    ...(p.cause === undefined ? {} : { cause: p.cause }),
    ...(p.nombre === undefined ? {} : { nombre: p.nombre }),
  };
}

/** One line of text for a problem, e.g. `demandes.csv, ligne 12, colonne date_depot : valeur « 31/02/2024 » — attendu : une date…`. */
export function formatProblem(p: ImportProblem): string {
  const where = [p.fichier, p.ligne !== null ? `ligne ${p.ligne}` : null, p.colonne !== null ? `colonne ${p.colonne}` : null]
    .filter((x) => x !== null)
    .join(', ');
  const value = p.valeur !== null ? ` : valeur « ${truncate(p.valeur, 60)} »` : '';
  const tag = p.severite === 'avertissement' ? 'Avertissement — ' : '';
  return `${tag}${where}${value} — ${p.message}`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Counts per file, kept in the import report. */
export interface FileReport {
  readonly fichier: string;
  readonly table: string;
  readonly lignesLues: number;
  readonly lignesChargees: number;
  readonly lignesRejetees: number;
  readonly colonnesLibres: readonly string[];
  /** All the columns of the file, in the file's order, as canonical names (used to export the file back). */
  readonly colonnes: readonly string[];
  readonly encodage: string;
  readonly separateur: string;
  /** Rows the table held before this import (or would hold, in a simulation): what the import replaces. Absent from older reports. */
  readonly lignesAvant?: number;
}

export interface ImportReport {
  readonly statut: 'reussi' | 'echoue';
  readonly date: string;
  readonly fichiers: readonly FileReport[];
  readonly erreurs: readonly ImportProblem[];
  readonly avertissements: readonly ImportProblem[];
  /** Errors found beyond those listed (per-file cap). */
  readonly erreursNonListees: number;
  readonly configuration: 'importee' | 'inchangee';
  readonly importId: number | null;
  /** The problems grouped by cause, with their full counts and first located examples (causes.ts). Absent from older reports. */
  readonly causes?: readonly ImportCause[];
  /** Who imported (or verified). Absent from older reports. */
  readonly auteur?: string;
}

/** Thrown when a dataset is rejected: nothing was written to the store. The report's errors are its problems. */
export class ImportFailedError extends DonneesInvalidesError {
  declare readonly problemes: readonly ImportProblem[];
  constructor(readonly report: ImportReport) {
    const n = report.erreurs.length + report.erreursNonListees;
    super(`Import refusé : ${n} erreur${n > 1 ? 's' : ''}. La base n’a pas été modifiée.\n${report.erreurs.slice(0, 20).map(formatProblem).join('\n')}`, {
      problemes: report.erreurs,
    });
  }
}
