import ExcelJS from 'exceljs';
import type { ProgrammeApi } from '@mixite/contract';
import { calendrierSchema, programmeSchema } from '@mixite/contract';
import { importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * The action programme over HTTP (issue 19), production mode, mini territory (packages/data/test/fixtures/mini).
 * Fiche 1 is piloted by bailleur B1 with the State as partner; fiche 2 by bailleur B2. Linked indicators, by hand
 * from the mini territory: hors_qpv_q1 on the territory in 2024 = 1 lease of 1 outside QPV (A2, relocated NPNRU,
 * counts whatever its resources) = 100 %; prioritaires on contingent ETAT = A1, prioritaire, 1 of 1 = 100 %.
 */
describe('programme d’actions over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ securite: { maintenant: () => Date.UTC(2024, 6, 1) } });
    const wb = new ExcelJS.Workbook();
    const conv = wb.addWorksheet('Convention');
    for (const l of [['cle', 'valeur'], ['intitule', 'CIA Mini'], ['date_debut', '2023-01-01'], ['date_fin', '2028-12-31']]) conv.addRow(l);
    const f = wb.addWorksheet('Fiches');
    f.addRow(['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs']);
    f.addRow([1, 'Relogements hors QPV', 'O1', 'Loger hors QPV', '2024-06-15 : Réunir les bailleurs\n2024-07-10 : Point d’étape', 'bailleur:B1', 'etat', 'hors_qpv_q1\nprioritaires@contingent:ETAT', 'Réunions tenues']);
    f.addRow([2, 'Mutations', 'O2', '', '2024-06-20 : Bourse d’échanges', 'bailleur:B2', '', '', '']);
    await importerProgramme(t.store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
    for (const who of ['epci', 'b1', 'b2', 'etat', 'prefet', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const programme = async (who: string): Promise<ProgrammeApi> => {
    const r = await (c[who] as Client).request('/api/programme?annee=2024');
    expect(r.status, await r.clone().text()).toBe(200);
    return programmeSchema.parse(await r.json()) as ProgrammeApi;
  };
  const statut = (who: string, numero: number, s: string) => (c[who] as Client).request(`/api/programme/fiches/${numero}/statut`, jsonBody('PUT', { annee: 2024, statut: s }));
  const commenter = (who: string, numero: number, texte: string) => (c[who] as Client).request(`/api/programme/fiches/${numero}/commentaires`, jsonBody('POST', { annee: 2024, texte }));

  it('gives every partner the fiches with their linked indicators as the engine computes them', async () => {
    const p = await programme('epci');
    expect(p.convention?.intitule).toBe('CIA Mini');
    expect(p.fiches.map((f) => [f.numero, f.pilote, f.statut])).toEqual([
      [1, 'bailleur:B1', null],
      [2, 'bailleur:B2', null],
    ]);
    expect(p.fiches[0]?.indicateurs.map((i) => [i.indicateur, i.perimetre_id, i.valeurs.map((v) => [v.annee, v.numerateur, v.denominateur, v.taux])])).toEqual([
      ['hors_qpv_q1', null, [[2024, 1, 1, 1]]],
      ['prioritaires', 'ETAT', [[2024, 1, 1, 1]]],
    ]);
    expect(p.modifiable).toBe(true);
  });

  it('lets the EPCI set a status, signed and dated in the history and the audit log; a bailleur may not', async () => {
    expect((await statut('b1', 1, 'realisee')).status).toBe(403);
    const r = await statut('epci', 1, 'en_cours');
    expect(r.status, await r.clone().text()).toBe(200);
    const p = programmeSchema.parse(await r.json());
    expect(p.fiches[0]?.statut).toBe('en_cours');
    expect(p.historique).toEqual([{ numero: 1, annee: 2024, statut: 'en_cours', date: '2024-07-01T00:00:00', auteur: expect.any(String) }]);
    const journal = await t.store.all<{ action: string; objet: string }>(`SELECT action, objet FROM journal WHERE action = 'programme'`);
    expect(journal).toEqual([{ action: 'programme', objet: 'fiche 1' }]);
    expect((await statut('epci', 1, 'termine')).status).toBe(422);
    expect((await statut('epci', 9, 'en_cours')).status).toBe(404);
  });

  it('lets a bailleur comment the fiche it pilots, not another one; the State comments the fiche it is partner of', async () => {
    expect((await commenter('b1', 1, 'Trois relogements hors QPV au premier semestre.')).status).toBe(200);
    const refus = await commenter('b1', 2, 'Pas ma fiche');
    expect(refus.status).toBe(403);
    expect(((await refus.json()) as { message: string }).message).toMatch(/n’est pas pilotée par votre structure/);
    expect((await commenter('etat', 1, 'Suivi en commission de coordination.')).status).toBe(200);
    // The préfet's réservataire account (ETAT) is not the State partner « etat » of the fiche.
    expect((await commenter('prefet', 1, 'x')).status).toBe(403);
    const p = await programme('b1');
    expect(p.commentaires.map((x) => [x.numero, x.partenaire, x.texte])).toEqual([
      [1, 'bailleur:B1', 'Trois relogements hors QPV au premier semestre.'],
      [1, 'etat', 'Suivi en commission de coordination.'],
    ]);
    expect(p.fiches.map((f) => f.commentable)).toEqual([true, false]);
    expect(p.modifiable).toBe(false);
  });

  it('shows the public reader the fiches and statuses, without comments, authors nor small counts', async () => {
    const p = await programme('lecteur');
    expect(p.fiches[0]?.statut).toBe('en_cours');
    expect([p.commentaires, p.historique]).toEqual([[], []]);
    expect(p.fiches.every((f) => !f.commentable)).toBe(true);
    // One household of one: under the secrecy threshold of 11, masked for the public.
    expect(p.fiches[0]?.indicateurs[0]?.valeurs[0]?.numerateur ?? null).toBeNull();
    expect((await commenter('lecteur', 1, 'x')).status).toBe(403);
  });

  it('dates the obligations of the year, late or due soon as of the server’s day (1 July 2024)', async () => {
    expect((await statut('epci', 2, 'realisee')).status).toBe(200);
    const r = await (c.b2 as Client).request('/api/programme/calendrier?annee=2024');
    const cal = calendrierSchema.parse(await r.json());
    expect(cal.aujourdhui).toBe('2024-07-01');
    // 15/01, 28/02, 31/03 (arrêté, default) and 30/06 (bilan 2023 at the CIL, default) are past: legal obligations
    // whose doing Mixité does not record, « échues »; 15/06 is a past step of fiche 1, in progress: late; 20/06 a past
    // step of fiche 2, done: échue; 10/07 (fiche 1) and 15/07 within 30 days; nothing on 31/12 (no yearly step, zone
    // not tense) — so eight events.
    expect(cal.echeances.map((e) => [e.date, e.situation])).toEqual([
      ['2024-01-15', 'echue'],
      ['2024-02-28', 'echue'],
      ['2024-03-31', 'echue'],
      ['2024-06-15', 'en_retard'],
      ['2024-06-20', 'echue'],
      ['2024-06-30', 'echue'],
      ['2024-07-10', 'proche'],
      ['2024-07-15', 'proche'],
    ]);
  });
});
