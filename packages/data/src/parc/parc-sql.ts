import type { BaremeApl, CiaConfig, ParcParametres } from '@mixite/core';
import {
  JOURS_PAR_MOIS,
  ZONES_APL,
  aplSql,
  baremeApplicable,
  classeFragiliteSql,
  colonneHypothese,
  constantesApl,
  menageDeReference,
  parametresParc,
  ucDuMenageDeReference,
} from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import type { Sql } from '../store/sql.ts';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';

/**
 * The affordability of every dwelling to the first quartile (issue 14, seed 000 fiche action 5), in one pass of SQL
 * over the store:
 * - each dwelling gets the reference Q1 household of its number of rooms (parc.menages_de_reference), with the
 *   resources of the Q1 threshold of year N for the EPCI of its commune (core's choice through seuilsQ1DesAnnees:
 *   the published row, else the demand's first quartile);
 * - its APL in the dwelling (the table in force on 31 December of N, zone APL of the commune), its effort rate
 *   (rent + charges − APL) ÷ resources and its reste à vivre per UC per day; unknown charges are the APL's flat
 *   charges (flagged);
 * - affordable under a hypothesis h when the effort rate is at most h (compared as amounts: rent + charges − APL ≤
 *   h × resources) and the reste à vivre is at least the CIA's minimum, when one is set;
 * - the class of its residence from the last occupation survey of year N or before (fragilite.ts).
 * A dwelling of a commune without zone APL, or of a year without threshold, has NULL figures (counted apart).
 */

export interface ContexteParc {
  readonly annee: number;
  readonly config: CiaConfig;
  readonly parametres: ParcParametres;
  readonly bareme: BaremeApl;
  /** Q1 threshold (€ per UC per year) per EPCI code, '' for the territory. */
  readonly seuils: ReadonlyMap<string, number | null>;
}

export async function contexteParc(store: Store, annee: number, config?: CiaConfig): Promise<ContexteParc> {
  const c = config ?? (await configurationCourante(store));
  const parametres = parametresParc(c.parc);
  // The table in force at the end of the year: the one the year's last leases were signed under.
  const bareme = baremeApplicable(`${annee}-12-31`, parametres.baremes_apl);
  const { parEpci } = await seuilsQ1DesAnnees(store, c, [annee]);
  const seuils = new Map(parEpci.filter((p) => p.annee === annee).map((p) => [p.codeEpci, p.seuilQ1 === null ? null : Number(p.seuilQ1) / 100] as const));
  return { annee, config: c, parametres, bareme, seuils };
}

/** The dwellings a viewer may see: the whole stock, a bailleur's, a commune's, a réservataire's contingent, or none. */
export type PorteeParc =
  | { readonly kind: 'territoire' }
  | { readonly kind: 'bailleur'; readonly id: string }
  | { readonly kind: 'commune'; readonly id: string }
  | { readonly kind: 'reservataire'; readonly id: string }
  | { readonly kind: 'aucune' };

/** The condition on a dwelling (alias `l`) of a perimeter, values bound as parameters. */
export function filtrePortee(portee: PorteeParc, l = 'l'): Sql {
  const col = (c: string) => sql.raw(`${l}.${c}`);
  switch (portee.kind) {
    case 'territoire':
      return sql`TRUE`;
    case 'bailleur':
      return sql`${col('bailleur_id')} = ${portee.id}`;
    case 'commune':
      return sql`${col('code_insee')} = ${portee.id}`;
    case 'reservataire':
      return sql`${col('contingent')} = ${portee.id}`;
    case 'aucune':
      return sql`FALSE`;
  }
}

const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`nombre invalide : ${x}`);
  return String(x);
};

/** One row per reference household × zone: the rooms it covers and its APL constants (written by the code: literals). */
function referencesSql(ctx: ContexteParc): string {
  const table = [...ctx.parametres.menages_de_reference].sort((a, b) => a.nb_pieces - b.nb_pieces);
  const lignes: string[] = [];
  table.forEach((m, i) => {
    const pmin = i === 0 ? 0 : m.nb_pieces;
    const suivant = table[i + 1];
    const pmax = suivant ? suivant.nb_pieces - 1 : 1000;
    const uc = ucDuMenageDeReference(menageDeReference(m.nb_pieces, table), ctx.config.uc);
    for (const zone of ZONES_APL) {
      const k = constantesApl({ adultes: m.adultes, personnesACharge: m.enfants }, zone, ctx.bareme);
      lignes.push(
        `(${pmin}, ${pmax}, '${zone}', ${m.adultes}, ${m.enfants}, ${num(uc)}::DOUBLE, ${num(k.plafond)}::DOUBLE, ${num(k.plafondZone2)}::DOUBLE, ${num(k.charges)}::DOUBLE, ` +
          `${num(k.p0Taux)}::DOUBLE, ${num(k.p0Minimum)}::DOUBLE, ${num(k.r0)}::DOUBLE, ${num(k.tf)}::DOUBLE, ${num(k.deduction)}::DOUBLE)`,
      );
    }
  });
  return `ref(pmin, pmax, zone, adultes, enfants, uc, plafond, plafond_zone2, forfait_charges, p0_taux, p0_min, r0, tf, deduction) AS (VALUES ${lignes.join(',\n  ')})`;
}

/** The Q1 threshold of each EPCI as rows (code_epci, seuil), values bound as parameters. */
function valeursSeuils(ctx: ContexteParc): Sql {
  const lignes = [...ctx.seuils.entries()].map(([epci, s]) => sql`(${epci}::VARCHAR, ${s}::DOUBLE)`);
  if (lignes.length === 0) lignes.push(sql`(''::VARCHAR, NULL::DOUBLE)`);
  return sql`SELECT * FROM (VALUES ${sql.join(lignes)}) v(code_epci, seuil)`;
}

function seuilsSql(ctx: ContexteParc, table: string | undefined): Sql {
  return table ? sql`seuil AS (SELECT code_epci, seuil FROM ${sql.ident(table)})` : sql`seuil AS (${valeursSeuils(ctx)})`;
}

let compteurSeuils = 0;

/**
 * Runs `travail` with the Q1 thresholds in a temporary table (dropped after), for a statement that cannot take bound
 * parameters: `COPY (…) TO` writes the dwellings in one pass, without first materialising 1.3 million rows in a
 * temporary table (bench/parc.ts). With `logementsParcSql(ctx, portee, { seuils: table })` and a perimeter without
 * parameter (the territory), the statement has no parameter at all.
 */
export async function avecSeuilsEnTable<T>(store: Store, ctx: ContexteParc, travail: (table: string) => Promise<T>): Promise<T> {
  const table = `parc_seuils_${process.pid}_${++compteurSeuils}`;
  await store.run(sql`CREATE TEMP TABLE ${sql.ident(table)} AS ${valeursSeuils(ctx)}`);
  try {
    return await travail(table);
  } finally {
    await store.run(sql`DROP TABLE IF EXISTS ${sql.ident(table)}`);
  }
}

/** The class of each residence from its last survey of year N or before. */
function classesSql(ctx: ContexteParc): string {
  const f = ctx.parametres.fragilite;
  return `occ AS (
    SELECT residence_id, annee, menages, ${f.indicateur} AS comptes,
      row_number() OVER (PARTITION BY residence_id ORDER BY annee DESC) AS rang
    FROM occupation WHERE annee <= ${ctx.annee}
  ),
  classe AS (SELECT residence_id, ${classeFragiliteSql('comptes', 'menages', f)} AS classe FROM occ WHERE rang = 1)`;
}

/**
 * The SELECT of one row per dwelling in the perimeter, with the columns of `mixite parc` and the dimensions of the
 * aggregates (bailleur, financement, en_qpv, code_epci). The Q1 thresholds are bound values, or read from the table
 * `options.seuils` (avecSeuilsEnTable).
 */
export function logementsParcSql(ctx: ContexteParc, portee: PorteeParc, options: { readonly seuils?: string } = {}): Sql {
  const p = ctx.parametres;
  const apl = aplSql(
    'loyer',
    'ressources_annuelles',
    { plafond: 'plafond', plafondZone2: 'plafond_zone2', charges: 'forfait_charges', p0Taux: 'p0_taux', p0Minimum: 'p0_min', r0: 'r0', tf: 'tf', deduction: 'deduction' },
    ctx.bareme.tl,
  );
  const rav = p.reste_a_vivre_minimum;
  const abordables = p.taux_effort
    .map(
      (h) =>
        `CASE WHEN apl IS NULL THEN NULL ELSE (loyer + charges - apl) <= ${num(h)} * ressources_mensuelles + 1e-9` +
        `${rav === null ? '' : ` AND (ressources_mensuelles - (loyer + charges - apl)) / uc / ${JOURS_PAR_MOIS} >= ${num(rav)} - 1e-9`} END AS ${colonneHypothese(h)}`,
    )
    .join(',\n    ');
  const assimiles = ctx.config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
  return sql`WITH ${sql.raw(referencesSql(ctx))}, ${seuilsSql(ctx, options.seuils)}, ${sql.raw(classesSql(ctx))},
  base AS (
    SELECT l.id AS logement_id, l.residence_id, l.bailleur_id, l.code_insee, l.code_qpv, l.nb_pieces, l.financement,
      l.loyer::DOUBLE AS loyer, l.charges::DOUBLE AS charges_saisies, c.zone_apl, coalesce(c.code_epci, '') AS code_epci,
      -- As the indicator engine (indicators-sql.ts): an assimilated sector is a QPV only when the CIA says so.
      l.code_qpv IS NOT NULL AND (NOT coalesce(q.assimile, FALSE) OR ${sql.raw(assimiles)}) AS en_qpv,
      coalesce(s.seuil, st.seuil) AS seuil
    FROM logements l
    JOIN communes c ON c.code_insee = l.code_insee
    LEFT JOIN qpv q ON q.code_qpv = l.code_qpv
    LEFT JOIN seuil s ON s.code_epci = c.code_epci
    LEFT JOIN seuil st ON st.code_epci = ''
    WHERE ${filtrePortee(portee)}
  ),
  menage AS (
    SELECT b.*, r.uc, r.plafond, r.plafond_zone2, r.forfait_charges, r.p0_taux, r.p0_min, r.r0, r.tf, r.deduction,
      b.seuil * r.uc AS ressources_annuelles, b.seuil * r.uc / 12 AS ressources_mensuelles,
      coalesce(b.charges_saisies, r.forfait_charges) AS charges
    FROM base b LEFT JOIN ref r ON b.nb_pieces BETWEEN r.pmin AND r.pmax AND r.zone = b.zone_apl
  ),
  calcul AS (
    SELECT *, CASE WHEN uc IS NULL OR ressources_annuelles IS NULL THEN NULL ELSE ${sql.raw(apl)} END AS apl FROM menage
  )
  SELECT k.logement_id, k.residence_id, k.code_insee, k.code_qpv, k.nb_pieces, round(k.loyer, 2) AS loyer,
    CASE WHEN k.apl IS NULL THEN k.charges_saisies ELSE round(k.charges, 2) END AS charges,
    k.charges_saisies IS NULL AS charges_estimees, k.apl,
    CASE WHEN k.apl IS NULL OR k.ressources_mensuelles <= 0 THEN NULL ELSE round((k.loyer + k.charges - k.apl) / k.ressources_mensuelles, 4) END AS taux_effort,
    CASE WHEN k.apl IS NULL THEN NULL ELSE round((k.ressources_mensuelles - (k.loyer + k.charges - k.apl)) / k.uc / ${sql.raw(String(JOURS_PAR_MOIS))}, 2) END AS reste_a_vivre,
    ${sql.raw(abordables)},
    CASE WHEN k.residence_id IS NULL THEN 'inconnue' ELSE coalesce(cl.classe, 'inconnue') END AS classe_residence,
    k.bailleur_id, k.financement, k.en_qpv, k.zone_apl IS NULL AS zone_inconnue
  FROM calcul k LEFT JOIN classe cl ON cl.residence_id = k.residence_id`;
}

/** The columns `mixite parc` writes, in order (the hypotheses' columns named after them). */
export function colonnesParc(ctx: ContexteParc): string[] {
  return [
    'logement_id',
    'residence_id',
    'code_insee',
    'code_qpv',
    'nb_pieces',
    'loyer',
    'charges',
    'apl',
    'taux_effort',
    ...ctx.parametres.taux_effort.map(colonneHypothese),
    'classe_residence',
  ];
}
