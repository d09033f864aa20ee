import ExcelJS from 'exceljs';
import type { GouvernanceApi } from '@mixite/contract';
import { calendrierSchema, gouvernanceSchema } from '@mixite/contract';
import { importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * Instances, meetings and commitments over HTTP (issue 19), production mode, mini territory, server day 1 July 2024.
 * A programme of two fiches (1 piloted by B1, 2 by B2). The EPCI records; partners read; the public reader reads
 * without minutes, attendance nor signatures. The quantified commitment reads hors_qpv_q1 on the territory: in 2024
 * the mini territory has 1 lease outside QPV of 1 to a first-quartile or relocated household (A2) = 1/1 = 100 %
 * (the same figure programme.test.ts checks).
 */
describe('instances, meetings and commitments over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ securite: { maintenant: () => Date.UTC(2024, 6, 1) } });
    const wb = new ExcelJS.Workbook();
    const conv = wb.addWorksheet('Convention');
    for (const l of [['cle', 'valeur'], ['intitule', 'CIA Mini'], ['date_debut', '2023-01-01'], ['date_fin', '2028-12-31']]) conv.addRow(l);
    const f = wb.addWorksheet('Fiches');
    f.addRow(['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs']);
    f.addRow([1, 'Relogements hors QPV', 'O1', '', '', 'bailleur:B1', 'etat', '', '']);
    f.addRow([2, 'Mutations', 'O2', '', '', 'bailleur:B2', '', '', '']);
    await importerProgramme(t.store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
    for (const who of ['epci', 'b1', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const lire = async (who: string): Promise<GouvernanceApi> => {
    const r = await (c[who] as Client).request('/api/programme/instances?annee=2024');
    expect(r.status, await r.clone().text()).toBe(200);
    return gouvernanceSchema.parse(await r.json()) as GouvernanceApi;
  };
  const envoyer = (who: string, method: string, chemin: string, corps: unknown) => (c[who] as Client).request(`/api/programme/${chemin}?annee=2024`, jsonBody(method, corps));
  const CIL = { genre: 'cil', nom: 'CIL plénière', membres: ['epci', 'etat', 'bailleur:B1', 'bailleur:B2'], frequence: 'une fois par an a minima' };
  const reunion = (instance_id: number, fiches: number[]) => ({
    instance_id,
    date: '2024-03-28',
    ordre_du_jour: 'Bilan 2023 de la CIA',
    compte_rendu: 'Le bilan 2023 est présenté par M. Martin.',
    documents: ['Bilan 2023 de la CIA (édition publique)'],
    decisions: [{ texte: 'Le bilan 2023 est approuvé ; un groupe de travail sur les relogements est créé.', fiches }],
    presents: ['epci', 'etat', 'bailleur:B1'],
  });

  it('lets the EPCI create an instance and record a meeting with a decision linked to a fiche; a bailleur reads it and may not write', async () => {
    expect((await envoyer('b1', 'POST', 'instances', CIL)).status).toBe(403);
    const r = await envoyer('epci', 'POST', 'instances', CIL);
    expect(r.status, await r.clone().text()).toBe(200);
    const id = (gouvernanceSchema.parse(await r.json()).instances[0] as { id: number }).id;
    expect((await envoyer('epci', 'POST', 'reunions', reunion(id, [9]))).status).toBe(422);
    const refus = await envoyer('epci', 'POST', 'reunions', reunion(id, [9]));
    expect(((await refus.json()) as { details: unknown }).details).toEqual([{ chemin: 'decisions.0.fiches', message: 'fiche action 9 absente du programme d’actions' }]);
    expect((await envoyer('epci', 'POST', 'reunions', { ...reunion(id, [1]), instance_id: 999 })).status).toBe(404);
    expect((await envoyer('epci', 'POST', 'reunions', reunion(id, [1]))).status).toBe(200);
    expect((await envoyer('b1', 'POST', 'reunions', reunion(id, [1]))).status).toBe(403);

    const vu = await lire('b1');
    expect(vu.modifiable).toBe(false);
    expect(vu.instances.map((i) => [i.genre, i.nom, i.membres])).toEqual([['cil', 'CIL plénière', ['epci', 'etat', 'bailleur:B1', 'bailleur:B2']]]);
    expect(vu.reunions.map((x) => [x.date, x.compte_rendu, x.decisions, x.presents, x.date_modification])).toEqual([
      ['2024-03-28', 'Le bilan 2023 est présenté par M. Martin.', [{ texte: 'Le bilan 2023 est approuvé ; un groupe de travail sur les relogements est créé.', fiches: [1] }], ['epci', 'etat', 'bailleur:B1'], '2024-07-01T00:00:00'],
    ]);
    const reunionId = (vu.reunions[0] as { id: number }).id;
    expect((await envoyer('b1', 'PUT', `reunions/${reunionId}`, reunion(id, [1]))).status).toBe(403);
    expect((await envoyer('epci', 'PUT', `reunions/${reunionId}`, { ...reunion(id, [1, 2]), compte_rendu: null })).status).toBe(200);
    expect((await lire('epci')).reunions[0]?.decisions[0]?.fiches).toEqual([1, 2]);
    expect((await envoyer('epci', 'PUT', 'reunions/4242', reunion(id, [1]))).status).toBe(404);
  });

  it('keeps the commitments with their status; a quantified one carries the engine’s figure of the year; one past due and open is late on the calendar', async () => {
    const engagement = {
      partenaire: 'bailleur:B1',
      fiche: 1,
      libelle: 'Au moins 25 % des attributions hors QPV au premier quartile',
      echeance: '2024-06-30',
      statut: 'en_cours',
      quantifie: { indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: null, cible: 0.25 },
    };
    expect((await envoyer('b1', 'POST', 'engagements', engagement)).status).toBe(403);
    expect((await envoyer('epci', 'POST', 'engagements', { ...engagement, quantifie: { ...engagement.quantifie, indicateur: 'inconnu' } })).status).toBe(422);
    expect((await envoyer('epci', 'POST', 'engagements', { ...engagement, fiche: 7 })).status).toBe(422);
    expect((await envoyer('epci', 'POST', 'engagements', { ...engagement, echeance: '2024-02-30' })).status).toBe(422);
    expect((await envoyer('epci', 'POST', 'engagements', engagement)).status).toBe(200);
    expect((await envoyer('epci', 'POST', 'engagements', { partenaire: 'SIAO', fiche: null, libelle: 'Notes sociales avant CALEOL', echeance: null, statut: 'a_tenir', quantifie: null })).status).toBe(200);

    const vu = await lire('epci');
    expect(vu.engagements.map((e) => [e.partenaire, e.fiche, e.echeance, e.statut, e.valeur])).toEqual([
      ['bailleur:B1', 1, '2024-06-30', 'en_cours', { annee: 2024, taux: 1, numerateur: 1, denominateur: 1 }],
      ['SIAO', null, null, 'a_tenir', null],
    ]);
    const calendrier = async () => calendrierSchema.parse(await (await (c.b1 as Client).request('/api/programme/calendrier?annee=2024')).json()).echeances.filter((e) => e.genre === 'engagement');
    expect((await calendrier()).map((e) => [e.date, e.situation, e.obligation])).toEqual([['2024-06-30', 'en_retard', 'Engagement de bailleur:B1 — Au moins 25 % des attributions hors QPV au premier quartile']]);
    const id = (vu.engagements[0] as { id: number }).id;
    expect((await envoyer('epci', 'PUT', `engagements/${id}`, { ...engagement, statut: 'tenu' })).status).toBe(200);
    expect((await calendrier()).map((e) => e.situation)).toEqual(['echue']);
    const journal = await t.store.all<{ objet: string }>(`SELECT objet FROM journal WHERE action = 'programme' ORDER BY id`);
    expect(journal.map((j) => j.objet)).toEqual(['instance CIL plénière', 'réunion du 2024-03-28', expect.stringMatching(/^réunion \d+$/), 'engagement de bailleur:B1', 'engagement de SIAO', `engagement ${id}`]);
  });

  it('shows the public reader meetings and decisions without minutes, attendance nor signatures', async () => {
    const vu = await lire('lecteur');
    expect(vu.reunions.map((r) => [r.compte_rendu, r.presents, r.auteur, r.decisions.length])).toEqual([[null, [], null, 1]]);
    expect(vu.engagements.every((e) => e.auteur === null)).toBe(true);
    // One household of one: under the public's secrecy threshold, the quantified commitment's figure is masked.
    expect(vu.engagements[0]?.valeur?.numerateur ?? null).toBeNull();
  });
});
