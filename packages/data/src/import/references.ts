import type { FileName, FileSpec } from '@mixite/core';
import { FILE_NAMES, FILE_SPECS } from '@mixite/core';
import { pluriel } from '@mixite/core/francais';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { CrossFileCounts } from './cross-file-probe.ts';
import { referenceId } from './cross-file-probe.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerCheck, problem } from './problems.ts';
import type { Staged } from './staging.ts';
import { LINE_SQL } from './staging.ts';

/**
 * References between files (an allocation's bailleur, contingent, request…), checked on the dataset as it will
 * be after the import: the staged version of a file when it is being imported, the stored one otherwise.
 * Rows already in the store whose target file is being replaced are checked too, so that a re-import cannot
 * leave dangling references behind. `counts` (cross-file-probe.ts) spares the located query of a reference that
 * no row breaks.
 */
export async function checkReferences(
  store: Store,
  staged: ReadonlyMap<FileName, Staged>,
  counts: CrossFileCounts = new Map(),
): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const problems: ImportProblem[] = [];
  let hidden = 0;
  const storedCounts = new Map<FileName, number>();
  const storedCount = async (file: FileName) => {
    if (!storedCounts.has(file)) {
      const [r] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(file)}`);
      storedCounts.set(file, r?.n ?? 0);
    }
    return storedCounts.get(file) ?? 0;
  };

  for (const name of FILE_NAMES) {
    const spec: FileSpec = FILE_SPECS[name];
    const source = staged.get(name);
    for (const ref of spec.references) {
      const target = staged.get(ref.file);
      if (!source && !target) continue;
      if (source && !source.file.columns.includes(ref.column)) continue;
      // A target with unreadable lines would make every reference to those lines look dangling: its own error suffices.
      if (target && target.firstBrokenLine !== null) continue;
      if (source && counts.get(referenceId(name, ref)) === 0) continue;
      const targetRelation = target ? ident(target.table) : ident(ref.file);
      const targetEmpty = !target && (await storedCount(ref.file)) === 0;
      if (source) {
        const rows = await store.all<{ ligne: number; valeur: string; total: number }>(
          `SELECT s.ligne, s.valeur, (count(*) OVER ())::INTEGER AS total
           FROM (SELECT ${LINE_SQL} AS ligne, ${ident(ref.column)} AS valeur FROM ${ident(source.table)}
                 WHERE ${ident(ref.column)} IS NOT NULL ${source.firstBrokenLine === null ? '' : `AND ${LINE_SQL} < ${source.firstBrokenLine}`}) s
           ANTI JOIN ${targetRelation} t ON s.valeur = t.${ident(ref.key)}
           ORDER BY s.ligne LIMIT ${maxProblemsPerCheck()}`,
        );
        const where = targetEmpty ? `aucun fichier ${ref.file}.csv n’est importé ni en base` : `absent de ${ref.file}.csv (colonne ${ref.key})`;
        const total = rows[0]?.total ?? 0;
        // A missing file is one cause, however many lines point to it: the report says it once, with the count.
        const cause = targetEmpty ? `${ref.file}.csv manquant : ${pluriel(total, 'ligne')} de ${source.file.fichier} y ${total > 1 ? 'renvoient' : 'renvoie'} (colonne ${ref.column})` : undefined;
        for (const r of rows) {
          problems.push(
            problem({ fichier: source.file.fichier, ligne: r.ligne, colonne: ref.column, valeur: r.valeur, message: `référence inconnue : ${where}`, cause, nombre: total }),
          );
        }
        hidden += Math.max((rows[0]?.total ?? 0) - rows.length, 0);
      } else if (target && (await storedCount(name)) > 0) {
        const rows = await store.all<{ valeur: string; total: number }>(
          `SELECT DISTINCT s.${ident(ref.column)} AS valeur, (count(*) OVER ())::INTEGER AS total
           FROM ${ident(name)} s ANTI JOIN ${ident(target.table)} t ON s.${ident(ref.column)} = t.${ident(ref.key)}
           WHERE s.${ident(ref.column)} IS NOT NULL ORDER BY valeur LIMIT 10`,
        );
        if (rows.length > 0) {
          problems.push(
            problem({
              fichier: target.file.fichier,
              colonne: ref.key,
              valeur: rows.map((r) => r.valeur).join(', '),
              message: `${rows[0]?.total ?? rows.length} ligne(s) de ${name} déjà en base font référence à ces valeurs, absentes du nouveau fichier : importez aussi ${name}.csv à jour`,
            }),
          );
        }
      }
    }
  }
  return { problems, hidden };
}
