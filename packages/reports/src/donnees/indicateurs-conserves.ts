import type { CiaConfig, IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import type { Store } from '@mixite/data';
import { calculerIndicateurs, empreinteDesDonnees, publicationConservee, resultatsConserves } from '@mixite/data';

/**
 * The figures of the bilan's years: those kept in the store by the warm start (issue 18, docs/demarrage-a-chaud.md:
 * `mixite import` and the server keep every year with the fingerprint of the data, the settings and the engine) when
 * that fingerprint is the store's now, else the engine's, computed as before. Never stale figures: a kept year of an
 * older state has another fingerprint and is not read. Reading only — the bilan writes nothing in the store (a kept
 * year costs 50 ms where the engine takes one to several seconds; the years of a bilan, four of them by default).
 *
 * The fingerprint is taken once, before the first year: the bilan reads one state of the store.
 */
export async function indicateursDeLAnnee(store: Store, configuration: CiaConfig): Promise<(annee: number) => Promise<IndicatorResults>> {
  return (await chiffresConserves(store, configuration)).indicateurs;
}

/** What the bilan reads of the warm start, under one fingerprint taken once. */
export interface ChiffresConserves {
  /** The figures of a year: kept, else computed. */
  readonly indicateurs: (annee: number) => Promise<IndicatorResults>;
  /**
   * The public edition of `annees` masked together, for the years `lues`, as the warm start kept it when it is of the
   * same fingerprint (data/src/indicators/publication-conservee.ts), else null: the caller runs the secrecy pass.
   */
  readonly publies: (annees: readonly number[], lues: readonly number[]) => Promise<Map<number, PublishedIndicatorRow[]> | null>;
}

export async function chiffresConserves(store: Store, configuration: CiaConfig): Promise<ChiffresConserves> {
  const empreinte = await empreinteDesDonnees(store, configuration);
  return {
    indicateurs: async (annee) => (await resultatsConserves(store, annee, empreinte)) ?? calculerIndicateurs(store, { annee, config: configuration }),
    publies: (annees, lues) => publicationConservee(store, annees, empreinte, lues),
  };
}
