import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { MIGRATIONS } from './migrations.ts';
import { Sql } from './sql.ts';
import { DEFAULT_STORE_PATH } from './chemin-par-defaut.ts';

export { DEFAULT_STORE_PATH };

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/**
 * The DuckDB store of a deployment: one file, or `:memory:` for tests.
 * Holds one connection; callers that need a transaction use `transaction()`.
 */
export class Store {
  /** Connections lent by `connectAgain`: while any was lent, this store does not own its file alone (`ownsItsFile`). */
  private connectionsLent = 0;

  private constructor(
    readonly path: string,
    // Replaced only by `restorableTransaction`, which reopens the file it put back.
    private instance: DuckDBInstance,
    public connection: DuckDBConnection,
    private readonly ownsInstance: boolean = true,
  ) {}

  /**
   * A file that only this store's connection uses in this process: it may close and reopen its instance
   * (`restorableTransaction`). Not the server's connections (a command's connection, an upload's check).
   */
  get ownsItsFile(): boolean {
    return this.path !== ':memory:' && this.ownsInstance && this.connectionsLent === 0;
  }

  /**
   * A second connection to the same database, for work that must not hold this one (the check of an upload while
   * the server keeps answering): its temporary tables and transactions are its own, it reads committed data only.
   * Closing it closes this connection only.
   */
  async connectAgain(): Promise<Store> {
    this.connectionsLent += 1;
    return new Store(this.path, this.instance, await this.instance.connect(), false);
  }

  static async open(path: string = DEFAULT_STORE_PATH): Promise<Store> {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      recoverInterruptedLoad(path);
    }
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const store = new Store(path, instance, connection);
    await store.migrate();
    return store;
  }

  /** Rows as plain objects (JS values: bigint for BIGINT, DuckDB value objects for DATE/DECIMAL unless cast in SQL). */
  async all<T = Record<string, unknown>>(query: Sql): Promise<T[]>;
  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  async all<T = Record<string, unknown>>(sql: string | Sql, params?: SqlParams): Promise<T[]> {
    const [text, values] = statement(sql, params);
    const reader = await this.connection.runAndReadAll(text, values);
    return reader.getRowObjectsJson() as T[];
  }

  /**
   * The same rows as `all`, converted one DuckDB chunk (2 048 rows) at a time with a turn of the event loop between
   * chunks: a list of a hundred thousand rows does not hold every other request of the server while it becomes
   * JavaScript objects. The query itself runs off the main thread and is materialised by DuckDB, so the connection
   * is free for other statements while the chunks are read.
   */
  async allInBatches<T = Record<string, unknown>>(query: Sql): Promise<T[]> {
    const [text, values] = statement(query, undefined);
    const result = await this.connection.run(text, values);
    const rows: T[] = [];
    for await (const batch of result.yieldRowObjectJson()) {
      for (const row of batch) rows.push(row as T);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return rows;
  }

  /** A statement: a `sql` fragment (values as parameters, store/sql.ts), or text with its own `$n` parameters. */
  async run(query: Sql): Promise<void>;
  async run(sql: string, params?: SqlParams): Promise<void>;
  async run(sql: string | Sql, params?: SqlParams): Promise<void> {
    const [text, values] = statement(sql, params);
    await this.connection.run(text, values);
  }

  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT (disk full…) has already ended the transaction: its ROLLBACK fails too, and must not hide
      // the first error, which says what to do (erreurs-base.ts).
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * A transaction that a crash (kill -9, power cut) leaves entirely done or not done at all, whatever DuckDB's
   * recovery would make of a large transaction (decision 0004): the store file is checkpointed and copied to
   * `<base>.avant-chargement` before `work` starts; only once `work` is committed and checkpointed into the file is
   * the copy deleted — that deletion is the commit point. `Store.open` puts the copy back if it finds one.
   * Needs as much free disk as the store; a `:memory:` store just uses `transaction()`.
   * The caller must be the only writer meanwhile (the server holds its write lock during an import).
   */
  async crashSafeTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.path === ':memory:') return this.transaction(work);
    await this.copyBeforeLoad();
    let result: T;
    try {
      result = await this.transaction(work);
    } catch (error) {
      // Rolled back: the store is as the copy, which must go before anything else is written (sessions, journal).
      rmSync(backupPath(this.path));
      rmSync(ownerPath(this.path), { force: true });
      throw error;
    }
    await this.commitPointAfterLoad();
    return result;
  }

  /**
   * A crash-safe transaction (above) whose failure, too, leaves the store file exactly as it was, byte for byte:
   * DuckDB writes the blocks of a large insert (more than 122 880 rows) into the file before COMMIT, and a ROLLBACK
   * does not take them back. On any error of `work` — or a transaction that some statement aborted, whose COMMIT
   * DuckDB would silently turn into a rollback — the transaction is rolled back, the instance closed, the copy put
   * back in place of the file and the file reopened; then LoadUndone is thrown, the error as its cause. Only for a store that owns its file
   * alone (`ownsItsFile`): closing the instance would cut every other connection to it.
   *
   * `work` may commit what it wrote so far (`commitSoFar`) and go on in a new transaction: the copy, not the
   * transaction, is what undoes the load — put back on any later error, and by the next opening after a crash (the
   * copy and its owner's dead pid stay until the commit point). No other connection can see the committed half
   * meanwhile: this connection owns the file alone, and DuckDB's lock keeps other processes out. Why commit early:
   * DuckDB scans a transaction's uncommitted rows on one thread, committed rows in parallel (decision 0010, session 12).
   */
  async restorableTransaction<T>(work: (commitSoFar: () => Promise<void>) => Promise<T>): Promise<T> {
    if (!this.ownsItsFile) throw new Error('Store : une transaction restaurable demande une base que cette connexion est seule à utiliser');
    await this.copyBeforeLoad();
    // An aborted transaction refuses every statement: said by this probe, before a COMMIT that would not say it.
    const refuseAborted = () => this.run('SELECT 1');
    const commitSoFar = async () => {
      await refuseAborted();
      await this.run('COMMIT');
      await this.run('BEGIN TRANSACTION');
    };
    let result: T;
    try {
      result = await this.transaction(async () => {
        const value = await work(commitSoFar);
        await refuseAborted();
        return value;
      });
    } catch (error) {
      await this.putBackAndReopen();
      throw new LoadUndone(error);
    }
    await this.commitPointAfterLoad();
    return result;
  }

  /** Checkpoints the store and copies it to `<base>.avant-chargement` (decision 0004): the state a crash goes back to. */
  private async copyBeforeLoad(): Promise<void> {
    const backup = backupPath(this.path);
    // The copy must hold everything committed so far: a checkpoint moves the WAL into the file and empties it.
    await this.run('CHECKPOINT');
    const partial = `${backup}.partielle`;
    try {
      copyFileSync(this.path, partial);
      fsyncFile(partial);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    // Who is loading: another process opening the store meanwhile must not put the copy back under a live load.
    writeFileSync(ownerPath(this.path), String(process.pid));
    renameSync(partial, backup);
    fsyncFile(dirname(this.path));
  }

  /** Once this checkpoint returns, the file alone holds the new state: the copy goes (the commit point). */
  private async commitPointAfterLoad(): Promise<void> {
    // Should the checkpoint fail (disk full), the copy stays: a restart then goes back to the state before the load.
    await this.run('CHECKPOINT');
    rmSync(backupPath(this.path));
    fsyncFile(dirname(this.path));
    rmSync(ownerPath(this.path), { force: true });
  }

  /** The file put back as the copy holds it (the bytes of the last checkpoint), then opened again. */
  private async putBackAndReopen(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    // A crash from here on leaves the copy, which the next opening puts back the same way.
    putBackCopy(this.path);
    this.instance = await DuckDBInstance.create(this.path);
    this.connection = await this.instance.connect();
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.all<{ v: number | null }>(
      `SELECT max(version)::INTEGER AS v FROM schema_version`,
    );
    return rows[0]?.v ?? 0;
  }

  private async migrate(): Promise<void> {
    await this.run(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, date_application TIMESTAMP)`);
    // Every migration not yet recorded, in version order: one merged after a higher one still applies to a store
    // that already went past its number (schema_version holds one row per migration applied).
    const applied = new Set((await this.all<{ version: number }>(`SELECT version FROM schema_version`)).map((r) => r.version));
    const pending = MIGRATIONS.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    if (pending.length === 0) return;
    await this.transaction(async () => {
      for (const migration of pending) {
        for (const statement of migration.statements) await this.run(statement);
        await this.run(`INSERT INTO schema_version VALUES ($1, $2, now())`, [migration.version, migration.description]);
      }
    });
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** A restorable transaction that failed and was undone: the store file is as before it, byte for byte, and open again. */
export class LoadUndone extends Error {
  constructor(cause: unknown) {
    super(`chargement annulé, base remise dans son état d’avant : ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The text and parameters of a statement given either way. */
function statement(query: string | Sql, params: SqlParams | undefined): [string, SqlParams | undefined] {
  if (!(query instanceof Sql)) return [query, params];
  if (params !== undefined) throw new TypeError('Store : un fragment sql porte déjà ses paramètres');
  const { text, params: values } = query.toQuery();
  return [text, values.length > 0 ? values : undefined];
}

/** The copy of the store kept while a crash-safe transaction runs (its presence at open means one was interrupted). */
export const backupPath = (path: string) => `${path}.avant-chargement`;

/**
 * Puts back the copy left by an interrupted crash-safe transaction, before DuckDB opens the file: the store is
 * exactly as it was before that transaction. Its WAL files are deleted first (they describe changes made after the
 * copy, relative to the file being replaced). A partial copy (crash while copying) is just deleted.
 */
export function recoverInterruptedLoad(path: string): boolean {
  const backup = backupPath(path);
  // A load in progress in another live process (the server importing while a command opens the same file): not
  // interrupted. DuckDB's own lock then refuses this second opening, as it always did.
  if (loadingProcessAlive(path)) return false;
  rmSync(`${backup}.partielle`, { force: true });
  if (!existsSync(backup)) {
    rmSync(ownerPath(path), { force: true });
    return false;
  }
  putBackCopy(path);
  console.error(`Un chargement interrompu (arrêt brutal) a été détecté : la base ${path} a été remise dans son état d’avant ce chargement.`);
  return true;
}

/** Puts the copy back in place of the file; its WAL files go first (they describe changes made after the copy). */
function putBackCopy(path: string): void {
  const dir = dirname(path);
  const name = basename(path);
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(`${name}.wal`)) rmSync(join(dir, entry), { force: true });
  }
  fsyncFile(dir);
  renameSync(backupPath(path), path);
  fsyncFile(dir);
  // The load is over only once the copy is back: a crash before this leaves its owner's pid, dead, and the copy.
  rmSync(ownerPath(path), { force: true });
}

const ownerPath = (path: string) => `${backupPath(path)}.pid`;

function loadingProcessAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(ownerPath(path), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: gone, the load was interrupted.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
