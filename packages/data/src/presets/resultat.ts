import type { FileName } from '@mixite/core';
import type { ImportProblem } from '../import/problems.ts';

/** A canonical file a preset wrote, and the name its problems are given under (the user's file, not the temporary copy). */
export interface FichierConverti {
  readonly chemin: string;
  readonly table: FileName | 'contours';
  readonly nomAffiche: string;
  /** Canonical column → the source's header it comes from: the import's problems on this file name the user's column. */
  readonly colonnesSource?: Readonly<Record<string, string>>;
}

/** What a preset made of a source file: canonical files, or located errors; warnings either way. */
export interface Conversion {
  readonly fichiers: readonly FichierConverti[];
  readonly erreurs: readonly ImportProblem[];
  readonly avertissements: readonly ImportProblem[];
  /** Rows read from the source file. */
  readonly lignesSource: number;
  /** The QPV codes of a converted QPV list: the contours imported with it are restricted to them. */
  readonly qpv?: readonly string[];
  /** Drops what the conversion keeps in DuckDB for the import (a relation handed over): called once the import is done. */
  readonly liberer?: () => Promise<void>;
}
