import type { CiaConfig } from '@mixite/core';
import { colonneHypothese } from '@mixite/core';
import { sql } from '../store/sql.ts';
import { ident } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import type { ContexteParc, PorteeParc } from './parc-sql.ts';
import { contexteParc, logementsParcSql } from './parc-sql.ts';

/**
 * The stock's aggregates (GET /api/parc, the bilan): the dwellings of the perimeter computed once into a temporary
 * table (parc-sql.ts), then counted by commune, QPV, bailleur, typology and financing, and crossed with the leases
 * of year N: how many fell in a dwelling affordable under the central hypothesis, outside QPV, in a residence not
 * known to be fragile (`fragile` and `tres_fragile` exclude; `inconnue` does not: a residence without survey is not
 * known to be fragile).
 */

export interface LigneParc {
  readonly cle: string;
  readonly libelle: string;
  readonly logements: number;
  readonly abordables: number[];
  readonly abordables_non_fragiles_hors_qpv: number;
  readonly zone_inconnue: number;
}

export interface CroisementCommune {
  readonly code_insee: string;
  readonly commune: string;
  readonly logements: number;
  readonly abordables: number;
  readonly abordables_non_fragiles_hors_qpv: number;
  readonly baux: number;
  readonly baux_croisement: number;
}

export interface AnalyseParc {
  readonly annee: number;
  readonly seuil_q1: number | null;
  readonly bareme: { readonly debut: string; readonly source: string };
  readonly hypotheses: number[];
  readonly hypothese_centrale: number;
  readonly reste_a_vivre_minimum: number | null;
  readonly total: LigneParc;
  readonly repartitions: Record<'commune' | 'qpv' | 'bailleur' | 'typologie' | 'financement', LigneParc[]>;
  readonly croisement: CroisementCommune[];
  readonly baux: number;
  readonly baux_croisement: number;
}

let compteur = 0;

/** Runs `travail` with the dwellings of the perimeter in a temporary table (dropped after). */
export async function avecLogementsParc<T>(store: Store, ctx: ContexteParc, portee: PorteeParc, travail: (table: string) => Promise<T>): Promise<T> {
  const table = `parc_logements_${process.pid}_${++compteur}`;
  await store.run(sql`CREATE TEMP TABLE ${sql.ident(table)} AS ${logementsParcSql(ctx, portee)}`);
  try {
    return await travail(table);
  } finally {
    await store.run(sql`DROP TABLE IF EXISTS ${sql.ident(table)}`);
  }
}

const croisementSql = (central: string) =>
  `coalesce(${central}, FALSE) AND NOT en_qpv AND classe_residence NOT IN ('fragile', 'tres_fragile')`;

export async function analyserParc(store: Store, annee: number, portee: PorteeParc, config?: CiaConfig): Promise<AnalyseParc> {
  const ctx = await contexteParc(store, annee, config);
  const hypotheses = [...ctx.parametres.taux_effort];
  const central = ident(colonneHypothese(ctx.parametres.hypothese_centrale));
  const comptes = [
    'count(*)::INTEGER AS logements',
    ...hypotheses.map((h, i) => `count(*) FILTER (WHERE ${ident(colonneHypothese(h))})::INTEGER AS a${i}`),
    `count(*) FILTER (WHERE ${croisementSql(central)})::INTEGER AS croisement`,
    'count(*) FILTER (WHERE zone_inconnue)::INTEGER AS zone_inconnue',
  ].join(', ');
  const ligne = (r: Record<string, unknown>): LigneParc => ({
    cle: String(r.cle),
    libelle: String(r.libelle),
    logements: Number(r.logements),
    abordables: hypotheses.map((_, i) => Number(r[`a${i}`])),
    abordables_non_fragiles_hors_qpv: Number(r.croisement),
    zone_inconnue: Number(r.zone_inconnue),
  });

  return avecLogementsParc(store, ctx, portee, async (table) => {
    const t = ident(table);
    const parDimension = async (cle: string, libelle: string, jointures: string, ordre: string) =>
      (await store.all<Record<string, unknown>>(`SELECT ${cle} AS cle, ${libelle} AS libelle, ${comptes} FROM ${t} t ${jointures} GROUP BY ALL ORDER BY ${ordre}`)).map(ligne);
    const [total] = await store.all<Record<string, unknown>>(`SELECT 'total' AS cle, 'Ensemble' AS libelle, ${comptes} FROM ${t}`);
    const repartitions = {
      commune: await parDimension('t.code_insee', 'coalesce(c.nom, t.code_insee)', 'LEFT JOIN communes c ON c.code_insee = t.code_insee', '1'),
      qpv: await parDimension(
        `CASE WHEN t.en_qpv THEN t.code_qpv ELSE 'hors_qpv' END`,
        `CASE WHEN t.en_qpv THEN coalesce(q.nom, t.code_qpv) ELSE 'Hors QPV' END`,
        'LEFT JOIN qpv q ON q.code_qpv = t.code_qpv',
        `min(CASE WHEN t.en_qpv THEN 0 ELSE 1 END), 1`,
      ),
      bailleur: await parDimension('t.bailleur_id', 'coalesce(b.nom, t.bailleur_id)', 'LEFT JOIN bailleurs b ON b.id = t.bailleur_id', '1'),
      typologie: await parDimension(`'T' || t.nb_pieces`, `'T' || t.nb_pieces`, '', 'min(t.nb_pieces)'),
      financement: await parDimension(`coalesce(t.financement, 'inconnu')`, `upper(coalesce(t.financement, 'inconnu'))`, '', '1'),
    };
    const croisement = await store.all<CroisementCommune>(sql`
      WITH baux AS (
        SELECT a.logement_id, count(*) AS n FROM attributions a
        WHERE a.issue = 'bail_signe' AND a.logement_id IS NOT NULL AND a.date_bail BETWEEN make_date(${annee}::INTEGER, 1, 1) AND make_date(${annee}::INTEGER, 12, 31)
        GROUP BY 1
      )
      SELECT t.code_insee, coalesce(c.nom, t.code_insee) AS commune, count(*)::INTEGER AS logements,
        count(*) FILTER (WHERE ${sql.raw(central)})::INTEGER AS abordables,
        count(*) FILTER (WHERE ${sql.raw(croisementSql(central))})::INTEGER AS abordables_non_fragiles_hors_qpv,
        coalesce(sum(b.n), 0)::INTEGER AS baux,
        coalesce(sum(b.n) FILTER (WHERE ${sql.raw(croisementSql(central))}), 0)::INTEGER AS baux_croisement
      FROM ${sql.ident(table)} t LEFT JOIN communes c ON c.code_insee = t.code_insee LEFT JOIN baux b ON b.logement_id = t.logement_id
      GROUP BY ALL ORDER BY 1`);
    return {
      annee,
      seuil_q1: ctx.seuils.get('') ?? null,
      bareme: { debut: ctx.bareme.debut, source: ctx.bareme.source },
      hypotheses,
      hypothese_centrale: ctx.parametres.hypothese_centrale,
      reste_a_vivre_minimum: ctx.parametres.reste_a_vivre_minimum,
      total: total ? ligne(total) : { cle: 'total', libelle: 'Ensemble', logements: 0, abordables: hypotheses.map(() => 0), abordables_non_fragiles_hors_qpv: 0, zone_inconnue: 0 },
      repartitions,
      croisement,
      baux: croisement.reduce((s, c) => s + c.baux, 0),
      baux_croisement: croisement.reduce((s, c) => s + c.baux_croisement, 0),
    };
  });
}
