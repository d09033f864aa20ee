import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, calculerIndicateurs, configurationCourante, importDataset, precalculerLesAnnees, resultatsDeLAnnee } from '../src/index.ts';
import { MINI } from './helpers.ts';

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
    const lues = await resultatsDeLAnnee(store, annee as number, await configurationCourante(store));
    expect((lues as unknown as { marqueur?: number }).marqueur).toBe(1);
  });

  it('recalcule après la modification d’une attribution, sans import', async () => {
    const [annee] = await anneesEnSql();
    await precalculerLesAnnees(store);
    const [avant] = await kept();
    // One allocation's outcome changed in place (as a decision recorded in the product would): same row count.
    await store.run(`UPDATE attributions SET issue = 'refus_demandeur' WHERE id = (SELECT min(id) FROM attributions WHERE issue = 'bail_signe')`);
    const config = await configurationCourante(store);
    const lues = await resultatsDeLAnnee(store, annee as number, config);
    expect(lues).toEqual(await calculerIndicateurs(store, { annee: annee as number, config }));
    const [apres] = await kept();
    expect(apres?.empreinte).not.toBe(avant?.empreinte);
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
