import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorResults } from '@mixite/core';
import {
  Store,
  anneesPubliees,
  calculerIndicateurs,
  configurationCourante,
  empreinteDesDonnees,
  importDataset,
  precalculerLesAnnees,
  publicationConservee,
  publierLesAnnees,
} from '../src/index.ts';
import { MINI } from './helpers.ts';

/**
 * The public edition's masked rows kept by the warm start (issue 18, publication-conservee.ts): the rows of the secrecy
 * pass over the years masked together, kept after the figures, read back while the data, the settings, the engine and
 * the secrecy are those they were computed from — never after a re-import or a settings change.
 * Real DuckDB store, real import, real engine; the reference is the pass run afresh on the engine's figures.
 */

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [MINI]);
});
afterEach(() => store.close());

/** Every year from the first to the last CALEOL decision of the store, in plain SQL (what the documents mask together). */
async function anneesEnSql(): Promise<number[]> {
  const [b] = await store.all<{ premiere: number; derniere: number }>(
    `SELECT min(year(date_cal))::INTEGER AS premiere, max(year(date_cal))::INTEGER AS derniere FROM attributions WHERE date_cal IS NOT NULL`,
  );
  const out: number[] = [];
  for (let a = b?.premiere as number; a <= (b?.derniere as number); a++) out.push(a);
  return out;
}

/** The pass run afresh: the engine's figures of every year, masked together. */
async function publicationFraiche(annees: readonly number[]) {
  const config = await configurationCourante(store);
  const resultats: IndicatorResults[] = [];
  for (const annee of annees) resultats.push(await calculerIndicateurs(store, { annee, config }));
  return publierLesAnnees(resultats, 'public');
}

const empreinte = async () => empreinteDesDonnees(store, await configurationCourante(store));

describe('édition publique gardée avec les indicateurs', () => {
  it('garde, après les années, les lignes masquées de toutes les années publiées ensemble, égales à la passe refaite', async () => {
    const annees = await anneesEnSql();
    expect(await anneesPubliees(store)).toEqual(annees);
    expect(await publicationConservee(store, annees, await empreinte())).toBeNull(); // nothing kept before the warm start
    const etapes: string[] = [];
    await precalculerLesAnnees(
      store,
      (annee) => etapes.push(String(annee)),
      () => etapes.push('secret'),
    );
    expect(etapes.at(-1)).toBe('secret'); // the pass is the last step the import's progress shows

    const gardees = await publicationConservee(store, annees, await empreinte());
    const fraiche = await publicationFraiche(annees);
    expect(gardees).toEqual(fraiche);
    // Not a vacuous equality: the mini territory (threshold 11) has masked rows and published ones.
    const toutes = [...fraiche.values()].flat();
    expect(toutes.some((r) => r.secret === 'primaire' && r.numerateur === null)).toBe(true);
    expect(toutes.some((r) => r.secret === null && r.numerateur !== null)).toBe(true);
    // One set, its rows counted as the pass gave them.
    const [marque] = await store.all<{ annees: string; lignes: number }>(`SELECT annees, lignes FROM publication_conservee`);
    expect(marque).toEqual({ annees: annees.join(','), lignes: toutes.length });

    // One year read alone: the same rows as that year's of the pass.
    const derniere = annees.at(-1) as number;
    expect((await publicationConservee(store, annees, await empreinte(), [derniere]))?.get(derniere)).toEqual(fraiche.get(derniere));
    // Another set of years, another fingerprint: nothing.
    expect(await publicationConservee(store, [...annees, derniere + 1], await empreinte())).toBeNull();
    expect(await publicationConservee(store, annees, 'une autre empreinte')).toBeNull();
  });

  it('ne lit pas les lignes gardées après un nouvel import', async () => {
    const annees = await anneesEnSql();
    await precalculerLesAnnees(store);
    const avant = await empreinte();
    expect(await publicationConservee(store, annees, avant)).not.toBeNull();
    await importDataset(store, [MINI]);
    expect(await publicationConservee(store, annees, await empreinte())).toBeNull();
    // The next warm start keeps the new state's rows only.
    await precalculerLesAnnees(store);
    expect(await publicationConservee(store, annees, await empreinte())).toEqual(await publicationFraiche(annees));
    const [n] = await store.all<{ n: number }>(`SELECT count(DISTINCT empreinte)::INTEGER AS n FROM publication_conservee_lignes`);
    expect(n?.n).toBe(1);
  });

  it('ne lit pas les lignes gardées après un changement des paramètres (le seuil du secret, de 11 à 2)', async () => {
    const annees = await anneesEnSql();
    await precalculerLesAnnees(store);
    const sous11 = await publicationConservee(store, annees, await empreinte());
    const config = await configurationCourante(store);
    const nouvelle = { ...config, secret_statistique: 2 };
    await store.run(`INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), 'test', 'test', $1::JSON FROM configuration`, [JSON.stringify(nouvelle)]);
    expect(await publicationConservee(store, annees, await empreinte())).toBeNull();
    await precalculerLesAnnees(store);
    const gardees = await publicationConservee(store, annees, await empreinte());
    expect(gardees).toEqual(await publicationFraiche(annees));
    // The threshold changes what is masked (counts 2 to 10 are published now): rows kept under 11 would be wrong.
    expect(gardees).not.toEqual(sous11);
  });

  it('ne lit pas un jeu de lignes incomplet (interrompu entre les lignes et la marque, ou gardé deux fois)', async () => {
    const annees = await anneesEnSql();
    await precalculerLesAnnees(store);
    await store.run(`DELETE FROM publication_conservee_lignes WHERE rowid IN (SELECT min(rowid) FROM publication_conservee_lignes)`);
    expect(await publicationConservee(store, annees, await empreinte())).toBeNull();
    await store.run(`DELETE FROM publication_conservee`);
    await precalculerLesAnnees(store);
    expect(await publicationConservee(store, annees, await empreinte())).not.toBeNull();
    await store.run(`INSERT INTO publication_conservee_lignes SELECT * FROM publication_conservee_lignes LIMIT 3`);
    expect(await publicationConservee(store, annees, await empreinte())).toBeNull();
  });
});
