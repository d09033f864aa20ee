import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, StoreIntegrityError, assertIntegrity, backupPath, checkIntegrity, importDataset } from '../src/index.ts';
import { CLI } from './crash-harness.ts';
import { MINI, sha256, tempDir } from './helpers.ts';

/** A damaged store is built by hand (duplicated rows, a missing import row…) from the mini territory imported into a file. */

let work: { dir: string; cleanup: () => void };
let base: string;

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(base);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const count = (store: Store, sql: string) => store.all<{ n: number }>(`SELECT (${sql})::INTEGER AS n`).then((r) => r[0]?.n ?? -1);

function mixite(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(async () => {
  work = tempDir('mixite-integrite-');
  base = join(work.dir, 'base.duckdb');
  await withStore((store) => importDataset(store, [MINI]));
});
afterEach(() => work.cleanup());

describe('contrôle d’intégrité de la base', () => {
  it('une base importée est cohérente, et chaque table a son nombre de lignes enregistré avec l’import', async () => {
    await withStore(async (store) => {
      expect(await checkIntegrity(store)).toEqual([]);
      // 4 logements in the mini territory (5 lines with the header), recorded by import n° 1.
      expect(await store.all(`SELECT lignes::INTEGER AS lignes, import_id FROM etat_tables WHERE nom = 'logements'`)).toEqual([{ lignes: 4, import_id: 1 }]);
      // One per data table: the ten of the contract and conventions (issue 13).
      expect(await count(store, 'SELECT count(*) FROM etat_tables')).toBe(11);
    });
  });

  it('signale des lignes anciennes et nouvelles mélangées (clés en double, nombre de lignes faux)', async () => {
    await withStore(async (store) => {
      // The red team's damaged store: logements holding its old rows and new ones with the same ids.
      await store.run(`INSERT INTO logements SELECT * FROM logements`);
      expect(await checkIntegrity(store)).toEqual([
        { type: 'doublons', table: 'logements', cle: ['id'], lignes: 4 },
        { type: 'lignes', table: 'logements', attendu: 4, trouve: 8 },
      ]);
      const error = await assertIntegrity(store).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreIntegrityError);
      expect((error as StoreIntegrityError).tablesEndommagees).toEqual(['logements']);
      expect((error as Error).message).toContain(`La base ${base} est endommagée`);
      expect((error as Error).message).toContain('logements : 4 lignes en double sur la clé (id)');
      expect((error as Error).message).toContain('restaurez la dernière sauvegarde');
      expect((error as Error).message).toContain(`mixite import DOSSIER --base ${base}`);
    });
  });

  it('signale des lignes perdues et un historique des imports incohérent', async () => {
    await withStore(async (store) => {
      await store.run(`DELETE FROM attributions WHERE id IN (SELECT min(id) FROM attributions)`);
      await store.run(`DELETE FROM imports`);
      expect(await checkIntegrity(store)).toEqual([
        { type: 'lignes', table: 'attributions', attendu: 3, trouve: 2 },
        { type: 'historique', importEnregistre: 1, dernierImport: null },
      ]);
    });
  });

  it('une clé composée avec une partie vide compte comme une clé (seuils de tout le territoire)', async () => {
    await withStore(async (store) => {
      await store.run(`INSERT INTO seuils (annee, code_epci, seuil_q1, source) VALUES (1999, NULL, 1, 'a'), (1999, NULL, 2, 'b')`);
      await store.run(`DELETE FROM etat_tables`); // a store from before migration 3: keys only
      expect(await checkIntegrity(store)).toEqual([{ type: 'doublons', table: 'seuils', cle: ['annee', 'code_epci'], lignes: 1 }]);
    });
  });

  it('la ligne de commande refuse de lire une base endommagée, avec le message en français ; réimporter la répare', async () => {
    await withStore((store) => store.run(`INSERT INTO demandes SELECT * FROM demandes`));
    const refused = mixite('indicateurs', '--base', base, '--annee', '2024');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`La base ${base} est endommagée`);
    expect(refused.stderr).toContain('demandes : 4 lignes en double sur la clé (nur)');
    expect(refused.stderr).toContain('réimportez les derniers fichiers du territoire');

    const repaired = mixite('import', MINI, '--base', base);
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toContain('est endommagée');
    expect(repaired.stderr).toContain('La base est de nouveau cohérente.');
    await withStore(async (store) => {
      expect(await count(store, 'SELECT count(*) FROM demandes')).toBe(4);
      expect(await checkIntegrity(store)).toEqual([]);
    });
    expect(mixite('indicateurs', '--base', base, '--annee', '2024').code).toBe(0);
  });
});

describe('transaction résistante aux pannes', () => {
  it('une copie laissée par un chargement interrompu est remise en place à l’ouverture, WAL compris écarté', async () => {
    const before = sha256(base);
    copyFileSync(base, backupPath(base));
    // What a killed import leaves: changes made after the copy was taken, here left in the WAL (no checkpoint at close).
    const raw = await DuckDBInstance.create(base);
    const connection = await raw.connect();
    await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    await connection.run(`DELETE FROM occupation`);
    connection.closeSync();
    raw.closeSync();
    expect(existsSync(`${base}.wal`)).toBe(true);
    await withStore(async (store) => {
      expect(await count(store, 'SELECT count(*) FROM occupation')).toBe(1);
      expect(await checkIntegrity(store)).toEqual([]);
    });
    expect(existsSync(backupPath(base))).toBe(false);
    expect(sha256(base)).toBe(before); // byte for byte the store before the interrupted load
  });

  it('une copie dont le processus de chargement vit encore n’est pas remise en place (autre processus en plein import)', async () => {
    copyFileSync(base, backupPath(base));
    // The parent of this test process is alive: a load of another process in progress, not an interrupted one.
    writeFileSync(`${backupPath(base)}.pid`, String(process.ppid));
    await withStore((store) => store.run(`DELETE FROM occupation`));
    await withStore(async (store) => expect(await count(store, 'SELECT count(*) FROM occupation')).toBe(0));
    expect(existsSync(backupPath(base))).toBe(true);
    // Once that process is gone (here: its record is), the next opening puts the copy back.
    writeFileSync(`${backupPath(base)}.pid`, '999999999');
    await withStore(async (store) => expect(await count(store, 'SELECT count(*) FROM occupation')).toBe(1));
    expect(readdirSync(work.dir).filter((f) => f.includes('avant-chargement'))).toEqual([]);
  });

  it('un chargement refusé en cours de route ne laisse ni copie ni changement', async () => {
    await withStore(async (store) => {
      await expect(
        store.crashSafeTransaction(async () => {
          await store.run(`DELETE FROM logements`);
          throw new Error('refusé');
        }),
      ).rejects.toThrow('refusé');
      expect(await count(store, 'SELECT count(*) FROM logements')).toBe(4);
    });
    expect(readdirSync(work.dir).filter((f) => f.includes('avant-chargement'))).toEqual([]);
  });

  it('un chargement validé ne laisse pas de copie et tient dans le fichier seul (WAL vidé)', async () => {
    await withStore(async (store) => {
      await store.crashSafeTransaction(() => store.run(`DELETE FROM occupation`));
      expect(existsSync(backupPath(base))).toBe(false);
      const wal = readdirSync(work.dir).filter((f) => f === 'base.duckdb.wal');
      // The post-commit checkpoint leaves no WAL to replay (DuckDB may keep an empty file).
      for (const f of wal) expect(sha256(join(work.dir, f))).toBe(sha256('/dev/null'));
    });
  });
});
