import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { IndicatorResults } from '@mixite/core';
import {
  Store,
  calculerIndicateurs,
  configurationCourante,
  empreinteDesDonnees,
  enregistrerDecisions,
  enregistrerReponse,
  importDataset,
  lignesConservees,
  precalculerLesAnnees,
  resultatsDeLAnnee,
} from '../src/index.ts';
import { MINI } from './helpers.ts';

const CALEOL = fileURLToPath(new URL('./fixtures/caleol/territoire', import.meta.url));

/**
 * Warm start (issue 18): the figures of every year are kept in the store after an import, read back while the data
 * and settings are those they were computed from, and computed again as soon as either changes.
 */

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [MINI]);
});
afterEach(() => store.close());

/** The years of the mini territory with CALEOL decisions, in plain SQL. */
const anneesEnSql = async () =>
  (await store.all<{ a: number }>(`SELECT DISTINCT year(date_cal)::INTEGER AS a FROM attributions WHERE date_cal IS NOT NULL ORDER BY a`)).map((r) => r.a);

const kept = async () => store.all<{ annee: number; empreinte: string }>(`SELECT annee, empreinte FROM resultats_indicateurs ORDER BY annee`);

describe('indicateurs gardés dans la base', () => {
  it('garde une fois chaque année ayant des décisions, égale au calcul du moteur', async () => {
    const annees = await anneesEnSql();
    expect(annees.length).toBeGreaterThan(0);
    await precalculerLesAnnees(store);
    expect((await kept()).map((r) => r.annee)).toEqual(annees);
    const config = await configurationCourante(store);
    for (const annee of annees) expect(await resultatsDeLAnnee(store, annee, config)).toEqual(await calculerIndicateurs(store, { annee, config }));
    // A second pass finds every year kept: nothing is computed or written again.
    const avant = await kept();
    await precalculerLesAnnees(store);
    expect(await kept()).toEqual(avant);
  });

  it('lit l’année gardée tant que les données n’ont pas changé', async () => {
    const [annee] = await anneesEnSql();
    await precalculerLesAnnees(store);
    // A marker written into the kept figures: read back, it proves the figures come from the table, not the engine.
    await store.run(`UPDATE resultats_indicateurs SET resultats = json_merge_patch(resultats, '{"marqueur": 1}') WHERE annee = ${annee}`);
    await store.run(`UPDATE resultats_indicateurs_lignes SET numerateur = 424242 WHERE annee = ${annee} AND ordre = 1`);
    const lues = await resultatsDeLAnnee(store, annee as number, await configurationCourante(store));
    expect((lues as unknown as { marqueur?: number }).marqueur).toBe(1);
    expect(lues.indicateurs[0]?.numerateur).toBe(424242);
  });

  it('recalcule après une décision de CALEOL enregistrée dans le produit, sans import', async () => {
    // The hand-built CALEOL territory (caleol-decisions.test.ts): on L1 (B1, not reserved, outside QPV), D02 first
    // (DALO), then D02 signs on 15 July. By hand, 2025: prioritaires of contingent non_reserve:B1, 0 of 4 proposals
    // before, 1 of 5 after the decision (a new row); hors_qpv_q1 of the territory, 0 leases before the answer, 0 of 1
    // after it (D02 is not Q1) — the answer changes a row in place: only the data's version says so.
    const caleol = await Store.open(':memory:');
    try {
      await importDataset(caleol, [CALEOL]);
      await precalculerLesAnnees(caleol);
      const ligne = (r: IndicatorResults, indicateur: string, type: string, id: string) =>
        r.indicateurs.find((l) => l.indicateur === indicateur && l.perimetre_type === type && l.perimetre_id === id && l.periode === '2025');
      const lire = async () => resultatsDeLAnnee(caleol, 2025, await configurationCourante(caleol));
      expect(ligne(await lire(), 'prioritaires', 'contingent', 'non_reserve:B1')).toMatchObject({ numerateur: 0, denominateur: 4 });
      const [d02] = await enregistrerDecisions(caleol, { logement_id: 'L1', date_cal: '2025-06-30', auteur: 'test', candidats: [{ nur: 'D02', decision: 'attribution', rang: 1 }] }, '2026-12-01');
      const apresDecision = await lire();
      expect(ligne(apresDecision, 'prioritaires', 'contingent', 'non_reserve:B1')).toMatchObject({ numerateur: 1, denominateur: 5 });
      expect(ligne(apresDecision, 'hors_qpv_q1', 'territoire', 'territoire')?.denominateur ?? 0).toBe(0);
      await enregistrerReponse(caleol, (d02 as { attribution_id: string }).attribution_id, { issue: 'bail_signe', date_bail: '2025-07-15' }, 'test');
      expect(ligne(await lire(), 'hors_qpv_q1', 'territoire', 'territoire')).toMatchObject({ numerateur: 0, denominateur: 1 });
    } finally {
      caleol.close();
    }
  });

  it('recalcule quand des lignes disparaissent sans passer par un écrivain du produit', async () => {
    const [annee] = await anneesEnSql();
    await precalculerLesAnnees(store);
    const [avant] = await kept();
    // A row deleted behind Mixité's back (no version bump): the row counts in the fingerprint still see it.
    await store.run(`DELETE FROM attributions WHERE id = (SELECT min(id) FROM attributions WHERE year(date_cal) = ${annee})`);
    const config = await configurationCourante(store);
    expect(await resultatsDeLAnnee(store, annee as number, config)).toEqual(await calculerIndicateurs(store, { annee: annee as number, config }));
    expect((await kept())[0]?.empreinte).not.toBe(avant?.empreinte);
  });

  it('sert les lignes gardées d’un type de périmètre, les mêmes que celles du moteur, et rien sous une autre empreinte', async () => {
    const [annee] = await anneesEnSql();
    await precalculerLesAnnees(store);
    const config = await configurationCourante(store);
    const empreinte = await empreinteDesDonnees(store, config);
    const moteur = (await calculerIndicateurs(store, { annee: annee as number, config })).indicateurs;
    expect(await lignesConservees(store, annee as number, empreinte, 'territoire')).toEqual(moteur.filter((r) => r.perimetre_type === 'territoire'));
    expect(await lignesConservees(store, annee as number, empreinte)).toEqual(moteur);
    expect(await lignesConservees(store, annee as number, 'une autre empreinte')).toBeNull();
  });

  it('recalcule après un changement des paramètres de la CIA', async () => {
    const [annee] = await anneesEnSql();
    await precalculerLesAnnees(store);
    const config = await configurationCourante(store);
    const nouvelle = { ...config, secret_statistique: config.secret_statistique === 11 ? 5 : 11 };
    await store.run(`INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), 'test', 'test', $1::JSON FROM configuration`, [JSON.stringify(nouvelle)]);
    const courante = await configurationCourante(store);
    expect(courante.secret_statistique).toBe(nouvelle.secret_statistique);
    const lues = await resultatsDeLAnnee(store, annee as number, courante);
    expect(lues.configuration.secret_statistique).toBe(nouvelle.secret_statistique);
    // The former years are dropped by the next pass: one row per year, of the current fingerprint.
    await precalculerLesAnnees(store);
    expect(new Set((await kept()).map((r) => r.empreinte)).size).toBe(1);
  });
});
