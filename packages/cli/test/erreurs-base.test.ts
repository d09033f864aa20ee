import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The database's failures reach the user of the command line in French, with what to do — never DuckDB's English
 * text nor a stack trace. Each failure is real: a second process holding the store's lock, a store path that is no
 * store, a disk that fills up (a 24 KB tmpfs, when this machine lets the test mount one).
 */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
const DUCKDB = fileURLToPath(new URL('../../../node_modules/@duckdb/node-api/lib/index.js', import.meta.url));

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0', MIXITE_DEBOGAGE: '' } });

/** Nothing of DuckDB's English, no stack frame, no Node banner. */
function expectFrenchOnly(stderr: string): void {
  expect(stderr).not.toMatch(/\b(IO|Constraint|TransactionContext|FATAL|Conversion|Catalog) Error\b/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('Node.js v');
  expect(stderr).not.toContain('triggerUncaughtException');
}

describe('database errors on the command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-erreurs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says in French that another process holds the store, and which, when it is locked', async () => {
    const base = join(dir, 'verrou.duckdb');
    expect(run('import', MINI, '--base', base).status).toBe(0);
    // A second program opens the store and keeps it, as a running server does.
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `const { DuckDBInstance } = await import(${JSON.stringify(DUCKDB)}); const i = await DuckDBInstance.create(${JSON.stringify(base)}); console.log('ouverte'); setInterval(() => i, 1000);`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('ouverte') ? resolve() : undefined));
        holder.once('exit', () => reject(new Error('le processus qui tient la base s’est arrêté')));
      });
      for (const args of [
        ['exporter', '--base', base, '--out', join(dir, 'copie')],
        ['indicateurs', '--base', base, '--annee', '2024'],
        ['import', MINI, '--base', base],
      ]) {
        const result = run(...args);
        expect(result.status, args.join(' ')).toBe(1);
        expect(result.stderr).toContain(`Erreur : La base ${base} est ouverte par un autre processus (n° ${holder.pid})`);
        expect(result.stderr).toContain('Arrêtez-le (ou attendez qu’il finisse), puis relancez la commande.');
        expectFrenchOnly(result.stderr);
      }
    } finally {
      holder.kill();
    }
  });

  it('says in French that a path is no store, for a folder and for a file of another kind', () => {
    const folder = join(dir, 'dossier.duckdb');
    mkdirSync(folder);
    const other = join(dir, 'texte.duckdb');
    writeFileSync(other, 'ceci n’est pas une base\n');
    for (const base of [folder, other]) {
      const result = run('exporter', '--base', base, '--out', join(dir, 'sortie'));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Erreur : Le fichier ${base} n’est pas une base Mixité lisible : vérifiez le chemin donné par --base ou MIXITE_BASE`);
      expectFrenchOnly(result.stderr);
    }
  });

  const petit = join(tmpdir(), `mixite-disque-plein-${process.pid}`);
  mkdirSync(petit, { recursive: true });
  const monte = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24k', 'tmpfs', petit]).status === 0;

  it.skipIf(!monte)('says in French that the disk is full (a 24 KB tmpfs)', () => {
    try {
      const result = run('import', MINI, '--base', join(petit, 'base.duckdb'));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Erreur : Le disque de la base ${join(petit, 'base.duckdb')} est plein : l’opération en cours n’a pas été enregistrée`);
      expect(result.stderr).toContain('Libérez de la place sur ce disque');
      expectFrenchOnly(result.stderr);
    } finally {
      spawnSync('umount', [petit]);
      rmSync(petit, { recursive: true, force: true });
    }
  });

  it('names a fault of the program by its kind and a reference, without its text', () => {
    // An option value that makes a command fail inside (a grid that is a folder): no stack, no English.
    const result = run('cotation', '--grille', dir, '--data', MINI, '--annee', '2024');
    expect(result.status).not.toBe(0);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('Node.js v');
  });
});
