import type { CiaConfig } from '@mixite/core';
import { quartileSql, trancheLoyerSql } from '@mixite/core';
import type { LimiteSql } from '../indicators/indicators-sql.ts';
import { contingentSql, logementAttributionSql, menageAttributionSql, propositionSql } from '../indicators/regles-sql.ts';
import { ident, literal } from '../store/sql-types.ts';
import { typologieSql } from '../flux/flux-sql.ts';

/**
 * The proposals of the refusal observatory and of the mutations (issue 15), resolved once into a temporary table
 * with the indicators' own rules (regles-sql.ts): the dwelling's fields from the allocation else from `logements`,
 * the household from the allocation else from its request, the contingent (`non_reserve:<bailleur>` when none), QPV
 * membership (an assimilated sector counts only when the CIA says so), Q1 membership with the threshold of the year
 * of the CALEOL for the EPCI of the dwelling's commune (the territory's row when that EPCI has none).
 *
 * A proposal: decision `attribution` or `attribution_sous_condition`, issue ≠ `non_proposee` (`PROPOSITION`). Only
 * the proposals that a breakdown reads are resolved (issue 15, speed): those of a CALEOL of N−1 or N, and the leases
 * signed in N whatever the year of their CALEOL. What needs no dwelling nor household — the trend, the refusals
 * before a lease, the leases of each year — reads `attributions` through `propositionsBrutesSql`: resolving every
 * year joined the whole demand and the whole stock for nothing (21 s at Île-de-France scale, docs/BENCHMARKS.md).
 *
 * Columns: id, nur, date_cal, annee (of the CALEOL), date_bail, refuse, bail, motif_refus, residence_id,
 * bailleur_id, code_insee, contingent, en_qpv, typologie (T1…T6+, inconnue), tranche_loyer, est_q1 (NULL when
 * unknown), prioritaire, mutation, bailleur_actuel_id, motif_demande.
 */
/** The condition that makes an allocation row (alias a) a proposal. */
export const PROPOSITION = propositionSql();

const refuseSql = `coalesce(a.issue = 'refus_demandeur', FALSE)`;
const bailSql = `coalesce(a.issue = 'bail_signe' AND a.date_bail IS NOT NULL, FALSE)`;

/**
 * The proposals of every year up to N, unresolved (a subquery): nur, date_cal, annee, date_bail, refuse, bail,
 * motif_refus — the same definitions as the resolved table.
 */
export function propositionsBrutesSql(annee: number): string {
  return `(SELECT a.id, a.nur, a.date_cal, year(a.date_cal)::INTEGER AS annee, a.date_bail, ${refuseSql} AS refuse, ${bailSql} AS bail, a.motif_refus
  FROM attributions a WHERE ${PROPOSITION} AND a.date_cal <= DATE '${annee}-12-31')`;
}

export function propositionsTableSql(table: string, config: CiaConfig, annee: number, limites: readonly LimiteSql[]): string {
  const q = quartileSql(config.uc);
  const menage = menageAttributionSql();
  const logement = logementAttributionSql();
  const { contingent } = contingentSql();
  const assimiles = config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
  const lignes = limites.map((l) => `(${l.annee}, ${literal(l.codeEpci)}, ${l.seuilQ1 === null ? 'NULL' : l.seuilQ1.toString()}::BIGINT)`);
  const lim = lignes.length > 0 ? lignes.join(', ') : `(0, '', NULL::BIGINT)`;
  return `CREATE TEMP TABLE ${ident(table)} AS
WITH lim(annee, code_epci, seuil) AS (VALUES ${lim}),
-- The proposals first, then only their dwellings and requests: DuckDB otherwise builds its hash table on the whole
-- stock (the right side of a LEFT JOIN), seconds at a region's scale for a few per cent of its dwellings.
a AS MATERIALIZED (
  SELECT * FROM attributions a WHERE ${PROPOSITION} AND a.date_cal <= DATE '${annee}-12-31'
    AND (a.date_cal >= DATE '${annee - 1}-01-01' OR (${bailSql} AND year(a.date_bail) = ${annee}))
),
l AS (SELECT * FROM logements WHERE id IN (SELECT logement_id FROM a)),
d AS (SELECT * FROM demandes WHERE nur IN (SELECT nur FROM a)),
p AS (
  SELECT a.id, a.nur, a.date_cal, year(a.date_cal)::INTEGER AS annee, a.date_bail,
    ${refuseSql} AS refuse,
    ${bailSql} AS bail,
    a.motif_refus,
    l.residence_id,
    ${logement.bailleurId} AS bailleur_id,
    ${logement.codeInsee} AS code_insee,
    ${contingent} AS contingent,
    (${logement.codeQpv} IS NOT NULL AND (NOT coalesce(qv.assimile, FALSE) OR ${assimiles})) AS en_qpv,
    ${typologieSql(logement.nbPieces)} AS typologie,
    ${trancheLoyerSql('CAST(coalesce(a.loyer, l.loyer) AS DOUBLE)')} AS tranche_loyer,
    coalesce(c.code_epci, '') AS code_epci,
    ${q.ressourcesEntieres(menage)} AS r_entieres,
    ${q.ucEntieres(menage)} AS uc_entieres,
    ${menage.prioritaire} AS prioritaire,
    ${menage.mutation} AS mutation,
    d.bailleur_actuel_id,
    d.motif AS motif_demande
  FROM a
  LEFT JOIN d ON d.nur = a.nur
  LEFT JOIN l ON l.id = a.logement_id
  LEFT JOIN communes c ON c.code_insee = ${logement.codeInsee}
  LEFT JOIN qpv qv ON qv.code_qpv = ${logement.codeQpv}
)
SELECT p.* EXCLUDE (r_entieres, uc_entieres, code_epci),
  ${q.auPlusLaLimiteEntiers('p.r_entieres', 'p.uc_entieres', 'coalesce(le.seuil, lt.seuil)')} AS est_q1
FROM p
LEFT JOIN lim le ON le.annee = p.annee AND le.code_epci = p.code_epci
LEFT JOIN lim lt ON lt.annee = p.annee AND lt.code_epci = ''`;
}
