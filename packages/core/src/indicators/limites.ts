import { formatEntier } from '../format/francais.ts';
import { toCents } from '../quartile/exact.ts';
import type { SeuilPublie } from '../quartile/quartile.ts';
import { seuilApplicable } from '../quartile/quartile.ts';
import type { LimitesDeLAnnee, OrigineSeuil } from './results.ts';

/**
 * Which Q1 threshold and quartile limits apply to a date and a territory (DOMAIN.md "First quartile",
 * DATA-FORMAT.md `seuils.csv`) — the one home of the rule, read by the indicator engine, the cotation engine, the
 * allocation lists of the API and the bilan (through packages/data/src/indicators/limites.ts):
 * - the limits of a date are those of the year of the date (the arrêté of year N applies to the decisions of N);
 * - per EPCI of the dwelling's commune (of the first wished commune for a request); '' stands for the territory;
 * - the threshold is the published row of the year for the EPCI, else the row with an empty code_epci, else the
 *   first quartile computed from the demand active on 31 December of the year before;
 * - the median and the third quartile are those of the same published row when it gives them (`seuil_q2`,
 *   `seuil_q3`), else the ones computed from that demand;
 * - the territory's EPCI is the one of cia.yaml (`code_epci`), else the only EPCI of communes.csv, else none.
 */

/** The limits of one year for one EPCI ('' = the territory), in cents per UC per year (null when unknown). */
export interface LimiteEpci {
  readonly annee: number;
  readonly codeEpci: string;
  readonly seuilQ1: bigint | null;
  readonly mediane: bigint | null;
  readonly q3: bigint | null;
}

/** What the demand of 31 December N−1 gives for year N: its number of requests with known resources and its quantiles. */
export interface CalculDeLaDemande {
  readonly annee: number;
  readonly demandes: number;
  /** Quantiles of integer cents as DuckDB's quantile_cont gives them (interpolated): rounded here. */
  readonly q1: number | null;
  readonly mediane: number | null;
  readonly q3: number | null;
}

/** The threshold retained for a year and an EPCI, and where it comes from. */
export interface SeuilRetenu {
  readonly cents: bigint | null;
  readonly origine: OrigineSeuil;
  readonly publie: SeuilPublie | null;
}

/** The territory's EPCI: the configured one, else the only EPCI of the communes, else none. */
export function epciDuTerritoire(codeEpciConfigure: string | null | undefined, epcisDesCommunes: readonly string[]): string | null {
  if (codeEpciConfigure) return codeEpciConfigure;
  const distincts = [...new Set(epcisDesCommunes)];
  return distincts.length === 1 ? (distincts[0] ?? null) : null;
}

/**
 * The territory's name, as the screens and the bilan write it (one rule for both): the EPCI's own name; a store
 * holding several EPCI (a département or a region observed together) by its size, never after one of them.
 */
export function nomDuTerritoire(t: { readonly epcis: number; readonly communes: number; readonly nomEpci: string | null; readonly codeEpci: string | null }): string {
  if (t.epcis > 1) return `${formatEntier(t.epcis)} EPCI, ${formatEntier(t.communes)} communes`;
  return t.nomEpci ?? (t.codeEpci ? `EPCI ${t.codeEpci}` : 'Territoire de la CIA');
}

/**
 * A quantile of integer cents interpolated at 1/4, 1/2 or 3/4 is an exact binary fraction: rounded half up to the
 * cent (Math.round), exactly.
 */
export const centimesArrondis = (x: number | null | undefined): bigint | null => (x === null || x === undefined ? null : BigInt(Math.round(x)));

/** The threshold of year `annee` for an EPCI (null: the territory without EPCI): published, else computed. */
export function seuilRetenu(publies: readonly SeuilPublie[], annee: number, codeEpci: string | null, calculeQ1: bigint | null): SeuilRetenu {
  const publie = seuilApplicable(publies, annee, codeEpci);
  if (publie) return { cents: toCents(publie.seuil_q1), origine: 'publie', publie };
  return { cents: calculeQ1, origine: calculeQ1 === null ? 'absent' : 'calcule', publie: null };
}

/** The years of `annees` for which some EPCI (or the territory) has no published threshold: the demand must be read. */
export function anneesSansSeuilPublie(publies: readonly SeuilPublie[], annees: readonly number[], epcis: readonly string[], territoire: string | null): number[] {
  return annees.filter((a) => [...epcis, territoire].some((e) => seuilApplicable(publies, a, e) === null));
}

export interface LimitesSelectionnees {
  /** Per year, per EPCI of the communes and '' (the territory): what the SQL joins on (year of the date, EPCI). */
  readonly parEpci: LimiteEpci[];
  /** Per year, the territory's threshold. */
  readonly territoire: ReadonlyMap<number, SeuilRetenu>;
}

/**
 * The limits of each year for every EPCI of the communes and for the territory (''). `calculs` holds the demand's
 * quantiles of the years that needed them (a year without one has no computed limit).
 */
export function selectionnerLimites(
  publies: readonly SeuilPublie[],
  annees: readonly number[],
  epcis: readonly string[],
  territoire: string | null,
  calculs: readonly CalculDeLaDemande[],
): LimitesSelectionnees {
  const parEpci: LimiteEpci[] = [];
  const seuilsTerritoire = new Map<number, SeuilRetenu>();
  for (const annee of annees) {
    const c = calculs.find((r) => r.annee === annee);
    const q1 = centimesArrondis(c?.q1);
    const mediane = centimesArrondis(c?.mediane);
    const q3 = centimesArrondis(c?.q3);
    for (const code of [...epcis, '']) {
      const retenu = seuilRetenu(publies, annee, code === '' ? territoire : code, q1);
      parEpci.push({ annee, codeEpci: code, seuilQ1: retenu.cents, mediane: limitePubliee(retenu.publie?.seuil_q2) ?? mediane, q3: limitePubliee(retenu.publie?.seuil_q3) ?? q3 });
    }
    seuilsTerritoire.set(annee, seuilRetenu(publies, annee, territoire, q1));
  }
  return { parEpci, territoire: seuilsTerritoire };
}

/** A published Q2/Q3 limit in cents (null when the row does not give it). */
const limitePubliee = (x: number | string | null | undefined): bigint | null => (x === null || x === undefined || x === '' ? null : toCents(x));

/** The limits of a year as the engine reports them for the territory (€ per UC per year); median and Q3 as applied. */
export function limitesDuTerritoire(annee: number, calcul: CalculDeLaDemande | undefined, seuil: SeuilRetenu): LimitesDeLAnnee {
  const euros = (x: bigint | null) => (x === null ? null : Number(x) / 100);
  return {
    annee,
    date_reference: `${annee - 1}-12-31`,
    demandes: calcul?.demandes ?? 0,
    q1: euros(centimesArrondis(calcul?.q1)),
    mediane: euros(limitePubliee(seuil.publie?.seuil_q2) ?? centimesArrondis(calcul?.mediane)),
    q3: euros(limitePubliee(seuil.publie?.seuil_q3) ?? centimesArrondis(calcul?.q3)),
    seuil_publie: seuil.publie ? euros(toCents(seuil.publie.seuil_q1)) : null,
    source_seuil: seuil.publie?.source ?? null,
    seuil_applique: euros(seuil.cents),
    origine_seuil: seuil.origine,
  };
}
