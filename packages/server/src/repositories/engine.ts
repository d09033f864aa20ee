import type { CiaConfig, IndicatorResults } from '@mixite/core';
import type { Store } from '@mixite/data';
import { calculerIndicateurs } from '@mixite/data';

/**
 * The one place where the server calls the indicator engine of issue 3 (packages/data/src/indicators).
 * Every figure the API shows is computed there, from the declarations of packages/core/src/indicators; the
 * household-level lists behind a row come from packages/data too (`attributionsDeLaLigne`): the server only
 * scopes, pseudonymises and serves them.
 */
export function computeYear(store: Store, annee: number, config: CiaConfig): Promise<IndicatorResults> {
  return calculerIndicateurs(store, { annee, config });
}
