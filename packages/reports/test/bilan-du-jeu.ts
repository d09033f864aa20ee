import { Store, importDataset } from '@mixite/data';
import { construireBilan } from '../src/contenu/construire.ts';
import type { DocumentBilan } from '../src/contenu/modele.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The content of the 2024 bilan (unrendered document, public edition: the default) of a canonical data set imported into a fresh
 * in-memory store, dated 1 March 2025: what the tests that change one file of a fixture and read one section compare.
 */
export async function bilan2024DuJeu(jeu: string): Promise<DocumentBilan> {
  const store = await Store.open(':memory:');
  try {
    await importDataset(store, [jeu]);
    return construireBilan(await collecterDonnees(store, 2024, 1, () => undefined), new Date('2025-03-01T00:00:00Z'));
  } finally {
    store.close();
  }
}
