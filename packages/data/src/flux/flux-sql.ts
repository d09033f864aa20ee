import type { CiaConfig, FluxParametres } from '@mixite/core';
import { contingentSql, logementAttributionSql, menageAttributionSql, propositionSql } from '../indicators/regles-sql.ts';

/**
 * The allocations of the flux, resolved once with the indicators' own rules (regles-sql.ts): the bailleur, commune,
 * QPV, rooms and contingent from the allocation row, else from its dwelling; the household from the allocation,
 * else from its request; a dwelling in QPV with the indicators' rule (an assimilated sector counts only when the CIA
 * says so). A proposal is a row `decision = attribution` (or `attribution_sous_condition`) whose issue is not
 * `non_proposee`, dated by its CALEOL; a lease is a proposal with `issue = bail_signe`, dated by its lease.
 *
 * Columns: id, cle_logement (the dwelling, or the allocation itself when it names none: it counts as one dwelling),
 * date_cal, date_bail, est_bail, bailleur_id, contingent, code_insee, en_qpv, nb_pieces, financement,
 * annee_construction, premiere_location (the dwelling entered service in the lease's year, or the row says so),
 * exclu (kept out of the flow by one of the CIA's exclusions) and one flag per exclusion.
 */
export function allocationsFluxSql(config: CiaConfig, parametres: FluxParametres): string {
  const menage = menageAttributionSql();
  const logement = logementAttributionSql();
  const { contingent } = contingentSql();
  const assimiles = config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
  const exclusions = {
    mutations_internes: `(${menage.mutation} AND d.bailleur_actuel_id IS NOT NULL AND d.bailleur_actuel_id = ${logement.bailleurId})`,
    relogements_anru: menage.relogement,
    logements_hors_flux: 'coalesce(l.hors_flux, FALSE)',
  } as const;
  const actives = parametres.exclusions.map((e) => `x_${e}`);
  return `SELECT a.id,
    coalesce(a.logement_id, 'attribution:' || a.id) AS cle_logement,
    a.date_cal, a.date_bail, (a.issue = 'bail_signe' AND a.date_bail IS NOT NULL) AS est_bail,
    ${logement.bailleurId} AS bailleur_id,
    ${contingent} AS contingent,
    ${logement.codeInsee} AS code_insee,
    (${logement.codeQpv} IS NOT NULL AND (NOT coalesce(qv.assimile, FALSE) OR ${assimiles})) AS en_qpv,
    ${logement.nbPieces} AS nb_pieces,
    coalesce(a.financement, l.financement) AS financement,
    l.annee_construction,
    coalesce(a.premiere_mise_en_location, year(l.date_mise_en_service) = year(a.date_bail), FALSE) AS premiere_location,
    ${Object.entries(exclusions).map(([code, expr]) => `coalesce(${expr}, FALSE) AS x_${code}`).join(',\n    ')},
    ${actives.length > 0 ? actives.map((c) => `coalesce(${exclusionExpr(exclusions, c)}, FALSE)`).join(' OR ') : 'FALSE'} AS exclu
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  LEFT JOIN qpv qv ON qv.code_qpv = ${logement.codeQpv}
  WHERE ${propositionSql()}`;
}

function exclusionExpr(exclusions: Readonly<Record<string, string>>, column: string): string {
  return exclusions[column.slice(2)] as string;
}

/** SQL CASE giving the typology code (`T1`…`T5`, `T6+`, `inconnue`) of a rooms expression. */
export const typologieSql = (pieces: string) =>
  `CASE WHEN ${pieces} IS NULL THEN 'inconnue' WHEN ${pieces} >= 6 THEN 'T6+' ELSE 'T' || ${pieces}::VARCHAR END`;
