import type { CiaConfig, ClasseFragilite, IndicateurFragilite, Tendance } from '@mixite/core';
import { CLASSES_FRAGILITE, classeFragiliteSql, parametresParc, quartileSql, tendance } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import { menageAttributionSql } from '../indicators/regles-sql.ts';
import type { Sql } from '../store/sql.ts';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import type { PorteeParc } from './parc-sql.ts';

/**
 * Fragile residences (issue 14, seed 002 §2.5, seed 000 fiche 4): each residence's class per occupation survey
 * (core's fragilite.ts, the CIA's indicator and thresholds), its trend between its last two surveys of year N or
 * before, and the leases of year N into each class — how many first-quartile households were placed in residences
 * already fragile. A lease's household and its Q1 membership follow the indicator engine's rules (regles-sql.ts,
 * quartile-sql.ts, the threshold of the EPCI of the dwelling's commune).
 */

export interface EnqueteResidence {
  readonly residence_id: string;
  readonly annee: number;
  readonly menages: number;
  readonly part_sous_40pct: number | null;
  readonly classe: ClasseFragilite;
}

export interface ResidenceAnalysee {
  readonly residence_id: string;
  readonly nom: string | null;
  readonly bailleur_id: string;
  readonly bailleur: string | null;
  readonly code_insee: string;
  readonly commune: string | null;
  readonly code_qpv: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly nb_logements: number | null;
  readonly annee_enquete: number | null;
  readonly menages: number | null;
  readonly part_sous_40pct: number | null;
  readonly classe: ClasseFragilite;
  readonly tendance: Tendance | null;
  readonly attributions: number;
  readonly attributions_q1: number;
}

export interface AnalyseResidences {
  readonly annee: number;
  readonly indicateur: IndicateurFragilite;
  readonly seuil_fragile: number;
  readonly seuil_tres_fragile: number;
  readonly residences: ResidenceAnalysee[];
  readonly attributions_par_classe: { classe: ClasseFragilite; attributions: number; attributions_q1: number }[];
}

/** The residences a viewer may see (alias `r`): a bailleur's, a commune's, those holding a réservataire's dwellings. */
function filtreResidences(portee: PorteeParc): Sql {
  switch (portee.kind) {
    case 'territoire':
      return sql`TRUE`;
    case 'bailleur':
      return sql`r.bailleur_id = ${portee.id}`;
    case 'commune':
      return sql`r.code_insee = ${portee.id}`;
    case 'reservataire':
      return sql`EXISTS (SELECT 1 FROM logements l WHERE l.residence_id = r.id AND l.contingent = ${portee.id})`;
    case 'aucune':
      return sql`FALSE`;
  }
}

/** Every survey of year N or before of the residences in the perimeter, with its class (`mixite parc residences`). */
export async function enquetesResidences(store: Store, annee: number, portee: PorteeParc, config?: CiaConfig): Promise<EnqueteResidence[]> {
  const f = parametresParc((config ?? (await configurationCourante(store))).parc).fragilite;
  return store.all<EnqueteResidence>(sql`
    SELECT o.residence_id, o.annee::INTEGER AS annee, o.menages::INTEGER AS menages,
      CASE WHEN o.menages > 0 THEN round(o.${sql.ident(f.indicateur)} / o.menages, 4) END AS part_sous_40pct,
      ${sql.raw(classeFragiliteSql(`o.${f.indicateur}`, 'o.menages', f))} AS classe
    FROM occupation o JOIN residences r ON r.id = o.residence_id
    WHERE o.annee <= ${annee} AND ${filtreResidences(portee)}
    ORDER BY o.residence_id, o.annee`);
}

export async function analyserResidences(store: Store, annee: number, portee: PorteeParc, config?: CiaConfig): Promise<AnalyseResidences> {
  const c = config ?? (await configurationCourante(store));
  const f = parametresParc(c.parc).fragilite;
  const { parEpci } = await seuilsQ1DesAnnees(store, c, [annee]);
  const seuils = parEpci.filter((p) => p.annee === annee).map((p) => sql`(${p.codeEpci}::VARCHAR, ${p.seuilQ1 === null ? null : p.seuilQ1.toString()}::BIGINT)`);
  const q = quartileSql(c.uc);
  const menage = menageAttributionSql();
  const rows = await store.all<ResidenceAnalysee & { comptes_avant: number | null; menages_avant: number | null; comptes: number | null }>(sql`
    WITH seuil(code_epci, cents) AS (VALUES ${seuils.length > 0 ? sql.join(seuils) : sql`(''::VARCHAR, NULL::BIGINT)`}),
    occ AS (
      SELECT residence_id, annee, menages, ${sql.ident(f.indicateur)} AS comptes,
        row_number() OVER (PARTITION BY residence_id ORDER BY annee DESC) AS rang
      FROM occupation WHERE annee <= ${annee}
    ),
    baux AS (
      SELECT l.residence_id, count(*) AS n,
        count(*) FILTER (WHERE ${sql.raw(q.auPlusLaLimite(menage, 'coalesce(s.cents, st.cents)'))}) AS n_q1
      FROM attributions a
      JOIN logements l ON l.id = a.logement_id
      LEFT JOIN demandes d ON d.nur = a.nur
      LEFT JOIN communes c ON c.code_insee = l.code_insee
      LEFT JOIN seuil s ON s.code_epci = c.code_epci
      LEFT JOIN seuil st ON st.code_epci = ''
      WHERE a.issue = 'bail_signe' AND a.date_bail BETWEEN make_date(${annee}::INTEGER, 1, 1) AND make_date(${annee}::INTEGER, 12, 31)
        AND l.residence_id IS NOT NULL
      GROUP BY 1
    )
    SELECT r.id AS residence_id, r.nom, r.bailleur_id, b.nom AS bailleur, r.code_insee, c.nom AS commune, r.code_qpv,
      r.latitude::DOUBLE AS latitude, r.longitude::DOUBLE AS longitude, r.nb_logements::INTEGER AS nb_logements,
      o.annee::INTEGER AS annee_enquete, o.menages::INTEGER AS menages, o.comptes::INTEGER AS comptes,
      CASE WHEN o.menages > 0 THEN round(o.comptes / o.menages, 4) END AS part_sous_40pct,
      ${sql.raw(classeFragiliteSql('o.comptes', 'o.menages', f))} AS classe,
      p.comptes::INTEGER AS comptes_avant, p.menages::INTEGER AS menages_avant,
      coalesce(x.n, 0)::INTEGER AS attributions, coalesce(x.n_q1, 0)::INTEGER AS attributions_q1
    FROM residences r
    LEFT JOIN bailleurs b ON b.id = r.bailleur_id
    LEFT JOIN communes c ON c.code_insee = r.code_insee
    LEFT JOIN occ o ON o.residence_id = r.id AND o.rang = 1
    LEFT JOIN occ p ON p.residence_id = r.id AND p.rang = 2
    LEFT JOIN baux x ON x.residence_id = r.id
    WHERE ${filtreResidences(portee)}
    ORDER BY r.id`);
  const residences: ResidenceAnalysee[] = rows.map(({ comptes_avant, menages_avant, comptes, ...r }) => ({
    ...r,
    tendance: r.annee_enquete === null ? null : tendance(menages_avant === null ? null : { comptes: comptes_avant, menages: menages_avant }, { comptes, menages: r.menages }),
  }));
  const attributions_par_classe = CLASSES_FRAGILITE.map((classe) => {
    const de = residences.filter((r) => r.classe === classe);
    return { classe, attributions: de.reduce((s, r) => s + r.attributions, 0), attributions_q1: de.reduce((s, r) => s + r.attributions_q1, 0) };
  });
  return { annee, indicateur: f.indicateur, seuil_fragile: f.seuil_fragile, seuil_tres_fragile: f.seuil_tres_fragile, residences, attributions_par_classe };
}
