import type { CiaConfig } from '@mixite/core';
import { quartileSql, trancheLoyerSql } from '@mixite/core';
import type { LimiteSql } from '../indicators/indicators-sql.ts';
import { contingentSql, logementAttributionSql, menageAttributionSql } from '../indicators/regles-sql.ts';
import { ident, literal } from '../store/sql-types.ts';
import { typologieSql } from '../flux/flux-sql.ts';

/**
 * The proposals of the refusal observatory and of the mutations (issue 15), resolved once into a temporary table
 * with the indicators' own rules (regles-sql.ts): the dwelling's fields from the allocation else from `logements`,
 * the household from the allocation else from its request, the contingent (`non_reserve:<bailleur>` when none), QPV
 * membership (an assimilated sector counts only when the CIA says so), Q1 membership with the threshold of the year
 * of the CALEOL for the EPCI of the dwelling's commune (the territory's row when that EPCI has none).
 *
 * A proposal: decision `attribution` or `attribution_sous_condition`, issue ≠ `non_proposee`, CALEOL on or before
 * 31 December of the year asked (every earlier year too: « refusals before a lease » looks back without limit).
 *
 * Columns: id, nur, date_cal, annee (of the CALEOL), date_bail, refuse, bail, motif_refus, residence_id,
 * bailleur_id, code_insee, contingent, en_qpv, typologie (T1…T6+, inconnue), tranche_loyer, est_q1 (NULL when
 * unknown), prioritaire, mutation, bailleur_actuel_id, motif_demande.
 */
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
p AS (
  SELECT a.id, a.nur, a.date_cal, year(a.date_cal)::INTEGER AS annee, a.date_bail,
    coalesce(a.issue = 'refus_demandeur', FALSE) AS refuse,
    coalesce(a.issue = 'bail_signe' AND a.date_bail IS NOT NULL, FALSE) AS bail,
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
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  LEFT JOIN communes c ON c.code_insee = ${logement.codeInsee}
  LEFT JOIN qpv qv ON qv.code_qpv = ${logement.codeQpv}
  WHERE a.decision IN ('attribution', 'attribution_sous_condition') AND coalesce(a.issue, '') <> 'non_proposee'
    AND a.date_cal <= DATE '${annee}-12-31'
)
SELECT p.* EXCLUDE (r_entieres, uc_entieres, code_epci),
  ${q.auPlusLaLimiteEntiers('p.r_entieres', 'p.uc_entieres', 'coalesce(le.seuil, lt.seuil)')} AS est_q1
FROM p
LEFT JOIN lim le ON le.annee = p.annee AND le.code_epci = p.code_epci
LEFT JOIN lim lt ON lt.annee = p.annee AND lt.code_epci = ''`;
}
