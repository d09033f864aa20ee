import type { ColumnSpec, FileName, FileSpec } from '@mixite/core';
import { DATE_MAX, DATE_MIN, FILE_SPECS, INTEGER_REGEX } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal, sqlType } from '../store/sql-types.ts';
import type { FileMapping } from './mapping.ts';
import type { PreparedFile } from './source-file.ts';
import type { Staged } from './staging.ts';
import { dropStaging, stagingTable } from './staging.ts';
import { parseSql, validSql } from './sql-checks.ts';
import { hasDuplicateKeys, valueRulesSql } from './validate.ts';

/**
 * The engine's hook for a TYPED relation handed over by a preset (issue 17, `PreparedFile.relationTypee`): rows
 * already in DuckDB whose columns have the contract's SQL types (INTEGER, DECIMAL(18,2), DATE, BOOLEAN, VARCHAR).
 * The engine then skips the text parse and the per-cell text patterns (half the canonical import's processor time)
 * and goes straight to what remains: each cell's rule judged on its value (`validiteTypeeSql`: required, ranges,
 * the text patterns and code lists of the text columns — validSql itself, their value being their text), the
 * cross-column rules and event dates on typed values (validate.ts's own conditions), the key's uniqueness, the
 * references, the load. Nothing is located here: when any row fails, the import stages the relation's TEXT twin
 * (`PreparedFile.relation`) the exact way (staging.ts + validate.ts), which locates and words every problem as for
 * a CSV — the source's line (rowid + 2) and, through the preset, its column.
 *
 * The contract a producer (presets/rpls.ts) keeps:
 * - the typed relation has the file's columns (`PreparedFile.columns`, canonical names) with their SQL types, free
 *   columns as text, a column `rowid` (the row's rank in the source: line − 2), and `ILLISIBLE`, true on a row with
 *   a cell the producer could not type;
 * - the text twin gives each cell as text: the source's own text where it could not be typed or breaks its rule
 *   (`texteBrut`), else the value printed (`45.50`, `2001-01-01`, `true`), which the cell rules read as that value;
 * - cells are read by `lectureSimpleSql`: only spellings whose value and verdict are those of the engine's text
 *   rules (sql-checks.ts) are typed, any other spelling is kept as text for the exact way. So a preset's typed
 *   hand-off accepts exactly what the same rows written in a canonical CSV would (relation-typee.test.ts).
 */

/** The typed relation's flag of a row holding a cell its producer could not type. */
export const ILLISIBLE = '__mixite_illisible';

/** The column of the source's text of a typed cell that could not be typed or breaks its rule (NULL elsewhere). */
export const texteBrut = (colonne: string) => `__mixite_brut_${colonne}`;

/** DECIMAL_REGEX (core, cells.ts) restricted to at most two decimals: the amounts lectureSimpleSql types. */
const MONTANT_SIMPLE_REGEX = '^[+-]?[0-9]{1,15}([.,][0-9]{1,2})?$';

/** Kinds whose value is not their text: those a producer types. */
const TYPEE = new Set<ColumnSpec['kind']>(['integer', 'decimal', 'date', 'boolean']);

/** The columns of `colonnes` a producer types for `table` (the others travel as text). */
export function colonnesTypees(table: FileName, colonnes: readonly string[]): string[] {
  const spec: FileSpec = FILE_SPECS[table];
  return colonnes.filter((c) => {
    const col = spec.columns[c];
    return col !== undefined && TYPEE.has(col.kind);
  });
}

/** `value` bounded by the column's range (validSql's ranges, over the value). */
const borne = (value: string, min: number | undefined, max: number | undefined) =>
  [min !== undefined ? `${value} >= ${min}` : null, max !== undefined ? `${value} <= ${max}` : null].filter(Boolean).join(' AND ') || 'TRUE';

/**
 * The cell rule of validSql (sql-checks.ts) judged on a typed value: same verdict as validSql over the value printed
 * as text (`CAST(v AS VARCHAR)`), which relation-typee.test.ts checks on every kind. Text columns are their text:
 * validSql itself. Integers: at most nine digits (INTEGER_REGEX); amounts: at most fifteen whole digits
 * (DECIMAL_REGEX); dates within DATE_MIN…DATE_MAX; a typed boolean is always well-formed.
 */
export function validiteTypeeSql(col: ColumnSpec, colonne: string): string {
  if (!TYPEE.has(col.kind)) return validSql(col, colonne);
  const v = ident(colonne);
  const forme = ((): string => {
    switch (col.kind) {
      case 'integer':
        return `(${v} BETWEEN -999999999 AND 999999999 AND ${borne(v, col.min, col.max)})`;
      case 'decimal':
        return `(${v} BETWEEN -999999999999999.99 AND 999999999999999.99 AND ${borne(v, col.min, col.max)})`;
      case 'date':
        return `(${v} BETWEEN DATE ${literal(DATE_MIN)} AND DATE ${literal(DATE_MAX)})`;
      default:
        return 'TRUE';
    }
  })();
  return col.required ? `(${v} IS NOT NULL AND ${forme})` : `(${v} IS NULL OR ${forme})`;
}

/**
 * The value of a canonical cell's text (column `colonne`, trimmed, empty = NULL) when it is written plainly, else
 * NULL: an integer of the format (`12`, `-3`, `007`), an amount with at most two decimals (`45`, `45.5`, `45,50`:
 * never the ambiguous `1.500`), an ISO date, a boolean word. A plain cell's value is loadSql's and its verdict
 * validSql's (the test checks both); another spelling (`1 500`, `45.555`, `05/01/2024`) stays NULL, its text is kept,
 * and the exact way reads it.
 */
export function lectureSimpleSql(col: ColumnSpec, colonne: string): string {
  const t = ident(colonne);
  switch (col.kind) {
    case 'integer':
      // The format's own integer pattern (one RE2 match: a third of the price of « cast, print, compare » here).
      return `(CASE WHEN regexp_full_match(${t}, ${literal(INTEGER_REGEX)}) THEN CAST(${t} AS INTEGER) END)`;
    case 'decimal':
      // DECIMAL_REGEX with at most two decimals: never the ambiguous `1.500` (three), never rounded.
      return `(CASE WHEN regexp_full_match(${t}, ${literal(MONTANT_SIMPLE_REGEX)}) THEN CAST(replace(${t}, ',', '.') AS ${sqlType(col)}) END)`;
    case 'date':
      return `(CASE WHEN CAST(TRY_CAST(${t} AS DATE) AS VARCHAR) = ${t} THEN TRY_CAST(${t} AS DATE) END)`;
    case 'boolean':
      return parseSql(col, colonne);
    default:
      return t;
  }
}

/**
 * Types the columns of `table` in the rows of `interieur` (a SELECT giving the canonical columns as text, and any
 * other column, which passes through): each typed column holds its value, and `texteBrut(c)` the text of a cell
 * that could not be typed or breaks its rule. One projection, for the producer's own CREATE TABLE … AS.
 */
export function typerSql(table: FileName, colonnes: readonly string[], interieur: string): string {
  const spec: FileSpec = FILE_SPECS[table];
  const typees = colonnesTypees(table, colonnes);
  if (typees.length === 0) return interieur;
  const texte = (c: string) => `__mixite_texte_${c}`;
  const brut = typees.map((c) => {
    const col = { ...(spec.columns[c] as ColumnSpec), required: false };
    return `CASE WHEN (${ident(c)} IS NULL AND ${ident(texte(c))} IS NOT NULL) OR NOT coalesce(${validiteTypeeSql(col, c)}, FALSE) THEN ${ident(texte(c))} END AS ${ident(texteBrut(c))}`;
  });
  return `SELECT * EXCLUDE (${typees.map((c) => ident(texte(c))).join(', ')}), ${brut.join(', ')}
    FROM (SELECT * REPLACE (${typees.map((c) => `${lectureSimpleSql(spec.columns[c] as ColumnSpec, c)} AS ${ident(c)}`).join(', ')}),
                 ${typees.map((c) => `${ident(c)} AS ${ident(texte(c))}`).join(', ')}
          FROM (${interieur}))`;
}

/**
 * The SELECT of the typed relation over `source` (a table typed by `typerSql`): the columns, ILLISIBLE, rowid.
 * `textes` false: `source` has no `texteBrut` columns, its producer having checked that none held a text (the RPLS
 * preset's fast way): no row is then illegible.
 */
export function relationTypeeSql(table: FileName, colonnes: readonly string[], source: string, textes = true): string {
  const typees = textes ? colonnesTypees(table, colonnes) : [];
  const illisible = typees.map((c) => `${ident(texteBrut(c))} IS NOT NULL`).join(' OR ') || 'FALSE';
  return `SELECT ${colonnes.map(ident).join(', ')}, (${illisible}) AS ${ident(ILLISIBLE)}, rowid AS rowid FROM ${ident(source)}`;
}

/** The SELECT of its text twin: each typed cell as the source's text where kept, else its value printed (`textes`: as above). */
export function relationTexteSql(table: FileName, colonnes: readonly string[], source: string, textes = true): string {
  const typees = new Set(colonnesTypees(table, colonnes));
  const texte = (c: string) => (textes ? `coalesce(${ident(texteBrut(c))}, CAST(${ident(c)} AS VARCHAR))` : `CAST(${ident(c)} AS VARCHAR)`);
  return `SELECT ${colonnes.map((c) => (typees.has(c) ? `${texte(c)} AS ${ident(c)}` : ident(c))).join(', ')} FROM ${ident(source)}`;
}

/** Typed relations whose producer guarantees every key distinct (see `declarerClesUniques`). */
const CLES_UNIQUES = new Set<string>();

/**
 * Declares that the rows of the typed relation `relation` have distinct keys by construction (the RPLS preset's ids
 * derived from addresses and numbered within each address, rpls.ts): staging then skips its grouping of every key
 * (0.8 s of processor for 1.3 M dwellings, issue 17). Returns the function that withdraws the declaration.
 */
export function declarerClesUniques(relation: string): () => void {
  CLES_UNIQUES.add(relation);
  return () => {
    CLES_UNIQUES.delete(relation);
  };
}

/**
 * Stages a typed relation (`file.relationTypee`): one pass counts its rows and those failing any check of the file
 * (validate.ts's, judged on values); none failing and no key repeated, the relation is the staged file — `typed`, which
 * the load copies, and a view of its cells as text for the references. Null otherwise (or for a mapping of codes,
 * which rewrites text cells): the caller stages the text twin the exact way, which locates every problem.
 */
export async function stagerRelationTypee(store: Store, file: PreparedFile, mapping: FileMapping | undefined): Promise<Staged | null> {
  const relation = file.relationTypee;
  if (relation === undefined) return null;
  if (mapping && Object.entries(mapping.codes).some(([column, codes]) => file.columns.includes(column) && Object.keys(codes).length > 0)) return null;
  const spec: FileSpec = FILE_SPECS[file.table];
  const present = file.columns.filter((c) => c in spec.columns);
  // Coordinates (`real`) are not typed by lectureSimpleSql: a file holding some takes the exact way.
  if (present.some((c) => spec.columns[c]?.kind === 'real')) return null;
  const echecs = [`NOT (${present.map((c) => `coalesce(${validiteTypeeSql(spec.columns[c] as ColumnSpec, c)}, FALSE)`).join(' AND ') || 'TRUE'})`, ident(ILLISIBLE)];
  echecs.push(`(${file.columns.map((c) => `${ident(c)} IS NULL`).join(' AND ')})`);
  // The rules over values, as the fast staging writes them (typed-staging.ts): every column is its value here.
  const regles = valueRulesSql(spec, file.columns);
  if (regles === null) return null;
  echecs.push(...regles);
  const [compte] = await store.all<{ n: number; echecs: number }>(
    `SELECT count(*)::INTEGER AS n, count_if(${echecs.join(' OR ')})::INTEGER AS echecs FROM ${ident(relation)}`,
  );
  const rows = compte?.n ?? 0;
  if (rows === 0 || (compte?.echecs ?? 0) > 0) return null;
  const table = stagingTable(file);
  await dropStaging(store, file);
  const texte = file.columns.map((c) => {
    const col = spec.columns[c];
    return col && TYPEE.has(col.kind) ? `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}` : ident(c);
  });
  await store.run(`CREATE TEMP VIEW ${ident(table)} AS SELECT ${texte.join(', ')}, rowid AS rowid FROM ${ident(relation)}`);
  if (!CLES_UNIQUES.has(relation) && (await hasDuplicateKeys(store, table, file))) return null;
  return { file, table, rows, firstBrokenLine: null, typed: relation };
}
