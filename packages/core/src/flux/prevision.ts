/**
 * The forecast of a bailleur's flow for year N (prévisionnel): the mean of the relettings (leases in the flow that are
 * not first lettings) of the K previous years, scaled by the change of the stock in service, plus the first lettings
 * expected in N (dwellings whose `date_mise_en_service` falls in N). The method and its inputs are returned with the
 * figure, to be shown as they are (docs/flux.md).
 */

export interface AnneeObservee {
  readonly annee: number;
  /** Leases of the year in the flow (exclusions removed). */
  readonly realise: number;
  /** Of which first lettings (the dwelling entered service that year, or the allocation says so). */
  readonly premieresLocations: number;
  /** Dwellings in service on 1 January, out of the flow excluded (0 when logements.csv is absent). */
  readonly stockDebut: number;
}

export interface EntreesPrevision {
  readonly annee: number;
  /** The K previous years that have data (years before the data begins are left out). */
  readonly anneesObservees: readonly AnneeObservee[];
  readonly stockDebut: number;
  readonly misesEnService: number;
}

export interface Prevision {
  readonly valeur: number;
  readonly relocationsMoyennes: number;
  /** Stock of N ÷ mean stock of the observed years (1 when the stock is unknown). */
  readonly facteurStock: number;
  readonly misesEnService: number;
  readonly anneesObservees: readonly AnneeObservee[];
  /** The method in words, with its inputs. */
  readonly methode: string;
}

export function prevoirFlux(e: EntreesPrevision): Prevision {
  const k = e.anneesObservees.length;
  const relocations = k === 0 ? 0 : e.anneesObservees.reduce((s, a) => s + (a.realise - a.premieresLocations), 0) / k;
  const stockMoyen = k === 0 ? 0 : e.anneesObservees.reduce((s, a) => s + a.stockDebut, 0) / k;
  const facteurStock = stockMoyen > 0 && e.stockDebut > 0 ? e.stockDebut / stockMoyen : 1;
  const valeur = relocations * facteurStock + e.misesEnService;
  const annees = e.anneesObservees.map((a) => a.annee).join(', ');
  const methode =
    k === 0
      ? `aucune année antérieure observée : prévision = mises en service attendues en ${e.annee} (${e.misesEnService})`
      : `moyenne des relocations (baux du flux hors premières locations) de ${annees} = ${arrondi(relocations)}` +
        ` × évolution du parc ${arrondi(facteurStock, 3)} (${e.stockDebut} logements au 1er janvier ${e.annee} / ${arrondi(stockMoyen)} en moyenne)` +
        ` + ${e.misesEnService} mise(s) en service attendue(s) en ${e.annee} = ${arrondi(valeur)}`;
  return { valeur, relocationsMoyennes: relocations, facteurStock, misesEnService: e.misesEnService, anneesObservees: e.anneesObservees, methode };
}

const arrondi = (x: number, decimales = 1) => String(Math.round(x * 10 ** decimales) / 10 ** decimales).replace('.', ',');
