import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationInvalideError } from '../src/securite.ts';
import { startServer } from '../src/start.ts';
import { MINI } from './helpers.ts';

/** A store damaged by a crash (issue 10) is refused at start with a French message saying how to restore it. */
describe('démarrage sur une base endommagée', () => {
  let dir: string;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-integrite-'));
    base = join(dir, 'base.duckdb');
    const store = await Store.open(base);
    try {
      await importDataset(store, [MINI]);
      // What the red team found after a kill -9: logements holding the old rows and the new ones, same ids.
      await store.run(`INSERT INTO logements SELECT * FROM logements`);
    } finally {
      store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuse de servir la base, en disant ce qui ne va pas et comment la restaurer', async () => {
    const error = await startServer({ port: 0, basePath: base, securite: { mode: 'demonstration' }, webDist: null, log: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationInvalideError);
    const message = (error as Error).message;
    expect(message).toContain(`La base ${base} est endommagée`);
    expect(message).toContain('logements : 4 lignes en double sur la clé (id)');
    expect(message).toContain('logements : 8 lignes au lieu des 4 enregistrées');
    expect(message).toContain('restaurez la dernière sauvegarde de ce fichier');
    expect(message).toContain(`mixite import DOSSIER --base ${base}`);
    // Refused before anything was written: the store is still exactly as damaged (no demo territory imported over it).
    const store = await Store.open(base);
    try {
      expect(await store.all(`SELECT count(*)::INTEGER AS n FROM logements`)).toEqual([{ n: 8 }]);
      expect(await store.all(`SELECT count(*)::INTEGER AS n FROM imports`)).toEqual([{ n: 1 }]);
    } finally {
      store.close();
    }
  });

  it('démarre une fois la base réparée par un réimport', async () => {
    const store = await Store.open(base);
    try {
      await importDataset(store, [MINI]);
    } finally {
      store.close();
    }
    const server = await startServer({ port: 0, basePath: base, securite: { mode: 'demonstration' }, webDist: null, log: () => {} });
    try {
      expect((await fetch(`${server.url}api/sante`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
