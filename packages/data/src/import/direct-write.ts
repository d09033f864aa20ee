import type { FileSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { TypedRowsSink } from './native-read.ts';
import type { PreparedFile } from './source-file.ts';
import { loadSql } from './sql-checks.ts';

/**
 * The direct write of a clean file (issue 18, decision 0010, session 11): its typed rows go from the CSV reader
 * straight into its final table, inside the import's transaction, instead of into a TEMP table that the load copies
 * afterwards — at national scale that copy and the ≈ 3 GiB of uncompressed TEMP tables living until the commit were
 * the largest cost left. Only for a store that owns its file alone, inside `Store.restorableTransaction`: a large
 * insert writes blocks into the file before COMMIT, and only putting the copy back leaves the file unchanged when the
 * import then fails. A row failing any check is not inserted, so fewer rows than lines means the file has something
 * to report: the import then gives up this try and reads everything again the way that locates every problem.
 */

/** The rows of a table as the load writes them: the contract's columns (NULL when the file lacks one), then the free columns. */
export function finalRowsSql(file: PreparedFile, typed: boolean, relation: string): { readonly names: string; readonly select: string } {
  const spec: FileSpec = FILE_SPECS[file.table];
  const present = new Set(file.columns);
  // A typed relation already holds its values; a text staging is typed by the same rules the checks used.
  const value = (col: FileSpec['columns'][string], name: string) => (typed ? ident(name) : loadSql(col, name));
  const values = Object.entries(spec.columns).map(([name, col]) => (present.has(name) ? `${value(col, name)} AS ${ident(name)}` : `NULL AS ${ident(name)}`));
  const free = file.columns.filter((c) => !(c in spec.columns));
  const attributs =
    free.length === 0
      ? 'MAP {}'
      : // Rows whose free cells are all empty (most of them) skip the list and its lambda: the same empty map, cheaper.
        `(CASE WHEN ${free.map((c) => `${ident(c)} IS NULL`).join(' AND ')} THEN MAP {}
               ELSE map_from_entries(list_filter([${free.map((c) => `{'k': ${literal(c)}, 'v': ${ident(c)}::VARCHAR}`).join(', ')}], x -> x.v IS NOT NULL)) END)`;
  // Columns named: a column added by a later migration (logements.hors_flux) sits after `attributs` in an older store.
  return { names: [...Object.keys(spec.columns), 'attributs'].map(ident).join(', '), select: `SELECT ${values.join(', ')}, ${attributs} FROM ${relation}` };
}

/**
 * The final table of one file, written directly: `sink` empties it and inserts the typed rows whose flag is not set;
 * `written` says it was touched (the try can then only go on or be given up whole); `expose` makes the view the later
 * checks read instead of a TEMP table.
 */
export class FinalTableWrite {
  written = false;
  rows = 0;

  /** `commitSoFar`: the restorable transaction's early commit (Store.restorableTransaction), run once the rows are written. */
  constructor(
    private readonly store: Store,
    private readonly file: PreparedFile,
    private readonly commitSoFar: () => Promise<void>,
  ) {}

  readonly sink: TypedRowsSink = async (rows, flag) => {
    this.written = true;
    const table = ident(this.file.table);
    await this.store.run(`DELETE FROM ${table}`);
    const { names, select } = finalRowsSql(this.file, true, `(${rows}) WHERE ${ident(flag)} IS NOT TRUE`);
    const [inserted] = await this.store.all<{ Count: number | string }>(`INSERT INTO ${table} (${names}) ${select}`);
    this.rows = Number(inserted?.Count ?? 0);
    // Committed at once, the store's copy still undoing the whole import on failure: the checks that follow scan
    // committed rows, in parallel, not a transaction's local rows on one thread (decision 0010, session 12).
    await this.commitSoFar();
    return this.rows;
  };

  /**
   * The view `name` of the written rows as the TEMP table of the fast read held them: the file's columns (a free
   * column from `attributs`), and `rowid` counted from 0 in the file's order, so that LINE_SQL (`rowid + 2`) gives the
   * file's line. The inserted rows have consecutive row ids in the order of the insert (DuckDB keeps the file's
   * order, preserve_insertion_order) but not a fixed first one: after the rows of the table they replaced until the
   * commit, from 0 once a checkpoint (another file's commit may trigger one) has dropped those. So the first is
   * subtracted at each reading of the view.
   */
  async expose(name: string): Promise<void> {
    const spec: FileSpec = FILE_SPECS[this.file.table];
    const table = ident(this.file.table);
    const columns = this.file.columns.map((c) => (c in spec.columns ? ident(c) : `map_extract_value(attributs, ${literal(c)}) AS ${ident(c)}`));
    await this.store.run(`CREATE TEMP VIEW ${ident(name)} AS SELECT ${columns.join(', ')}, (rowid - (SELECT min(rowid) FROM ${table})) AS rowid FROM ${table}`);
  }
}

/** A direct write that found something to report after writing: the import gives this try up (and the store puts its file back). */
export class DirectWriteGivenUp extends Error {
  constructor(file: PreparedFile) {
    super(`écriture directe abandonnée : ${file.fichier} a quelque chose à signaler`);
  }
}
