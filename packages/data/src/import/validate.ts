import type { ColumnSpec, FileSpec, RowRule } from '@mixite/core';
import { AMBIGUOUS_THOUSANDS_MESSAGE, EVENT_DATE_COLUMNS, FILE_SPECS, expectedOf, ruleColumns } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerCheck, problem } from './problems.ts';
import type { PreparedFile } from './source-file.ts';
import type { Staged } from './staging.ts';
import { LINE_SQL } from './staging.ts';
import { ambiguousThousandsSql, parseSql, ruleBrokenSql, validSql } from './sql-checks.ts';

/**
 * Set-based checks of one staged file: every cell, every cross-column rule, the uniqueness of the key.
 * One pass counts the failures of every check at once (the common case: none); only the failing checks are
 * then queried for their first lines, so that all the errors of a file are reported together.
 */

export interface Check {
  readonly severite: ImportProblem['severite'];
  readonly colonne: string;
  readonly message: string;
  /** True on a row that fails the check. */
  readonly condition: string;
  readonly valueColumn: string | null;
}

export async function validateStaged(store: Store, staged: Staged): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const spec: FileSpec = FILE_SPECS[staged.file.table];
  const fichier = staged.file.fichier;
  // Rows after a structurally broken one are not checked: their rowids no longer give their lines.
  const scope = staged.firstBrokenLine === null ? 'TRUE' : `${LINE_SQL} < ${staged.firstBrokenLine}`;
  const checks = fileChecks(staged.file);

  const problems: ImportProblem[] = [];
  let hidden = 0;
  if (checks.length > 0) {
    const [counts] = await store.all<Record<string, number>>(
      `SELECT ${checks.map((c, i) => `count_if(${c.condition})::INTEGER AS c${i}`).join(', ')} FROM ${ident(staged.table)} WHERE ${scope}`,
    );
    for (const [i, check] of checks.entries()) {
      const failures = counts?.[`c${i}`] ?? 0;
      if (failures === 0) continue;
      const value = check.valueColumn ? `${ident(check.valueColumn)}::VARCHAR` : 'NULL';
      const rows = await store.all<{ ligne: number; valeur: string | null }>(
        `SELECT ${LINE_SQL} AS ligne, ${value} AS valeur FROM ${ident(staged.table)} WHERE ${scope} AND (${check.condition})
         ORDER BY rowid LIMIT ${maxProblemsPerCheck()}`,
      );
      for (const r of rows) {
        problems.push(problem({ severite: check.severite, fichier, ligne: r.ligne, colonne: check.colonne, valeur: r.valeur, message: check.message, nombre: failures }));
      }
      if (check.severite === 'erreur') hidden += failures - rows.length;
    }
  }

  const duplicates = await duplicateKeys(store, staged, spec, scope);
  problems.push(...duplicates.problems);
  hidden += duplicates.hidden;
  problems.sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0));
  return { problems, hidden };
}

/**
 * Every row-level check of a file (cells, cross-column rules, event dates), as conditions over its VARCHAR cells.
 * The fast staging (typed-staging.ts) evaluates the same conditions while reading: one home for what a row must be.
 */
export function fileChecks(file: PreparedFile): Check[] {
  const spec: FileSpec = FILE_SPECS[file.table];
  return [...cellChecks(spec, { file }), ...ruleChecks(spec, { file }), ...eventDateChecks(spec, { file })];
}

function cellChecks(spec: FileSpec, staged: Pick<Staged, 'file'>): Check[] {
  const checks: Check[] = [];
  for (const [name, col] of Object.entries(spec.columns)) {
    if (!staged.file.columns.includes(name)) continue;
    if (col.required) checks.push({ severite: 'erreur', colonne: name, message: 'valeur manquante (colonne obligatoire)', condition: `${ident(name)} IS NULL`, valueColumn: null });
    const wellFormed = validSql({ ...col, required: false }, name);
    if (wellFormed === `(${ident(name)} IS NULL OR TRUE)`) continue;
    const ambiguous = ambiguousThousandsSql(col, name);
    if (ambiguous === null) {
      checks.push({ severite: 'erreur', colonne: name, message: `attendu : ${expectedOf(col)}`, condition: `NOT ${wellFormed}`, valueColumn: name });
      continue;
    }
    checks.push({ severite: 'erreur', colonne: name, message: AMBIGUOUS_THOUSANDS_MESSAGE, condition: ambiguous, valueColumn: name });
    checks.push({ severite: 'erreur', colonne: name, message: `attendu : ${expectedOf(col)}`, condition: `NOT ${wellFormed} AND NOT ${ambiguous}`, valueColumn: name });
  }
  return checks;
}

/** Events cannot be dated after the import day (a 2042 lease is a typing error, not a future lease). */
function eventDateChecks(spec: FileSpec, staged: Pick<Staged, 'file'>): Check[] {
  return (EVENT_DATE_COLUMNS[spec.name] ?? [])
    .filter((c) => staged.file.columns.includes(c))
    .map((c) => {
      const col = spec.columns[c] as ColumnSpec;
      return {
        severite: 'erreur' as const,
        colonne: c,
        message: 'date postérieure au jour de l’import : un dépôt, une radiation, une CALEOL ou un bail ne peut pas être dans le futur',
        condition: `${validSql(col, c)} AND coalesce(${parseSql(col, c)} > current_date, FALSE)`,
        valueColumn: c,
      };
    });
}

function ruleChecks(spec: FileSpec, staged: Pick<Staged, 'file'>): Check[] {
  const present = (c: string) => staged.file.columns.includes(c);
  const checks: Check[] = [];
  for (const rule of spec.rules) {
    const involved = columnsOf(rule);
    const missing = involved.filter((c) => !present(c));
    const condition = brokenCondition(rule, missing, spec);
    if (condition === null) continue;
    const [colonne] = ruleColumns(rule);
    // Only rows whose cells are individually valid: a malformed date is reported once, as a malformed date.
    const cellsValid = involved.filter(present).map((c) => validSql(spec.columns[c] ?? { kind: 'text', required: false }, c));
    checks.push({
      severite: rule.severity,
      colonne,
      message: rule.message,
      condition: [condition, ...cellsValid].join(' AND '),
      valueColumn: present(colonne) ? colonne : (involved.find(present) ?? null),
    });
  }
  return checks;
}

export const columnsOf = (rule: RowRule): string[] => [...ruleColumns(rule)];

/**
 * The file's rules and future event dates as SQL over TYPED values (every column is its value, its parse already
 * done), each a condition true on a broken row: what the typed reads (typed-staging.ts, native-read.ts,
 * relation-typee.ts) OR into their per-row failure flag. Null when a rule compares a non-code column's text to values
 * (none does today): such a file takes the exact way.
 */
export function valueRulesSql(spec: FileSpec, columns: readonly string[]): string[] | null {
  const typedSpecs: Record<string, ColumnSpec> = Object.fromEntries(Object.keys(spec.columns).map((c) => [c, { kind: 'text', required: false } as ColumnSpec]));
  const rules: string[] = [];
  for (const rule of spec.rules) {
    // These compare the `when` cell's text to values (`excludes` compares its parsed value as text: fine typed).
    const when = rule.kind === 'requiredWhen' || rule.kind === 'onlyWhen' || rule.kind === 'rangeWhen' ? spec.columns[rule.when] : undefined;
    if (when && !['text', 'code', 'list'].includes(when.kind)) return null;
    const condition = brokenCondition(rule, columnsOf(rule).filter((c) => !columns.includes(c)), { ...spec, columns: typedSpecs });
    if (condition !== null) rules.push(`coalesce(${condition}, FALSE)`);
  }
  const future = (EVENT_DATE_COLUMNS[spec.name] ?? []).filter((c) => columns.includes(c)).map((c) => `coalesce(${ident(c)} > current_date, FALSE)`);
  return [...rules, ...future];
}

/** The SQL of a broken rule given the columns absent from the file (absent = empty everywhere), or null when it cannot break. */
export function brokenCondition(rule: RowRule, missing: readonly string[], spec: FileSpec): string | null {
  if (missing.length === 0) return ruleBrokenSql(rule, spec.columns);
  switch (rule.kind) {
    case 'lte':
    case 'lt':
    case 'withinDays':
    case 'excludes':
    case 'rangeWhen':
      return null;
    case 'onlyWhen':
      // An absent `when` column is empty everywhere: any filled cell of the column breaks the rule.
      return missing.includes(rule.column) ? null : `${ident(rule.column)} IS NOT NULL`;
    case 'requiredWhen':
      return missing.includes(rule.when) ? null : `${ident(rule.when)} IN (${rule.values.map(literal).join(', ')})`;
    case 'requiredUnless':
      if (missing.includes(rule.column) && missing.includes(rule.unless)) return 'TRUE';
      return missing.includes(rule.unless) ? `${ident(rule.column)} IS NULL` : `${ident(rule.unless)} IS NULL`;
  }
}

/** True when some key is held by two rows of a staged relation (its cells as text): the fast path's cheap test. */
export async function hasDuplicateKeys(store: Store, relation: string, file: PreparedFile): Promise<boolean> {
  const spec: FileSpec = FILE_SPECS[file.table];
  if (!spec.key.every((k) => file.columns.includes(k))) return false;
  // Equal keys have equal 64-bit hashes: as many distinct hashes as rows proves every key distinct, for less than
  // grouping the keys themselves (issue 18: `demandes` IDF, median of 9, 0.56 s -> 0.33 s of processor). Fewer (a
  // repeated key, or a collision of two hashes) and the grouping of the keys decides.
  const [hashes] = await store.all<{ n: number }>(
    `SELECT (count(*) - count(DISTINCT hash(${spec.key.map(ident).join(', ')})))::INTEGER AS n FROM ${ident(relation)}`,
  );
  if ((hashes?.n ?? 0) === 0) return false;
  const [dup] = await store.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM (SELECT ${spec.key.map(ident).join(', ')} FROM ${ident(relation)} GROUP BY ALL HAVING count(*) > 1 LIMIT 1)`,
  );
  return (dup?.n ?? 0) > 0;
}

async function duplicateKeys(store: Store, staged: Staged, spec: FileSpec, scope: string): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const keyCols = spec.key.filter((k) => staged.file.columns.includes(k));
  if (keyCols.length !== spec.key.length) return { problems: [], hidden: 0 };
  const key = keyCols.map(ident).join(', ');
  const table = ident(staged.table);
  const [dup] = await store.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM (SELECT ${key} FROM ${table} WHERE ${scope} GROUP BY ALL HAVING count(*) > 1)`,
  );
  if (!dup || dup.n === 0) return { problems: [], hidden: 0 };
  const rows = await store.all<{ ligne: number; valeur: string; premiere: number; total: number }>(
    `WITH numbered AS (SELECT ${LINE_SQL} AS ligne, ${key} FROM ${table} WHERE ${scope}),
          firsts AS (SELECT ${key}, min(ligne) AS premiere FROM numbered GROUP BY ALL HAVING count(*) > 1)
     SELECT n.ligne, concat_ws(' / ', ${keyCols.map((k) => `coalesce(n.${ident(k)}, '')`).join(', ')}) AS valeur, f.premiere, (count(*) OVER ())::INTEGER AS total
     FROM numbered n JOIN firsts f USING (${key}) WHERE n.ligne <> f.premiere ORDER BY n.ligne LIMIT ${maxProblemsPerCheck()}`,
  );
  const fichier = staged.file.fichier;
  return {
    problems: rows.map((d) =>
      problem({
        fichier,
        ligne: d.ligne,
        colonne: keyCols.join(' + '),
        valeur: d.valeur,
        message: `identifiant en double : déjà présent ligne ${d.premiere}`,
        cause: 'identifiant en double',
        nombre: d.total,
      }),
    ),
    hidden: Math.max((rows[0]?.total ?? 0) - rows.length, 0),
  };
}
