import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormatDonnees } from '@mixite/contract';
import type { RapportImport, Tableau, Televersement } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { ACCOUNTS, MINI, login, openProductionApp, openTestApp } from './helpers.ts';

/** The mini territory's files, as a newcomer would pick some of them. */
function someFiles(names: readonly string[]): FormData {
  const form = new FormData();
  for (const name of names) form.append('fichiers', new File([readFileSync(join(MINI, name))], name));
  return form;
}

describe('Données pour un nouveau venu : guide, modèles, causes, aperçu, historique', () => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('sur le territoire mini', () => {
    beforeEach(async () => {
      t = await openTestApp();
    });

    it('liste les fichiers du jeu, ce que chacun est, et les lignes en base', async () => {
      const format = await t.json<FormatDonnees>('/api/format-donnees');
      expect(format.fichiers.map((f) => f.fichier)).toEqual([
        'communes',
        'qpv',
        'bailleurs',
        'reservataires',
        'residences',
        'occupation',
        'logements',
        'demandes',
        'attributions',
        'seuils',
        'conventions',
      ]);
      // Counted by hand in packages/data/test/fixtures/mini: 4 dwellings (L1–L4), 3 allocations (A1–A3), 4 demands.
      expect(format.lignesEnBase).toMatchObject({ logements: 4, attributions: 3, demandes: 4 });
      expect(format.fichiers.find((f) => f.fichier === 'attributions')?.renvoieA).toContain('logements');
    });

    it('envoie le modèle CSV (en-têtes du format, une ligne d’exemple) et le modèle XLSX', async () => {
      const csv = await t.request('/api/modeles/bailleurs?format=csv');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-disposition')).toBe('attachment; filename="bailleurs.csv"');
      // bailleurs.csv of the format: id;nom;type (docs/format-donnees.md), the first type code is oph.
      expect(await csv.text()).toBe('id;nom;type\nB1;Exemple;oph\n');
      const xlsx = await t.request('/api/modeles/demandes?format=xlsx');
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await xlsx.arrayBuffer());
      const sheet = wb.worksheets[0];
      expect(sheet?.name).toBe('demandes');
      expect(sheet?.getRow(1).getCell(1).value).toBe('nur');
      expect(sheet?.getRow(2).getCell(1).value).toBe('0912024000001');
      const inconnu = await t.request('/api/modeles/menages?format=csv');
      expect(inconnu.status).toBe(400);
      expect(((await inconnu.json()) as { message: string }).message).toContain('fichier inconnu : « menages »');
    });

    it('l’aperçu dit ce que l’import remplacera ; le rapport confirmé se rouvre depuis l’historique, avec son auteur', async () => {
      const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: someFiles(['logements.csv']) });
      expect(answer.rapport.statut).toBe('reussi');
      // The store holds the mini's 4 dwellings; the file has the same 4 rows.
      expect(answer.rapport.fichiers[0]).toMatchObject({ fichier: 'logements.csv', lignesAvant: 4, lignesChargees: 4 });
      const report = await t.json<RapportImport>(`/api/televersements/${answer.jeton}/confirmation`, { method: 'POST' });
      const history = await t.json<Tableau>('/api/imports');
      expect(history.colonnes.map((c) => c.cle)).toContain('auteur');
      expect(history.lignes[0]).toMatchObject({ id: report.importId, fichiers: 'logements.csv' });
      const reopened = await t.json<RapportImport>(`/api/imports/${String(report.importId)}`);
      expect(reopened.fichiers[0]).toMatchObject({ lignesAvant: 4, lignesChargees: 4 });
      expect(reopened.avertissements).toEqual(report.avertissements);
    });
  });

  it('sur une base vide, des attributions sans logements.csv : une seule cause, comptée', async () => {
    t = await openTestApp({ dataset: null });
    const answer = await t.json<Televersement>('/api/televersements', {
      method: 'POST',
      body: someFiles(['communes.csv', 'qpv.csv', 'bailleurs.csv', 'reservataires.csv', 'demandes.csv', 'attributions.csv']),
    });
    expect(answer.jeton).toBeNull();
    const logements = (answer.rapport.causes ?? []).filter((c) => c.libelle.startsWith('logements.csv manquant'));
    // The mini's three allocations all name a dwelling (L1, L3, L3).
    expect(logements.map((c) => [c.fichier, c.colonne, c.nombre, c.libelle])).toEqual([
      ['attributions.csv', 'logement_id', 3, 'logements.csv manquant : 3 lignes de attributions.csv y renvoient (colonne logement_id)'],
    ]);
  });

  it('seuls les comptes qui importent (admin, EPCI) lisent le guide et les modèles', async () => {
    t = await openProductionApp();
    for (const account of ACCOUNTS) {
      const client = await login(t.mixite.app, account.email);
      const allowed = account.role === 'admin' || account.role === 'epci';
      for (const path of ['/api/format-donnees', '/api/modeles/demandes?format=csv']) {
        expect((await client.request(path)).status, `${account.email} ${path}`).toBe(allowed ? 200 : 403);
      }
    }
    expect((await t.mixite.app.request('/api/format-donnees')).status).toBe(401);
  });
});
