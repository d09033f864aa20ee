import type { Edition, IndicatorResults, LegalIndicatorDeclaration, PublishedIndicatorRow } from '@mixite/core';
import { appliquerSecret, optionsDuSecret, sansSecret } from '@mixite/core';
import { executerDansUnFil } from '../fil-de-travail.ts';

/** What the pass reads of a year's results (the rest — demand, limits, controls — stays out of the thread's copy). */
export type ResultatsAPublier = Pick<IndicatorResults, 'annee' | 'configuration' | 'indicateurs' | 'contexte'>;

/** The data handed to the pass's thread (publication-fil.ts). */
export interface DonneesPublication {
  readonly resultats: readonly ResultatsAPublier[];
  readonly edition: Edition;
  readonly seuil: number | undefined;
}

const FIL_PUBLICATION = new URL('./publication-fil.ts', import.meta.url).href;

/**
 * `publierLesAnnees` (core's declarations) in a worker thread: the pass is pure JavaScript and takes seconds on a
 * territory's four years once the croisements are counted (issue 12): on the server's thread every user would wait
 * for it. Same rows as `publierLesAnnees` (test publication-fil.test.ts).
 */
export async function publierLesAnneesHorsDuFil(resultats: readonly ResultatsAPublier[], edition: Edition = 'public', seuil?: number): Promise<Map<number, PublishedIndicatorRow[]>> {
  if (edition === 'partenaires') return publierLesAnnees(resultats, edition, seuil);
  const donnees: DonneesPublication = {
    resultats: resultats.map((r) => ({ annee: r.annee, configuration: r.configuration, indicateurs: r.indicateurs, contexte: r.contexte })),
    edition,
    seuil,
  };
  return executerDansUnFil<Map<number, PublishedIndicatorRow[]>>(FIL_PUBLICATION, donnees);
}

/**
 * The published indicator rows of several years that one document shows together (the bilan: the year and its
 * trend; issue 12): ONE secrecy pass over all of them, since the twelve months to 30 June N tie N to N−1 and a
 * table of N−1 masked apart would give back what N masks. The partners' edition masks nothing.
 * `declarations`: those the results were computed with, when not core's.
 */
export function publierLesAnnees(
  resultats: readonly ResultatsAPublier[],
  edition: Edition = 'public',
  seuil?: number,
  declarations?: readonly LegalIndicatorDeclaration[],
): Map<number, PublishedIndicatorRow[]> {
  const out = new Map<number, PublishedIndicatorRow[]>();
  if (edition === 'partenaires') {
    for (const r of resultats) out.set(r.annee, sansSecret(r.indicateurs));
    return out;
  }
  const rows = resultats.flatMap((r) => r.indicateurs);
  const published = appliquerSecret(rows, {
    seuil: seuil ?? resultats[0]?.configuration.secret_statistique ?? 11,
    // What the engine read of each year: contingent types, QPVs in their commune, sectors out of QPV, and where
    // the allocations lie (leak (d)); each period id belongs to one year's results.
    ...optionsDuSecret(resultats.map((r) => r.contexte)),
    ...(declarations ? { declarations } : {}),
  });
  let i = 0;
  for (const r of resultats) {
    out.set(r.annee, published.slice(i, i + r.indicateurs.length));
    i += r.indicateurs.length;
  }
  return out;
}
