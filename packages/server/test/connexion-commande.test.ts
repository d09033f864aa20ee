import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, backupPath } from '@mixite/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TourDeRole, connexionCommande } from '../src/canal-local.ts';
import { ReadWriteLock } from '../src/http/lock.ts';

/**
 * The connection a command gets in the server (decision 0007), on a real store file: the web's readers (main
 * connection, read lock) are not held by an import's load and read the last committed state during it; any other
 * transaction of the command runs under the write lock.
 */
describe('a command’s connection to the server’s store', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-connexion-commande-'));
    store = await Store.open(join(dir, 'base.duckdb'));
    await store.run(`CREATE TABLE t AS SELECT range AS i FROM range(10)`);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const compter = async (s: Store) => (await s.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM t`))[0]?.n;

  it('lets readers read the old rows while a crash-safe load is written, and shows the new ones after its commit', async () => {
    const lock = new ReadWriteLock();
    const connexion = await connexionCommande(store, lock);
    const generation = lock.generation;
    let luPendant: number | undefined;
    await connexion.crashSafeTransaction(async () => {
      await connexion.run(`DELETE FROM t`);
      await connexion.run(`INSERT INTO t SELECT range FROM range(25)`);
      // A web reader during the load: were the load holding the lock, this would wait for it forever.
      luPendant = await lock.read(() => compter(store));
    });
    expect(luPendant).toBe(10); // the 10 rows committed before the load
    expect(await lock.read(() => compter(store))).toBe(25); // 0..24 after the commit
    // The commit went through the write lock: the cached figures keyed by the generation are dropped.
    expect(lock.generation).toBeGreaterThan(generation);
    connexion.close();
  });

  it('once the command line has gone, no later statement runs: a load abandoned between two queries rolls back', async () => {
    const lock = new ReadWriteLock();
    const abandon = new AbortController();
    const connexion = await connexionCommande(store, lock, { abandon: abandon.signal });
    await expect(
      connexion.crashSafeTransaction(async () => {
        await connexion.run(`DELETE FROM t`);
        abandon.abort(); // between two statements: no running query for an interruption to stop
        await connexion.run(`INSERT INTO t VALUES (99)`);
      }),
    ).rejects.toThrow(/abandonnée/);
    expect(await lock.read(() => compter(store))).toBe(10); // the 10 rows of before, none deleted
    expect(existsSync(backupPath(store.path))).toBe(false); // the copy of decision 0004 is gone with the rollback
    connexion.close();
  });

  it('takes the crash-safe loads one at a time (one copy of the file, decision 0004)', async () => {
    const lock = new ReadWriteLock();
    const chargements = new TourDeRole();
    const a = await connexionCommande(store, lock, { chargements });
    const b = await connexionCommande(store, lock, { chargements });
    const ordre: string[] = [];
    const charger = (c: Store, nom: string, n: number) =>
      c.crashSafeTransaction(async () => {
        ordre.push(`${nom} début`);
        await c.run(`DELETE FROM t`);
        await c.run(`INSERT INTO t SELECT range FROM range(${n})`);
        await new Promise((r) => setTimeout(r, 30));
        ordre.push(`${nom} fin`);
      });
    // Together, the two DELETEs would conflict (DuckDB refuses the second) and the two copies would overwrite each other.
    await Promise.all([charger(a, 'a', 3), charger(b, 'b', 5)]);
    expect(ordre).toEqual(['a début', 'a fin', 'b début', 'b fin']);
    expect(await compter(store)).toBe(5); // b's rows, loaded last
    a.close();
    b.close();
  });

  it('runs any other transaction whole under the write lock: a reader waits for its commit', async () => {
    const lock = new ReadWriteLock();
    const connexion = await connexionCommande(store, lock);
    let lecture: Promise<number | undefined> | null = null;
    await connexion.transaction(async () => {
      await connexion.run(`INSERT INTO t VALUES (10)`);
      lecture = lock.read(() => compter(store));
      // Give the reader every chance to run before the commit: it must not.
      await new Promise((r) => setTimeout(r, 50));
      await connexion.run(`INSERT INTO t VALUES (11)`);
    });
    expect(await (lecture as unknown as Promise<number | undefined>)).toBe(12); // 10 + the 2 rows, read after the commit
    connexion.close();
  });
});
