import type { FileName, Reference } from '@mixite/core';
import { FILE_NAMES, FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { PairCheck } from './consistency.ts';
import { PAIR_CHECKS, relation } from './consistency.ts';
import type { Staged } from './staging.ts';

/**
 * How many joined rows break each check across files (a reference, a contradiction between a pair of files), for
 * the staged source files: the located queries of references.ts and consistency.ts run only for the checks that
 * break (the common case: none), or that were not counted here (a check whose source file is stored). The counts
 * are gates, not the report's counts: each located query counts its own rows.
 */
export type CrossFileCounts = ReadonlyMap<string, number>;

/** The id of a reference check in CrossFileCounts. */
export const referenceId = (source: FileName, ref: Reference) => `${source}.${ref.column}>${ref.file}.${ref.key}`;

interface Join {
  readonly target: FileName;
  readonly fk: string;
  readonly key: string;
  /** The columns the conditions read, in the source and in the target. */
  readonly sourceColumns: Set<string>;
  readonly targetColumns: Set<string>;
  readonly counts: { readonly id: string; readonly condition: (s: string, t: string) => string }[];
}

/**
 * Counts every reference and every pair check of the staged files, in one query per pair of files (issue 18). One
 * query per pair, not per source file: chaining the joins of attributions to demandes (1.56 M rows) and to logements
 * (1.25 M) in one query cost 1.1–1.6 s of processor time at IDF, two queries 0.6–0.8 s; for the small targets
 * (bailleurs, communes, QPV) one query per target or one for all cost the same (0.11–0.14 s for attributions).
 * Only for a dataset whose cells are all valid (no error found yet): the pair checks read typed values, whose
 * conversion assumes valid cells (loadSql), and they run only then anyway (import-dataset.ts).
 */
export async function probeCrossFile(store: Store, staged: ReadonlyMap<FileName, Staged>): Promise<CrossFileCounts> {
  const counts = new Map<string, number>();
  for (const name of FILE_NAMES) {
    const source = staged.get(name);
    if (!source || source.firstBrokenLine !== null) continue;
    for (const j of joinsOf(name, source, staged)) {
      const src = relation(staged, name, [...j.sourceColumns]);
      const target = relation(staged, j.target, [...j.targetColumns]);
      const [row] = await store.all<Record<string, number>>(
        `SELECT ${j.counts.map((c, i) => `count_if(${c.condition('s', 't')})::INTEGER AS c${i}`).join(', ')}
         FROM ${src.sql} s LEFT JOIN ${target.sql} t ON s.${ident(j.fk)} = t.${ident(j.key)}`,
      );
      for (const [i, c] of j.counts.entries()) counts.set(c.id, row?.[`c${i}`] ?? 0);
    }
  }
  return counts;
}

/** The joins of one staged source file: one per target, shared by the target's reference and pair checks (they join on the same columns). */
function joinsOf(name: FileName, source: Staged, staged: ReadonlyMap<FileName, Staged>): Join[] {
  const joins = new Map<string, Join>();
  const join = (target: FileName, fk: string, key: string) => {
    const id = `${fk}>${target}.${key}`;
    let j = joins.get(id);
    if (!j) {
      j = { target, fk, key, sourceColumns: new Set([fk]), targetColumns: new Set([key]), counts: [] };
      joins.set(id, j);
    }
    return j;
  };
  for (const ref of FILE_SPECS[name].references) {
    // Same scope as checkReferences: a target with unreadable lines is not checked (its own error suffices).
    if (!source.file.columns.includes(ref.column) || staged.get(ref.file)?.firstBrokenLine != null) continue;
    join(ref.file, ref.column, ref.key).counts.push({
      id: referenceId(name, ref),
      condition: (s, t) => `(${s}.${ident(ref.column)} IS NOT NULL AND ${t}.${ident(ref.key)} IS NULL)`,
    });
  }
  for (const check of PAIR_CHECKS.filter((c: PairCheck) => c.source === name)) {
    if (staged.get(check.target)?.firstBrokenLine != null) continue;
    const j = join(check.target, check.fk, check.key);
    for (const c of check.sourceColumns) j.sourceColumns.add(c);
    for (const c of check.targetColumns) j.targetColumns.add(c);
    // Only rows that do join: the located queries are inner joins.
    j.counts.push({ id: check.id, condition: (s, t) => `(${t}.${ident(check.key)} IS NOT NULL AND ${check.broken(s, t)})` });
  }
  return [...joins.values()];
}
