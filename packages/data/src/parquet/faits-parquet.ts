import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CalculDeLaDemande, CiaConfig } from '@mixite/core';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import type { EpciAuCalcul, FaitsConnus } from '../indicators/engine-epcis.ts';
import { limitesDesEpci } from '../indicators/engine-epcis.ts';
import { dictionnairesDesLieuxSql, lieuxDesFaitsSql } from '../indicators/croisements-epcis.ts';
import { demandSql, faitsTableSql, quartileLimitsSql } from '../indicators/indicators-sql.ts';
import { ident, literal } from '../store/sql-types.ts';
import { groupesDesEpci } from './configurations-parquet.ts';
import { Observatoire } from './lecture-parquet.ts';

/**
 * The facts of each EPCI's leases and proposals, exported beside its data (issue 18, item 5; docs/observatoire-parquet.md
 * "Session 12"): for each year, the rows of the engine's facts table (faitsTableSql — the one home of the rule: the
 * household, dwelling, contingent, QPV, Q1 and quartile of every proposal and lease of the year's window, classified
 * with the EPCI's own limits and settings), computed where the EPCI's data lives, at export. An observer then reads
 * them instead of recomputing them for every EPCI at every run (the costliest query of the one pass, ≈ 9 s of
 * processor at national scale), and another engine (Spark, Trino) can count targets over them in plain SQL.
 *
 * Layout (grouped, like the tables of a grouped export; disposition.ts):
 * - `faits/annee=AAAA/data_K.parquet`: the facts table of year AAAA (its window: 1 July AAAA−1 – 31 December AAAA),
 *   its columns plus `epci` and `definition`, rows ordered by EPCI (K: one file per group of settings);
 * - `faits_couverture/annee=AAAA/data_K.parquet`: one row per EPCI computed (`epci`, `definition`, `lignes`,
 *   `calculs`: its demand quantiles of AAAA−1 and AAAA, JSON), even those with no row of facts — what tells "no
 *   lease" from "not computed";
 * - `faits_lieux/`, `faits_dictionnaires/`: the secrecy places numbered from the facts and their dictionaries
 *   (croisements-epcis.ts); `faits_demande_stock/`, `faits_demande_flux/`: the requests' aggregates of the demand
 *   (demandSql's stock_agg and flux). Each is read when present, else computed as without an export.
 * Measured at national scale (docs/observatoire-parquet.md): 0.58× the processor of the pass, for ≈ 16 s of processor
 * per year at export. `definition` fingerprints the facts' definition (definitionDesFaits): the observer uses the exported facts of a
 * group of EPCIs only when every one of them is covered for the year with the definition of the running code, and
 * has no folders of its own (an EPCI's own export, newer, replaces its grouped rows: its grouped facts would be stale);
 * otherwise it computes them, as before.
 */

/** The folders of the exported facts (not tables of the store: an optional dataset, absent from older exports). */
export const DOSSIER_FAITS = 'faits';
export const DOSSIER_COUVERTURE = 'faits_couverture';
export const DOSSIER_LIEUX = 'faits_lieux';
export const DOSSIER_DICTIONNAIRES = 'faits_dictionnaires';
export const DOSSIER_DEMANDE_STOCK = 'faits_demande_stock';
export const DOSSIER_DEMANDE_FLUX = 'faits_demande_flux';
/** Every folder of the exported facts: written, replaced and removed together. */
export const DOSSIERS_DES_FAITS = [DOSSIER_FAITS, DOSSIER_COUVERTURE, DOSSIER_LIEUX, DOSSIER_DICTIONNAIRES, DOSSIER_DEMANDE_STOCK, DOSSIER_DEMANDE_FLUX] as const;

/**
 * The fingerprint of the facts' definition for an EPCI's settings: the SHA-256 of the facts SQL the running code
 * writes for those settings (a fixed year, no limits) — any change to a counting rule, a declaration or the columns
 * changes it, and with it every exported fact's validity. 16 hex digits.
 */
export function definitionDesFaits(config: CiaConfig): string {
  return createHash('sha256')
    .update(faitsTableSql('faits', config, 2001, [], LEGAL_DECLARATIONS, true))
    .update(quartileLimitsSql(config, [2000, 2001], true))
    .update(lieuxDesFaitsSql('faits'))
    .update(dictionnairesDesLieuxSql('lieux'))
    .update(demandSql('faits', config, 2001, [], true))
    .digest('hex')
    .slice(0, 16);
}

const motif = (dossier: string, sous: string, annee: number) => join(dossier, sous, `annee=${annee}`, '*.parquet');

/**
 * The SELECT of the exported facts of `groupe` for the year, when they can be used (see above); undefined otherwise.
 * Views over every EPCI's files must be set (Observatoire.vuesDeTousLesEpci).
 */
export async function faitsExportes(observatoire: Observatoire, annee: number, groupe: readonly EpciAuCalcul[]): Promise<FaitsConnus | undefined> {
  const { store, dossier } = observatoire;
  const compter = async (m: string) => (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM glob(${literal(m)})`))[0]?.n ?? 0;
  if ((await compter(motif(dossier, DOSSIER_FAITS, annee))) === 0 || (await compter(motif(dossier, DOSSIER_COUVERTURE, annee))) === 0) return undefined;
  const couvertes = new Map(
    (
      // Every column: a coverage file of another layout (without calculs) is stale, not an error.
      await store.all<{ epci: string; definition: string; calculs?: string }>(`SELECT * FROM read_parquet(${literal(motif(dossier, DOSSIER_COUVERTURE, annee))}, hive_partitioning = false)`)
    ).map((c) => [c.epci, c]),
  );
  const parDossier = new Set(observatoire.parDossier);
  // One definition for the group: its EPCIs share the settings the SQL depends on (signatureSql).
  const definition = definitionDesFaits((groupe[0] as EpciAuCalcul).config);
  const valide = (epci: string) => {
    const c = couvertes.get(epci);
    return !parDossier.has(epci) && c?.definition === definition && typeof c.calculs === 'string';
  };
  if (groupe.length === 0 || !groupe.every(({ epci }) => valide(epci))) return undefined;
  const filtre = couvertes.size === groupe.length ? '' : ` WHERE epci IN (${groupe.map((g) => literal(g.epci)).join(', ')})`;
  const lire = (sous: string, colonnes = '*') => `SELECT ${colonnes} FROM read_parquet(${literal(motif(dossier, sous, annee))}, hive_partitioning = false)${filtre}`;
  const avecLieux = (await compter(motif(dossier, DOSSIER_LIEUX, annee))) > 0 && (await compter(motif(dossier, DOSSIER_DICTIONNAIRES, annee))) > 0;
  const avecDemande = (await compter(motif(dossier, DOSSIER_DEMANDE_STOCK, annee))) > 0 && (await compter(motif(dossier, DOSSIER_DEMANDE_FLUX, annee))) > 0;
  return {
    ...(avecDemande ? { demande: { stock: lire(DOSSIER_DEMANDE_STOCK), flux: lire(DOSSIER_DEMANDE_FLUX) } } : {}),
    sql: lire(DOSSIER_FAITS, '* EXCLUDE (definition)'),
    calculs: new Map(groupe.map(({ epci }) => [epci, JSON.parse(couvertes.get(epci)?.calculs ?? '[]') as CalculDeLaDemande[]])),
    ...(avecLieux ? { lieux: { lieux: lire(DOSSIER_LIEUX), dictionnaires: lire(DOSSIER_DICTIONNAIRES) } } : {}),
  };
}

export interface FaitsEcrits {
  readonly annees: readonly number[];
  /** Rows of facts written, all years together. */
  readonly lignes: number;
}

export interface OptionsDesFaits {
  /** The years (default: every year with a proposal or a lease). */
  readonly annees?: readonly number[];
  /** Another folder to write them into (a benchmark's); default: `dossier` itself. */
  readonly vers?: string;
}

/**
 * Computes and writes the facts of every EPCI of the grouped export in `dossier` (those without folders of their own),
 * replacing the previous ones. Called by the grouped exports after their tables are in place
 * (export-parquet-epcis.ts, regroupement.ts), from the files just written: each EPCI's limits and settings are those
 * its own files give, as the observer computes them.
 */
export async function ecrireFaits(dossier: string, options: OptionsDesFaits = {}): Promise<FaitsEcrits> {
  const observatoire = await Observatoire.ouvrir(dossier);
  const cible = resolve(options.vers ?? observatoire.dossier);
  const attente = join(cible, `.faits-${process.pid}`);
  rmSync(attente, { recursive: true, force: true });
  let lignes = 0;
  try {
    await observatoire.vuesDeTousLesEpci();
    const { store } = observatoire;
    const parDossier = new Set(observatoire.parDossier);
    const epcis = observatoire.epcis.filter((e) => !parDossier.has(e));
    const groupes = await groupesDesEpci(observatoire, epcis);
    const lesAnnees =
      options.annees ??
      (
        await store.all<{ annee: number }>(
          `SELECT DISTINCT year(jour)::INTEGER AS annee FROM (SELECT date_cal AS jour FROM attributions UNION ALL SELECT date_bail FROM attributions) WHERE jour IS NOT NULL ORDER BY 1`,
        )
      ).map((a) => a.annee);
    for (const annee of lesAnnees) {
      for (const [k, groupe] of groupes.entries()) {
        await observatoire.vuesDeTousLesEpci(groupe.map((g) => g.epci));
        const { limitesSql, calculs } = await limitesDesEpci(store, annee, groupe);
        const config = (groupe[0] as EpciAuCalcul).config;
        const table = `mixite_faits_export_${process.pid}`;
        await store.run(faitsTableSql(table, config, annee, limitesSql, LEGAL_DECLARATIONS, true));
        try {
          const definition = literal(definitionDesFaits(config));
          const faits = join(attente, DOSSIER_FAITS, `annee=${annee}`);
          const couverture = join(attente, DOSSIER_COUVERTURE, `annee=${annee}`);
          mkdirSync(faits, { recursive: true });
          mkdirSync(couverture, { recursive: true });
          await store.run(`COPY (SELECT *, ${definition} AS definition FROM ${ident(table)} ORDER BY epci) TO ${literal(join(faits, `data_${k}.parquet`))} (FORMAT parquet)`);
          // Each EPCI's demand quantiles of years N−1 and N, as JSON: the observer's limits without reading the requests.
          const liste = groupe.map((g) => `(${literal(g.epci)}, ${literal(JSON.stringify(calculs.get(g.epci) ?? []))})`).join(', ');
          await store.run(`COPY (SELECT e.epci, ${definition} AS definition, count(f.epci)::BIGINT AS lignes, e.calculs FROM (VALUES ${liste}) e(epci, calculs)
            LEFT JOIN ${ident(table)} f ON f.epci = e.epci GROUP BY e.epci, e.calculs ORDER BY e.epci) TO ${literal(join(couverture, `data_${k}.parquet`))} (FORMAT parquet)`);
          // The secrecy places numbered and their dictionaries (croisements-epcis.ts), as the observer would make them.
          const lieux = `${table}_lieux`;
          await store.run(`CREATE TABLE ${ident(lieux)} AS ${lieuxDesFaitsSql(table)}`);
          // And the requests' aggregates of the demand (demandSql's stock and flows), with the same limits.
          for (const [sous, sql, ordre] of [
            [DOSSIER_LIEUX, `SELECT * FROM ${ident(lieux)}`, 'epci, rang'],
            [DOSSIER_DICTIONNAIRES, dictionnairesDesLieuxSql(lieux), 'epci, dimension, indice'],
            [DOSSIER_DEMANDE_STOCK, demandSql(table, config, annee, limitesSql, true, undefined, 'stock_agg'), 'ALL'],
            [DOSSIER_DEMANDE_FLUX, demandSql(table, config, annee, limitesSql, true, undefined, 'flux'), 'ALL'],
          ] as const) {
            mkdirSync(join(attente, sous, `annee=${annee}`), { recursive: true });
            await store.run(`COPY (SELECT * FROM (${sql}) ORDER BY ${ordre}) TO ${literal(join(attente, sous, `annee=${annee}`, `data_${k}.parquet`))} (FORMAT parquet)`);
          }
          lignes += (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`))[0]?.n ?? 0;
        } finally {
          await store.run(`DROP TABLE IF EXISTS ${ident(`${table}_lieux`)}`);
          await store.run(`DROP TABLE IF EXISTS ${ident(table)}`);
        }
      }
    }
    // Every year written: the previous facts give way (the grouped exports already removed them with their tables).
    for (const sous of DOSSIERS_DES_FAITS) {
      rmSync(join(cible, sous), { recursive: true, force: true });
      if (existsSync(join(attente, sous))) renameSync(join(attente, sous), join(cible, sous));
    }
    return { annees: lesAnnees, lignes };
  } finally {
    observatoire.close();
    rmSync(attente, { recursive: true, force: true });
  }
}
