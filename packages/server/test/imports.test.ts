import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '@mixite/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tableau, Televersement } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { ConfigurationInvalideError, reglesDepuisEnvironnement } from '../src/securite.ts';
import { MINI, datasetForm, openTestApp, scalar } from './helpers.ts';

const seuilsCsv = readFileSync(join(MINI, 'seuils.csv'), 'utf8');

function oneFile(name: string, content: string): FormData {
  const form = new FormData();
  form.append('fichiers', new File([content], name));
  return form;
}

describe('Données: upload, simulation report, confirmation, history', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp();
  });
  afterEach(() => t.close());

  it('reports a malformed file with a located French error, gives no token, and leaves the store unchanged', async () => {
    const bad = seuilsCsv.replace('2024;;11379;', '2024;;onze mille;');
    const before = await scalar<number>(t.store, `SELECT sum(seuil_q1)::DOUBLE AS v FROM seuils`);
    const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: oneFile('seuils.csv', bad) });
    expect(answer.jeton).toBeNull();
    expect(answer.rapport.statut).toBe('echoue');
    expect(answer.rapport.erreurs).toContainEqual(
      expect.objectContaining({ severite: 'erreur', fichier: 'seuils.csv', ligne: 3, colonne: 'seuil_q1', valeur: 'onze mille' }),
    );
    expect(await scalar<number>(t.store, `SELECT sum(seuil_q1)::DOUBLE AS v FROM seuils`)).toBe(before);
    expect(t.mixite.deps.uploads.heldFolders()).toEqual([]);
  });

  it('validates without writing, then imports on confirmation and lists the import in the history', async () => {
    const good = seuilsCsv.replace('2024;;11379;', '2024;;12000;');
    const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: oneFile('seuils.csv', good) });
    expect(answer.rapport.statut).toBe('reussi');
    expect(answer.jeton).toEqual(expect.any(String));
    // Simulation only: nothing written yet.
    expect(await scalar<number>(t.store, `SELECT seuil_q1::DOUBLE AS v FROM seuils WHERE annee = 2024`)).toBe(11379);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM imports`)).toBe(1);

    const report = await t.json<ImportReport>(`/api/televersements/${answer.jeton}/confirmation`, { method: 'POST' });
    expect(report).toMatchObject({ statut: 'reussi', importId: 2 });
    expect(await scalar<number>(t.store, `SELECT seuil_q1::DOUBLE AS v FROM seuils WHERE annee = 2024`)).toBe(12000);

    const history = await t.json<Tableau<{ id: number; fichiers: string; lignes: number }>>('/api/imports');
    expect(history.lignes[0]).toMatchObject({ id: 2, fichiers: 'seuils.csv', lignes: 2 });
    expect(history.lignes).toHaveLength(2);
    expect(await t.json<ImportReport>('/api/imports/2')).toMatchObject({ statut: 'reussi' });
    // The token is spent.
    expect((await t.request(`/api/televersements/${answer.jeton}/confirmation`, { method: 'POST' })).status).toBe(404);
    expect(t.mixite.deps.uploads.heldFolders()).toEqual([]);
  });

  it('accepts a whole dataset folder, names carrying a relative path', async () => {
    const form = new FormData();
    for (const entry of datasetForm(MINI).getAll('fichiers') as File[]) form.append('fichiers', new File([await entry.arrayBuffer()], `mini/${entry.name}`));
    const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: form });
    expect(answer.rapport.statut).toBe('reussi');
    expect(answer.rapport.fichiers.map((f) => f.table).sort()).toContain('attributions');
    expect((await t.request(`/api/televersements/${answer.jeton}`, { method: 'DELETE' })).status).toBe(204);
    expect(t.mixite.deps.uploads.heldFolders()).toEqual([]);
  });

  it('names an unrecognised file in the report', async () => {
    const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: oneFile('divers.csv', 'a;b\n1;2\n') });
    expect(answer.jeton).toBeNull();
    expect(answer.rapport.erreurs[0]).toMatchObject({ fichier: 'divers.csv', message: expect.stringContaining('fichier non reconnu') });
  });

  it('applies the deployment’s limits before any parsing: too many columns are refused with the file named, nothing kept', async () => {
    const bornee = await openTestApp({ securite: { colonnesMaxImport: 20 } });
    try {
      const demandes = readFileSync(join(MINI, 'demandes.csv'), 'utf8');
      // The header of the mini demandes.csv has 28 columns (27 semicolons), counted here independently of the code.
      expect(demandes.split('\n')[0]?.split(';')).toHaveLength(28);
      const form = oneFile('seuils.csv', seuilsCsv);
      form.append('fichiers', new File([demandes], 'demandes.csv'));
      const answer = (await (await bornee.request('/api/televersements', { method: 'POST', body: form })).json()) as Televersement;
      expect(answer.jeton).toBeNull();
      expect(answer.rapport.erreurs).toEqual([
        expect.objectContaining({ fichier: 'demandes.csv', ligne: 1, message: 'l’en-tête compte 28 colonnes ; au plus 20 acceptées' }),
      ]);
      expect(bornee.mixite.deps.uploads.heldFolders()).toEqual([]);
    } finally {
      bornee.close();
    }
  });

  it('reads the import limits from the environment of npm start', () => {
    expect(reglesDepuisEnvironnement({ MIXITE_IMPORT_COLONNES_MAX: '200', MIXITE_IMPORT_CELLULES_MAX: '500000' })).toMatchObject({
      colonnesMaxImport: 200,
      cellulesMaxImport: 500_000,
    });
    expect(() => reglesDepuisEnvironnement({ MIXITE_IMPORT_COLONNES_MAX: 'beaucoup' })).toThrow(ConfigurationInvalideError);
    expect(() => reglesDepuisEnvironnement({ MIXITE_IMPORT_CELLULES_MAX: '0' })).toThrow(/MIXITE_IMPORT_CELLULES_MAX invalide/);
  });

  it('refuses a request without files, and an unknown token', async () => {
    expect((await t.request('/api/televersements', { method: 'POST', body: new FormData() })).status).toBe(400);
    expect((await t.request('/api/televersements', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await t.request('/api/televersements/inconnu/confirmation', { method: 'POST' })).status).toBe(404);
    expect((await t.request('/api/imports/99')).status).toBe(404);
  });
});
