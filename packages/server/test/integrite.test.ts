import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, checkIntegrity, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationInvalideError } from '../src/securite.ts';
import { startServer } from '../src/start.ts';
import { MINI, jsonBody, openTestApp } from './helpers.ts';

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

/** The application's own writes to data tables record the new row counts in the same transaction: no false alarm. */
describe('écritures de l’application et état attendu des tables', () => {
  it('la purge de conservation et la modification des seuils laissent la base cohérente', async () => {
    const app = await openTestApp({ securite: { mode: 'production', conservationMenagesAnnees: 1, maintenant: () => Date.parse('2035-06-01T00:00:00Z') } });
    try {
      const bilan = await app.mixite.deps.conservation.appliquer();
      expect(bilan.attributions + bilan.demandes).toBeGreaterThan(0);
      expect(await checkIntegrity(app.store)).toEqual([]);
      expect(await app.store.all(`SELECT lignes::INTEGER AS lignes, origine FROM etat_tables WHERE nom = 'attributions'`)).toEqual([
        { lignes: 3 - bilan.attributions, origine: 'purge de conservation' },
      ]);
    } finally {
      app.close();
    }
    const demo = await openTestApp();
    try {
      await demo.json('/api/seuils', jsonBody('PUT', { seuils: [{ annee: 2024, code_epci: null, seuil_q1: 9000, source: 'arrêté' }] }));
      expect(await checkIntegrity(demo.store)).toEqual([]);
      expect(await demo.store.all(`SELECT lignes::INTEGER AS lignes FROM etat_tables WHERE nom = 'seuils'`)).toEqual([{ lignes: 1 }]);
    } finally {
      demo.close();
    }
  });
});
