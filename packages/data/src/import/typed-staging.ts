import type { ColumnSpec, FileSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { FileMapping } from './mapping.ts';
import type { PreparedFile } from './source-file.ts';
import type { Staged } from './staging.ts';
import { cellsSql, dropStaging, readCsvSql, rejectsTable, stagingTable, typedTable } from './staging.ts';
import { readNatively } from './native-read.ts';
import type { FinalTableWrite } from './direct-write.ts';
import { DirectWriteGivenUp } from './direct-write.ts';
import { typedValueSql, validFromValueSql } from './sql-checks.ts';
import { hasDuplicateKeys, valueRulesSql } from './validate.ts';

/**
 * The fast staging of a file that turns out to be clean (issue 18): ONE read of the CSV computes, per row, the
 * typed values the load will copy and whether any check of the file fails (the very conditions of validate.ts,
 * over the same trimmed cells), into a TEMP table — instead of a TEXT staging table that the checks scan and the
 * load casts again. Nothing is located here: when a row is structurally broken, fails any check (error or
 * warning), is blank, or a key repeats, it answers `null` and the caller stages the file the exact way
 * (staging.ts + validate.ts), which finds and locates every problem. Its cost is then one extra read of that file.
 *
 * The staged relation (`Staged.table`) is a view of the typed table giving each cell back as text (a date
 * `2024-01-05`, an amount `1500.50`, a boolean `true`): what the reference, consistency and configuration checks
 * read. Those texts parse to the same typed values as the user's cells; only the spelling shown in a message
 * would differ, so the import reruns every check the exact way when one of those later checks reports anything.
 */

/** Names of the per-row flags; never columns of the contract, and a free column so named would only make the fast path fail. */
const FAIL = '__mixite_echec';
const VALID = (i: number) => `__mixite_valide_${i}`;
const BLANK = '__mixite_vide';
const TEXT = (i: number) => `__mixite_texte_${i}`;

/**
 * Whether a row fails any check of validate.ts (fileChecks), computed once per cell instead of once per check: the
 * OR of every check equals « some cell is invalid, or (every cell valid and) a rule is broken or an event date is in
 * the future », and when every cell is valid the typed values are those the checks parse (loadSql = parseSql on valid
 * cells). So each cell's value is converted once, its verdict is read off that value and its text (validFromValueSql:
 * the same verdict as validSql, one conversion instead of two or three, decision 0010), and the rules are evaluated
 * over the typed values. The checks themselves repeated the date and number patterns of
 * a column in every rule naming it (date_radiation's six times in `demandes`). Null when a rule compares a non-code
 * column to text values (none does today): such a file takes the exact way.
 */
function rowFailureSql(spec: FileSpec, file: PreparedFile): { readonly validity: string[]; readonly failure: string; readonly valueRules: string[] } | null {
  const present = file.columns.filter((c) => c in spec.columns);
  const valueRules = valueRulesSql(spec, file.columns);
  if (valueRules === null) return null;
  // Each cell's verdict from its text and its value (computed once, below): a column needing no check adds nothing.
  const validity = present.flatMap((c) => {
    const col = spec.columns[c] as ColumnSpec;
    const verdict = validFromValueSql(col, ident(carriesText(col) ? TEXT(file.columns.indexOf(c)) : c), ident(c));
    return verdict === null ? [] : [`coalesce(${verdict}, FALSE)`];
  });
  return {
    validity: validity.map((v, i) => `${v} AS ${ident(VALID(i))}`),
    failure: [`NOT (${validity.map((_, i) => ident(VALID(i))).join(' AND ') || 'TRUE'})`, ident(BLANK), ...valueRules].join(' OR '),
    valueRules,
  };
}

/** A column whose value is not its text: its text travels beside its value, for its verdict. */
const carriesText = (col: ColumnSpec) => !['text', 'code', 'list'].includes(col.kind);

/**
 * `direct` (direct-write.ts): a natively read file goes straight into its final table, and `typed` is then a view of
 * it. Once that table is written, anything to report throws DirectWriteGivenUp instead of answering null: the rows
 * are in the store, so only giving up the whole try (the store puts its file back) can leave it as it was.
 */
export async function stageTyped(store: Store, file: PreparedFile, mapping: FileMapping | undefined, direct?: FinalTableWrite): Promise<Staged | null> {
  // Blank lines and code mappings are rare and handled by the exact staging only (DELETE / UPDATE of its text cells).
  if (file.hadBlankLines) return null;
  if (mapping && Object.entries(mapping.codes).some(([column, codes]) => file.columns.includes(column) && Object.keys(codes).length > 0)) return null;
  const spec: FileSpec = FILE_SPECS[file.table];
  const typed = typedTable(file);
  const table = stagingTable(file);
  // The value of each cell (NULL for an invalid integer or boolean: its verdict reads it), and the text of the cells
  // whose value is not their text, for their verdict.
  const value = (c: string) => {
    const col = spec.columns[c];
    return col ? `${typedValueSql(col, c)} AS ${ident(c)}` : ident(c);
  };
  const texts = file.columns.flatMap((c, i) => {
    const col = spec.columns[c];
    return col && carriesText(col) ? [`${ident(c)} AS ${ident(TEXT(i))}`] : [];
  });
  const checks = rowFailureSql(spec, file);
  if (checks === null) return null;
  // A row of empty cells (`;;;;`): the exact staging drops it without counting it.
  const blank = `(${file.columns.map((c) => `${ident(c)} IS NULL`).join(' AND ')}) AS ${ident(BLANK)}`;
  await dropStaging(store, file);
  // The native read first (native-read.ts: DuckDB's typed reader, vouched for by a scan of the lines); the text read
  // below when that scan cannot vouch for the file.
  const native = await readNatively(store, file, spec, direct?.sink ?? typed, FAIL, checks.valueRules);
  if (direct?.written) {
    if (!native) throw new DirectWriteGivenUp(file);
    return exposeDirectWrite(store, file, direct);
  }
  if (!native) {
    await dropStaging(store, file);
    try {
      // Innermost: the cells as text; then each cell's value, once; then each cell's verdict from its value (and its
      // text); outermost: the row's flag, from those verdicts and the rules over the values.
      await store.run(`CREATE TEMP TABLE ${ident(typed)} AS
        SELECT ${file.columns.map(ident).join(', ')}, (${checks.failure}) AS ${ident(FAIL)}
        FROM (SELECT ${[...file.columns.map(ident), ...checks.validity, ident(BLANK)].join(', ')}
              FROM (SELECT ${[...file.columns.map(value), ...texts, blank].join(', ')}
                    FROM (SELECT ${cellsSql(file)} FROM ${readCsvSql(file)})))`);
    } catch {
      // An unreadable file: the exact staging says why, with its line.
      return null;
    }
  }
  // A relation handed over (PreparedFile.relation) has no rejects table: whoever made it reported its broken rows.
  const [rejects] = file.relation !== undefined ? [{ n: 0 }] : await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(rejectsTable(file))}`);
  if ((rejects?.n ?? 0) > 0) return null;
  const [counts] = await store.all<{ n: number; echecs: number }>(`SELECT count(*)::INTEGER AS n, count_if(${ident(FAIL)})::INTEGER AS echecs FROM ${ident(typed)}`);
  const rows = counts?.n ?? 0;
  if (rows === 0 || (counts?.echecs ?? 0) > 0) return null;
  await createTextView(store, file);
  // Equal texts have equal typed values, so a key repeated in the file is repeated here too: never missed.
  if (await hasDuplicateKeys(store, table, file)) return null;
  return { file, table, rows, firstBrokenLine: null, typed };
}

/** The cells as text for the later checks (`stagingTable`), over the typed relation; rowid passed through so that LINE_SQL gives the file's line. */
async function createTextView(store: Store, file: PreparedFile): Promise<void> {
  const spec: FileSpec = FILE_SPECS[file.table];
  const asText = file.columns.map((c) => {
    const col = spec.columns[c];
    return col && !['text', 'code', 'list'].includes(col.kind) ? `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}` : ident(c);
  });
  await store.run(`CREATE TEMP VIEW ${ident(stagingTable(file))} AS SELECT ${asText.join(', ')}, rowid AS rowid FROM ${ident(typedTable(file))}`);
}

/** A file written straight into its final table, every row kept: staged as views of that table, or the try given up. */
async function exposeDirectWrite(store: Store, file: PreparedFile, direct: FinalTableWrite): Promise<Staged> {
  // Every row kept and none rejected (readNatively): flags need no count. Empty, or a key repeated: the exact way says it.
  if (direct.rows === 0) throw new DirectWriteGivenUp(file);
  await direct.expose(typedTable(file));
  await createTextView(store, file);
  if (await hasDuplicateKeys(store, stagingTable(file), file)) throw new DirectWriteGivenUp(file);
  return { file, table: stagingTable(file), rows: direct.rows, firstBrokenLine: null, typed: typedTable(file) };
}
