import type { MenageSql } from '@mixite/core';
import { NON_RESERVE, NON_RESERVE_PREFIX } from '@mixite/core';
import { literal } from '../store/sql-types.ts';

/**
 * The rules that resolve an allocation, as SQL fragments over an allocation (alias `a`), its request (`d`) and its
 * dwelling (`l`) — written once here, read by the indicator engine (facts table), the cotation engine (leases of the
 * impact), the allocation lists behind an indicator row and, through them, the API and the bilan
 * (DATA-FORMAT.md "Counting bases"; the store keeps the rows raw, docs/architecture.md "La base"):
 * - the household at the date of the decision: the allocation's own value, else the request's (an empty field of
 *   an allocation means "as in the request");
 * - the dwelling: the allocation's own value, else the dwelling's (`logements`);
 * - the contingent: the allocation's réservataire, else the dwelling's, else the bailleur's non-reserved stock
 *   `non_reserve:<bailleur_id>`; its type is the réservataire's (`autre` when unknown), `non_reserve` for that stock.
 */

export interface Alias {
  /** The allocation (attributions). */
  readonly a: string;
  /** Its request (demandes, joined on nur). */
  readonly d: string;
  /** Its dwelling (logements, joined on logement_id). */
  readonly l: string;
}

const ALIAS: Alias = { a: 'a', d: 'd', l: 'l' };

/**
 * An allocation row that is a proposal: a decision that allocates (R441-3) — `attribution`, and `attribution_sous_condition`
 * (the suspensive condition, e.g. a document to bring or the previous lease to end, delays the lease; the decision
 * allocates all the same) — except the later-ranked rows still `non_proposee` (their turn has not come). A lease is
 * a proposal whose issue is `bail_signe`. One home for every count of allocations: the indicator engine, the impact
 * of a cotation grid, the flux and the refusal observatory (issue 15).
 */
export function propositionSql(a: string = ALIAS.a): string {
  return `${a}.decision IN ('attribution', 'attribution_sous_condition') AND coalesce(${a}.issue, '') <> 'non_proposee'`;
}

/** The household of an allocation at the date of the decision: the allocation's value, else the request's. */
export interface MenageAttributionSql extends MenageSql {
  /** DALO or priority (L441-1 CCH): either flag. */
  readonly prioritaire: string;
  readonly mutation: string;
  /** Relocated by a renewal operation (NPNRU, ORCOD). */
  readonly relogement: string;
  readonly travailleurEssentiel: string;
  /** The Q1 membership declared in the files (nullable: a check compares it with the computed one). */
  readonly q1Declare: string;
}

export function menageAttributionSql(alias: Pick<Alias, 'a' | 'd'> = ALIAS): MenageAttributionSql {
  const deLaDemande = (colonne: string) => `coalesce(${alias.a}.${colonne}, ${alias.d}.${colonne})`;
  const drapeau = (colonne: string) => `coalesce(${alias.a}.${colonne}, ${alias.d}.${colonne}, FALSE)`;
  return {
    ressources: deLaDemande('ressources_mensuelles'),
    nbPersonnes: deLaDemande('nb_personnes'),
    nbMoins14: deLaDemande('nb_moins_14_ans'),
    prioritaire: `(${drapeau('dalo')} OR ${drapeau('prioritaire')})`,
    mutation: drapeau('mutation'),
    relogement: drapeau('relogement_anru'),
    travailleurEssentiel: drapeau('travailleur_essentiel'),
    q1Declare: deLaDemande('q1'),
  };
}

/** The dwelling of an allocation: the allocation's value, else the dwelling's. */
export interface LogementAttributionSql {
  readonly bailleurId: string;
  readonly codeInsee: string;
  readonly codeQpv: string;
  readonly nbPieces: string;
  /** The réservataire of the contingent, NULL for the bailleur's non-reserved stock. */
  readonly reservataire: string;
}

export function logementAttributionSql(alias: Pick<Alias, 'a' | 'l'> = ALIAS): LogementAttributionSql {
  const duLogement = (colonne: string) => `coalesce(${alias.a}.${colonne}, ${alias.l}.${colonne})`;
  return {
    bailleurId: duLogement('bailleur_id'),
    codeInsee: duLogement('code_insee'),
    codeQpv: duLogement('code_qpv'),
    nbPieces: duLogement('nb_pieces'),
    reservataire: duLogement('contingent'),
  };
}

/**
 * The contingent of an allocation (`non_reserve:<bailleur>` when no réservataire) and its type, given the joined
 * réservataire's alias (`reservataires r ON r.id = <logement.reservataire>`).
 */
export function contingentSql(alias: Pick<Alias, 'a' | 'l'> = ALIAS, reservataires = 'r'): { contingent: string; typeContingent: string } {
  const { reservataire, bailleurId } = logementAttributionSql(alias);
  return {
    contingent: `CASE WHEN ${reservataire} IS NULL THEN ${literal(NON_RESERVE_PREFIX)} || ${bailleurId} ELSE ${reservataire} END`,
    typeContingent: `CASE WHEN ${reservataire} IS NULL THEN ${literal(NON_RESERVE)} ELSE coalesce(${reservataires}.type, 'autre') END`,
  };
}
