import { ident } from '../store/sql-types.ts';

/**
 * The residences of the RPLS preset (rpls.ts), from its converted dwellings (`conv`, projectionRpls's columns): one
 * grouping of the dwellings by residence gives each residence's figures AND the distinct points to project (issue 17:
 * a DISTINCT over the 1.3 M dwellings, then a grouping of every dwelling joined with its point, cost 0.4 s of
 * processor; grouping once, 0.15 s).
 *
 * Same rows as the grouping of every dwelling (`conv`) it replaces:
 * - a residence whose projectable dwellings (`POINT`) share one point has that point's coordinates: rounded to 7
 *   decimals, the mean of n equal values is that value (coordinates are projected to 7 decimals: the mean is off by a
 *   few units in the last place, far from a rounding boundary) — the mean over its dwellings is computed only for
 *   a residence with several points;
 * - a residence whose QPV codes are all equal (or all empty: min = max) has that code, which is their mode; the
 *   mode over its dwellings is computed only for a residence with several codes.
 */

/** A dwelling whose point is projected: Lambert-93 (or no EPSG column) with both coordinates. */
const POINT = 'lambert93 AND x IS NOT NULL AND y IS NOT NULL';

/** One row per residence: its figures, the span of its QPV codes and of its dwellings' points. */
export const groupesResidencesSql = (conv: string) => `SELECT residence_id, any_value(bailleur_id) AS bailleur_id, any_value(code_insee) AS code_insee,
    min(code_qpv) AS qpv_min, max(code_qpv) AS qpv_max, any_value(adresse) AS adresse, count(*) AS nb_logements, min(rowid) AS premier,
    min(x) FILTER (${POINT}) AS x, max(x) FILTER (${POINT}) AS x_max, min(y) FILTER (${POINT}) AS y, max(y) FILTER (${POINT}) AS y_max
  FROM ${ident(conv)} GROUP BY residence_id`;

/** The residences whose dwellings' points are not all one. */
const plusieursPoints = (groupes: string) => `SELECT residence_id FROM ${ident(groupes)} WHERE x IS NOT NULL AND (x <> x_max OR y <> y_max)`;

/** The residences whose dwellings have several QPV codes. */
const plusieursQpv = (groupes: string) => `SELECT residence_id FROM ${ident(groupes)} WHERE qpv_min <> qpv_max`;

/** How many residences need their dwellings read again (usually none: each such pass reads the 1.3 M dwellings). */
export const melangesSql = (groupes: string) =>
  `SELECT count_if(x IS NOT NULL AND (x <> x_max OR y <> y_max))::INTEGER AS points, count_if(qpv_min <> qpv_max)::INTEGER AS qpv FROM ${ident(groupes)}`;

export interface Melanges {
  /** Residences with several points. */
  readonly points: number;
  /** Residences with several QPV codes. */
  readonly qpv: number;
}

/** The distinct points of the projectable dwellings: those of the one-point residences, and the points of the others. */
export const pointsDistinctsSql = (conv: string, groupes: string, m: Melanges) => `SELECT x, y FROM ${ident(groupes)} WHERE x IS NOT NULL AND x = x_max AND y = y_max
  ${m.points === 0 ? '' : `UNION SELECT x, y FROM ${ident(conv)} WHERE ${POINT} AND residence_id IN (${plusieursPoints(groupes)})`}`;

/** residences.csv's rows in the order of their first dwelling; `coords`: the projected points (x, y, longitude, latitude). */
export function residencesSql(conv: string, groupes: string, coords: string, m: Melanges): string {
  const moyennes = `UNION ALL
    SELECT l.residence_id, avg(p.latitude), avg(p.longitude)
    FROM (SELECT residence_id, x, y FROM ${ident(conv)} WHERE ${POINT} AND residence_id IN (${plusieursPoints(groupes)})) l
    JOIN ${ident(coords)} p ON p.x = l.x AND p.y = l.y
    GROUP BY l.residence_id`;
  const modes = `SELECT residence_id, mode(code_qpv) AS code_qpv FROM ${ident(conv)} WHERE residence_id IN (${plusieursQpv(groupes)}) GROUP BY residence_id`;
  return `WITH points AS (
      SELECT g.residence_id, p.latitude, p.longitude FROM ${ident(groupes)} g JOIN ${ident(coords)} p ON p.x = g.x AND p.y = g.y
      WHERE g.x = g.x_max AND g.y = g.y_max
      ${m.points === 0 ? '' : moyennes}
    ),
    qpv AS (${m.qpv === 0 ? 'SELECT NULL::VARCHAR AS residence_id, NULL::VARCHAR AS code_qpv WHERE FALSE' : modes})
    SELECT g.residence_id AS id, g.bailleur_id, NULL AS nom, g.code_insee, CASE WHEN g.qpv_min = g.qpv_max THEN g.qpv_min ELSE q.code_qpv END AS code_qpv,
      g.adresse, round(p.latitude, 7) AS latitude, round(p.longitude, 7) AS longitude, g.nb_logements
    FROM ${ident(groupes)} g LEFT JOIN points p USING (residence_id) LEFT JOIN qpv q USING (residence_id) ORDER BY g.premier`;
}
