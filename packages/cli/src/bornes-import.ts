import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ImportLimits } from '@mixite/data/import-limits';
import { DEFAULT_IMPORT_LIMITS, checkSourceLimits } from '@mixite/data/import-limits';
import type { ImportProblem, ImportReport } from '@mixite/data/problemes';

/** A CSV larger than this is checked by the importer only (see refusParBornes). */
export const PRECONTROLE_CSV_MAX = 64 * 1024 * 1024;

/**
 * `mixite import` checks what its files announce (an XLSX sheet's extent, a CSV's width: limits.ts) before it opens
 * the store or loads the importer, as the server does for an upload (server/src/services/uploads.ts): the red team's
 * 1.5 KB workbook and 1 000 000-column CSV are refused in the time Node takes to start, without DuckDB nor the
 * spreadsheet reader (issue 10, issue 18). The importer makes the same check again; this one only comes first.
 *
 * The files are those the importer reads: each file named, and the `.csv`/`.xlsx` of each folder named (the limits
 * concern no other file). A path that does not exist is left to the importer, which reports it. A CSV over
 * PRECONTROLE_CSV_MAX bytes is left to the importer's own check: the check streams every row, and reading a
 * regional file twice would slow every real import for the sake of an early answer.
 */
export async function refusParBornes(sources: readonly string[], limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<ImportReport | null> {
  const erreurs: ImportProblem[] = [];
  for (const { path, name, taille } of fichiersNommes(sources)) {
    if (extname(name).toLowerCase() === '.csv' && taille > PRECONTROLE_CSV_MAX) continue;
    const violation = await checkSourceLimits(path, name, limits);
    if (violation) erreurs.push(violation.problem);
  }
  if (erreurs.length === 0) return null;
  return { statut: 'echoue', date: new Date().toISOString(), fichiers: [], erreurs, avertissements: [], erreursNonListees: 0, configuration: 'inchangee', importId: null };
}

interface Fichier {
  readonly path: string;
  readonly name: string;
  readonly taille: number;
}

function fichiersNommes(sources: readonly string[]): Fichier[] {
  const out: Fichier[] = [];
  const ajouter = (path: string, name: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isFile()) out.push({ path, name, taille: stats.size });
  };
  for (const path of sources) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) for (const entry of readdirSync(path).sort()) ajouter(join(path, entry), entry);
    else if (stats) ajouter(path, basename(path));
  }
  return out;
}
