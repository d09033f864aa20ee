import { fileURLToPath } from 'node:url';
import type { IndicatorResults } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../src/import/import-dataset.ts';
import { calculerIndicateurs } from '../src/indicators/engine.ts';
import { publierLesAnnees, publierLesAnneesHorsDuFil } from '../src/indicators/publication.ts';
import { Store } from '../src/store/store.ts';

const MINI = fileURLToPath(new URL('./fixtures/mini', import.meta.url));

/**
 * The secrecy pass run in a worker thread (publierLesAnneesHorsDuFil, used by the server and the bilan so that the
 * pass does not stop every other request) publishes exactly the rows of the pass run in place.
 */
describe('publierLesAnneesHorsDuFil', () => {
  let store: Store;
  const resultats: IndicatorResults[] = [];
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await importDataset(store, [MINI], { auteur: 'test' });
    for (const annee of [2023, 2024]) resultats.push(await calculerIndicateurs(store, { annee }));
  }, 120_000);
  afterAll(() => store?.close());

  it('gives the rows of the pass run in this thread, masked cells included', async () => {
    const ici = publierLesAnnees(resultats, 'public', 3);
    const fil = await publierLesAnneesHorsDuFil(resultats, 'public', 3);
    expect([...fil.keys()]).toEqual([2023, 2024]);
    expect(fil).toEqual(ici);
    // The mini territory counts a handful of leases: at threshold 3 some cells are masked, so the test compares masks.
    expect([...fil.values()].flat().some((r) => r.secret !== null)).toBe(true);
  }, 120_000);

  it('masks nothing for the partners, in this thread', async () => {
    const fil = await publierLesAnneesHorsDuFil(resultats, 'partenaires');
    expect([...fil.values()].flat().some((r) => r.secret !== null)).toBe(false);
  }, 60_000);
});
