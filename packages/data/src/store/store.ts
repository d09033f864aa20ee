import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { MIGRATIONS } from './migrations.ts';

/** Default store of a deployment, relative to the working directory (configurable with MIXITE_BASE or --base). */
export const DEFAULT_STORE_PATH = 'data/mixite.duckdb';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/**
 * The DuckDB store of a deployment: one file, or `:memory:` for tests.
 * Holds one connection; callers that need a transaction use `transaction()`.
 */
export class Store {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly ownsInstance: boolean = true,
  ) {}

  /**
   * A second connection to the same database, for work that must not hold this one (the check of an upload while
   * the server keeps answering): its temporary tables and transactions are its own, it reads committed data only.
   * Closing it closes this connection only.
   */
  async connectAgain(): Promise<Store> {
    return new Store(this.path, this.instance, await this.instance.connect(), false);
  }

  static async open(path: string = DEFAULT_STORE_PATH): Promise<Store> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const store = new Store(path, instance, connection);
    await store.migrate();
    return store;
  }

  /** Rows as plain objects (JS values: bigint for BIGINT, DuckDB value objects for DATE/DECIMAL unless cast in SQL). */
  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params);
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

  async schemaVersion(): Promise<number> {
    const rows = await this.all<{ v: number | null }>(
      `SELECT max(version)::INTEGER AS v FROM schema_version`,
    );
    return rows[0]?.v ?? 0;
  }

  private async migrate(): Promise<void> {
    await this.run(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, date_application TIMESTAMP)`);
    const current = await this.schemaVersion();
    const pending = MIGRATIONS.filter((m) => m.version > current);
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
