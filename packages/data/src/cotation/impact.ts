import type {
  ComparaisonGrilles,
  ComparaisonPubliee,
  EcartImpact,
  Grille,
  ImpactGrille,
  IndicateurImpact,
  LigneImpact,
  Profil,
  TypologieImpact,
} from '@mixite/core';
import { CIBLE_DE_L_IMPACT, INDICATEURS_IMPACT, MODALITES_TYPOLOGIE, comparaisonExacte, douzeMoisAvant, publierComparaison, quartileSql } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { logementAttributionSql, menageAttributionSql, propositionSql } from '../indicators/regles-sql.ts';
import { literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import type { Contexte, OptionsCotation } from './contexte.ts';
import { contexte, reference } from './contexte.ts';
import type { PlanCotation } from './cotation-sql.ts';
import { limitesCte, planCotation, typologieSql } from './cotation-sql.ts';

/**
 * The impact of grids on the CIA targets: the best-ranked requests of each typology, as many as its leases of the
 * twelve months, beside those leases and the whole demand. The period's bounds are dates computed by douzeMoisAvant
 * from a checked ISO date (constants of the query, quoted by literal()).
 */

interface LigneProfil {
  grille: string;
  population: 'retenues' | 'attributions' | 'demande' | 'communes';
  typologie: string;
  effectif: number;
  q1: number;
  prioritaires: number;
  mutations: number;
  travailleurs_essentiels: number;
}

/**
 * The leases of the twelve months with their household resolved from the request: the indicator engine's leases
 * (propositionSql: an attribution sous condition suspensive that led to a lease counts, as in the legal indicators).
 */
function bauxCte(ctx: Contexte): string {
  const { debut, fin } = douzeMoisAvant(ctx.date);
  const q = quartileSql(ctx.config.uc);
  const menage = menageAttributionSql();
  const logement = logementAttributionSql();
  return `baux AS (
  SELECT ${typologieSql(logement.nbPieces)} AS typologie,
    coalesce(${q.auPlusLaLimite(menage, 'lim.seuil_q1')}, FALSE) AS _q1,
    ${menage.prioritaire} AS _prioritaire,
    ${menage.mutation} AS _mutation,
    ${menage.travailleurEssentiel} AS _te
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  LEFT JOIN communes c ON c.code_insee = ${logement.codeInsee}
  LEFT JOIN lim ON lim.annee = year(a.date_bail) AND lim.code_epci = coalesce(c.code_epci, '')
  WHERE ${propositionSql()} AND a.issue = 'bail_signe' AND a.date_bail BETWEEN DATE ${literal(debut)} AND DATE ${literal(fin)}${ctx.filtreBaux ? ` AND (${ctx.filtreBaux})` : ''}
),
nb_baux AS (SELECT typologie, count(*) AS n FROM baux GROUP BY typologie)`;
}

const COMPTES = `CAST(count(*) AS INTEGER) AS effectif, CAST(count(*) FILTER (WHERE _q1) AS INTEGER) AS q1,
  CAST(count(*) FILTER (WHERE _prioritaire) AS INTEGER) AS prioritaires, CAST(count(*) FILTER (WHERE _mutation) AS INTEGER) AS mutations,
  CAST(count(*) FILTER (WHERE _te) AS INTEGER) AS travailleurs_essentiels`;

/** The best-ranked requests of each typology, as many as its leases: by note, then seniority, then NUR. */
const retenuesCte = (p: string, plan: PlanCotation) => `${p}retenues AS (
  SELECT c.* FROM (
    SELECT nur, typologie, _q1, _prioritaire, _mutation, _te,
      row_number() OVER (PARTITION BY typologie ORDER BY centiemes DESC, date_depot, nur) AS rn
    FROM ${plan.notes}
  ) c JOIN nb_baux b ON b.typologie = c.typologie WHERE c.rn <= b.n
)`;

async function profils(store: Store, ctx: Contexte, grilles: readonly Grille[]): Promise<LigneProfil[]> {
  const plans = grilles.map((g, i) => ({ p: `g${i}_`, plan: planCotation(g, ctx.sql, { prefixe: `g${i}_`, impact: true }) }));
  const ctes = [limitesCte(ctx.sql.seuils), ...plans.map((x) => x.plan.ctes), bauxCte(ctx), ...plans.map((x) => retenuesCte(x.p, x.plan))];
  const populations = [
    ...plans.map((x, i) => `SELECT '${i}' AS grille, 'retenues' AS population, typologie, _q1, _prioritaire, _mutation, _te FROM ${x.p}retenues`),
    `SELECT '' AS grille, 'attributions' AS population, typologie, _q1, _prioritaire, _mutation, _te FROM baux`,
    `SELECT '' AS grille, 'demande' AS population, typologie, _q1, _prioritaire, _mutation, _te FROM ${plans[0]?.plan.notes ?? 'g0_notes'}`,
    ...(plans.length === 2
      ? [`SELECT '' AS grille, 'communes' AS population, a.typologie, a._q1, a._prioritaire, a._mutation, a._te FROM g0_retenues a JOIN g1_retenues b ON b.nur = a.nur`]
      : []),
  ];
  return store.all<LigneProfil>(
    `WITH ${ctes.join(',\n')},
pop AS (${populations.join('\nUNION ALL ')})
SELECT grille, population, coalesce(typologie, 'ensemble') AS typologie, ${COMPTES}
FROM pop GROUP BY GROUPING SETS ((grille, population, typologie), (grille, population))`,
    ctx.parametres,
  );
}

const TYPOLOGIES: readonly TypologieImpact[] = [...MODALITES_TYPOLOGIE, 'ensemble'];

function profil(row: LigneProfil | undefined): Profil {
  const effectif = row?.effectif ?? 0;
  const nombres = Object.fromEntries(INDICATEURS_IMPACT.map((i) => [i, row?.[i] ?? 0])) as Record<IndicateurImpact, number>;
  const parts = Object.fromEntries(INDICATEURS_IMPACT.map((i) => [i, effectif === 0 ? null : nombres[i] / effectif])) as Record<IndicateurImpact, number | null>;
  return { effectif, nombres, parts };
}

function assemblerImpact(ctx: Contexte, grille: Grille, rows: readonly LigneProfil[], indice: string): ImpactGrille {
  const get = (grilleId: string, population: LigneProfil['population'], typologie: string) =>
    rows.find((r) => r.grille === grilleId && r.population === population && r.typologie === typologie);
  const lignes: LigneImpact[] = TYPOLOGIES.map((typologie) => {
    const baux = get('', 'attributions', typologie);
    return { typologie, baux: baux?.effectif ?? 0, retenues: profil(get(indice, 'retenues', typologie)), attributions: profil(baux), demande: profil(get('', 'demande', typologie)) };
  }).filter((l) => l.typologie === 'ensemble' || l.baux > 0 || l.demande.effectif > 0);
  return {
    grille: reference(grille),
    date: ctx.date,
    periode: douzeMoisAvant(ctx.date),
    cibles: INDICATEURS_IMPACT.map((indicateur) => ({ indicateur, cible_cia: CIBLE_DE_L_IMPACT[indicateur], cible: ctx.config.cibles[CIBLE_DE_L_IMPACT[indicateur]] })),
    lignes,
  };
}

/**
 * The impact of a grid on the CIA targets: for each typology, the profile (Q1, priority, mutation, key workers) of the
 * best-ranked active requests, as many as the leases of that typology in the twelve months before the date, beside
 * the profile of those leases and of the whole demand, and the targets of the configuration.
 */
export async function impactGrille(store: Store, grille: Grille, options: OptionsCotation = {}): Promise<ImpactGrille> {
  const ctx = await contexte(store, options, [grille], true);
  return assemblerImpact(ctx, grille, await profils(store, ctx, [grille]), '0');
}

/** Two grids side by side: their impacts, the differences (b − a) and how many retained requests they share. */
export async function comparerGrilles(store: Store, a: Grille, b: Grille, options: OptionsCotation = {}): Promise<ComparaisonGrilles> {
  const ctx = await contexte(store, options, [a, b], true);
  const rows = await profils(store, ctx, [a, b]);
  const impactA = assemblerImpact(ctx, a, rows, '0');
  const impactB = assemblerImpact(ctx, b, rows, '1');
  const ecarts: EcartImpact[] = impactA.lignes.flatMap((la) => {
    const lb = impactB.lignes.find((l) => l.typologie === la.typologie);
    return INDICATEURS_IMPACT.map((indicateur) => {
      const va = la.retenues.parts[indicateur];
      const vb = lb?.retenues.parts[indicateur] ?? null;
      return { typologie: la.typologie, indicateur, a: va, b: vb, ecart: va === null || vb === null ? null : vb - va };
    });
  });
  const recouvrement = impactA.lignes.map((l) => {
    const communes = rows.find((r) => r.population === 'communes' && r.typologie === l.typologie)?.effectif ?? 0;
    return { typologie: l.typologie, retenues: l.retenues.effectif, communes, part: l.retenues.effectif === 0 ? null : communes / l.retenues.effectif };
  });
  return { date: ctx.date, a: impactA, b: impactB, ecarts, recouvrement };
}

/** The comparison of two grids as the viewer reads it: exact, or with the statistical secrecy. */
export async function comparaisonPubliee(store: Store, a: Grille, b: Grille, options: OptionsCotation & { readonly secret: boolean }): Promise<ComparaisonPubliee> {
  const config = options.config ?? (await configurationCourante(store));
  const exacte = await comparerGrilles(store, a, b, { ...options, config });
  return options.secret ? publierComparaison(exacte, config.secret_statistique) : comparaisonExacte(exacte);
}
