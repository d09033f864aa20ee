import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEGAL_INDICATORS } from '@mixite/core';
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

  it('refuses out-of-range values on their field (a 150 % per-perimeter target, a minimum count of 0), never clamped', async () => {
    const current = await t.json<Configuration>('/api/configuration');
    const contenu = {
      ...current.contenu,
      cibles_par_perimetre: [{ indicateur: 'hors_qpv_q1', perimetre_type: 'commune', perimetre_id: '91001', cible: 1.5 }],
      effectif_minimum: 0,
    };
    const response = await t.request('/api/configuration', jsonBody('PUT', { contenu }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { details: { chemin: string; message: string }[] };
    expect(body.details.map((d) => d.chemin).sort()).toEqual(['cibles_par_perimetre.0.cible', 'effectif_minimum']);
    expect(body.details.find((d) => d.chemin === 'effectif_minimum')?.message).toContain('au moins 1 ménage');
    // Nothing saved, nothing clamped: the store still holds version 1 only, with no per-perimeter target.
    expect(await scalar<number>(t.store, `SELECT max(version)::INTEGER AS v FROM configuration`)).toBe(1);
    expect(await scalar<number>(t.store, `SELECT json_array_length(contenu->'cibles_par_perimetre')::INTEGER AS v FROM configuration`)).toBe(0);
  });

  it('shows in the history what each version changed, before → after', async () => {
    const current = await t.json<Configuration>('/api/configuration');
    const contenu = { ...current.contenu, cibles: { ...current.contenu.cibles, hors_qpv_q1: 0.3 }, effectif_minimum: 15 };
    expect((await t.request('/api/configuration', jsonBody('PUT', { contenu }))).status).toBe(200);
    const history = await t.json<Tableau<{ version: number; modifications: string[] }>>('/api/configuration/versions');
    expect(history.colonnes.map((c) => c.cle)).toContain('modifications');
    const [v2, v1] = history.lignes;
    expect(v2?.version).toBe(2);
    // Written by hand: the cia.yaml's 25 % (its default) becomes 30 %; the default minimum of 20 becomes 15.
    expect(v2?.modifications).toEqual([`Objectif « ${LEGAL_INDICATORS.hors_qpv_q1.libelle} » : 25\u00a0% → 30\u00a0%`, 'Effectif minimum d’un taux jugé : 20 → 15']);
    // Version 1 (the import of cia.yaml) against the format's defaults: the SIREN and the local 81 % at least.
    expect(v1?.modifications).toEqual(expect.arrayContaining(['SIREN de l’EPCI : aucun → 200059228', `Objectif « ${LEGAL_INDICATORS.qpv_hors_q1.libelle} » : 50\u00a0% → 81\u00a0%`]));
    // A save that changes nothing says so.
    expect((await t.request('/api/configuration', jsonBody('PUT', { contenu }))).status).toBe(200);
    const apres = await t.json<Tableau<{ version: number; modifications: string[] }>>('/api/configuration/versions');
    expect(apres.lignes[0]).toMatchObject({ version: 3, modifications: [] });
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

  it('keeps the median and Q3 an arrêté publishes (seuil_q2, seuil_q3) and refuses them out of order', async () => {
    const avant = await t.json<Tableau<Record<string, unknown>>>('/api/seuils');
    const seuils = [
      { annee: 2024, code_epci: null, seuil_q1: 11379, source: 'arrêté', seuil_q2: 17796.5, seuil_q3: 23556 },
      { annee: 2023, code_epci: null, seuil_q1: 11000, source: null },
    ];
    const apres = await t.json<Tableau<Record<string, unknown>>>('/api/seuils', jsonBody('PUT', { seuils }));
    expect(apres.lignes).toEqual([
      { annee: 2024, code_epci: null, seuil_q1: 11379, source: 'arrêté', seuil_q2: 17796.5, seuil_q3: 23556 },
      { annee: 2023, code_epci: null, seuil_q1: 11000, source: null, seuil_q2: null, seuil_q3: null },
    ]);
    // Q2 (10 000) below Q1 (11 379): refused, nothing changed.
    const desordre = await t.request('/api/seuils', jsonBody('PUT', { seuils: [{ annee: 2024, seuil_q1: 11379, seuil_q2: 10000 }] }));
    expect(desordre.status).toBe(422);
    expect(JSON.stringify(await desordre.json())).toMatch(/seuil_q1 ≤ seuil_q2 ≤ seuil_q3/);
    expect((await t.json<Tableau<Record<string, unknown>>>('/api/seuils')).lignes).toEqual(apres.lignes);
    await t.json('/api/seuils', jsonBody('PUT', { seuils: avant.lignes }));
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
