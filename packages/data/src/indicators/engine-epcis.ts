import type { CalculDeLaDemande, CiaConfig, ContexteSecret, CroisementsDuSecret, IndicatorResults, SeuilPublie, SeuilRetenu, TypeContingent } from '@mixite/core';
import { LEGAL_DECLARATIONS, ciblesInconnues, epciDuTerritoire, isTypeContingent, limitesDuTerritoire, selectionnerLimites } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { LieuxConnus } from './croisements-epcis.ts';
import { croisementsDesEpci } from './croisements-epcis.ts';
import { EXEMPLES_MAX, assembleDemand, communesDesQpvDeLAnnee, legalRows } from './engine.ts';
import type { DemandeExportee, LimiteSqlEpci } from './indicators-sql.ts';
import { demandSql, faitsTableSql, legalIndicatorsSql, q1ControlsSql, qpvCommunesSql, quartileLimitsSql } from './indicators-sql.ts';

/**
 * The indicator engine over MANY EPCIs in one pass (issue 18, item 5: the Parquet observatory). The tables the store
 * reads (views over the Parquet files, parquet/indicateurs-parquet.ts) carry an `epci` column; the engine's own SQL,
 * with its `parEpci` switch, matches it in every join and groups by it in every aggregate, so that each query runs
 * once for the whole folder instead of once per EPCI (≈ 15 statements each: a national folder of 1 200 EPCIs was
 * out of reach of a 10 s budget). What is per EPCI in JavaScript stays per EPCI: its settings (targets, code_epci),
 * its quartile limits (published thresholds, else its demand's), its rows assembled as calculerIndicateurs does.
 * Each EPCI's results equal those of calculerIndicateurs on a store holding that EPCI alone (tested).
 *
 * The settings that change the SQL itself (the UC scale, the assimilated sectors) must be the same for every EPCI of
 * one pass: `signatureSql` tells the caller how to group them.
 */

export interface EpciAuCalcul {
  readonly epci: string;
  readonly config: CiaConfig;
}

export interface OptionsDuCalcul {
  /**
   * Called at the end of each phase, for a benchmark: `limites` (quartile limits), `faits` (the facts table), `legal`
   * (the legal query), `lignes` (the legal rows written in JavaScript), `reste` (demand, places, checks: queried on a
   * second connection from the end of `faits`, beside the other two), `assemblage` (each EPCI's results handed over).
   */
  readonly etape?: (nom: 'limites' | 'faits' | 'legal' | 'lignes' | 'reste' | 'assemblage') => void;
  /**
   * The facts an export wrote (parquet/faits-parquet.ts), read instead of computed: `sql`, a SELECT of the facts rows
   * of these EPCIs and this year as faitsTableSql makes them (same columns, with `epci`); `calculs`, each EPCI's
   * demand quantiles (quartileLimitsSql) they were classified with. Absent: both computed.
   */
  readonly faits?: FaitsConnus;
}

/** Facts and demand quantiles computed before (an export's): see OptionsDuCalcul.faits. */
export interface FaitsConnus {
  readonly sql: string;
  readonly calculs: ReadonlyMap<string, readonly CalculDeLaDemande[]>;
  /** The secrecy places numbered from these facts, and their dictionaries (croisements-epcis.ts); absent: computed. */
  readonly lieux?: LieuxConnus;
  /** The requests' aggregates of demandSql (stock and flows), as the export computed them; absent: computed. */
  readonly demande?: DemandeExportee;
}

/** The settings the engine's SQL depends on: EPCIs with the same signature are computed in one pass. */
export const signatureSql = (config: CiaConfig): string => JSON.stringify([config.uc, config.assimiles_comme_qpv]);

let tableCounter = 0;

/** Groups rows by their `epci` (without the column). */
function parEpci<T extends { epci: string }>(rows: readonly T[]): Map<string, Omit<T, 'epci'>[]> {
  const groupes = new Map<string, Omit<T, 'epci'>[]>();
  for (const { epci, ...reste } of rows) {
    let g = groupes.get(epci);
    if (!g) groupes.set(epci, (g = []));
    g.push(reste);
  }
  return groupes;
}

/**
 * Every EPCI's indicators of the year, in one pass over the tables. `epcis` share one SQL signature (signatureSql);
 * `chaque` receives each EPCI's results, in the order of `epcis`.
 */
export async function calculerIndicateursDesEpci(
  store: Store,
  annee: number,
  epcis: readonly EpciAuCalcul[],
  chaque: (epci: string, resultats: IndicatorResults) => void | Promise<void>,
  options: OptionsDuCalcul = {},
): Promise<void> {
  const etape = options.etape ?? (() => undefined);
  if (!Number.isInteger(annee) || annee < 2001 || annee > 2099) throw new RangeError(`année invalide : ${annee}`);
  const premier = epcis[0];
  if (!premier) return;
  const sqlConfig = premier.config;
  if (epcis.some((e) => signatureSql(e.config) !== signatureSql(sqlConfig))) throw new RangeError('calculerIndicateursDesEpci : des EPCI aux échelles d’UC ou aux secteurs assimilés différents');
  const declarations = LEGAL_DECLARATIONS;
  const { limites, limitesSql } = await limitesDesEpci(store, annee, epcis, options.faits?.calculs);

  const table = `mixite_faits_epcis_${process.pid}_${++tableCounter}`;
  etape('limites');
  // The facts the export computed where each EPCI's data lives (parquet/faits-parquet.ts), else computed here: the
  // same SQL either way (faitsTableSql), so the same rows.
  await store.run(
    options.faits === undefined ? faitsTableSql(table, sqlConfig, annee, limitesSql, declarations, true) : `CREATE TABLE ${ident(table)} AS ${options.faits.sql}`,
  );
  etape('faits');
  // A second connection computes the rest (demand, places, checks) from the facts table while this one runs the legal
  // query and JavaScript then writes the legal rows: one after the other, a national folder left the processor's two
  // cores half idle during the legal query's single-threaded phases and the JavaScript thread idle during it.
  let ouverte: Store | undefined;
  let reste: Promise<unknown> = Promise.resolve();
  try {
    const seconde = await store.connectAgain();
    ouverte = seconde;
    const [chemin] = await store.all<{ chemin: string }>(`SELECT current_setting('search_path') AS chemin`);
    await seconde.run(`SET search_path = ${literal(chemin?.chemin ?? '')}`);
    const calcul = (async () => {
      const demande = parEpci(await seconde.all<{ epci: string; mesure: string; periode: string; modalite: string; n: unknown; s: unknown }>(demandSql(table, sqlConfig, annee, limitesSql, true, options.faits?.demande)));
      // Each EPCI's places as lieuxDuSecret gives them, the dictionaries worked out in SQL (croisements-epcis.ts).
      const croisements = await croisementsDesEpci(seconde, table, annee, epcis.map((e) => e.epci), options.faits?.lieux);
      const q1 = new Map(
        (await seconde.all<{ epci: string; desaccords: number; inconnus: number; exemples: string[] | null }>(q1ControlsSql(table, EXEMPLES_MAX, true))).map((r) => [r.epci, r]),
      );
      const types = parEpci(await seconde.all<{ epci: string; id: string; type: string }>(`SELECT epci, id, type FROM reservataires`));
      const qpv = parEpci(await seconde.all<{ epci: string; code_qpv: string; tranche: number; communes: string[] }>(qpvCommunesSql(table, true)));
      const hors = parEpci(
        await seconde.all<{ epci: string; code_qpv: string }>(`SELECT DISTINCT epci, code_qpv FROM ${ident(table)} WHERE code_qpv IS NOT NULL AND NOT en_qpv ORDER BY epci, code_qpv`),
      );
      etape('reste');
      return { demande, croisements, q1, types, qpv, hors };
    })();
    reste = calcul.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
    const legal = (await store.connection.runAndReadAll(legalIndicatorsSql(table, annee, declarations, true))).getColumnsObjectJS() as Record<string, unknown[]>;
    etape('legal');
    const lignesLegales = indicesParEpci((legal.epci ?? []) as string[]);
    const indicateurs = new Map<string, IndicatorResults['indicateurs']>();
    for (const [i, { epci, config }] of epcis.entries()) {
      indicateurs.set(epci, legalRows(colonnesDe(legal, lignesLegales.get(epci)), config, annee, declarations));
      // A turn of the event loop now and then: the queries above read their results and start the next one.
      if (i % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    etape('lignes');
    const { demande, croisements, q1, types, qpv, hors } = await calcul;

    for (const { epci, config } of epcis) {
      const typesContingent: Record<string, TypeContingent> = {};
      for (const t of types.get(epci) ?? []) if (isTypeContingent(t.type)) typesContingent[t.id] = t.type;
      const contexte: ContexteSecret = {
        typesContingent,
        communesDesQpv: communesDesQpvDeLAnnee(annee, qpv.get(epci) ?? []),
        croisements: croisements.get(epci) as CroisementsDuSecret,
        secteursHorsQpv: (hors.get(epci) ?? []).map((h) => h.code_qpv),
      };
      const controle = q1.get(epci);
      await chaque(epci, {
        annee,
        configuration: config,
        indicateurs: indicateurs.get(epci) ?? [],
        demande: assembleDemand(annee, demande.get(epci) ?? []),
        limites: limites.get(epci) ?? [],
        controles: {
          q1_desaccords: controle?.desaccords ?? 0,
          q1_desaccords_exemples: controle?.exemples ?? [],
          q1_inconnus: controle?.inconnus ?? 0,
          cibles_inconnues: ciblesInconnues(config),
        },
        contexte,
      });
      // Written: its rows can go (2.6 million at national scale, held once).
      indicateurs.delete(epci);
    }
    etape('assemblage');
  } finally {
    // Its queries end before it closes, even when this one failed.
    await reste;
    ouverte?.close();
    await store.run(`DROP TABLE IF EXISTS ${ident(table)}`);
  }
}

/**
 * Each EPCI's quartile limits of the year, chosen as limitesDesAnnees chooses them, from one read of each source for
 * all: the results' `limites` and the rows the facts and demand SQL classify with; `calculs`, each EPCI's demand
 * quantiles of years N−1 and N (quartileLimitsSql), those given (an export's) or computed. `epcis` share one SQL
 * signature.
 */
export async function limitesDesEpci(
  store: Store,
  annee: number,
  epcis: readonly EpciAuCalcul[],
  connus?: ReadonlyMap<string, readonly CalculDeLaDemande[]>,
): Promise<{ limites: Map<string, IndicatorResults['limites']>; limitesSql: LimiteSqlEpci[]; calculs: Map<string, CalculDeLaDemande[]> }> {
  const annees = [annee - 1, annee];
  const sqlConfig = epcis[0]?.config;
  const limites = new Map<string, IndicatorResults['limites']>();
  const limitesSql: LimiteSqlEpci[] = [];
  const calculsDesEpci = new Map<string, CalculDeLaDemande[]>();
  if (!sqlConfig) return { limites, limitesSql, calculs: calculsDesEpci };
  const publies = parEpci(
    await store.all<SeuilPublie & { epci: string }>(
      `SELECT epci, annee, code_epci, CAST(seuil_q1 AS VARCHAR) AS seuil_q1, CAST(seuil_q2 AS VARCHAR) AS seuil_q2, CAST(seuil_q3 AS VARCHAR) AS seuil_q3, source FROM seuils`,
    ),
  );
  const communes = parEpci(await store.all<{ epci: string; code_epci: string }>(`SELECT DISTINCT epci, code_epci FROM communes WHERE code_epci IS NOT NULL ORDER BY 1, 2`));
  const calculs = connus ?? parEpci(await store.all<CalculDeLaDemande & { epci: string }>(quartileLimitsSql(sqlConfig, annees, true)));
  for (const { epci, config } of epcis) {
    const epcisDesCommunes = (communes.get(epci) ?? []).map((c) => c.code_epci);
    // An EPCI without any request: the single-store query still gives each year a row (no request, no quantile).
    const sesCalculs = annees.map((a) => calculs.get(epci)?.find((c) => c.annee === a) ?? { annee: a, demandes: 0, q1: null, mediane: null, q3: null });
    calculsDesEpci.set(epci, sesCalculs);
    const choix = selectionnerLimites(publies.get(epci) ?? [], annees, epcisDesCommunes, epciDuTerritoire(config.code_epci, epcisDesCommunes), sesCalculs);
    limites.set(epci, annees.map((a) => limitesDuTerritoire(a, sesCalculs.find((c) => c.annee === a), choix.territoire.get(a) as SeuilRetenu)));
    for (const l of choix.parEpci) limitesSql.push({ ...l, epci });
  }
  return { limites, limitesSql, calculs: calculsDesEpci };
}

/** Each EPCI's rows of the legal query, ordered by EPCI (legalIndicatorsSql): one range [debut, fin) each. */
function indicesParEpci(epcis: readonly string[]): Map<string, { readonly debut: number; readonly fin: number }> {
  const plages = new Map<string, { debut: number; fin: number }>();
  epcis.forEach((e, i) => {
    const plage = plages.get(e);
    if (!plage) plages.set(e, { debut: i, fin: i + 1 });
    else if (plage.fin === i) plage.fin = i + 1;
    else throw new Error(`requête des indicateurs légaux : les lignes de l’EPCI ${e} ne se suivent pas`);
  });
  return plages;
}

/** The rows [debut, fin) of a column object (a slice of each column: no copy value by value). */
function colonnesDe(colonnes: Record<string, unknown[]>, plage: { readonly debut: number; readonly fin: number } | undefined): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(colonnes).map(([nom, valeurs]) => [nom, plage ? valeurs.slice(plage.debut, plage.fin) : []]));
}
