import type { CiaConfig, DimensionBilan, LigneBilanFlux } from '@mixite/core';
import { DIMENSIONS_BILAN, fluxParametres, tranchesConstruction } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import { allocationsFluxSql, typologieSql } from './flux-sql.ts';

/**
 * The R441-5-1 bilan of year N (docs/flux.md): for each bailleur and réservataire (the resolved contingent,
 * `non_reserve:<b>` included), the dwellings proposed (distinct dwellings with at least one proposal dated in N)
 * and allocated (distinct dwellings with a lease dated in N), in total and by typology, financing, QPV, commune and
 * construction period. All of the bailleur's proposals and leases are counted, not only those in the flow: the
 * article asks for the dwellings proposed and allocated, by réservataire.
 *
 * A dwelling proposed several times in the year (refusals) counts once; its fields are those of its latest row of the
 * year (by CALEOL, then id), so that each dimension's modalities add up to the total. A réservataire with a
 * convention for N and nothing proposed still gets its `ensemble` line at 0: the bailleur owes it the bilan.
 */
export async function bilanFlux(store: Store, options: { annee: number; bailleur?: string | null; config?: CiaConfig }): Promise<LigneBilanFlux[]> {
  const config = options.config ?? (await configurationCourante(store));
  const parametres = fluxParametres(config.flux);
  const tranches = tranchesConstruction(parametres.periodes_construction);
  const periode = `CASE WHEN annee_construction IS NULL THEN 'inconnue' ${tranches
    .map((t) => `WHEN ${[t.debut !== null ? `annee_construction >= ${t.debut}` : null, t.fin !== null ? `annee_construction <= ${t.fin}` : null].filter(Boolean).join(' AND ') || 'TRUE'} THEN ${literal(t.code)}`)
    .join(' ')} END`;
  const modalites: Record<Exclude<DimensionBilan, 'ensemble'>, string> = {
    typologie: typologieSql('nb_pieces'),
    financement: `coalesce(financement, 'inconnu')`,
    qpv: `CASE WHEN en_qpv THEN 'qpv' ELSE 'hors_qpv' END`,
    commune: `coalesce(code_insee, 'inconnue')`,
    periode_construction: periode,
  };
  const rows = await store.all<LigneBilanFlux & { ordre: number }>(
    `WITH f AS (
       SELECT * FROM (${allocationsFluxSql(config, parametres)})
       WHERE (year(date_cal) = $1 OR (est_bail AND year(date_bail) = $1)) AND ($2::VARCHAR IS NULL OR bailleur_id = $2)
     ),
     logements_an AS (
       SELECT bailleur_id, contingent, cle_logement,
         bool_or(year(date_cal) = $1) AS propose,
         bool_or(est_bail AND year(date_bail) = $1) AS attribue,
         arg_max({nb_pieces: nb_pieces, financement: financement, en_qpv: en_qpv, code_insee: code_insee, annee_construction: annee_construction}, (date_cal, id)) AS d
       FROM f GROUP BY ALL
     ),
     u AS (SELECT bailleur_id, contingent, propose, attribue, d.* FROM logements_an),
     lignes AS (
       SELECT bailleur_id, contingent, 'ensemble' AS dimension, 'ensemble' AS modalite, count(*) FILTER (WHERE propose) AS p, count(*) FILTER (WHERE attribue) AS a FROM u GROUP BY ALL
       ${Object.entries(modalites)
         .map(([dim, expr]) => `UNION ALL SELECT bailleur_id, contingent, ${literal(dim)}, ${expr}, count(*) FILTER (WHERE propose), count(*) FILTER (WHERE attribue) FROM u GROUP BY ALL`)
         .join('\n       ')}
       UNION ALL SELECT c.bailleur_id, c.reservataire_id, 'ensemble', 'ensemble', 0, 0 FROM conventions c
         WHERE c.annee = $1 AND ($2::VARCHAR IS NULL OR c.bailleur_id = $2)
           AND NOT EXISTS (SELECT 1 FROM u WHERE u.bailleur_id = c.bailleur_id AND u.contingent = c.reservataire_id)
     )
     SELECT bailleur_id, contingent AS reservataire_id, dimension, modalite, p::INTEGER AS logements_proposes, a::INTEGER AS logements_attribues
     FROM lignes ORDER BY bailleur_id, starts_with(contingent, 'non_reserve:'), contingent, list_position(${`[${DIMENSIONS_BILAN.map(literal).join(', ')}]`}, dimension), modalite`,
    [options.annee, options.bailleur ?? null],
  );
  return rows.map(({ ordre: _o, ...l }) => ({ ...l, logements_proposes: Number(l.logements_proposes), logements_attribues: Number(l.logements_attribues) }));
}
