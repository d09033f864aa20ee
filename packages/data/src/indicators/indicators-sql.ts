import type { CiaConfig, Critere, LegalIndicatorDeclaration, LimiteEpci, MenageSql, Periode } from '@mixite/core';
import { LEGAL_DECLARATIONS, TERRITOIRE_ID, periodesDeLAnnee, periodesDeLaDemande, quartileSql } from '@mixite/core';
import { ident, literal } from '../store/sql-types.ts';
import { contingentSql, logementAttributionSql, menageAttributionSql, propositionSql } from './regles-sql.ts';

/**
 * The SQL of the indicator engine, all set-based DuckDB. Per year: one query for the quartile limits; one
 * statement resolving the proposals and leases of the window once into a temporary table (the costly joins of
 * allocations with requests and dwellings); from it, one query for the legal indicators (every indicator ×
 * perimeter × period at once), one for the demand side and one for the checks. Counting rules
 * (DATA-FORMAT.md "Counting bases"):
 * - a proposal is an allocation row with decision = attribution and issue ≠ non_proposee (a lower-ranked
 *   candidate whose turn never came counts nowhere), dated by date_cal;
 * - a lease is a proposal with issue = bail_signe, dated by date_bail;
 * - household fields missing from the allocation come from its request, dwelling fields from `logements`, and an
 *   empty contingent (after the dwelling's) is the bailleur's non-reserved stock (regles-sql.ts);
 * - a dwelling is in QPV when it has a code_qpv, unless that code is an assimilated sector and the CIA does
 *   not count assimilated sectors as QPV;
 * - Q1 and the quartiles use the limits of the year of the counting date, for the EPCI of the dwelling's commune
 *   (chosen by core/src/indicators/limites.ts, read by limites.ts).
 */

/** The limits of one year for one EPCI ('' = the territory), in cents per UC per year. */
export type LimiteSql = LimiteEpci;

/**
 * A limit of a folder of many EPCIs (the Parquet observatory, issue 18): `epci` is the partition the row belongs to,
 * the EPCI whose territory it is a limit of (`codeEpci` stays the EPCI of the communes, '' for that territory).
 */
export type LimiteSqlEpci = LimiteSql & { readonly epci: string };

/**
 * Many EPCIs in one pass (the Parquet observatory only): every table then has an `epci` column (the partition), every
 * join matches it and every aggregate groups by it, so that each EPCI's figures are those of its rows alone. Off by
 * default: the store's SQL is unchanged, character for character.
 */
const epciSi = (parEpci: boolean, sql: string) => (parEpci ? sql : '');

/**
 * Quarter slices: every period of a year is a union of them (12 months to 30 June N = Q3 + Q4 of N−1 + Q1 + Q2 of
 * N). Numbered so that slice k of year N is its quarter k (1 … 4): the slices of year N are those above 0, and the
 * two quarters of N−1 the twelve months to 30 June need are −1 and 0.
 */
export interface Tranche {
  readonly numero: number;
  readonly debut: string;
  readonly fin: string;
}

export function tranchesDeLAnnee(annee: number): Tranche[] {
  const a = annee;
  const b = annee - 1;
  return [
    { numero: -1, debut: `${b}-07-01`, fin: `${b}-09-30` },
    { numero: 0, debut: `${b}-10-01`, fin: `${b}-12-31` },
    { numero: 1, debut: `${a}-01-01`, fin: `${a}-03-31` },
    { numero: 2, debut: `${a}-04-01`, fin: `${a}-06-30` },
    { numero: 3, debut: `${a}-07-01`, fin: `${a}-09-30` },
    { numero: 4, debut: `${a}-10-01`, fin: `${a}-12-31` },
  ];
}

const sqlDate = (iso: string) => `DATE ${literal(iso)}`;
const sqlBigint = (v: bigint | null) => (v === null ? 'NULL::BIGINT' : `${v}::BIGINT`);

function limitesCte(limites: readonly (LimiteSql | LimiteSqlEpci)[], parEpci = false): string {
  const epci = (l: LimiteSql | LimiteSqlEpci) => epciSi(parEpci, `${literal('epci' in l ? l.epci : '')}, `);
  const rows = limites.map((l) => `(${epci(l)}${l.annee}, ${literal(l.codeEpci)}, ${sqlBigint(l.seuilQ1)}, ${sqlBigint(l.mediane)}, ${sqlBigint(l.q3)})`);
  // No row at all (a folder of EPCIs without limits) would be an invalid VALUES: one that matches nothing.
  if (parEpci && rows.length === 0) rows.push(`(NULL, NULL, NULL, NULL, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT)`);
  return `lim(${epciSi(parEpci, 'epci, ')}annee, code_epci, seuil_q1, mediane, q3) AS (VALUES ${rows.join(', ')})`;
}

/** The slices a period is made of (a slice belongs to a period when it lies inside it). */
export const tranchesDeLaPeriode = (p: Periode, tranches: readonly Tranche[]): number[] =>
  tranches.filter((t) => t.debut >= p.debut && t.fin <= p.fin).map((t) => t.numero);

function periodesCte(periodes: readonly Periode[], tranches: readonly Tranche[]): string {
  const per = periodes.map((p, i) => `(${literal(p.id)}, ${sqlDate(p.debut)}, ${sqlDate(p.fin)}, ${i})`);
  const pairs = periodes.flatMap((p) => tranchesDeLaPeriode(p, tranches).map((t) => `(${literal(p.id)}, ${t})`));
  return [`per(periode, debut, fin, ordre) AS (VALUES ${per.join(', ')})`, `per_tranche(periode, tranche) AS (VALUES ${pairs.join(', ')})`].join(',\n');
}

/** Column names of the per-indicator flags of the facts table: d<i> (in the denominator), n<i> (in the numerator). */
export const flagColumns = (i: number) => ({ den: `d${i}`, num: `n${i}` });

/**
 * Creates the temporary facts table of a year: one row per proposal dated by the CALEOL and one per lease dated
 * by the lease, in the window of the year (1 July N−1 – 31 December N), with its quarter slice, perimeters,
 * QPV membership, Q1 membership and quartile (limits of the year of its date, for the EPCI of its commune), and
 * for each declared indicator whether it is in the denominator and in the numerator (flags d<i>, n<i> in the
 * order of `declarations`: the module's by default, or those a caller passes, e.g. a test's fixture).
 */
export function faitsTableSql(
  table: string,
  config: CiaConfig,
  annee: number,
  limites: readonly (LimiteSql | LimiteSqlEpci)[],
  declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS,
  parEpci = false,
): string {
  const q = quartileSql(config.uc);
  const memeEpci = (alias: string) => epciSi(parEpci, ` AND ${alias}.epci = a.epci`);
  const tranches = tranchesDeLAnnee(annee);
  const debut = sqlDate(tranches[0]?.debut ?? `${annee - 1}-07-01`);
  const fin = sqlDate(`${annee}-12-31`);
  const assimiles = config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
  const flags = declarations.map((d, i) => {
    const { den, num } = flagColumns(i);
    return `${champSql(d)} AS ${den}, ${champSql(d)} AND ${critereSql(d.critere)} AS ${num}`;
  }).join(',\n    ');
  const menage = menageAttributionSql();
  const logement = logementAttributionSql();
  const { contingent, typeContingent } = contingentSql();
  const { reservataire, bailleurId: bailleur, codeQpv: qpv, codeInsee: insee } = logement;
  const fenetre = `${propositionSql()}
    AND (a.date_cal BETWEEN ${debut} AND ${fin} OR (a.issue = 'bail_signe' AND a.date_bail BETWEEN ${debut} AND ${fin}))`;
  // Many EPCIs: DuckDB estimates the allocations joined to their requests as large as the requests (6.1 million at
  // national scale) and so built its hash table on the 5.3 million dwellings. The dwellings are first narrowed to
  // those of the window's allocations (a semi-join whose hash table is the window's 0.8 million allocations): the
  // same rows joined, a table of 0.8 million to build (measured at national scale: docs/observatoire-parquet.md).
  const sources = parEpci
    ? `fenetre AS MATERIALIZED (SELECT * FROM attributions a WHERE ${fenetre}),
logements_fenetre AS (SELECT l.* FROM logements l SEMI JOIN fenetre f ON l.id = f.logement_id AND l.epci = f.epci),
`
    : '';
  // Everything that depends on the allocation alone is computed once per allocation, before it is split into
  // its proposal and its lease; only the limits depend on the counting date. Many EPCIs: a table of the (in-memory)
  // observatory rather than of this connection, so that a second connection reads it meanwhile (engine-epcis.ts).
  return `CREATE ${parEpci ? '' : 'TEMP '}TABLE ${ident(table)} AS
WITH ${limitesCte(limites, parEpci)},
${sources}alloc AS MATERIALIZED (
  SELECT ${epciSi(parEpci, 'a.epci, ')}a.id, a.date_cal, a.date_bail, a.issue, a.motif_refus,
    ${bailleur} AS bailleur_id,
    ${insee} AS code_insee,
    ${qpv} AS code_qpv,
    ${contingent} AS contingent,
    ${typeContingent} AS type_contingent,
    ${qpv} IS NOT NULL AND (NOT coalesce(qv.assimile, FALSE) OR ${assimiles}) AS en_qpv,
    coalesce(c.code_epci, '') AS code_epci,
    ${logement.nbPieces} AS nb_pieces,
    ${q.ressourcesEntieres(menage)} AS r_entieres,
    ${q.ucEntieres(menage)} AS uc_entieres,
    ${menage.prioritaire} AS prioritaire,
    ${menage.mutation} AS mutation,
    ${menage.relogement} AS relogement,
    ${menage.travailleurEssentiel} AS travailleur_essentiel,
    ${menage.q1Declare} AS q1_declare
  FROM ${parEpci ? 'fenetre' : 'attributions'} a
  LEFT JOIN demandes d ON d.nur = a.nur${memeEpci('d')}
  LEFT JOIN ${parEpci ? 'logements_fenetre' : 'logements'} l ON l.id = a.logement_id${memeEpci('l')}
  LEFT JOIN communes c ON c.code_insee = ${insee}${memeEpci('c')}
  LEFT JOIN reservataires r ON r.id = ${reservataire}${memeEpci('r')}
  LEFT JOIN qpv qv ON qv.code_qpv = ${qpv}${memeEpci('qv')}
  WHERE ${fenetre}
),
datees AS (
  SELECT 'propositions' AS base, date_cal AS jour, * FROM alloc WHERE date_cal BETWEEN ${debut} AND ${fin}
  UNION ALL
  SELECT 'baux' AS base, date_bail AS jour, * FROM alloc WHERE issue = 'bail_signe' AND date_bail BETWEEN ${debut} AND ${fin}
),
classes AS (
  SELECT ${epciSi(parEpci, 'f.epci, ')}f.base, f.id, f.issue, f.motif_refus, f.bailleur_id, f.code_insee, f.code_qpv, f.contingent, f.type_contingent, f.en_qpv,
    f.nb_pieces, f.prioritaire, f.mutation, f.relogement, f.travailleur_essentiel, f.q1_declare,
    CASE ${tranches.map((t) => `WHEN f.jour <= ${sqlDate(t.fin)} THEN ${t.numero}`).join(' ')} END AS tranche,
    ${q.auPlusLaLimiteEntiers('f.r_entieres', 'f.uc_entieres', 'lim.seuil_q1')} AS est_q1,
    ${q.quartileEntiers('f.r_entieres', 'f.uc_entieres', { seuilQ1: 'lim.seuil_q1', mediane: 'lim.mediane', q3: 'lim.q3' })} AS quartile
  FROM datees f
  LEFT JOIN lim ON lim.annee = year(f.jour) AND lim.code_epci = f.code_epci${epciSi(parEpci, ' AND lim.epci = f.epci')}
)
SELECT * EXCLUDE (prioritaire, relogement, travailleur_essentiel),
    ${flags}
FROM classes`;
}

/** The numerator rule of a declaration, on a row of the facts table. Unknown Q1 or quartile never counts. */
export function critereSql(critere: Critere): string {
  switch (critere) {
    case 'q1_ou_relogement':
      // Relocated households (NPNRU/ORCOD) count whatever their resources (L441-1 CCH).
      return '(relogement OR coalesce(est_q1, FALSE))';
    case 'hors_q1':
      return 'coalesce(NOT est_q1, FALSE)';
    case 'q3_q4':
      return 'coalesce(quartile >= 3, FALSE)';
    case 'prioritaire':
      return 'prioritaire';
    case 'mutation':
      return 'mutation';
    case 'travailleur_essentiel':
      return 'travailleur_essentiel';
  }
}

/** The denominator rule of a declaration: its counting base and its dwellings. */
export function champSql(declaration: LegalIndicatorDeclaration): string {
  const base = `base = ${literal(declaration.base)}`;
  switch (declaration.champ) {
    case 'hors_qpv':
      return `(${base} AND NOT en_qpv)`;
    case 'qpv':
      return `(${base} AND en_qpv)`;
    case 'tout':
      return `(${base})`;
  }
}

/** Column of the legal query holding the denominator or numerator of indicator i for period j. */
export const periodColumn = (kind: 'd' | 'n', i: number, j: number) => `${kind}${i}_${j}`;

/**
 * The legal indicators of a year from the facts table: one row per perimeter (perimetre_type, perimetre_id,
 * type_contingent for contingents) that counts anything, with for every declared indicator i and period j its
 * denominator and numerator (columns d<i>_<j>, n<i>_<j>; periods in the order of periodesDeLAnnee). The facts
 * are aggregated once by quarter slice over the six perimeter types (GROUPING SETS), then the slices are
 * summed into the periods. `declarations` are those the facts table was built with.
 */
export function legalIndicatorsSql(table: string, annee: number, declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS, parEpci = false): string {
  const e = epciSi(parEpci, 'epci, ');
  const tranches = tranchesDeLAnnee(annee);
  const periodes = periodesDeLAnnee(annee);
  // Many EPCIs: the same counts as sums of CASE rather than filtered aggregates — one pass over the rows instead of one
  // selection per aggregate (12 + 60 of them): 4.0-4.3 s of processor instead of 4.9-5.0 at national scale, same
  // results. The flags are never NULL (champSql, critereSql).
  const compte = (flag: string) => (parEpci ? `sum(CASE WHEN ${flag} THEN 1 ELSE 0 END)` : `count(*) FILTER (WHERE ${flag})`);
  const somme = (colonne: string, inPeriod: string) =>
    parEpci ? `CAST(sum(CASE WHEN ${inPeriod} THEN ${colonne} ELSE 0 END) AS INTEGER)` : `CAST(coalesce(sum(${colonne}) FILTER (WHERE ${inPeriod}), 0) AS INTEGER)`;
  const counts = declarations.map((_, i) => {
    const { den, num } = flagColumns(i);
    return `${compte(den)} AS ${den}, ${compte(num)} AS ${num}`;
  }).join(',\n    ');
  const sums = declarations.flatMap((_, i) =>
    periodes.flatMap((p, j) => {
      const inPeriod = `tranche IN (${tranchesDeLaPeriode(p, tranches).join(', ')})`;
      const { den, num } = flagColumns(i);
      return [`${somme(den, inPeriod)} AS ${periodColumn('d', i, j)}`, `${somme(num, inPeriod)} AS ${periodColumn('n', i, j)}`];
    }),
  ).join(',\n  ');
  return `WITH agg AS (
  SELECT ${e}tranche,
    CASE WHEN grouping(code_insee) = 0 THEN 'commune' WHEN grouping(code_qpv) = 0 THEN 'qpv' WHEN grouping(bailleur_id) = 0 THEN 'bailleur'
         WHEN grouping(contingent) = 0 THEN 'contingent' WHEN grouping(type_contingent) = 0 THEN 'type_contingent' ELSE 'territoire' END AS perimetre_type,
    CASE WHEN grouping(code_insee) = 0 THEN code_insee WHEN grouping(code_qpv) = 0 THEN code_qpv WHEN grouping(bailleur_id) = 0 THEN bailleur_id
         WHEN grouping(contingent) = 0 THEN contingent WHEN grouping(type_contingent) = 0 THEN type_contingent ELSE ${literal(TERRITOIRE_ID)} END AS perimetre_id,
    CASE WHEN grouping(contingent) = 0 THEN type_contingent END AS type_contingent,
    ${counts}
  FROM ${ident(table)}
  GROUP BY GROUPING SETS ((${e}tranche), (${e}tranche, code_insee), (${e}tranche, code_qpv), (${e}tranche, bailleur_id), (${e}tranche, contingent, type_contingent), (${e}tranche, type_contingent))
  -- The QPV breakdown lists QPVs (and assimilated sectors), not the dwellings outside them.
  HAVING grouping(code_qpv) = 1 OR code_qpv IS NOT NULL
)
SELECT ${e}perimetre_type, perimetre_id, any_value(type_contingent) AS type_contingent,
  ${sums}
FROM agg
GROUP BY ${e}perimetre_type, perimetre_id${epciSi(parEpci, '\nORDER BY epci')}`;
}

/** Typology bucket of a number of rooms (t1 … t4, t5_plus, inconnue). */
const typologieSql = (pieces: string) =>
  `CASE WHEN ${pieces} IS NULL THEN 'inconnue' WHEN ${pieces} >= 5 THEN 't5_plus' ELSE 't' || CAST(${pieces} AS VARCHAR) END`;

const quartileModaliteSql = (quartile: string) => `coalesce('q' || CAST(${quartile} AS VARCHAR), 'inconnu')`;

/** A request is active on day D when filed by D and not radiated by D (radiated later, or not at all). */
export const activeLeSql = (jour: string, table = 'd') => `(${table}.date_depot <= ${jour} AND (${table}.date_radiation IS NULL OR ${table}.date_radiation > ${jour}))`;

/**
 * The demand side of a year, as raw counts: rows (mesure, periode, modalite, n, s) that engine.ts turns into the
 * declared demand indicators. Requests are read in one scan: the stock on the last day of each period (all in
 * year N, so classified with the limits of year N, territory row ''), and the flows of each period as filtered
 * counts; leases and refusals come from the facts table.
 */
/**
 * The demand of many EPCIs an export computed (the Parquet observatory): SELECTs of the rows of the `stock_agg` and
 * `flux` aggregates of demandSql, with their `epci`, read instead of the requests.
 */
export interface DemandeExportee {
  readonly stock: string;
  readonly flux: string;
}

export function demandSql(
  table: string,
  config: CiaConfig,
  annee: number,
  limites: readonly (LimiteSql | LimiteSqlEpci)[],
  parEpci = false,
  exportee?: DemandeExportee,
  seulement?: 'stock_agg' | 'flux',
): string {
  const e = epciSi(parEpci, 'epci, ');
  const parGroupe = epciSi(parEpci, ' GROUP BY epci');
  const periodes = periodesDeLaDemande(annee);
  const q = quartileSql(config.uc);
  const menage: MenageSql = { ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' };
  const fins = [...new Set(periodes.map((p) => p.fin))].sort();
  if (fins.some((f) => Number(f.slice(0, 4)) !== annee)) throw new Error('les périodes d’une année se terminent dans cette année');
  const debut = periodes.map((p) => p.debut).reduce((x, y) => (x < y ? x : y));
  const fin = `${annee}-12-31`;
  const actif = fins.map((f, k) => `${activeLeSql(sqlDate(f))} AS a${k}`).join(', ');
  const parFin = (expr: (k: number) => string) => `[${fins.map((_, k) => expr(k)).join(', ')}]`;
  const parPeriode = (expr: (p: Periode) => string) => `[${periodes.map((p) => expr(p)).join(', ')}]`;
  const dans = (column: string, p: Periode) => `${column} BETWEEN ${sqlDate(p.debut)} AND ${sqlDate(p.fin)}`;
  return `WITH
${limitesCte(limites, parEpci)},
${periodesCte(periodes, tranchesDeLAnnee(annee))},
per_fin(periode, k) AS (VALUES ${periodes.map((p) => `(${literal(p.id)}, ${fins.indexOf(p.fin) + 1})`).join(', ')}),
per_index(periode, j) AS (VALUES ${periodes.map((p, j) => `(${literal(p.id)}, ${j + 1})`).join(', ')}),
${exportee === undefined ? `-- Requests active on one of the last days, with their integer resources and UC (computed once per request).
actives AS (
  SELECT ${epciSi(parEpci, 'd.epci, ')}${q.ressourcesEntieres(menage)} AS r_entieres, ${q.ucEntieres(menage)} AS uc_entieres,
    coalesce(d.mutation, FALSE) AS mutation, CASE WHEN d.typologie_min >= 5 THEN 5 ELSE d.typologie_min END AS pieces, ${actif}
  FROM demandes d
  WHERE d.date_depot <= ${sqlDate(fins[fins.length - 1] as string)} AND (d.date_radiation IS NULL OR d.date_radiation > ${sqlDate(fins[0] as string)})
),
stock AS (
  SELECT ${q.quartileEntiers('a.r_entieres', 'a.uc_entieres', { seuilQ1: 'lim.seuil_q1', mediane: 'lim.mediane', q3: 'lim.q3' })} AS quartile,
    a.* EXCLUDE (r_entieres, uc_entieres)
  FROM actives a
  LEFT JOIN lim ON lim.annee = ${annee} AND lim.code_epci = ''${epciSi(parEpci, ' AND lim.epci = a.epci')}
),
-- Modalities are written after aggregation, not per request.
stock_agg AS (
  SELECT ${e}'stock_quartile' AS mesure, ${quartileModaliteSql('quartile')} AS modalite, n, NULL::BIGINT[] AS s
  FROM (SELECT ${e}quartile, ${parFin((k) => `count(*) FILTER (WHERE a${k})`)} AS n FROM stock GROUP BY ${e}quartile)
  UNION ALL SELECT ${e}'stock_typologie', ${typologieSql('pieces')}, n, NULL
  FROM (SELECT ${e}pieces, ${parFin((k) => `count(*) FILTER (WHERE a${k})`)} AS n FROM stock GROUP BY ${e}pieces)
  UNION ALL SELECT ${e}'stock_mutation', '', ${parFin((k) => `count(*) FILTER (WHERE a${k} AND mutation)`)}, ${parFin((k) => `count(*) FILTER (WHERE a${k})`)} FROM stock${parGroupe}
),
flux AS (
  SELECT ${e}${parPeriode((p) => `count(*) FILTER (WHERE ${dans('d.date_depot', p)})`)} AS deposees,
    ${parPeriode((p) => `count(*) FILTER (WHERE d.statut = 'attribuee' AND ${dans('d.date_radiation', p)})`)} AS satisfaites,
    ${parPeriode((p) => `coalesce(sum(date_diff('day', d.date_depot, d.date_radiation)) FILTER (WHERE d.statut = 'attribuee' AND ${dans('d.date_radiation', p)}), 0)`)} AS jours,
    ${parPeriode((p) => `count(*) FILTER (WHERE d.statut = 'radiee' AND ${dans('d.date_radiation', p)})`)} AS radiees
  FROM demandes d
  WHERE d.date_depot BETWEEN ${sqlDate(debut)} AND ${sqlDate(fin)} OR d.date_radiation BETWEEN ${sqlDate(debut)} AND ${sqlDate(fin)}${parGroupe}
),
` : `stock_agg AS (${exportee.stock}),
flux AS (${exportee.flux}),
`}faits_agg AS (
  SELECT ${e}tranche, base, quartile, nb_pieces, mutation, issue, motif_refus, count(*) AS nombre FROM ${ident(table)} GROUP BY ALL
),
faits_per AS (
  SELECT pt.periode, f.* FROM faits_agg f JOIN per_tranche pt ON pt.tranche = f.tranche
)
${seulement !== undefined ? `SELECT * FROM ${seulement}` : `SELECT ${epciSi(parEpci, 'sa.epci, ')}sa.mesure, p.periode, sa.modalite, sa.n[p.k] AS n, sa.s[p.k] AS s FROM stock_agg sa CROSS JOIN per_fin p
UNION ALL SELECT ${epciSi(parEpci, 'f.epci, ')}'deposees', p.periode, '', f.deposees[p.j], NULL FROM flux f CROSS JOIN per_index p
UNION ALL SELECT ${epciSi(parEpci, 'f.epci, ')}'satisfaites', p.periode, '', f.satisfaites[p.j], f.jours[p.j] FROM flux f CROSS JOIN per_index p
UNION ALL SELECT ${epciSi(parEpci, 'f.epci, ')}'radiees', p.periode, '', f.radiees[p.j], NULL FROM flux f CROSS JOIN per_index p
UNION ALL
SELECT ${e}'baux_quartile', periode, ${quartileModaliteSql('quartile')}, sum(nombre), NULL FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT ${e}'baux_typologie', periode, ${typologieSql('nb_pieces')}, sum(nombre), NULL FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT ${e}'baux_mutation', periode, '', coalesce(sum(nombre) FILTER (WHERE mutation), 0), sum(nombre) FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT ${e}'refus', periode, coalesce(motif_refus, 'non_renseigne'), sum(nombre), NULL FROM faits_per WHERE base = 'propositions' AND issue = 'refus_demandeur' GROUP BY ALL
UNION ALL
SELECT ${e}'propositions', periode, '', sum(nombre), NULL FROM faits_per WHERE base = 'propositions' GROUP BY ALL`}`;
}

/**
 * Checks on the allocations counted in the year (slices of year N): how many have a `q1` flag (allocation, else
 * request) that disagrees with the computed membership — the computed one is used (DATA-FORMAT.md) — with a few
 * ids, and how many have an unknown membership.
 */
export function q1ControlsSql(table: string, exemples: number, parEpci = false): string {
  const disagree = 'q1_declare IS NOT NULL AND est_q1 IS NOT NULL AND q1_declare <> est_q1';
  return `SELECT ${epciSi(parEpci, 'epci, ')}CAST(count(DISTINCT id) FILTER (WHERE ${disagree}) AS INTEGER) AS desaccords,
  CAST(count(DISTINCT id) FILTER (WHERE est_q1 IS NULL) AS INTEGER) AS inconnus,
  list_sort(list_distinct(list(id) FILTER (WHERE ${disagree})))[1:${Math.max(0, Math.floor(exemples))}] AS exemples
FROM ${ident(table)} WHERE tranche > 0${epciSi(parEpci, ' GROUP BY epci')}`;
}

/** The communes of each QPV's proposals in QPV, per slice (for the secrecy equations QPV ⊂ commune). */
export function qpvCommunesSql(table: string, parEpci = false): string {
  const e = epciSi(parEpci, 'epci, ');
  return `SELECT ${e}code_qpv, tranche, list(DISTINCT code_insee) AS communes FROM ${ident(table)}
WHERE base = 'propositions' AND en_qpv AND code_qpv IS NOT NULL AND code_insee IS NOT NULL GROUP BY ${e}code_qpv, tranche`;
}

/**
 * Resources per UC (in cents, exact: ressourcesParUcCentimes) of the requests active on 31 December of the year
 * before each of `annees`, and their quantiles (DuckDB quantile_cont, linear interpolation) in cents: engine.ts
 * rounds them half up to the cent. One scan of the requests; one row per year (annee, demandes, q1, mediane, q3).
 */
export function quartileLimitsSql(config: CiaConfig, annees: readonly number[], parEpci = false): string {
  const e = epciSi(parEpci, 'epci, ');
  const q = quartileSql(config.uc);
  const menage: MenageSql = { ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' };
  const jours = annees.map((a) => sqlDate(`${a - 1}-12-31`));
  const premier = [...jours].sort()[0] ?? sqlDate('2000-12-31');
  const dernier = [...jours].sort().at(-1) ?? premier;
  return `WITH stock AS (
  SELECT ${epciSi(parEpci, 'd.epci, ')}${q.ressourcesParUcCentimes(menage)} AS ruc, ${jours.map((j, k) => `${activeLeSql(j)} AS a${k}`).join(', ')}
  FROM demandes d
  WHERE d.date_depot <= ${dernier} AND (d.date_radiation IS NULL OR d.date_radiation > ${premier})
),
q AS (
  SELECT ${e}${annees.map((_, k) => `count(ruc) FILTER (WHERE a${k}) AS n${k}, quantile_cont(ruc, [0.25, 0.5, 0.75]) FILTER (WHERE a${k}) AS q${k}`).join(',\n    ')}
  FROM stock${epciSi(parEpci, ' GROUP BY epci')}
)
${annees.map((a, k) => `SELECT ${e}${a} AS annee, CAST(n${k} AS INTEGER) AS demandes, q${k}[1] AS q1, q${k}[2] AS mediane, q${k}[3] AS q3 FROM q`).join('\nUNION ALL ')}
ORDER BY ${e}annee`;
}
