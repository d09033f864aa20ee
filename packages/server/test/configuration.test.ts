import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Configuration, Tableau } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { jsonBody, openTestApp, scalar } from './helpers.ts';

describe('CIA settings', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp();
  });
  afterEach(() => t.close());

  it('reads the configuration imported with the dataset (cia.yaml of the mini territory)', async () => {
    const config = await t.json<Configuration>('/api/configuration');
    expect(config.version).toBe(1);
    expect(config.contenu.cibles.qpv_hors_q1).toBe(0.81);
    expect(config.contenu.cibles.hors_qpv_q1).toBe(0.25);
    expect(config.origine).toBe('import : cia.yaml');
  });

  it('saves a valid change as a new version, dated and signed by the user', async () => {
    const current = await t.json<Configuration>('/api/configuration');
    const contenu = { ...current.contenu, cibles: { ...current.contenu.cibles, hors_qpv_q1: 0.3 } };
    const saved = await t.json<Configuration>(
      '/api/configuration',
      jsonBody('PUT', { contenu }, { 'x-mixite-utilisateur': encodeURIComponent('Élise Martin') }),
    );
    expect(saved.version).toBe(2);
    expect(saved.auteur).toBe('Élise Martin');
    expect(saved.contenu.cibles.hors_qpv_q1).toBe(0.3);
    // Read back with plain SQL: the row is in the store.
    expect(await scalar<number>(t.store, `SELECT (contenu->'cibles'->>'hors_qpv_q1')::DOUBLE AS v FROM configuration WHERE version = 2`)).toBe(0.3);
    expect(await scalar<string>(t.store, `SELECT auteur AS v FROM configuration WHERE version = 2`)).toBe('Élise Martin');
    const history = await t.json<Tableau<{ version: number; auteur: string }>>('/api/configuration/versions');
    expect(history.lignes.map((l) => l.version)).toEqual([2, 1]);
  });

  it('refuses a target above 100 % with a located French message, and keeps the current version', async () => {
    const current = await t.json<Configuration>('/api/configuration');
    const response = await t.request('/api/configuration', jsonBody('PUT', { contenu: { ...current.contenu, cibles: { hors_qpv_q1: 1.5 } } }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { message: string; details: { chemin: string; message: string }[] };
    expect(body.details).toEqual([expect.objectContaining({ chemin: 'cibles.hors_qpv_q1', message: expect.stringContaining('une part entre 0 et 1') })]);
    expect(await scalar<number>(t.store, `SELECT max(version)::INTEGER AS v FROM configuration`)).toBe(1);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await t.request('/api/configuration', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(response.status).toBe(400);
  });

  it('gives the defaults of the format, version 0, on an empty store', async () => {
    const empty = await openTestApp({ dataset: null });
    try {
      const config = await empty.json<Configuration>('/api/configuration');
      expect(config).toMatchObject({ version: 0, auteur: null, contenu: { cibles: { hors_qpv_q1: 0.25, qpv_hors_q1: 0.5 }, secret_statistique: 11 } });
    } finally {
      empty.close();
    }
  });

  it('replaces the first-quartile thresholds and records who changed them', async () => {
    const before = await t.json<Tableau<{ annee: number; seuil_q1: number }>>('/api/seuils');
    expect(before.lignes.map((l) => [l.annee, l.seuil_q1])).toEqual([
      [2024, 11379],
      [2023, 11000],
    ]);
    const seuils = [
      { annee: 2024, code_epci: null, seuil_q1: 11500.5, source: 'arrêté modifié' },
      { annee: 2023, code_epci: null, seuil_q1: 11000, source: null },
    ];
    const after = await t.json<Tableau<{ annee: number; seuil_q1: number }>>('/api/seuils', jsonBody('PUT', { seuils }, { 'x-mixite-utilisateur': 'DDT' }));
    expect(after.lignes.map((l) => l.seuil_q1)).toEqual([11500.5, 11000]);
    expect(await scalar<number>(t.store, `SELECT seuil_q1::DOUBLE AS v FROM seuils WHERE annee = 2024`)).toBe(11500.5);
    const config = await t.json<Configuration>('/api/configuration');
    expect(config).toMatchObject({ version: 2, auteur: 'DDT', origine: 'seuils du premier quartile modifiés' });
  });

  it('refuses two thresholds for the same year', async () => {
    const seuils = [
      { annee: 2024, seuil_q1: 1 },
      { annee: 2024, seuil_q1: 2 },
    ];
    const response = await t.request('/api/seuils', jsonBody('PUT', { seuils }));
    expect(response.status).toBe(422);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM seuils`)).toBe(2);
  });
});
