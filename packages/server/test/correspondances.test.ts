import { afterEach, describe, expect, it } from 'vitest';
import type { Correspondance, PropositionCorrespondanceApi } from '@mixite/contract';
import { EXTRACTIONS } from '../../core/src/correspondance/extractions.test-data.ts';
import type { TestApp } from './helpers.ts';
import { ACCOUNTS, jsonBody, login, openProductionApp, openTestApp } from './helpers.ts';

/** The guided mapping of the Données page over HTTP: propose, save under a name, read back, list; admin and EPCI only. */
const SNE = EXTRACTIONS[0];

function formulaire(nom: string, contenu: string, fichier?: string): FormData {
  const form = new FormData();
  form.append('extraction', new File([contenu], nom));
  if (fichier) form.append('fichier', fichier);
  return form;
}

describe('correspondances guidées', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('propose une colonne par en-tête et un code par valeur, rend les premières lignes ; enregistre, relit, liste', async () => {
    t = await openTestApp();
    const p = await t.json<PropositionCorrespondanceApi>('/api/correspondances/proposition', { method: 'POST', body: formulaire('extraction_sne.csv', SNE?.csv ?? '') });
    expect(p).toMatchObject({ source: 'extraction_sne.csv', fichier: 'demandes', encodage: 'utf-8', separateur: ';' });
    // 5 data rows in the test extraction, 19 headers.
    expect(p.lignes).toHaveLength(5);
    expect(p.entetes).toHaveLength(19);
    expect(p.colonnes.find((c) => c.entete === 'Date de création de la demande')?.colonne).toBe('date_depot');
    expect(p.codes['statut']).toEqual({ Satisfaite: 'attribuee', Active: 'active', Radiée: 'radiee' });

    const mapping: Correspondance = {
      nom: 'SNE Essonne',
      fichiers: { demandes: { fichiers: ['extraction_sne*.csv'], colonnes: { 'Numéro unique départemental': 'nur' }, codes: { statut: { Satisfaite: 'attribuee' } } } },
    };
    const put = await t.request('/api/correspondances/SNE%20Essonne', jsonBody('PUT', mapping));
    expect(put.status).toBe(200);
    expect(await t.json<Correspondance>('/api/correspondances/SNE%20Essonne')).toEqual(mapping);
    const liste = await t.json<{ correspondances: { nom: string; fichiers: string }[] }>('/api/correspondances');
    expect(liste.correspondances.map((c) => [c.nom, c.fichiers])).toEqual([['SNE Essonne', 'demandes']]);
  });

  it('refuse une correspondance qui nomme une colonne hors format, en français, sans rien enregistrer', async () => {
    t = await openTestApp();
    const faux = { nom: 'Fausse', fichiers: { demandes: { colonnes: { Truc: 'revenu_annuel' } } } };
    const reponse = await t.request('/api/correspondances/Fausse', jsonBody('PUT', faux));
    expect(reponse.status).toBe(422);
    expect(JSON.stringify(await reponse.json())).toContain('« revenu_annuel » n’est pas une colonne de demandes.csv');
    expect((await t.json<{ correspondances: unknown[] }>('/api/correspondances')).correspondances).toEqual([]);
    expect((await t.request('/api/correspondances/Fausse')).status).toBe(404);
  });

  it('réutilise une correspondance enregistrée au dépôt des fichiers', async () => {
    t = await openTestApp();
    const mapping: Correspondance = {
      nom: 'Bailleurs renommés',
      fichiers: { bailleurs: { fichiers: ['liste_organismes*.csv'], colonnes: { Code: 'id', 'Raison sociale': 'nom', Famille: 'type' }, codes: { type: { OPH: 'oph', ESH: 'esh' } } } },
    };
    expect((await t.request('/api/correspondances/Bailleurs%20renomm%C3%A9s', jsonBody('PUT', mapping))).status).toBe(200);
    const form = new FormData();
    form.append('fichiers', new File(['Code;Raison sociale;Famille\nB1;Essonne Habitat;OPH\nB2;Les Résidences;ESH\n'], 'liste_organismes_2024.csv'));
    form.append('correspondanceEnregistree', 'Bailleurs renommés');
    const answer = await t.json<{ jeton: string | null; rapport: { statut: string; fichiers: { table: string; lignesChargees: number }[] } }>('/api/televersements', { method: 'POST', body: form });
    expect(answer.rapport.statut).toBe('reussi');
    expect(answer.rapport.fichiers).toMatchObject([{ table: 'bailleurs', lignesChargees: 2 }]);
  });

  it('inscrit au journal scellé l’enregistrement, le remplacement et la suppression d’une correspondance', async () => {
    t = await openTestApp();
    const v1: Correspondance = { nom: 'SNE 91', fichiers: { demandes: { fichiers: ['sne*.csv'], colonnes: { 'Numéro unique départemental': 'nur' }, codes: {} } } };
    const v2: Correspondance = {
      nom: 'SNE 91',
      fichiers: { demandes: { fichiers: ['sne*.csv'], colonnes: { NUR: 'nur' }, codes: {} }, bailleurs: { fichiers: ['organismes*.csv'], colonnes: { Code: 'id' }, codes: {} } },
    };
    expect((await t.request('/api/correspondances/SNE%2091', jsonBody('PUT', v1))).status).toBe(200);
    expect((await t.request('/api/correspondances/SNE%2091', jsonBody('PUT', v2))).status).toBe(200);
    expect((await t.request('/api/correspondances/SNE%2091', { method: 'DELETE' })).status).toBe(204);
    expect((await t.request('/api/correspondances/SNE%2091')).status).toBe(404);
    // Deleting what does not exist is a 404 and writes nothing; a refused mapping (422) writes nothing either.
    expect((await t.request('/api/correspondances/SNE%2091', { method: 'DELETE' })).status).toBe(404);
    expect((await t.request('/api/correspondances/Fausse', jsonBody('PUT', { nom: 'Fausse', fichiers: { demandes: { colonnes: { X: 'inconnue' } } } }))).status).toBe(422);
    const journal = await t.store.all<{ objet: string; details: string }>(`SELECT objet, details::VARCHAR AS details FROM journal WHERE action = 'correspondance' ORDER BY id`);
    expect(journal.map((j) => j.objet)).toEqual(['correspondance « SNE 91 » enregistrée', 'correspondance « SNE 91 » remplacée', 'correspondance « SNE 91 » supprimée']);
    expect(journal.map((j) => JSON.parse(j.details) as unknown)).toEqual([
      { fichiers: ['demandes'] },
      { fichiers: ['demandes', 'bailleurs'], fichiers_avant: ['demandes'] },
      { fichiers: ['demandes', 'bailleurs'] },
    ]);
    // The entries are part of the sealed chain, which still verifies.
    expect((await t.mixite.deps.audit.journal.verifier()).intacte).toBe(true);
  });

  it('seuls les comptes qui importent (admin, EPCI) proposent, lisent et enregistrent des correspondances', async () => {
    t = await openProductionApp();
    for (const account of ACCOUNTS) {
      const client = await login(t.mixite.app, account.email);
      const allowed = account.role === 'admin' || account.role === 'epci';
      expect((await client.request('/api/correspondances')).status, account.email).toBe(allowed ? 200 : 403);
      const proposition = await client.request('/api/correspondances/proposition', { method: 'POST', body: formulaire('x.csv', 'a;b\n1;2\n') });
      expect(proposition.status, account.email).toBe(allowed ? 200 : 403);
      const put = await client.request('/api/correspondances/X', jsonBody('PUT', { nom: 'X', fichiers: {} }));
      expect(put.status, account.email).toBe(allowed ? 200 : 403);
      const suppression = await client.request('/api/correspondances/X', { method: 'DELETE' });
      expect(suppression.status, account.email).toBe(allowed ? 204 : 403);
    }
  });
});
