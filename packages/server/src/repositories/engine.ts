import type { CiaConfig, IndicatorResults } from '@mixite/core';
import type { Store } from '@mixite/data';
import { resultatsDeLAnnee } from '@mixite/data';

/**
 * The one place where the server calls the indicator engine of issue 3 (packages/data/src/indicators).
 * Every figure the API shows is computed there, from the declarations of packages/core/src/indicators; the
 * household-level lists behind a row come from packages/data too (`attributionsDeLaLigne`): the server only
 * scopes, pseudonymises and serves them. A year already computed from the same data and settings is read from
 * the store (`resultatsDeLAnnee`, issue 18's warm start); keeping it is a cache write whose failure only costs speed.
 */
export function computeYear(store: Store, annee: number, config: CiaConfig): Promise<IndicatorResults> {
  return resultatsDeLAnnee(store, annee, config);
}
