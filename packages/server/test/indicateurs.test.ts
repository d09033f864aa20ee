import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration, Demande, ListeAttributions, LigneIndicateur, Tableau, Televersement, Territoire } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { MINI, jsonBody, openTestApp } from './helpers.ts';

/**
 * Expected values are computed by hand from packages/data/test/fixtures/mini:
 * - A1 (L1, Évry, QPV Pyramides, bailleur B1, contingent ETAT): proposal 2024-02-20, lease 2024-03-10; the household
 *   (request 0912023000001) is prioritaire, 3 persons with 1 child (UC 1.8), 1 500 €/month → 10 000 €/UC/year ≤ 11 379: Q1.
 * - A2 (L3, Corbeil, hors QPV, B2, contingent AL): proposal 2024-05-02, lease 2024-05-20; relocated (NPNRU), not priority,
 *   2 persons 3 100 €/month → 24 800 €/UC: not Q1.
 * - A3 is a lower-ranked candidate never asked (non_proposee): counted nowhere.
 */
const find = (rows: readonly LigneIndicateur[], indicateur: string, id = 'territoire') => rows.find((r) => r.indicateur === indicateur && r.perimetre_id === id);

describe('indicators API on the mini territory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t.close());

  it('describes the territory: name, years with decisions, perimeter names', async () => {
    const territoire = await t.json<Territoire>('/api/territoire');
    expect(territoire).toMatchObject({ nom: 'CA Grand Paris Sud', code_epci: '200059228', annees: [2024], donnees: true });
    expect(territoire.perimetres['bailleur']).toEqual([
      { id: 'B1', libelle: 'Essonne Habitat' },
      { id: 'B2', libelle: 'Les Résidences' },
    ]);
  });

  it('serves the declarations the engine counts with', async () => {
    const { legaux } = await t.json<{ legaux: { id: string; base: string }[] }>('/api/declarations');
    expect(legaux.map((d) => d.id)).toEqual([...LEGAL_INDICATOR_IDS]);
    expect(legaux.find((d) => d.id === 'hors_qpv_q1')?.base).toBe('baux');
  });

  it('serves with each declaration its short names, default target, legal perimeters and presentation', async () => {
    const { legaux } = await t.json<{ legaux: Record<string, unknown>[] }>('/api/declarations');
    expect(legaux.find((d) => d.id === 'prioritaires')).toMatchObject({
      courts: { titre: 'Propositions aux ménages prioritaires', numerateur: 'Propositions à des prioritaires', denominateur: 'Propositions', unite: 'propositions' },
      cible_par_defaut: 0.25,
      perimetres_legaux: ['contingent', 'type_contingent'],
      presentation: { jugement: 'contingent', ventilation: 'contingent', substitution_semestrielle: false },
    });
    expect(legaux.find((d) => d.id === 'hors_qpv_q1')).toMatchObject({
      cible_par_defaut: 0.25,
      presentation: { jugement: 'territoire', ventilation: 'bailleur', substitution_semestrielle: true },
    });
    expect(legaux.find((d) => d.id === 'mutations')).toMatchObject({ cible_par_defaut: null, perimetres_legaux: [] });
  });

  it('gives the territory rows of a year for the nine periods, with targets from cia.yaml', async () => {
    const tableau = await t.json<Tableau<LigneIndicateur>>('/api/indicateurs?annee=2024&perimetre_type=territoire');
    expect(new Set(tableau.lignes.map((l) => l.periode))).toEqual(
      new Set(['2024', '2024-S1', '2024-S2', '12m-2024-06-30', '12m-2024-12-31', '2024-T1', '2024-T2', '2024-T3', '2024-T4']),
    );
    const annee = tableau.lignes.filter((l) => l.periode === '2024');
    // hors QPV: one lease (A2), relocated → 1/1, target 25 %.
    // One lease is under the 20 households of effectif_minimum (default): « faible effectif ».
    expect(find(annee, 'hors_qpv_q1')).toMatchObject({ numerateur: 1, denominateur: 1, taux: 1, cible: 0.25, atteint: true, faible_effectif: true, perimetre_libelle: 'Territoire' });
    // in QPV: one proposal (A1) to a Q1 household → 0/1 for quartiles 2–4, local target 81 %.
    expect(find(annee, 'qpv_hors_q1')).toMatchObject({ numerateur: 0, denominateur: 1, taux: 0, cible: 0.81, atteint: false });
    // priority: A1 only, of two proposals; no territory-wide target (it is judged per contingent).
    expect(find(annee, 'prioritaires')).toMatchObject({ numerateur: 1, denominateur: 2, cible: null, atteint: null });
    // Second semester: nothing.
    expect(find(tableau.lignes.filter((l) => l.periode === '2024-S2'), 'hors_qpv_q1')).toMatchObject({ numerateur: 0, denominateur: 0, taux: null });
  });

  it('breaks an objective down by contingent, a bailleur’s own stock included, with names', async () => {
    const tableau = await t.json<Tableau<LigneIndicateur>>('/api/indicateurs?periode=2024&perimetre_type=contingent&indicateur=prioritaires');
    expect(tableau.lignes.map((l) => [l.perimetre_id, l.perimetre_libelle, l.numerateur, l.denominateur, l.cible, l.atteint])).toEqual([
      ['AL', 'Action Logement Services', 0, 1, 0.25, false],
      ['ETAT', 'Préfet — contingent prioritaire', 1, 1, 1, true],
    ]);
    const bailleurs = await t.json<Tableau<LigneIndicateur>>('/api/indicateurs?periode=2024&perimetre_type=bailleur&indicateur=prioritaires');
    expect(bailleurs.lignes.map((l) => [l.perimetre_libelle, l.numerateur, l.denominateur])).toEqual([
      ['Essonne Habitat', 1, 1],
      ['Les Résidences', 0, 1],
    ]);
  });

  it('lists the allocations behind a row, marking those in the numerator', async () => {
    const tableau = await t.json<ListeAttributions>('/api/objectifs/prioritaires/attributions?periode=2024&perimetre_type=bailleur&perimetre_id=B1');
    expect(tableau.lignes).toEqual([
      expect.objectContaining({ id: 'A1', bailleur: 'Essonne Habitat', commune: 'Évry-Courcouronnes', qpv: 'Pyramides', contingent: 'Préfet — contingent prioritaire', quartile: 1, prioritaire: true, au_numerateur: true }),
    ]);
    const leases = await t.json<ListeAttributions>('/api/objectifs/hors_qpv_q1/attributions?periode=2024');
    expect(leases.lignes.map((l) => [l.id, l.date_bail, l.relogement, l.au_numerateur])).toEqual([['A2', '2024-05-20', true, true]]);
  });

  it('gives every row’s allocations: as many as the denominator, as many marked as the numerator', async () => {
    const { lignes } = await t.json<Tableau<LigneIndicateur>>('/api/indicateurs?annee=2024');
    expect(lignes.length).toBeGreaterThan(100);
    for (const row of lignes) {
      const detail = await t.json<ListeAttributions>(
        `/api/objectifs/${row.indicateur}/attributions?periode=${row.periode}&perimetre_type=${row.perimetre_type}&perimetre_id=${encodeURIComponent(row.perimetre_id)}`,
      );
      expect([row.indicateur, row.perimetre_id, row.periode, detail.lignes.length, detail.lignes.filter((l) => l.au_numerateur).length, detail.total, detail.total_numerateur]).toEqual([
        row.indicateur,
        row.perimetre_id,
        row.periode,
        row.denominateur,
        row.numerateur,
        row.denominateur,
        row.numerateur,
      ]);
    }
    // One request per row: nine periods per perimeter since the quarters, on a machine shared by the other suites.
  }, 180_000);

  it('gives the demand side with labels, and the quartile limits beside the published threshold', async () => {
    const demande = await t.json<Demande>('/api/demande?annee=2024');
    expect(demande.periodes.map((p) => p.id)).toContain('2024-S1');
    expect(demande.lignes.find((l) => l.indicateur === 'demandes_actives' && l.periode === '2024')).toMatchObject({
      libelle: 'Demandes actives en fin de période (stock)',
      unite: 'nombre',
    });
    expect(demande.lignes.find((l) => l.indicateur === 'quartile_demande' && l.modalite === 'q1')?.modalite_libelle).toBe('1er quartile');
    expect(demande.limites.find((l) => l.annee === 2024)).toMatchObject({ seuil_publie: 11379, origine_seuil: 'publie' });
  });

  it('cuts a long list at `limite` rows and still counts them all', async () => {
    const detail = await t.json<ListeAttributions>('/api/objectifs/prioritaires/attributions?periode=2024&limite=1');
    expect(detail).toMatchObject({ total: 2, total_numerateur: 1, limite: 1 });
    expect(detail.lignes).toHaveLength(1);
    expect((await t.request('/api/objectifs/prioritaires/attributions?periode=2024&limite=0')).status).toBe(400);
  });

  it('answers bad parameters with French 400 and 404', async () => {
    expect((await t.request('/api/indicateurs')).status).toBe(400);
    expect((await t.request('/api/indicateurs?periode=2024-S3')).status).toBe(400);
    expect((await t.request('/api/indicateurs?annee=2024&perimetre_type=planete')).status).toBe(400);
    expect((await t.request('/api/indicateurs?annee=2024&indicateur=bonheur')).status).toBe(404);
    expect((await t.request('/api/objectifs/bonheur/attributions?periode=2024')).status).toBe(404);
    const response = await t.request('/api/objectifs/prioritaires/attributions');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('periode');
  });

  it('gives the trend over the years with data', async () => {
    const tableau = await t.json<Tableau<LigneIndicateur>>('/api/indicateurs/tendance?perimetre_type=territoire&indicateur=hors_qpv_q1');
    expect(tableau.lignes.map((l) => [l.periode, l.numerateur, l.denominateur])).toEqual([['2024', 1, 1]]);
  });
});

describe('figures follow the writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t.close());

  const territoire = async (indicateur: string) =>
    find((await t.json<Tableau<LigneIndicateur>>(`/api/indicateurs?periode=2024&perimetre_type=territoire&indicateur=${indicateur}`)).lignes, indicateur);

  it('a new target changes `atteint` at once (the cached year is recomputed)', async () => {
    expect(await territoire('qpv_hors_q1')).toMatchObject({ atteint: false, cible: 0.81 });
    const current = await t.json<Configuration>('/api/configuration');
    await t.json('/api/configuration', jsonBody('PUT', { contenu: { ...current.contenu, cibles: { ...current.contenu.cibles, qpv_hors_q1: 0 } } }));
    expect(await territoire('qpv_hors_q1')).toMatchObject({ atteint: true, cible: 0 });
  });

  it('an imported file changes the figures', async () => {
    expect(await territoire('mutations')).toMatchObject({ numerateur: 0, denominateur: 2 });
    // The household of A2 now declares a mutation on the allocation itself.
    const csv = readFileSync(join(MINI, 'attributions.csv'), 'utf8').replace('3100;2;0;0;0;0;1;1;0', '3100;2;0;0;0;1;1;1;0');
    const form = new FormData();
    form.append('fichiers', new File([csv], 'attributions.csv'));
    const answer = await t.json<Televersement>('/api/televersements', { method: 'POST', body: form });
    expect(answer.rapport.erreurs).toEqual([]);
    await t.json(`/api/televersements/${answer.jeton}/confirmation`, { method: 'POST' });
    expect(await territoire('mutations')).toMatchObject({ numerateur: 1, denominateur: 2 });
  });
});
