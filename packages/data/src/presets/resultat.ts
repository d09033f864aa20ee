import type { FileName } from '@mixite/core';
import type { ImportProblem } from '../import/problems.ts';

/** A canonical file a preset wrote, and the name its problems are given under (the user's file, not the temporary copy). */
export interface FichierConverti {
  readonly chemin: string;
  readonly table: FileName | 'contours';
  readonly nomAffiche: string;
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
}
