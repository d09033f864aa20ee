import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_NAMES } from '@mixite/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, backupPath, importDataset } from '../src/index.ts';
import { MINI, copyOfMini, sha256, tempDir } from './helpers.ts';

/**
 * The direct write (direct-write.ts, decision 0010, session 11): a clean file read natively goes straight into its
 * final table inside one restorable transaction. It must change nothing but the time — the same rows, in the file's
 * order, the same report — and a failure found after a large write (DuckDB has then written blocks into the file)
 * must still leave the store file unchanged byte for byte, the problem located by the TEMP way.
 */

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** More rows than DuckDB keeps in memory before writing an uncommitted insert into the file (122 880). */
const LARGE = 150_000;

/**
 * The mini territory written canonically (ISO dates, decimal point: read natively), with `LARGE` more dwellings
 * copied from L2 under new identifiers; `lastBailleur` is the landlord of the very last one.
 */
function largeCanonicalMini(lastBailleur = 'B1', canonicalDemandes = true): { dir: string; lastLine: number } {
  const dir = copyOfMini(tmp.dir);
  const demandes = join(dir, 'demandes.csv');
  if (canonicalDemandes) writeFileSync(demandes, readFileSync(demandes, 'utf8').replace('390,5', '390.5').replace('15/03/2021', '2021-03-15'));
  const logements = join(dir, 'logements.csv');
  const lines = readFileSync(logements, 'utf8').trimEnd().split('\n');
  const template = (lines.find((l) => l.startsWith('L2;')) as string).slice('L2;'.length);
  const added = Array.from({ length: LARGE }, (_, i) => `LX${i};${template}`);
  added[LARGE - 1] = (added[LARGE - 1] as string).replace(';R1;B1;', `;R1;${lastBailleur};`);
  writeFileSync(logements, `${[...lines, ...added].join('\n')}\n`);
  return { dir, lastLine: lines.length + LARGE };
}

/** The statements a store runs, observed (not replaced): which way the import took. */
function watch(store: Store): string[] {
  const seen: string[] = [];
  const run = store.run.bind(store) as (sql: unknown, params?: unknown) => Promise<void>;
  (store as unknown as { run: typeof run }).run = async (sql, params) => {
    if (typeof sql === 'string') seen.push(sql);
    return run(sql, params);
  };
  return seen;
}

/**
 * A direct import of `dir` that must fail late: the error is an ImportFailedError, `check` looks at its problems, the
 * statements run and the store opened again; afterwards the store file is byte for byte as before, with no WAL and no copy.
 */
async function expectFailureUndone(
  storePath: string,
  dir: string,
  check: (problems: ImportFailedError['report']['erreurs'], statements: string[], store: Store) => Promise<void>,
): Promise<void> {
  const before = sha256(storePath);
  const store = await Store.open(storePath);
  const statements = watch(store);
  let error: unknown = null;
  try {
    await importDataset(store, [dir], { ecritureDirecte: true });
  } catch (e) {
    error = e;
  }
  try {
    expect(error).toBeInstanceOf(ImportFailedError);
    await check((error as ImportFailedError).report.erreurs, statements, store);
  } finally {
    store.close();
  }
  expect(sha256(storePath), 'la base doit être inchangée octet pour octet').toBe(before);
  expect(existsSync(`${storePath}.wal`)).toBe(false);
  expect(existsSync(backupPath(storePath))).toBe(false);
}

/** Every table's row count and a checksum of its rows: equal fingerprints mean equal contents. */
async function fingerprint(store: Store): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of FILE_NAMES) out[table] = (await store.all(`SELECT count(*)::INTEGER AS n, sum(hash(t))::VARCHAR AS h FROM ${table} t`))[0];
  return out;
}

const stable = (r: Awaited<ReturnType<typeof importDataset>>) => ({ ...r, date: null, importId: null });

type Report = Awaited<ReturnType<typeof importDataset>>;
/** The folder imported into two new stores, with the direct write (its statements watched) and the TEMP way; both closed after `check`. */
async function bothWays(dir: string, check: (run: { direct: Store; temp: Store; statements: string[]; a: Report; b: Report }) => Promise<void>): Promise<void> {
  const direct = await Store.open(join(tmp.dir, 'directe.duckdb'));
  const temp = await Store.open(join(tmp.dir, 'temporaire.duckdb'));
  try {
    const statements = watch(direct);
    const a = await importDataset(direct, [dir], { ecritureDirecte: true });
    const b = await importDataset(temp, [dir]);
    await check({ direct, temp, statements, a, b });
  } finally {
    direct.close();
    temp.close();
  }
}

describe('écriture directe dans les tables finales (issue 18)', () => {
  it('écrit un gros fichier propre sans table temporaire : mêmes lignes, dans l’ordre du fichier, même rapport que la voie temporaire', async () => {
    const { dir } = largeCanonicalMini();
    await bothWays(dir, async ({ direct, temp, statements, a, b }) => {
      expect(a.statut).toBe('reussi');
      // Read natively, written straight into the final table: no typed TEMP table for them.
      expect(statements.some((s) => s.includes('CREATE TEMP TABLE "typ_logements"'))).toBe(false);
      expect(statements.some((s) => s.includes('CREATE TEMP TABLE "typ_demandes"'))).toBe(false);
      expect(statements.some((s) => /^INSERT INTO "logements" .*read_csv/s.test(s))).toBe(false); // through store.all (its count)
      expect(stable(a)).toEqual(stable(b));
      expect(await fingerprint(direct)).toEqual(await fingerprint(temp));
      // The file's order kept (what the lines of later messages rely on): the dwellings in row order are the file's.
      const [order] = await direct.all<{ n: number; ordered: boolean }>(
        `SELECT count(*)::INTEGER AS n, bool_and(id = expected) AS ordered
         FROM (SELECT id, CASE WHEN rowid < 4 THEN 'L' || (rowid + 1) ELSE 'LX' || (rowid - 4) END AS expected FROM logements)`,
      );
      expect(order).toEqual({ n: LARGE + 4, ordered: true });
      expect(existsSync(backupPath(direct.path))).toBe(false);
    });
  });

  it.each([
    ['écrit directement', true],
    ['lu en texte dans une table temporaire, pendant la transaction de l’écriture directe', false],
  ])('donne les mêmes lignes aux avertissements que la voie temporaire (fichier %s)', async (_cas, canonical) => {
    const { dir } = largeCanonicalMini('B1', canonical);
    // A request whose SNE flag q1 contradicts the computed one: a warning located on its line.
    const demandes = join(dir, 'demandes.csv');
    const rows = readFileSync(demandes, 'utf8').split('\n');
    rows[2] = (rows[2] as string).replace(/;1;1;$/, ';1;0;');
    writeFileSync(demandes, rows.join('\n'));
    await bothWays(dir, async ({ statements, a, b }) => {
      // The direct try went through (given up, the TEMP way would have staged the large file too).
      expect(statements.some((s) => s.includes('CREATE TEMP TABLE "typ_logements"'))).toBe(false);
      expect(a.avertissements.filter((w) => w.ligne !== null && w.fichier === 'demandes.csv').length).toBeGreaterThan(0);
      expect(stable(a)).toEqual(stable(b));
    });
  });

  it('laisse la base inchangée octet pour octet quand un gros fichier déjà écrit échoue tard (référence inconnue), et localise l’erreur', async () => {
    const storePath = join(tmp.dir, 'base.duckdb');
    const first = await Store.open(storePath);
    await importDataset(first, [largeCanonicalMini().dir]);
    first.close();
    // The same folder written again (copyOfMini overwrites it), its very last dwelling now with an unknown landlord.
    const { dir, lastLine } = largeCanonicalMini('B404');
    await expectFailureUndone(storePath, dir, async (problems, statements, store) => {
      expect(problems).toContainEqual(expect.objectContaining({ fichier: 'logements.csv', ligne: lastLine, colonne: 'bailleur_id', valeur: 'B404' }));
      // The direct try wrote the large file, then gave up; the TEMP way located the problem.
      expect(statements.filter((s) => s.startsWith('DELETE FROM "logements"')).length).toBeGreaterThan(0);
      expect(statements.some((s) => s.includes('CREATE TEMP TABLE "typ_logements"'))).toBe(true);
      // The store, open again, still holds the first import.
      const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM logements`);
      expect(n?.n).toBe(LARGE + 4);
    });
  });

  it('prend la voie temporaire pour une connexion qui ne possède pas sa base seule (serveur)', async () => {
    const store = await Store.open(join(tmp.dir, 'base.duckdb'));
    const other = await store.connectAgain();
    try {
      const statements = watch(other);
      const r = await importDataset(other, [largeCanonicalMini().dir], { ecritureDirecte: true });
      expect(r.statut).toBe('reussi');
      expect(statements.some((s) => s.includes('CREATE TEMP TABLE "typ_logements"'))).toBe(true);
      expect(store.ownsItsFile).toBe(false);
    } finally {
      other.close();
      store.close();
    }
  });
});

/**
 * The early commit (decision 0010, session 12): each file written directly is committed at once, so that the checks
 * scan committed rows in parallel; the store's copy, not the transaction, undoes the import — on a failure found
 * after that commit, and at the next opening after a crash.
 */
describe('écriture directe validée tôt, la copie de la base annulant tout', () => {
  it('laisse la base inchangée octet pour octet quand l’unicité échoue après la validation anticipée du gros fichier, et localise l’erreur', async () => {
    const storePath = join(tmp.dir, 'base.duckdb');
    const first = await Store.open(storePath);
    await importDataset(first, [copyOfMini(tmp.dir)]);
    first.close();
    // The large file, its very last dwelling with the identifier of an earlier one: found by the uniqueness check,
    // which runs once the file is written and committed.
    const { dir, lastLine } = largeCanonicalMini();
    const logements = join(dir, 'logements.csv');
    const lines = readFileSync(logements, 'utf8').trimEnd().split('\n');
    lines[lines.length - 1] = (lines.at(-1) as string).replace(/^LX\d+;/, 'LX7;');
    writeFileSync(logements, `${lines.join('\n')}\n`);
    await expectFailureUndone(storePath, dir, async (problems, statements, store) => {
      expect(problems).toContainEqual(expect.objectContaining({ fichier: 'logements.csv', ligne: lastLine, valeur: 'LX7' }));
      // The large file was written and committed before the check that failed: only the copy could undo it.
      const written = statements.findIndex((s) => s.startsWith('DELETE FROM "logements"'));
      expect(written).toBeGreaterThanOrEqual(0);
      expect(statements.slice(written).includes('COMMIT')).toBe(true);
      const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM logements`);
      // The store, open again, still holds the first import (the mini territory's dwellings).
      expect(n?.n).toBe(readFileSync(join(MINI, 'logements.csv'), 'utf8').trimEnd().split('\n').length - 1);
    });
  });

  it('rend l’ancien état à l’ouverture suivante après un arrêt brutal entre la validation anticipée et la fin de l’import', async () => {
    const storePath = join(tmp.dir, 'base.duckdb');
    const first = await Store.open(storePath);
    await importDataset(first, [copyOfMini(tmp.dir)]);
    const ancien = await fingerprint(first);
    first.close();
    const { dir } = largeCanonicalMini();
    const child = spawn(process.execPath, ['--import', 'tsx', KILLED_AFTER_EARLY_COMMIT], { env: { ...process.env, BASE: storePath, JEU: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal, output).toBe('SIGKILL');
    expect(existsSync(backupPath(storePath))).toBe(true);
    // Opened without its copy, the file holds the new dwellings: the kill came after their early commit.
    const withoutCopy = join(tmp.dir, 'sans-copie.duckdb');
    copyFileSync(storePath, withoutCopy);
    if (existsSync(`${storePath}.wal`)) copyFileSync(`${storePath}.wal`, `${withoutCopy}.wal`);
    const committed = await Store.open(withoutCopy);
    try {
      const [n] = await committed.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM logements`);
      expect(n?.n).toBe(LARGE + 4);
    } finally {
      committed.close();
    }
    // Opened as every command opens it: the copy put back, exactly the old rows.
    const store = await Store.open(storePath);
    try {
      expect(await fingerprint(store)).toEqual(ancien);
    } finally {
      store.close();
    }
    expect(existsSync(backupPath(storePath))).toBe(false);
  }, 60_000);
});

const KILLED_AFTER_EARLY_COMMIT = fileURLToPath(new URL('./fixtures/processus/import-tue-apres-validation.ts', import.meta.url));
