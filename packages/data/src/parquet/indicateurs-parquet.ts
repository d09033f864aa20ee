import type { IndicatorResults } from '@mixite/core';
import { calculerIndicateurs } from '../indicators/engine.ts';
import { Observatoire } from './lecture-parquet.ts';

/** One EPCI's targets of the year, computed from its Parquet files. */
export interface IndicateursEpci {
  readonly epci: string;
  readonly resultats: IndicatorResults;
}

/**
 * Every EPCI's targets of a year from an observatory folder, in one run: the engine of the stores, EPCI by EPCI, on
 * views over the files (lecture-parquet.ts). `chaque` receives each EPCI's results as soon as they are computed, so
 * that a national run does not hold every EPCI's rows at once.
 */
export async function indicateursDesEpci(dossier: string, annee: number, chaque: (resultat: IndicateursEpci) => void | Promise<void>): Promise<readonly string[]> {
  const observatoire = await Observatoire.ouvrir(dossier);
  try {
    for (const epci of observatoire.epcis) {
      await observatoire.selectionner(epci);
      await chaque({ epci, resultats: await calculerIndicateurs(observatoire.store, { annee }) });
    }
    return observatoire.epcis;
  } finally {
    observatoire.close();
  }
}
