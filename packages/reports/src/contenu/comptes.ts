import type { DemandIndicatorId, DemandRow, RegistreSecret } from '@mixite/core';
import { clesAnneeCivile } from '@mixite/core';
import type { BilanDonnees } from '../donnees/collecte.ts';

/**
 * The counts of the demand and allocation tables (territory-wide, from the engine's demand side) are the cells of
 * core's one secrecy of the demand (core/src/indicators/secret-demande.ts), masked with the API's over the same
 * years (`donnees.secretDemande`, collecte.ts): the bilan prints what the web page shows. Keys (Y a year): the
 * stock on 31/12/Y and the flows of the calendar year Y (`clesAnneeCivile`).
 *
 * Proposals are printed from the published `prioritaires` denominator (every proposal), masked by core with the
 * indicators.
 */
export const cles = clesAnneeCivile;

/** The demand-side row of year Y for its calendar year (the only period the bilan prints for the demand). */
export function ligneDemande(donnees: BilanDonnees, y: number, id: DemandIndicatorId, modalite = ''): DemandRow | null {
  const rows = donnees.parAnnee.get(y)?.resultats.demande ?? [];
  return rows.find((r) => r.indicateur === id && r.periode === String(y) && r.modalite === modalite) ?? null;
}

/** Years whose quartile breakdown of the demand is printed: N−1 and N when both are computed. */
export const anneesQuartiles = (donnees: BilanDonnees): number[] => donnees.annees.filter((a) => a >= donnees.annee - 1);

export function registreDesComptes(donnees: BilanDonnees): RegistreSecret {
  return donnees.secretDemande.registre;
}
