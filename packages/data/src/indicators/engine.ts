import type {
  CiaConfig,
  ContexteSecret,
  Controles,
  DemandIndicatorId,
  DemandRow,
  IndicatorResults,
  LegalIndicatorDeclaration,
  IndicatorRow,
  PeriodeId,
  PerimeterType,
  Perimetre,
  PublishedIndicatorRow,
  TypeContingent,
} from '@mixite/core';
import { ConfigurationInvalideError } from '@mixite/core';
import {
  DEFAULT_CIA_CONFIG,
  LEGAL_DECLARATIONS,
  MODALITES_MOTIF_REFUS,
  MODALITES_QUARTILE,
  MODALITES_TYPOLOGIE,
  appliquerSecret,
  ciblesInconnues,
  isTypeContingent,
  evaluer,
  ligneDemande,
  optionsDuSecret,
  periodesDeLAnnee,
  periodesDeLaDemande,
  resoudreCible,
  TERRITOIRE_ID,
  readStoredCiaConfig,
  validateCiaConfig,
} from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import { lieuxDuSecret } from './croisements.ts';
import { limitesDesAnnees } from './limites.ts';
import {
  demandSql,
  faitsTableSql,
  legalIndicatorsSql,
  periodColumn,
  q1ControlsSql,
  qpvCommunesSql,
  tranchesDeLAnnee,
  tranchesDeLaPeriode,
} from './indicators-sql.ts';

/**
 * The legal objectives engine over the store (issue 3): reads the canonical tables as imported, computes the
 * legal indicators for every perimeter and period of a year, the demand side and the quartile limits.
 * Internal results are never masked; `publierIndicateurs` applies the statistical secrecy for publication.
 */

export interface CalculOptions {
  readonly annee: number;
  /** The CIA configuration; by default the current one of the store (highest version), else the defaults. */
  readonly config?: CiaConfig;
  /**
   * The legal indicators to compute, in their output order: by default the declarations of core. A caller may
   * pass others (a test declares one in a fixture) — the counting rules are built from the declarations alone.
   */
  readonly declarations?: readonly LegalIndicatorDeclaration[];
}

/**
 * The stored configuration no longer validates (written by an older version, or by hand): core's
 * ConfigurationInvalideError (one class with the environment's, erreurs.ts) carrying the settings' problems.
 */
function configurationStockeeInvalide(problemes: readonly { chemin: string; message: string }[]): ConfigurationInvalideError {
  return new ConfigurationInvalideError(`configuration de la CIA invalide dans la base : ${problemes.map((p) => `${p.chemin} : ${p.message}`).join(' ; ')}`, { problemes });
}

/** The current CIA configuration of the store: the row with the highest version, or the defaults when none. */
export async function configurationCourante(store: Store): Promise<CiaConfig> {
  const [row] = await store.all<{ contenu: string }>(`SELECT CAST(contenu AS VARCHAR) AS contenu FROM configuration ORDER BY version DESC LIMIT 1`);
  if (!row) return DEFAULT_CIA_CONFIG;
  return configurationDuContenu(row.contenu);
}

/** A stored configuration (the JSON of a `configuration` row) read as configurationCourante reads it. */
export function configurationDuContenu(contenu: string): CiaConfig {
  // Stored by an earlier version maybe: read leniently (keys no longer known dropped), strict only to explain a failure.
  const stored: unknown = JSON.parse(contenu);
  const config = readStoredCiaConfig(stored);
  if (config) return config;
  const result = validateCiaConfig(stored);
  throw configurationStockeeInvalide(result.ok ? [] : result.problemes);
}

export const EXEMPLES_MAX = 20;

let tableCounter = 0;

export async function calculerIndicateurs(store: Store, options: CalculOptions): Promise<IndicatorResults> {
  const { annee } = options;
  if (!Number.isInteger(annee) || annee < 2001 || annee > 2099) throw new RangeError(`année invalide : ${annee}`);
  const config = options.config ?? (await configurationCourante(store));
  const declarations = options.declarations ?? LEGAL_DECLARATIONS;

  // The limits of year N and N−1 (the twelve months to 30 June N start in N−1), per EPCI of the communes.
  const { limites, parEpci: limitesSql } = await limitesDesAnnees(store, config, [annee - 1, annee]);

  // The proposals and leases of the window are resolved once (joins with requests and dwellings), into a
  // temporary table of this connection, then read by the three families of queries.
  const table = `mixite_faits_${process.pid}_${++tableCounter}`;
  await store.run(faitsTableSql(table, config, annee, limitesSql, declarations));
  try {
    const legal = await store.connection.runAndReadAll(legalIndicatorsSql(table, annee, declarations));
    // DuckDB computes the demand side while JavaScript writes the legal rows.
    const demand = store.all<{ mesure: string; periode: PeriodeId; modalite: string; n: string | number | null; s: string | number | null }>(
      demandSql(table, config, annee, limitesSql),
    );
    demand.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
    const indicateurs = legalRows(legal.getColumnsObjectJS() as Record<string, unknown[]>, config, annee, declarations);
    const counts = await demand;
    const [q1] = await store.all<{ desaccords: number; inconnus: number; exemples: string[] | null }>(q1ControlsSql(table, EXEMPLES_MAX));
    const controles: Controles = {
      q1_desaccords: q1?.desaccords ?? 0,
      q1_desaccords_exemples: q1?.exemples ?? [],
      q1_inconnus: q1?.inconnus ?? 0,
      cibles_inconnues: ciblesInconnues(config, options.declarations),
    };
    const contexte = await contexteSecret(store, table, annee);
    return { annee, configuration: config, indicateurs, demande: assembleDemand(annee, counts), limites, controles, contexte };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${ident(table)}`);
  }
}

const PERIMETER_ORDER: readonly PerimeterType[] = ['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent'];

/**
 * Turns the columns of the legal query (one row per perimeter, a denominator and a numerator per indicator and
 * period) into the long-format rows: for each indicator in the order of the declarations, the territory and
 * every perimeter that counts in its denominator during the window, ordered by perimeter type and id, five periods each.
 */
export function legalRows(columns: Record<string, unknown[]>, config: CiaConfig, annee: number, declarations: readonly LegalIndicatorDeclaration[]): IndicatorRow[] {
  const column = (name: string) => (columns[name] ?? []) as number[];
  const types = (columns.perimetre_type ?? []) as PerimeterType[];
  const ids = (columns.perimetre_id ?? []) as string[];
  const typesContingent = (columns.type_contingent ?? []) as (string | null)[];
  const order = types.map((_, r) => r);
  const rank = (t: PerimeterType) => PERIMETER_ORDER.indexOf(t);
  order.sort((a, b) => rank(types[a] as PerimeterType) - rank(types[b] as PerimeterType) || compare(ids[a] as string, ids[b] as string));
  const periodes = periodesDeLAnnee(annee);
  const rows: IndicatorRow[] = [];
  declarations.forEach((declaration, i) => {
    const indicateur = declaration.id;
    const den = periodes.map((_, j) => column(periodColumn('d', i, j)));
    const num = periodes.map((_, j) => column(periodColumn('n', i, j)));
    let territoire = false;
    const start = rows.length;
    const emit = (perimetre: Perimetre, r: number | null) => {
      // One target per perimeter, for its five periods.
      const cible = resoudreCible(config, indicateur, perimetre, declaration);
      periodes.forEach((p, j) => {
        const numerateur = r === null ? 0 : (num[j]?.[r] ?? 0);
        const denominateur = r === null ? 0 : (den[j]?.[r] ?? 0);
        const { taux, ecart, atteint } = evaluer(numerateur, denominateur, cible);
        rows.push({ indicateur, perimetre_type: perimetre.type, perimetre_id: perimetre.id, periode: p.id, numerateur, denominateur, taux, cible, ecart, atteint });
      });
    };
    for (const r of order) {
      const type = types[r] as PerimeterType;
      if (type === 'territoire') territoire = true;
      else if (!den.some((d) => (d[r] ?? 0) > 0)) continue;
      const tc = typesContingent[r] ?? null;
      emit({ type, id: ids[r] as string, typeContingent: tc !== null && isTypeContingent(tc) ? tc : null }, r);
    }
    // No fact at all in the window: the territory still has its rows, with zeros.
    if (!territoire) {
      const end = rows.length;
      emit({ type: 'territoire', id: TERRITOIRE_ID }, null);
      rows.splice(start, 0, ...rows.splice(end));
    }
  });
  return rows;
}

/** Code-unit order, like DuckDB's default binary collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Turns the raw counts of demandSql into the declared demand indicators, with zeros where nothing was counted. */
export function assembleDemand(annee: number, counts: readonly { mesure: string; periode: string; modalite: string; n: unknown; s: unknown }[]): DemandRow[] {
  const get = (mesure: string, periode: string, modalite = '') => {
    const row = counts.find((c) => c.mesure === mesure && c.periode === periode && c.modalite === modalite);
    return { n: Number(row?.n ?? 0), s: Number(row?.s ?? 0) };
  };
  const rows: DemandRow[] = [];
  const add = (id: DemandIndicatorId, p: PeriodeId, modalite: string, num: number, den: number | null) => rows.push(ligneDemande(id, p, modalite, num, den));
  for (const { id: p } of periodesDeLaDemande(annee)) {
    const stock = get('stock_mutation', p);
    const baux = get('baux_mutation', p);
    const satisfaites = get('satisfaites', p);
    add('demandes_actives', p, '', stock.s, null);
    add('demandes_deposees', p, '', get('deposees', p).n, null);
    add('demandes_satisfaites', p, '', satisfaites.n, null);
    add('demandes_radiees', p, '', get('radiees', p).n, null);
    for (const q of MODALITES_QUARTILE) add('quartile_demande', p, q, get('stock_quartile', p, q).n, stock.s);
    for (const q of MODALITES_QUARTILE) add('quartile_attributions', p, q, get('baux_quartile', p, q).n, baux.s);
    add('mutations_demande', p, '', stock.n, stock.s);
    add('mutations_attributions', p, '', baux.n, baux.s);
    add('tension_typologie', p, '', stock.s, baux.s);
    for (const t of MODALITES_TYPOLOGIE) add('tension_typologie', p, t, get('stock_typologie', p, t).n, get('baux_typologie', p, t).n);
    add('tension_quartile', p, '', stock.s, baux.s);
    for (const q of MODALITES_QUARTILE) add('tension_quartile', p, q, get('stock_quartile', p, q).n, get('baux_quartile', p, q).n);
    add('delai_attente_satisfaites', p, '', satisfaites.s, satisfaites.n);
    const refus = MODALITES_MOTIF_REFUS.map((m) => ({ m, n: get('refus', p, m).n }));
    const totalRefus = refus.reduce((sum, r) => sum + r.n, 0);
    add('refus_par_motif', p, '', totalRefus, get('propositions', p).n);
    for (const r of refus) add('refus_par_motif', p, r.m, r.n, totalRefus);
  }
  return rows;
}

/**
 * What the secrecy rules need: the type of each réservataire's contingent, and per period the QPVs whose
 * proposals in QPV all lie in one commune that no other QPV of the period straddles — read from the facts,
 * not from qpv.csv (a QPV may straddle communes: its main commune is not where all its dwellings are).
 */
async function contexteSecret(store: Store, table: string, annee: number): Promise<ContexteSecret> {
  const types = await store.all<{ id: string; type: string }>(`SELECT id, type FROM reservataires`);
  const typesContingent: Record<string, TypeContingent> = {};
  for (const t of types) if (isTypeContingent(t.type)) typesContingent[t.id] = t.type;
  const lieux = await store.all<{ code_qpv: string; tranche: number; communes: string[] }>(qpvCommunesSql(table));
  const communesDesQpv = communesDesQpvDeLAnnee(annee, lieux);
  // Assimilated sectors the settings count out of QPV (en_qpv depends on the QPV code and the settings alone).
  const hors = await store.all<{ code_qpv: string }>(`SELECT DISTINCT code_qpv FROM ${ident(table)} WHERE code_qpv IS NOT NULL AND NOT en_qpv ORDER BY code_qpv`);
  return { typesContingent, communesDesQpv, croisements: await lieuxDuSecret(store, table, annee), secteursHorsQpv: hors.map((h) => h.code_qpv) };
}

/** Per period, the QPVs whose proposals in QPV lie in one commune that no other QPV of the period straddles. */
export function communesDesQpvDeLAnnee(annee: number, lieux: readonly { code_qpv: string; tranche: number; communes: readonly string[] }[]): Record<string, Record<string, string>> {
  const tranches = tranchesDeLAnnee(annee);
  const communesDesQpv: Record<string, Record<string, string>> = {};
  for (const p of periodesDeLAnnee(annee)) {
    const dans = new Set(tranchesDeLaPeriode(p, tranches));
    const communes = new Map<string, Set<string>>();
    for (const l of lieux.filter((x) => dans.has(x.tranche))) {
      const set = communes.get(l.code_qpv) ?? new Set<string>();
      for (const c of l.communes) set.add(c);
      communes.set(l.code_qpv, set);
    }
    const partagees = new Set([...communes.values()].filter((set) => set.size > 1).flatMap((set) => [...set]));
    const map: Record<string, string> = {};
    for (const [qpv, set] of communes) {
      const [commune] = [...set];
      if (set.size === 1 && commune !== undefined && !partagees.has(commune)) map[qpv] = commune;
    }
    communesDesQpv[p.id] = map;
  }
  return communesDesQpv;
}

/**
 * The published version of the indicators: statistical secrecy with the configured threshold (or `seuil`).
 * `declarations`: those the results were computed with, when not core's.
 */
export function publierIndicateurs(
  results: IndicatorResults,
  seuil: number = results.configuration.secret_statistique,
  declarations?: readonly LegalIndicatorDeclaration[],
): PublishedIndicatorRow[] {
  return appliquerSecret(results.indicateurs, { seuil, ...optionsDuSecret([results.contexte]), ...(declarations ? { declarations } : {}) });
}
