import type { CiaConfig, Critere, LegalIndicatorDeclaration, MenageSql, Periode } from '@mixite/core';
import { LEGAL_INDICATORS, LEGAL_INDICATOR_IDS, NON_RESERVE, NON_RESERVE_PREFIX, TERRITOIRE_ID, periode, periodesDeLAnnee, quartileSql } from '@mixite/core';
import { literal } from '../store/sql-types.ts';

/**
 * The SQL of the indicator engine, all set-based DuckDB: one query for the legal indicators (every indicator ×
 * perimeter × period at once), one for the demand side, one for the quartile limits. Counting rules
 * (DATA-FORMAT.md "Counting bases"):
 * - a proposal is an allocation row with decision = attribution and issue ≠ non_proposee (a lower-ranked
 *   candidate whose turn never came counts nowhere), dated by date_cal;
 * - a lease is a proposal with issue = bail_signe, dated by date_bail;
 * - household fields missing from the allocation come from its request, dwelling fields from `logements`;
 * - an empty contingent (after the dwelling's) is the bailleur's non-reserved stock `non_reserve:<bailleur_id>`;
 * - a dwelling is in QPV when it has a code_qpv, unless that code is an assimilated sector and the CIA does
 *   not count assimilated sectors as QPV;
 * - Q1 and the quartiles use the limits of the year of the counting date, for the EPCI of the dwelling's commune.
 */

/** The limits of one year for one EPCI ('' = the territory), in cents per UC per year. */
export interface LimiteSql {
  readonly annee: number;
  readonly codeEpci: string;
  readonly seuilQ1: bigint | null;
  readonly mediane: bigint | null;
  readonly q3: bigint | null;
}

/** Half-year slices: every period of a year is a union of them (12 months to 30 June N = H2 N−1 + H1 N). */
export interface Tranche {
  readonly numero: number;
  readonly debut: string;
  readonly fin: string;
}

export function tranchesDeLAnnee(annee: number): Tranche[] {
  return [
    { numero: 0, debut: `${annee - 1}-07-01`, fin: `${annee - 1}-12-31` },
    { numero: 1, debut: `${annee}-01-01`, fin: `${annee}-06-30` },
    { numero: 2, debut: `${annee}-07-01`, fin: `${annee}-12-31` },
  ];
}

const sqlDate = (iso: string) => `DATE ${literal(iso)}`;
const sqlBigint = (v: bigint | null) => (v === null ? 'NULL::BIGINT' : `${v}::BIGINT`);

function limitesCte(limites: readonly LimiteSql[]): string {
  const rows = limites.map((l) => `(${l.annee}, ${literal(l.codeEpci)}, ${sqlBigint(l.seuilQ1)}, ${sqlBigint(l.mediane)}, ${sqlBigint(l.q3)})`);
  return `lim(annee, code_epci, seuil_q1, mediane, q3) AS (VALUES ${rows.join(', ')})`;
}

function periodesCte(periodes: readonly Periode[], tranches: readonly Tranche[]): string {
  const per = periodes.map((p, i) => `(${literal(p.id)}, ${sqlDate(p.debut)}, ${sqlDate(p.fin)}, ${i})`);
  // A slice belongs to a period when it lies inside it.
  const pairs = periodes.flatMap((p) => tranches.filter((t) => t.debut >= p.debut && t.fin <= p.fin).map((t) => `(${literal(p.id)}, ${t.numero})`));
  return [`per(periode, debut, fin, ordre) AS (VALUES ${per.join(', ')})`, `per_tranche(periode, tranche) AS (VALUES ${pairs.join(', ')})`].join(',\n');
}

const MENAGE: MenageSql = { ressources: 'ressources', nbPersonnes: 'nb_personnes', nbMoins14: 'nb_moins_14_ans' };

/**
 * CTEs shared by the legal and demand queries: `alloc` (proposals with their household and dwelling fields
 * resolved) and `faits` (one row per proposal dated by the CALEOL and one per lease dated by the lease, in the
 * window of the year, with slice, perimeters, QPV membership and quartile).
 */
function faitsCtes(config: CiaConfig, annee: number): string {
  const q = quartileSql(config.uc);
  const tranches = tranchesDeLAnnee(annee);
  const debut = sqlDate(tranches[0]?.debut ?? `${annee - 1}-07-01`);
  const fin = sqlDate(`${annee}-12-31`);
  const limites = { seuilQ1: 'lim.seuil_q1', mediane: 'lim.mediane', q3: 'lim.q3' };
  const assimiles = config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
  return `alloc AS (
  SELECT a.id, a.nur, a.date_cal, a.date_bail, a.issue, a.motif_refus,
    coalesce(a.bailleur_id, l.bailleur_id) AS bailleur_id,
    coalesce(a.code_insee, l.code_insee) AS code_insee,
    coalesce(a.code_qpv, l.code_qpv) AS code_qpv,
    coalesce(a.contingent, l.contingent) AS reservataire_id,
    coalesce(a.nb_pieces, l.nb_pieces) AS nb_pieces,
    coalesce(a.ressources_mensuelles, d.ressources_mensuelles) AS ressources,
    coalesce(a.nb_personnes, d.nb_personnes) AS nb_personnes,
    coalesce(a.nb_moins_14_ans, d.nb_moins_14_ans) AS nb_moins_14_ans,
    coalesce(a.dalo, d.dalo, FALSE) OR coalesce(a.prioritaire, d.prioritaire, FALSE) AS prioritaire,
    coalesce(a.mutation, d.mutation, FALSE) AS mutation,
    coalesce(a.relogement_anru, d.relogement_anru, FALSE) AS relogement,
    coalesce(a.travailleur_essentiel, d.travailleur_essentiel, FALSE) AS travailleur_essentiel,
    coalesce(a.q1, d.q1) AS q1_declare
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  WHERE a.decision = 'attribution' AND coalesce(a.issue, '') <> 'non_proposee'
    AND (a.date_cal BETWEEN ${debut} AND ${fin} OR (a.issue = 'bail_signe' AND a.date_bail BETWEEN ${debut} AND ${fin}))
),
datees AS (
  SELECT 'propositions' AS base, date_cal AS jour, * FROM alloc WHERE date_cal BETWEEN ${debut} AND ${fin}
  UNION ALL
  SELECT 'baux' AS base, date_bail AS jour, * FROM alloc WHERE issue = 'bail_signe' AND date_bail BETWEEN ${debut} AND ${fin}
),
faits AS (
  SELECT f.*,
    CASE ${tranches.map((t) => `WHEN f.jour <= ${sqlDate(t.fin)} THEN ${t.numero}`).join(' ')} END AS tranche,
    CASE WHEN f.reservataire_id IS NULL THEN ${literal(NON_RESERVE_PREFIX)} || f.bailleur_id ELSE f.reservataire_id END AS contingent,
    CASE WHEN f.reservataire_id IS NULL THEN ${literal(NON_RESERVE)} ELSE coalesce(r.type, 'autre') END AS type_contingent,
    f.code_qpv IS NOT NULL AND (NOT coalesce(qv.assimile, FALSE) OR ${assimiles}) AS en_qpv,
    ${q.auPlusLaLimite(MENAGE, 'lim.seuil_q1')} AS est_q1,
    ${q.quartile(MENAGE, limites)} AS quartile
  FROM datees f
  LEFT JOIN communes c ON c.code_insee = f.code_insee
  LEFT JOIN reservataires r ON r.id = f.reservataire_id
  LEFT JOIN qpv qv ON qv.code_qpv = f.code_qpv
  LEFT JOIN lim ON lim.annee = year(f.jour) AND lim.code_epci = coalesce(c.code_epci, '')
)`;
}

/** The numerator rule of a declaration, on a row of `faits`. Unknown Q1 or quartile never counts. */
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

const PERIMETER_ORDER = ['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent'];

/**
 * The legal indicators of a year: every declared indicator × perimeter × period, with zeros for the periods
 * where a perimeter that counts in the window has nothing. Rows: indicateur, perimetre_type, perimetre_id,
 * type_contingent (for contingents), periode, numerateur, denominateur; ordered like the declarations.
 */
export function legalIndicatorsSql(config: CiaConfig, annee: number, limites: readonly LimiteSql[]): string {
  const periodes = periodesDeLAnnee(annee);
  const declarations = LEGAL_INDICATOR_IDS.map((id) => LEGAL_INDICATORS[id]);
  const aggregates = declarations
    .map((d, i) => `count(*) FILTER (WHERE ${champSql(d)}) AS d${i}, count(*) FILTER (WHERE ${champSql(d)} AND ${critereSql(d.critere)}) AS n${i}`)
    .join(',\n    ');
  const unpivot = declarations
    .map((d, i) => `SELECT ${literal(d.id)} AS indicateur, ${i} AS io, tranche, perimetre_type, perimetre_id, type_contingent, d${i} AS den, n${i} AS num FROM agg`)
    .join('\n  UNION ALL ');
  const indicateurs = declarations.map((d, i) => `(${literal(d.id)}, ${i})`).join(', ');
  return `WITH
${limitesCte(limites)},
${periodesCte(periodes, tranchesDeLAnnee(annee))},
ind(indicateur, io) AS (VALUES ${indicateurs}),
${faitsCtes(config, annee)},
agg AS (
  SELECT tranche,
    CASE WHEN grouping(code_insee) = 0 THEN 'commune' WHEN grouping(code_qpv) = 0 THEN 'qpv' WHEN grouping(bailleur_id) = 0 THEN 'bailleur'
         WHEN grouping(contingent) = 0 THEN 'contingent' WHEN grouping(type_contingent) = 0 THEN 'type_contingent' ELSE 'territoire' END AS perimetre_type,
    CASE WHEN grouping(code_insee) = 0 THEN code_insee WHEN grouping(code_qpv) = 0 THEN code_qpv WHEN grouping(bailleur_id) = 0 THEN bailleur_id
         WHEN grouping(contingent) = 0 THEN contingent WHEN grouping(type_contingent) = 0 THEN type_contingent ELSE ${literal(TERRITOIRE_ID)} END AS perimetre_id,
    CASE WHEN grouping(contingent) = 0 THEN type_contingent END AS type_contingent,
    ${aggregates}
  FROM faits
  GROUP BY GROUPING SETS ((tranche), (tranche, code_insee), (tranche, code_qpv), (tranche, bailleur_id), (tranche, contingent, type_contingent), (tranche, type_contingent))
  -- The QPV breakdown lists QPVs (and assimilated sectors), not the dwellings outside them.
  HAVING grouping(code_qpv) = 1 OR code_qpv IS NOT NULL
),
long AS (
  ${unpivot}
),
perims AS (
  SELECT indicateur, io, perimetre_type, perimetre_id, any_value(type_contingent) AS type_contingent
  FROM long WHERE den > 0 GROUP BY ALL
  UNION
  SELECT indicateur, io, 'territoire', ${literal(TERRITOIRE_ID)}, NULL FROM ind
),
sums AS (
  SELECT l.indicateur, l.perimetre_type, l.perimetre_id, pt.periode, sum(l.den) AS den, sum(l.num) AS num
  FROM long l JOIN per_tranche pt ON pt.tranche = l.tranche
  GROUP BY ALL
)
SELECT g.indicateur, g.perimetre_type, g.perimetre_id, g.type_contingent, per.periode,
  CAST(coalesce(s.num, 0) AS INTEGER) AS numerateur, CAST(coalesce(s.den, 0) AS INTEGER) AS denominateur
FROM perims g CROSS JOIN per
LEFT JOIN sums s ON s.indicateur = g.indicateur AND s.perimetre_type = g.perimetre_type AND s.perimetre_id = g.perimetre_id AND s.periode = per.periode
ORDER BY g.io, list_position(${`[${PERIMETER_ORDER.map(literal).join(', ')}]`}, g.perimetre_type), g.perimetre_id, per.ordre`;
}

/** Typology bucket of a number of rooms (t1 … t4, t5_plus, inconnue). */
const typologieSql = (pieces: string) =>
  `CASE WHEN ${pieces} IS NULL THEN 'inconnue' WHEN ${pieces} >= 5 THEN 't5_plus' ELSE 't' || CAST(${pieces} AS VARCHAR) END`;

const quartileModaliteSql = (quartile: string) => `coalesce('q' || CAST(${quartile} AS VARCHAR), 'inconnu')`;

/** A request is active on day D when filed by D and not radiated by D (radiated later, or not at all). */
export const activeLeSql = (jour: string, table = 'd') => `(${table}.date_depot <= ${jour} AND (${table}.date_radiation IS NULL OR ${table}.date_radiation > ${jour}))`;

/**
 * The demand side of a year, as raw counts: rows (mesure, periode, modalite, n, s) that engine.ts turns into
 * the declared demand indicators. Stocks are read on the last day of each period, with the limits of that
 * day's year; leases and refusals are those of `faits`.
 */
export function demandSql(config: CiaConfig, annee: number, limites: readonly LimiteSql[]): string {
  const periodes = periodesDeLAnnee(annee);
  const q = quartileSql(config.uc);
  const menageDemande: MenageSql = { ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' };
  const fins = [...new Set(periodes.map((p) => p.fin))];
  return `WITH
${limitesCte(limites)},
${periodesCte(periodes, tranchesDeLAnnee(annee))},
fins(fin) AS (VALUES ${fins.map((f) => `(${sqlDate(f)})`).join(', ')}),
${faitsCtes(config, annee)},
stock AS (
  SELECT f.fin,
    ${quartileModaliteSql(q.quartile(menageDemande, { seuilQ1: 'lim.seuil_q1', mediane: 'lim.mediane', q3: 'lim.q3' }))} AS quartile,
    coalesce(d.mutation, FALSE) AS mutation,
    ${typologieSql('d.typologie_min')} AS typologie
  FROM demandes d JOIN fins f ON ${activeLeSql('f.fin')}
  LEFT JOIN lim ON lim.annee = year(f.fin) AND lim.code_epci = ''
),
stock_agg AS (
  SELECT 'stock_quartile' AS mesure, fin, quartile AS modalite, count(*) AS n, NULL::BIGINT AS s FROM stock GROUP BY ALL
  UNION ALL SELECT 'stock_typologie', fin, typologie, count(*), NULL FROM stock GROUP BY ALL
  UNION ALL SELECT 'stock_mutation', fin, '', count(*) FILTER (WHERE mutation), count(*) FROM stock GROUP BY ALL
),
faits_per AS (
  SELECT pt.periode, f.* FROM faits f JOIN per_tranche pt ON pt.tranche = f.tranche
)
SELECT sa.mesure, p.periode, sa.modalite, sa.n, sa.s FROM stock_agg sa JOIN per p ON p.fin = sa.fin
UNION ALL
SELECT 'deposees', p.periode, '', count(d.nur), NULL FROM per p LEFT JOIN demandes d ON d.date_depot BETWEEN p.debut AND p.fin GROUP BY ALL
UNION ALL
SELECT 'satisfaites', p.periode, '', count(d.nur), sum(date_diff('day', d.date_depot, d.date_radiation))
FROM per p LEFT JOIN demandes d ON d.statut = 'attribuee' AND d.date_radiation BETWEEN p.debut AND p.fin GROUP BY ALL
UNION ALL
SELECT 'radiees', p.periode, '', count(d.nur), NULL FROM per p LEFT JOIN demandes d ON d.statut = 'radiee' AND d.date_radiation BETWEEN p.debut AND p.fin GROUP BY ALL
UNION ALL
SELECT 'baux_quartile', periode, ${quartileModaliteSql('quartile')}, count(*), NULL FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT 'baux_typologie', periode, ${typologieSql('nb_pieces')}, count(*), NULL FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT 'baux_mutation', periode, '', count(*) FILTER (WHERE mutation), count(*) FROM faits_per WHERE base = 'baux' GROUP BY ALL
UNION ALL
SELECT 'refus', periode, coalesce(motif_refus, 'non_renseigne'), count(*), NULL FROM faits_per WHERE base = 'propositions' AND issue = 'refus_demandeur' GROUP BY ALL
UNION ALL
SELECT 'propositions', periode, '', count(*), NULL FROM faits_per WHERE base = 'propositions' GROUP BY ALL
UNION ALL
SELECT 'q1_controles', periode, '', count(DISTINCT id) FILTER (WHERE q1_declare IS NOT NULL AND est_q1 IS NOT NULL AND q1_declare <> est_q1),
  count(DISTINCT id) FILTER (WHERE est_q1 IS NULL) FROM faits_per WHERE periode = ${literal(periode('annee', annee).id)} GROUP BY ALL`;
}

/** Allocation ids whose q1 flag disagrees with the computed membership (a few examples for the report). */
export function q1DisagreementsSql(config: CiaConfig, annee: number, limites: readonly LimiteSql[], limit: number): string {
  return `WITH
${limitesCte(limites)},
${faitsCtes(config, annee)}
SELECT DISTINCT id FROM faits WHERE year(jour) = ${annee} AND q1_declare IS NOT NULL AND est_q1 IS NOT NULL AND q1_declare <> est_q1
ORDER BY id LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/**
 * Resources per UC of the requests active on 31 December of each year before `annees`, with the quantiles
 * (DuckDB quantile_cont, linear interpolation), as DOUBLE: engine.ts rounds them to the cent.
 */
export function quartileLimitsSql(config: CiaConfig, annees: readonly number[]): string {
  const q = quartileSql(config.uc);
  const menage: MenageSql = { ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' };
  const refs = annees.map((a) => `(${a}, ${sqlDate(`${a - 1}-12-31`)})`).join(', ');
  return `WITH ref(annee, jour) AS (VALUES ${refs}),
stock AS (
  SELECT r.annee, ${q.ressourcesParUc(menage)} AS ruc
  FROM demandes d JOIN ref r ON ${activeLeSql('r.jour')}
)
SELECT r.annee, CAST(count(s.ruc) AS INTEGER) AS demandes,
  quantile_cont(s.ruc, 0.25) AS q1, quantile_cont(s.ruc, 0.5) AS mediane, quantile_cont(s.ruc, 0.75) AS q3
FROM ref r LEFT JOIN stock s ON s.annee = r.annee
GROUP BY r.annee ORDER BY r.annee`;
}
