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

/**
 * A target with at least this many rows is joined in a query of its own (issue 18, measured at IDF scale):
 * chaining the joins of attributions to demandes (1.56 M rows) and to logements (1.25 M) in one query cost
 * 1.1–1.6 s of processor time, two queries 0.6–0.8 s; small targets (bailleurs, communes, QPV, résidences) fuse in
 * one query per source file at no cost, instead of one scan of the source per reference.
 */
const OWN_QUERY_ROWS = 100_000;

interface Join {
  readonly target: FileName;
  readonly fk: string;
  readonly key: string;
  /** The target's columns the conditions read. */
  readonly columns: Set<string>;
  readonly counts: { readonly id: string; readonly condition: (s: string, t: string) => string }[];
}

/**
 * Counts, in one pass per source file and large target, every reference and every pair check of the staged files.
 * Only for a dataset whose cells are all valid (no error found yet): the pair checks read typed values, whose
 * conversion assumes valid cells (loadSql), and they run only then anyway (import-dataset.ts).
 */
export async function probeCrossFile(store: Store, staged: ReadonlyMap<FileName, Staged>): Promise<CrossFileCounts> {
  const counts = new Map<string, number>();
  const rowsOf = async (file: FileName) => {
    const s = staged.get(file);
    if (s) return s.rows;
    const [r] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(file)}`);
    return r?.n ?? 0;
  };
  for (const name of FILE_NAMES) {
    const source = staged.get(name);
    if (!source || source.firstBrokenLine !== null) continue;
    const { joins, sourceColumns } = joinsOf(name, source, staged);
    if (joins.length === 0) continue;
    const batches: Join[][] = [[]];
    for (const j of joins) {
      if ((await rowsOf(j.target)) >= OWN_QUERY_ROWS) batches.push([j]);
      else batches[0]?.push(j);
    }
    for (const batch of batches.filter((b) => b.length > 0)) {
      const src = relation(staged, name, [...sourceColumns]);
      const targets = batch.map((j, k) => `LEFT JOIN ${relation(staged, j.target, [...j.columns]).sql} t${k} ON s.${ident(j.fk)} = t${k}.${ident(j.key)}`);
      const measured = batch.flatMap((j, k) => j.counts.map((c) => ({ id: c.id, sql: c.condition('s', `t${k}`) })));
      const [row] = await store.all<Record<string, number>>(
        `SELECT ${measured.map((m, i) => `count_if(${m.sql})::INTEGER AS c${i}`).join(', ')} FROM ${src.sql} s ${targets.join(' ')}`,
      );
      for (const [i, m] of measured.entries()) counts.set(m.id, row?.[`c${i}`] ?? 0);
    }
  }
  return counts;
}

/**
 * The joins of one staged source file: one per target, shared by the target's reference and pair checks (they join
 * on the same columns), and the source's columns they read.
 */
function joinsOf(name: FileName, source: Staged, staged: ReadonlyMap<FileName, Staged>): { joins: Join[]; sourceColumns: Set<string> } {
  const joins = new Map<string, Join>();
  const sourceColumns = new Set<string>();
  const join = (target: FileName, fk: string, key: string) => {
    const id = `${fk}>${target}.${key}`;
    let j = joins.get(id);
    if (!j) {
      j = { target, fk, key, columns: new Set([key]), counts: [] };
      joins.set(id, j);
      sourceColumns.add(fk);
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
    for (const c of check.sourceColumns) sourceColumns.add(c);
    for (const c of check.targetColumns) j.columns.add(c);
    // Only rows that do join: the located queries are inner joins.
    j.counts.push({ id: check.id, condition: (s, t) => `(${t}.${ident(check.key)} IS NOT NULL AND ${check.broken(s, t)})` });
  }
  return { joins: [...joins.values()], sourceColumns };
}
