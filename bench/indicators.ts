/**
 * Indicator benchmark (issue 3): the full indicator set of one year through the engine (`calculerIndicateurs`:
 * legal indicators for every perimeter and period, demand side, quartile limits), then the same indicators
 * written by hand as plain DuckDB SQL, on the same store in the same run, so that the engine's cost can be judged
 * against the obvious queries ("within 3×"). The plain queries are also an independent implementation of the
 * counting rules: packages/data/src/indicators/plain-sql.test.ts checks that both give the same counts.
 */
import type { CiaConfig } from '@mixite/core';
import { periodesDeLAnnee } from '@mixite/core';
import type { Store } from '@mixite/data';
import { calculerIndicateurs, configurationCourante } from '@mixite/data';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Resolved proposals (decision attribution, not non_proposee), written the way an analyst would. */
function plainAllocations(config: CiaConfig): string {
  const { premiere_personne: w1, autre_14_ans_et_plus: w2, moins_14_ans: w3 } = config.uc;
  const n = 'coalesce(a.nb_personnes, d.nb_personnes)';
  const enfants = `least(coalesce(a.nb_moins_14_ans, d.nb_moins_14_ans, 0), ${n} - 1)`;
  return `m AS (
  SELECT a.id, a.date_cal, a.date_bail, a.issue, a.motif_refus,
    coalesce(a.bailleur_id, l.bailleur_id) AS bailleur_id,
    coalesce(a.code_insee, l.code_insee) AS code_insee,
    coalesce(a.code_qpv, l.code_qpv) AS code_qpv,
    coalesce(a.contingent, l.contingent, 'non_reserve:' || coalesce(a.bailleur_id, l.bailleur_id)) AS contingent,
    CASE WHEN coalesce(a.contingent, l.contingent) IS NULL THEN 'non_reserve' ELSE coalesce(r.type, 'autre') END AS type_contingent,
    coalesce(a.nb_pieces, l.nb_pieces) AS nb_pieces,
    coalesce(a.ressources_mensuelles, d.ressources_mensuelles) AS ressources,
    CAST(${w1} AS DECIMAL(18,6)) + CAST(${w2} AS DECIMAL(18,6)) * (${n} - 1 - ${enfants}) + CAST(${w3} AS DECIMAL(18,6)) * ${enfants} AS uc,
    coalesce(a.dalo, d.dalo, false) OR coalesce(a.prioritaire, d.prioritaire, false) AS prioritaire,
    coalesce(a.mutation, d.mutation, false) AS mutation,
    coalesce(a.relogement_anru, d.relogement_anru, false) AS relogement,
    coalesce(a.travailleur_essentiel, d.travailleur_essentiel, false) AS travailleur_essentiel,
    coalesce(c.code_epci, '') AS code_epci,
    coalesce(a.code_qpv, l.code_qpv) IS NOT NULL AND (${config.assimiles_comme_qpv ? 'true' : 'NOT coalesce(q.assimile, false)'}) AS en_qpv
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  LEFT JOIN reservataires r ON r.id = coalesce(a.contingent, l.contingent)
  LEFT JOIN communes c ON c.code_insee = coalesce(a.code_insee, l.code_insee)
  LEFT JOIN qpv q ON q.code_qpv = coalesce(a.code_qpv, l.code_qpv)
  WHERE a.decision = 'attribution' AND coalesce(a.issue, '') <> 'non_proposee'
)`;
}

/** Published threshold per EPCI and year, and the demand's median and third quartile per year. */
function plainLimits(config: CiaConfig, annee: number, territoire: string): string {
  const { premiere_personne: w1, autre_14_ans_et_plus: w2, moins_14_ans: w3 } = config.uc;
  const enfants = 'least(coalesce(d.nb_moins_14_ans, 0), d.nb_personnes - 1)';
  // UC in millionths and resources per UC in cents rounded half up, in integers.
  const ucMicro = `CAST((CAST(${w1} AS DECIMAL(18,6)) + CAST(${w2} AS DECIMAL(18,6)) * (d.nb_personnes - 1 - ${enfants}) + CAST(${w3} AS DECIMAL(18,6)) * ${enfants}) * 1000000 AS BIGINT)`;
  const rucCentimes = `((2 * CAST(d.ressources_mensuelles * 100 AS BIGINT) * 12 * 1000000 + ${ucMicro}) // (2 * ${ucMicro}))`;
  return `annees(annee) AS (VALUES (${annee - 1}), (${annee})),
seuil AS (
  SELECT e.code_epci, y.annee,
    coalesce(max(s.seuil_q1) FILTER (WHERE s.code_epci = e.code_epci), max(s.seuil_q1) FILTER (WHERE s.code_epci IS NULL OR s.code_epci = '')) AS seuil_q1
  FROM (SELECT DISTINCT code_epci FROM communes UNION SELECT ${lit(territoire)} UNION SELECT '') e CROSS JOIN annees y
  LEFT JOIN seuils s ON s.annee = y.annee
  GROUP BY ALL
),
quantiles AS (
  SELECT y.annee,
    -- Quantiles of the cents, rounded half up to the cent, compared as DECIMAL like a published threshold.
    CAST(round(quantile_cont(${rucCentimes}, 0.5)) / 100 AS DECIMAL(18,2)) AS mediane,
    CAST(round(quantile_cont(${rucCentimes}, 0.75)) / 100 AS DECIMAL(18,2)) AS q3
  FROM annees y LEFT JOIN demandes d
    ON d.date_depot <= make_date(y.annee - 1, 12, 31) AND (d.date_radiation IS NULL OR d.date_radiation > make_date(y.annee - 1, 12, 31))
  GROUP BY y.annee
)`;
}

function plainPeriods(annee: number): string {
  return `periodes(periode, debut, fin) AS (VALUES ${periodesDeLAnnee(annee)
    .map((p) => `(${lit(p.id)}, DATE ${lit(p.debut)}, DATE ${lit(p.fin)})`)
    .join(', ')})`;
}

/** The legal indicators, plain: one row per indicator × perimeter × period that counts something. */
export function plainIndicatorsSql(config: CiaConfig, annee: number, territoire: string): string {
  const perimeters: [string, string][] = [
    ['territoire', "'territoire'"],
    ['commune', 'code_insee'],
    ['qpv', 'code_qpv'],
    ['bailleur', 'bailleur_id'],
    ['contingent', 'contingent'],
    ['type_contingent', 'type_contingent'],
  ];
  return `WITH ${plainLimits(config, annee, territoire)},
${plainPeriods(annee)},
${plainAllocations(config)},
p AS (SELECT m.*, m.date_cal AS jour FROM m),
b AS (SELECT m.*, m.date_bail AS jour FROM m WHERE m.issue = 'bail_signe'),
f AS (
  SELECT 'hors_qpv_q1' AS indicateur, b.*, b.relogement OR b.ressources * 12 <= s.seuil_q1 * b.uc AS num
  FROM b LEFT JOIN seuil s ON s.annee = year(b.jour) AND s.code_epci = b.code_epci WHERE NOT b.en_qpv
  UNION ALL
  SELECT 'qpv_hors_q1', p.*, p.ressources * 12 > s.seuil_q1 * p.uc
  FROM p LEFT JOIN seuil s ON s.annee = year(p.jour) AND s.code_epci = p.code_epci WHERE p.en_qpv
  UNION ALL
  SELECT 'qpv_q3_q4', p.*, p.ressources * 12 > s.seuil_q1 * p.uc AND p.ressources * 12 > qt.mediane * p.uc
  FROM p LEFT JOIN seuil s ON s.annee = year(p.jour) AND s.code_epci = p.code_epci LEFT JOIN quantiles qt ON qt.annee = year(p.jour) WHERE p.en_qpv
  UNION ALL SELECT 'prioritaires', p.*, p.prioritaire FROM p
  UNION ALL SELECT 'mutations', p.*, p.mutation FROM p
  UNION ALL SELECT 'travailleurs_essentiels', p.*, p.travailleur_essentiel FROM p
),
fp AS (SELECT f.*, per.periode FROM f JOIN periodes per ON f.jour BETWEEN per.debut AND per.fin)
${perimeters
  .map(
    ([type, column]) =>
      `SELECT indicateur, '${type}' AS perimetre_type, ${column} AS perimetre_id, periode,
  CAST(count(*) FILTER (WHERE coalesce(num, false)) AS INTEGER) AS numerateur, CAST(count(*) AS INTEGER) AS denominateur
FROM fp ${type === 'qpv' ? 'WHERE code_qpv IS NOT NULL ' : ''}GROUP BY ALL`,
  )
  .join('\nUNION ALL\n')}`;
}

/** The demand side, plain: the same counts as the engine's demand query (mesure, periode, modalite, n, s). */
export function plainDemandSql(config: CiaConfig, annee: number, territoire: string): string {
  const { premiere_personne: w1, autre_14_ans_et_plus: w2, moins_14_ans: w3 } = config.uc;
  const enfants = 'least(coalesce(d.nb_moins_14_ans, 0), d.nb_personnes - 1)';
  const ucDemande = `(CAST(${w1} AS DECIMAL(18,6)) + CAST(${w2} AS DECIMAL(18,6)) * (d.nb_personnes - 1 - ${enfants}) + CAST(${w3} AS DECIMAL(18,6)) * ${enfants})`;
  const quartile = (r: string, uc: string) =>
    `CASE WHEN ${r} * 12 <= s.seuil_q1 * ${uc} THEN 'q1' WHEN ${r} * 12 <= qt.mediane * ${uc} THEN 'q2' WHEN ${r} * 12 <= qt.q3 * ${uc} THEN 'q3' WHEN ${r} * 12 > qt.q3 * ${uc} THEN 'q4' ELSE 'inconnu' END`;
  const typologie = (pieces: string) => `CASE WHEN ${pieces} IS NULL THEN 'inconnue' WHEN ${pieces} >= 5 THEN 't5_plus' ELSE 't' || ${pieces} END`;
  return `WITH ${plainLimits(config, annee, territoire)},
${plainPeriods(annee)},
${plainAllocations(config)},
stock AS (
  SELECT per.periode, ${quartile('d.ressources_mensuelles', ucDemande)} AS quartile, ${typologie('d.typologie_min')} AS typologie
  FROM demandes d JOIN periodes per ON d.date_depot <= per.fin AND (d.date_radiation IS NULL OR d.date_radiation > per.fin)
  LEFT JOIN seuil s ON s.annee = year(per.fin) AND s.code_epci = ${lit(territoire)}
  LEFT JOIN quantiles qt ON qt.annee = year(per.fin)
),
baux AS (
  SELECT per.periode, ${quartile('m.ressources', 'm.uc')} AS quartile, ${typologie('m.nb_pieces')} AS typologie
  FROM m JOIN periodes per ON m.date_bail BETWEEN per.debut AND per.fin
  LEFT JOIN seuil s ON s.annee = year(m.date_bail) AND s.code_epci = m.code_epci
  LEFT JOIN quantiles qt ON qt.annee = year(m.date_bail)
  WHERE m.issue = 'bail_signe'
)
SELECT 'stock_quartile' AS mesure, periode, quartile AS modalite, count(*) AS n, NULL::BIGINT AS s FROM stock GROUP BY ALL
UNION ALL SELECT 'stock_typologie', periode, typologie, count(*), NULL FROM stock GROUP BY ALL
UNION ALL SELECT 'baux_quartile', periode, quartile, count(*), NULL FROM baux GROUP BY ALL
UNION ALL SELECT 'baux_typologie', periode, typologie, count(*), NULL FROM baux GROUP BY ALL
UNION ALL SELECT 'deposees', per.periode, '', count(*), NULL FROM demandes d JOIN periodes per ON d.date_depot BETWEEN per.debut AND per.fin GROUP BY ALL
UNION ALL SELECT 'satisfaites', per.periode, '', count(*), sum(d.date_radiation - d.date_depot)
  FROM demandes d JOIN periodes per ON d.statut = 'attribuee' AND d.date_radiation BETWEEN per.debut AND per.fin GROUP BY ALL
UNION ALL SELECT 'refus', per.periode, coalesce(m.motif_refus, 'non_renseigne'), count(*), NULL
  FROM m JOIN periodes per ON m.date_cal BETWEEN per.debut AND per.fin WHERE m.issue = 'refus_demandeur' GROUP BY ALL`;
}

/** The territory's EPCI as the engine resolves it: the configuration's, else the single EPCI of the communes. */
export async function territoryEpci(store: Store, config: CiaConfig): Promise<string> {
  if (config.code_epci) return config.code_epci;
  const epcis = await store.all<{ code_epci: string }>(`SELECT DISTINCT code_epci FROM communes`);
  return epcis.length === 1 ? (epcis[0]?.code_epci ?? '') : '';
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs the full indicator set of `annee` through the engine and as plain SQL, each twice (the first run warms
 * DuckDB's caches), and returns the better time of each.
 */
export async function benchIndicators(store: Store, annee: number): Promise<{ engineMs: number; plainSqlMs: number }> {
  const config = await configurationCourante(store);
  const territoire = await territoryEpci(store, config);
  const engine = async () => calculerIndicateurs(store, { annee, config });
  const plain = async () => {
    await store.all(plainIndicatorsSql(config, annee, territoire));
    await store.all(plainDemandSql(config, annee, territoire));
  };
  const engineMs: number[] = [];
  const plainSqlMs: number[] = [];
  for (let run = 0; run < 2; run++) {
    engineMs.push(await time(engine));
    plainSqlMs.push(await time(plain));
  }
  return { engineMs: Math.min(...engineMs), plainSqlMs: Math.min(...plainSqlMs) };
}
