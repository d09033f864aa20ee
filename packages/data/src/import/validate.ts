import type { FileSpec } from '@mixite/core';
import { FILE_SPECS, expectedOf } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { ImportProblem } from './problems.ts';
import { MAX_PROBLEMS_PER_CHECK, problem } from './problems.ts';
import type { Staged } from './staging.ts';
import { ruleBrokenSql, validSql } from './sql-checks.ts';

/**
 * Set-based checks of one staged file: every cell, every cross-column rule, the uniqueness of the key.
 * One query per check, each returning its first rows and the total count, so that all the errors of a file
 * are reported at once, in the order of the lines.
 */
export async function validateStaged(store: Store, staged: Staged): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const spec: FileSpec = FILE_SPECS[staged.file.table];
  const fichier = staged.file.fichier;
  // Lines after a structurally broken row are not checked: the broken row shifts nothing, but its cells are unreliable.
  const scope = staged.firstBrokenLine === null ? 'TRUE' : `_ligne < ${staged.firstBrokenLine}`;
  const checks: { severite: ImportProblem['severite']; colonne: string; message: string; condition: string; valueColumn: string }[] = [];

  for (const [name, col] of Object.entries(spec.columns)) {
    if (!staged.file.columns.includes(name)) continue;
    if (col.required) {
      checks.push({ severite: 'erreur', colonne: name, message: 'valeur manquante (colonne obligatoire)', condition: `${ident(name)} IS NULL`, valueColumn: name });
    }
    checks.push({
      severite: 'erreur',
      colonne: name,
      message: `attendu : ${expectedOf(col)}`,
      condition: `${ident(name)} IS NOT NULL AND NOT ${validSql({ ...col, required: false }, name)}`,
      valueColumn: name,
    });
  }
  for (const rule of spec.rules) {
    const involved = rule.kind === 'lte' ? [rule.left, rule.right] : rule.kind === 'requiredWhen' ? [rule.column, rule.when] : [rule.column, rule.unless];
    const missing = involved.filter((c) => !staged.file.columns.includes(c));
    // A rule on an absent optional column: requiredWhen/Unless still apply to the absent column (it is empty everywhere).
    if (missing.length > 0 && !(rule.kind !== 'lte' && missing.length === 1 && missing[0] === rule.column)) continue;
    const colonne = rule.kind === 'lte' ? rule.right : rule.column;
    const condition = missing.length > 0 ? ruleBrokenSqlWithAbsent(rule, missing[0] ?? '', spec) : ruleBrokenSql(rule, spec.columns);
    // Only rows whose cells are individually valid: a malformed date is reported once, as a malformed date.
    const cellsValid = involved
      .filter((c) => staged.file.columns.includes(c))
      .map((c) => validSql(spec.columns[c] ?? { kind: 'text', required: false }, c))
      .join(' AND ');
    checks.push({
      severite: rule.severity,
      colonne,
      message: rule.message,
      condition: `${condition} AND ${cellsValid || 'TRUE'}`,
      valueColumn: staged.file.columns.includes(colonne) ? colonne : involved.find((c) => staged.file.columns.includes(c)) ?? '_ligne',
    });
  }

  const problems: ImportProblem[] = [];
  let hidden = 0;
  for (const check of checks) {
    const rows = await store.all<{ _ligne: number; valeur: string | null; total: number }>(
      `SELECT _ligne, ${ident(check.valueColumn)}::VARCHAR AS valeur, (count(*) OVER ())::INTEGER AS total
       FROM ${ident(staged.table)} WHERE ${scope} AND (${check.condition}) ORDER BY _ligne LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
    );
    for (const r of rows) problems.push(problem({ severite: check.severite, fichier, ligne: r._ligne, colonne: check.colonne, valeur: r.valeur, message: check.message }));
    if (check.severite === 'erreur') hidden += Math.max((rows[0]?.total ?? 0) - rows.length, 0);
  }

  const keyCols = spec.key.filter((k) => staged.file.columns.includes(k));
  if (keyCols.length === spec.key.length) {
    const key = keyCols.map(ident).join(', ');
    const dups = await store.all<{ _ligne: number; valeur: string; premiere: number; total: number }>(
      `SELECT _ligne, concat_ws(' / ', ${keyCols.map((k) => `coalesce(${ident(k)}, '')`).join(', ')}) AS valeur, premiere, (count(*) OVER ())::INTEGER AS total
       FROM (SELECT _ligne, ${key}, min(_ligne) OVER (PARTITION BY ${key}) AS premiere FROM ${ident(staged.table)} WHERE ${scope})
       WHERE _ligne <> premiere ORDER BY _ligne LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
    );
    for (const d of dups) {
      problems.push(
        problem({ fichier, ligne: d._ligne, colonne: keyCols.join(' + '), valeur: d.valeur, message: `identifiant en double : déjà présent ligne ${d.premiere}` }),
      );
    }
    hidden += Math.max((dups[0]?.total ?? 0) - dups.length, 0);
  }
  problems.sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0));
  return { problems, hidden };
}

function ruleBrokenSqlWithAbsent(rule: FileSpec['rules'][number], absent: string, spec: FileSpec): string {
  switch (rule.kind) {
    case 'requiredWhen':
      return `${ident(rule.when)} IN (${rule.values.map(literal).join(', ')})`;
    case 'requiredUnless':
      return `${ident(rule.unless)} IS NULL`;
    case 'lte':
      throw new Error(`Règle de comparaison sur une colonne absente (${absent}) de ${spec.name}`);
  }
}
