import type { CalculDeLaDemande, CiaConfig, LimitesDeLAnnee, SeuilPublie, SeuilRetenu } from '@mixite/core';
import { anneesSansSeuilPublie, epciDuTerritoire, limitesDuTerritoire, selectionnerLimites } from '@mixite/core';
import type { Store } from '../store/store.ts';
import type { LimiteSql } from './indicators-sql.ts';
import { quartileLimitsSql } from './indicators-sql.ts';

/**
 * The quartile limits that apply, read from the store: the published thresholds (`seuils`), the EPCIs of the
 * communes and, when needed, the quantiles of the demand; the choice itself is core's (`selectionnerLimites`,
 * core/src/indicators/limites.ts). The one place the engines, the allocation lists and the bilan get them from.
 */

/** The EPCIs of the communes, in code order. */
export async function epcisDesCommunes(store: Store): Promise<string[]> {
  const rows = await store.all<{ code_epci: string }>(`SELECT DISTINCT code_epci FROM communes WHERE code_epci IS NOT NULL ORDER BY 1`);
  return rows.map((r) => r.code_epci);
}

/** The territory's EPCI: cia.yaml's `code_epci`, else the only EPCI of the communes, else null. */
export async function epciDuStore(store: Store, config: CiaConfig): Promise<string | null> {
  return epciDuTerritoire(config.code_epci, await epcisDesCommunes(store));
}

async function seuilsPublies(store: Store): Promise<SeuilPublie[]> {
  return store.all<SeuilPublie>(`SELECT annee, code_epci, CAST(seuil_q1 AS VARCHAR) AS seuil_q1, CAST(seuil_q2 AS VARCHAR) AS seuil_q2, CAST(seuil_q3 AS VARCHAR) AS seuil_q3, source FROM seuils`);
}

export interface LimitesDesAnnees {
  /** Per year and EPCI ('' = the territory): the `lim` rows the SQL joins on (year of the counting date, EPCI). */
  readonly parEpci: LimiteSql[];
  /** Per year, the territory's limits as the engine reports them. */
  readonly limites: LimitesDeLAnnee[];
  /** The rows of the seuils table (where a published median or Q3 comes from). */
  readonly publies: readonly SeuilPublie[];
}

/** The full limits (threshold, median, third quartile) of each year: the demand's quantiles are always read. */
export async function limitesDesAnnees(store: Store, config: CiaConfig, annees: readonly number[]): Promise<LimitesDesAnnees> {
  const publies = await seuilsPublies(store);
  const epcis = await epcisDesCommunes(store);
  const territoire = epciDuTerritoire(config.code_epci, epcis);
  const calculs = await store.all<CalculDeLaDemande>(quartileLimitsSql(config, annees));
  const choix = selectionnerLimites(publies, annees, epcis, territoire, calculs);
  const limites = annees.map((a) => limitesDuTerritoire(a, calculs.find((c) => c.annee === a), choix.territoire.get(a) as SeuilRetenu));
  return { parEpci: choix.parEpci, limites, publies };
}

export interface SeuilsQ1DesAnnees {
  /** Per year and EPCI ('' = the territory); median and third quartile are not read (null). */
  readonly parEpci: LimiteSql[];
  readonly territoire: ReadonlyMap<number, SeuilRetenu>;
}

/**
 * The Q1 thresholds only (the cotation): the demand is read only for the years where some EPCI has no published
 * threshold — a pass over the requests saved when the arrêté covers everything.
 */
export async function seuilsQ1DesAnnees(store: Store, config: CiaConfig, annees: readonly number[]): Promise<SeuilsQ1DesAnnees> {
  const publies = await seuilsPublies(store);
  const epcis = await epcisDesCommunes(store);
  const territoire = epciDuTerritoire(config.code_epci, epcis);
  const manquantes = anneesSansSeuilPublie(publies, annees, epcis, territoire);
  const calculs = manquantes.length > 0 ? await store.all<CalculDeLaDemande>(quartileLimitsSql(config, manquantes)) : [];
  // Only the Q1 of the demand is meant here.
  const choix = selectionnerLimites(publies, annees, epcis, territoire, calculs.map((c) => ({ ...c, mediane: null, q3: null })));
  return { parEpci: choix.parEpci, territoire: choix.territoire };
}
