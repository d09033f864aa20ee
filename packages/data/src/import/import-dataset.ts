import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { FileName, FileSpec } from '@mixite/core';
import { FILE_NAMES, FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { LoadUndone } from '../store/store.ts';
import { recordTableCounts } from '../store/integrity.ts';
import { ident } from '../store/sql-types.ts';
import type { Mapping } from './mapping.ts';
import { canonicalFileOf, loadMapping } from './mapping.ts';
import type { FileReport, ImportProblem, ImportReport } from './problems.ts';
import { ImportFailedError, maxProblemsPerFile, problem } from './problems.ts';
import type { ImportCause } from './causes.ts';
import { grouperParCause } from './causes.ts';
import type { ImportLimits } from './limits.ts';
import { DEFAULT_IMPORT_LIMITS, checkSourceLimits } from './limits.ts';
import { checkConfigTerritory, readCiaYaml } from './cia-yaml.ts';
import { checkConsistency } from './consistency.ts';
import { probeCrossFile } from './cross-file-probe.ts';
import { checkConventions } from '../flux/conventions-checks.ts';
import type { Contour } from './contours.ts';
import { lireFichierContours, remplacerContours } from './contours.ts';
import { checkReferences } from './references.ts';
import type { PreparedFile } from './source-file.ts';
import { delimiterName, prepareCsv } from './source-file.ts';
import type { Staged } from './staging.ts';
import { dropStaging, stage } from './staging.ts';
import { validateStaged } from './validate.ts';
import { stageTyped } from './typed-staging.ts';
import { FinalTableWrite, finalRowsSql } from './direct-write.ts';
import { stagerRelationTypee } from './relation-typee.ts';
import { q1FlagWarnings } from './warnings.ts';
import { xlsxToCsv } from './xlsx.ts';

export interface ImportProgress {
  readonly etape: 'lecture' | 'validation' | 'references' | 'chargement';
  readonly fichier: string | null;
  readonly fait: number;
  readonly total: number;
}

export interface ImportOptions {
  /** A header mapping: a path to its YAML file, or the mapping itself. */
  readonly correspondance?: string | Mapping | null;
  /** Who imports (kept with the configuration history). */
  readonly auteur?: string;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Names to show for source paths (uploads are stored under temporary names). */
  readonly nomsAffiches?: Readonly<Record<string, string>>;
  /** Validate only: report what an import would do, write nothing. */
  readonly simulation?: boolean;
  /** Bounds on what a source file may announce (columns, an XLSX sheet's cells), checked before any parsing. */
  readonly limites?: ImportLimits;
  /** Where converted copies of the files (household data) are written meanwhile; the system's temporary folder by default. */
  readonly dossierTravail?: string;
  /**
   * The fast typed read of typed-staging.ts, on by default since issue 18's session 7: each clean file is read once,
   * typed and checked in one pass; a file with anything to report is read again the exact way (staging.ts +
   * validate.ts), which locates every problem. `false` forces the exact way for every file (tests and benchmarks
   * comparing both ways). The checks across files give the same messages whichever way a file was read (they compare
   * identifiers, which are texts, and typed values), so a problem across files no longer sends every file back.
   */
  readonly lectureRapide?: boolean;
  /**
   * The direct write (direct-write.ts, decision 0010, session 11): each clean file read natively goes straight into
   * its final table, inside one transaction that a failure undoes by putting the store file back as it was. Only
   * for a store that owns its file alone (`Store.ownsItsFile`: never the server's connections), never a simulation:
   * otherwise, and whenever the try finds anything to report, the import runs the TEMP way. Each file is committed
   * once written, so that the checks scan committed rows in parallel; the store's copy still undoes everything on
   * failure or crash (Store.restorableTransaction). Asked for by the command line's `import` (not its presets) and the
   * import benches; off by default, so the server's connections, the presets and the other callers take the TEMP way
   * (decision 0010, sessions 11 and 12).
   */
  readonly ecritureDirecte?: boolean;
}

const CONFIG_NAMES = new Set(['cia.yaml', 'cia.yml']);

interface Source {
  readonly path: string;
  readonly name: string;
}

/**
 * Imports a territory dataset (a folder, or files) into the store, all or nothing: every file is staged and
 * checked in DuckDB, and only when nothing is wrong are the tables of the imported files replaced, in one
 * transaction. Files not in the batch keep their rows. On failure throws ImportFailedError and the store is untouched.
 */
export async function importDataset(store: Store, sources: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  if (options.ecritureDirecte === true && store.ownsItsFile && options.simulation !== true && options.lectureRapide !== false) {
    try {
      return await importOnce(store, sources, options, true);
    } catch (error) {
      // The try found something to report, or failed: once the store has put its file back byte for byte and opened
      // it again (LoadUndone), the TEMP way decides and locates. Anything else (the file not put back, a failure after
      // the commit) is the store's to report.
      if (!(error instanceof LoadUndone)) throw error;
    }
  }
  return importOnce(store, sources, options, false);
}

async function importOnce(store: Store, sources: readonly string[], options: ImportOptions, direct: boolean): Promise<ImportReport> {
  const date = new Date().toISOString();
  const mapping = typeof options.correspondance === 'string' ? loadMapping(options.correspondance) : options.correspondance ?? null;
  const progress = options.onProgress ?? (() => {});
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  // Grouped before the per-file cap drops rows: a cause keeps its examples and its full count.
  let causes: ImportCause[] | null = null;
  let hidden = 0;
  const fail = (): never => {
    throw new ImportFailedError(withCauses(report('echoue', [], errors, warnings, hidden, date, null, false), causes ?? grouperParCause([...errors, ...warnings]), options.auteur));
  };
  /** Sheet names of the XLSX sources, by table: the report says « classeur Excel, feuille X », not the converted CSV's encoding. */
  const sheets = new Map<FileName, string>();

  const files = expandSources(sources, options.nomsAffiches ?? {}, errors);
  // Bounded work: a file announcing too many columns or cells is refused before any parser opens it.
  for (const source of files) {
    const violation = await checkSourceLimits(source.path, source.name, options.limites ?? DEFAULT_IMPORT_LIMITS);
    if (violation) errors.push(violation.problem);
  }
  const tables = new Map<FileName, Source>();
  let configSource: Source | null = null;
  let contoursSource: Source | null = null;
  for (const source of files) {
    const lower = source.name.toLowerCase();
    if (CONFIG_NAMES.has(lower)) {
      configSource = source;
      continue;
    }
    // The optional outlines of the communes and QPV (issue 14): any one .geojson file, whatever its name.
    if (extname(lower) === '.geojson') {
      if (contoursSource) errors.push(problem({ fichier: source.name, message: `deux fichiers de contours : ${contoursSource.name} et ${source.name}` }));
      else contoursSource = source;
      continue;
    }
    const table = canonicalFileOf(source.name, mapping);
    if (!table) {
      errors.push(
        problem({
          fichier: source.name,
          message: `fichier non reconnu : nommez-le d’après son contenu (${FILE_NAMES.map((f) => `${f}.csv`).join(', ')}) ou décrivez-le dans un fichier de correspondance`,
        }),
      );
      continue;
    }
    const previous = tables.get(table);
    if (previous) {
      errors.push(problem({ fichier: source.name, message: `deux fichiers pour ${table}.csv : ${previous.name} et ${source.name}` }));
      continue;
    }
    tables.set(table, source);
  }
  if (files.length === 0 && errors.length === 0) errors.push(problem({ fichier: sources.join(', ') || '(aucun)', message: 'aucun fichier à importer' }));

  const configRead = configSource ? readCiaYaml(configSource.path, configSource.name, errors) : null;
  const config = configRead?.config ?? null;
  let contours: readonly Contour[] | null = null;
  if (contoursSource) {
    const lus = lireFichierContours(contoursSource.path, contoursSource.name);
    if (lus.ok) contours = lus.contours;
    else errors.push(...lus.problemes);
  }
  if (errors.length > 0) fail();

  const workDir = mkdtempSync(join(options.dossierTravail ?? tmpdir(), 'mixite-import-'));
  const staged = new Map<FileName, Staged>();
  /** Files written straight into their final table (direct-write.ts): the load leaves them as they are. */
  const written = new Set<FileName>();
  // Rows each table holds before the import (the report's « lignes avant »), counted before a direct write empties it.
  const rowsBefore = new Map<FileName, number>();
  for (const table of tables.keys()) rowsBefore.set(table, await storedRows(store, table));
  const prepared: PreparedFile[] = [];
  /**
   * Reads and checks every file. `exact: false` first stages each clean file the fast way (typed-staging.ts); a file
   * with any problem is staged the exact way. Then the checks across files (references, consistency, configuration).
   */
  const validateFiles = async (exact: boolean, commitSoFar: () => Promise<void>): Promise<void> => {
    const ordered = FILE_NAMES.filter((name) => tables.has(name));
    let done = 0;
    for (const table of ordered) {
      const source = tables.get(table) as Source;
      progress({ etape: 'lecture', fichier: source.name, fait: done, total: ordered.length });
      const fileMapping = mapping?.fichiers[table];
      let csvPath = source.path;
      if (extname(source.name).toLowerCase() === '.xlsx') {
        try {
          const converted = await xlsxToCsv(source.path, workDir, table, source.name);
          if (converted.problems.length > 0) {
            errors.push(...converted.problems);
            continue;
          }
          csvPath = converted.csvPath;
          sheets.set(table, converted.feuille);
        } catch (error) {
          errors.push(problem({ fichier: source.name, message: `classeur XLSX illisible : ${(error as Error).message}` }));
          continue;
        }
      }
      const result = await prepareCsv(csvPath, table, fileMapping, workDir, source.name);
      if (!result.ok) {
        errors.push(...result.problems);
        continue;
      }
      prepared.push(result.file);
      // A preset's typed relation (relation-typee.ts) is judged on its values; when a row fails, its text twin is staged the exact way.
      const target = direct ? new FinalTableWrite(store, result.file, commitSoFar) : undefined;
      const typed = exact
        ? null
        : result.file.relationTypee !== undefined
          ? await stagerRelationTypee(store, result.file, fileMapping)
          : await stageTyped(store, result.file, fileMapping, target);
      if (typed) {
        staged.set(table, typed);
        if (target?.written) written.add(table);
        // The checks ran inside the read: said once it is done, so that the command's progress (and the crash
        // test's kill moments, crash-harness.ts) still has a validation step.
        progress({ etape: 'validation', fichier: source.name, fait: done, total: ordered.length });
        done += 1;
        continue;
      }
      const stagedResult = await stage(store, result.file, fileMapping);
      errors.push(...stagedResult.problems);
      if (!stagedResult.ok) continue;
      staged.set(table, stagedResult.staged);
      progress({ etape: 'validation', fichier: source.name, fait: done, total: ordered.length });
      const checked = await validateStaged(store, stagedResult.staged);
      hidden += checked.hidden;
      for (const p of checked.problems) (p.severite === 'erreur' ? errors : warnings).push(p);
      done += 1;
    }
    for (const file of prepared) {
      const free = file.columns.filter((c) => !(c in FILE_SPECS[file.table].columns));
      if (free.length > 0) {
        warnings.push(
          problem({ severite: 'avertissement', fichier: file.fichier, ligne: 1, colonne: free.join(', '), message: 'colonnes hors format conservées comme attributs libres' }),
        );
      }
    }
    // References compare raw identifiers, so they are checked even when some cells are malformed: all errors at once.
    progress({ etape: 'references', fichier: null, fait: 0, total: 1 });
    // Every cell valid: one join per pair of files counts references and contradictions; only the broken are located.
    const counts = errors.length === 0 ? await probeCrossFile(store, staged) : undefined;
    const refs = await checkReferences(store, staged, counts);
    errors.push(...refs.problems);
    hidden += refs.hidden;
    // Contradictions between files compare typed values: checked once every cell and reference is valid.
    if (errors.length === 0) {
      const consistency = await checkConsistency(store, staged, counts);
      for (const p of consistency.problems) (p.severite === 'erreur' ? errors : warnings).push(p);
      hidden += consistency.hidden;
      for (const p of await checkConventions(store, staged)) (p.severite === 'erreur' ? errors : warnings).push(p);
    }
    if (configRead) errors.push(...(await checkConfigTerritory(store, staged, configRead)));
  };
  /**
   * The reading, the checks and the load. In the direct write, inside the restorable transaction: each file written
   * straight into its table is committed at once (`commitSoFar`), the store's copy undoing it all on failure.
   */
  const validateAndLoad = async (commitSoFar: () => Promise<void> = async () => {}): Promise<ImportReport> => {
    await validateFiles(options.lectureRapide === false, commitSoFar);
    causes = grouperParCause([...errors, ...warnings]);
    const capped = capPerFile(errors);
    hidden += errors.length - capped.length;
    errors.splice(0, errors.length, ...capped);
    if (errors.length > 0) fail();
    warnings.push(...(await q1FlagWarnings(store, staged, config)));
    causes = grouperParCause(warnings);

    const fileReports: FileReport[] = [];
    for (const s of staged.values()) fileReports.push(fileReport(s, sheets.get(s.file.table), rowsBefore.get(s.file.table) ?? 0));
    if (options.simulation) return withCauses(report('reussi', fileReports, errors, warnings, hidden, date, null, config !== null), causes, options.auteur);

    let importId: number | null = null;
    const load = async () => {
      let n = 0;
      for (const s of staged.values()) {
        progress({ etape: 'chargement', fichier: s.file.fichier, fait: n++, total: staged.size });
        if (!written.has(s.file.table)) await replaceTable(store, s);
      }
      if (contours) await remplacerContours(store, contours);
      if (config) {
        await store.run(
          `INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), $1, $2, $3::JSON FROM configuration`,
          [options.auteur ?? 'import', `import : ${configSource?.name ?? 'cia.yaml'}`, JSON.stringify(config)],
        );
      }
      const final = withCauses(report('reussi', fileReports, errors, warnings, hidden, date, null, config !== null), causes ?? [], options.auteur);
      const [row] = await store.all<{ id: number }>(
        `INSERT INTO imports (date_import, statut, fichiers, rapport) VALUES ($1::TIMESTAMP, 'reussi', $2::JSON, $3::JSON) RETURNING id`,
        [date, JSON.stringify(files.map((f) => f.name)), JSON.stringify(final)],
      );
      importId = row?.id ?? null;
      // The expected row counts commit with the rows: a store that later disagrees with them is refused at open.
      await recordTableCounts(store, `import n° ${importId ?? '?'}`, [...staged.keys()]);
    };
    // Crash-safe: a kill at any moment leaves the store exactly as before or exactly as after (decision 0004). The
    // direct write is already inside its transaction.
    if (direct) await load();
    else await store.crashSafeTransaction(load);
    return withCauses(report('reussi', fileReports, errors, warnings, hidden, date, importId, config !== null), causes ?? [], options.auteur);
  };
  try {
    const result = direct ? await store.restorableTransaction(validateAndLoad) : await validateAndLoad();
    if (options.simulation !== true) progress({ etape: 'chargement', fichier: null, fait: staged.size, total: staged.size });
    return result;
  } finally {
    for (const file of prepared) await dropStaging(store, file);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function expandSources(sources: readonly string[], names: Readonly<Record<string, string>>, errors: ImportProblem[]): Source[] {
  const out: Source[] = [];
  for (const path of sources) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      errors.push(problem({ fichier: path, message: 'fichier ou dossier introuvable' }));
      continue;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const ext = extname(entry).toLowerCase();
        if (['.csv', '.xlsx', '.geojson'].includes(ext) || CONFIG_NAMES.has(entry.toLowerCase())) out.push({ path: join(path, entry), name: entry });
      }
    } else out.push({ path, name: names[path] ?? basename(path) });
  }
  return out;
}

/** Replaces the rows of one table by the staged file, typed by the same rules the checks used. */
async function replaceTable(store: Store, s: Staged): Promise<void> {
  // A fast-staged file already holds its typed values (typed-staging.ts): copied as they are.
  const { names, select } = finalRowsSql(s.file, s.typed !== undefined, ident(s.typed ?? s.table));
  await store.run(`DELETE FROM ${ident(s.file.table)}`);
  await store.run(`INSERT INTO ${ident(s.file.table)} (${names}) ${select}`);
}

/** Rows a table holds now: what an import of its file replaces. */
async function storedRows(store: Store, table: FileName): Promise<number> {
  const [row] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
  return row?.n ?? 0;
}

function withCauses(r: ImportReport, causes: readonly ImportCause[], auteur: string | undefined): ImportReport {
  return { ...r, causes, ...(auteur === undefined ? {} : { auteur }) };
}

function fileReport(s: Staged, feuille: string | undefined, lignesAvant: number): FileReport {
  const spec: FileSpec = FILE_SPECS[s.file.table];
  return {
    fichier: s.file.fichier,
    table: s.file.table,
    lignesLues: s.rows,
    lignesChargees: s.rows,
    lignesRejetees: 0,
    colonnesLibres: s.file.columns.filter((c) => !(c in spec.columns)),
    colonnes: s.file.columns,
    // An XLSX source was converted to a UTF-8 `;` CSV: that is no property of the user's file.
    encodage: feuille === undefined ? s.file.encoding : 'classeur Excel',
    separateur: feuille === undefined ? delimiterName(s.file.delimiter) : `feuille « ${feuille} »`,
    lignesAvant,
  };
}

function capPerFile(problems: ImportProblem[]): ImportProblem[] {
  const perFile = new Map<string, number>();
  return problems.filter((p) => {
    const n = (perFile.get(p.fichier) ?? 0) + 1;
    perFile.set(p.fichier, n);
    return n <= maxProblemsPerFile();
  });
}

function report(
  statut: ImportReport['statut'],
  fichiers: FileReport[],
  erreurs: ImportProblem[],
  avertissements: ImportProblem[],
  erreursNonListees: number,
  date: string,
  importId: number | null,
  configImported: boolean,
): ImportReport {
  return { statut, date, fichiers, erreurs, avertissements, erreursNonListees, configuration: configImported ? 'importee' : 'inchangee', importId };
}
