import type {
  CiaConfig,
  ComparaisonGrilles,
  ComparaisonPubliee,
  DistributionPubliee,
  CotationDemande,
  DistributionNotes,
  EcartImpact,
  ExplicationCotation,
  Grille,
  ImpactGrille,
  IndicateurImpact,
  LigneExplication,
  LigneImpact,
  PageCotations,
  Portee,
  Profil,
  ReferenceGrille,
  ResumeCotation,
  SeuilQ1Cotation,
  TypologieImpact,
} from '@mixite/core';
import {
  CIBLE_DE_L_IMPACT,
  ID_REFUS,
  INDICATEURS_IMPACT,
  MODALITES_TYPOLOGIE,
  PREFIXE_PLAFOND,
  colonneLibre,
  comparaisonExacte,
  distributionExacte,
  douzeMoisAvant,
  estDateIso,
  libellesDesLignes,
  publierComparaison,
  publierDistribution,
  quartileSql,
  texteCsvSql,
} from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import { logementAttributionSql, menageAttributionSql } from '../indicators/regles-sql.ts';
import { literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import type { ContexteCotationSql, PlanCotation } from './cotation-sql.ts';
import { limitesCte, planCotation, typologieSql } from './cotation-sql.ts';

/**
 * The cotation engine over the store (issue 6). Every function recomputes from the canonical tables at the reference
 * date with one generated DuckDB query (cotation-sql.ts): nothing is cached, so a grid being edited can be tried at once.
 *
 * Rules and decisions (docs/cotation.md):
 * - a request is active at date D when deposited on or before D and not radiated on or before D (like the indicator
 *   engine: a request satisfied on D no longer waits);
 * - similar requests share the values of the grid's `similaires` key (unknown values form their own group);
 * - the rank is RANK() by note, descending, among the active similar requests: equal notes share the best rank;
 * - the waiting time is the mean, in days, from date_depot to date_radiation of the similar requests with statut
 *   `attribuee` radiated in the twelve months ending on D;
 * - `q1` uses the Q1 threshold of D's year for the EPCI of the first wished commune (else the territory's): the
 *   published one (seuils.csv), else the one computed from the demand, like the indicator engine.
 */

export interface OptionsCotation {
  /** Reference date `AAAA-MM-JJ`; by default the date of the data (dateDesDonnees). */
  readonly date?: string;
  /** The CIA configuration (UC weights, targets); by default the current one of the store. */
  readonly config?: CiaConfig;
  /**
   * The households the results are computed over (issue 10): every one (default), or those of one perimeter — a
   * bailleur's tenants and the leases on its dwellings, the requests wishing a commune and the leases in it — or none.
   * Only the aggregates (distribution, impact) read it.
   */
  readonly perimetre?: PerimetreCotation;
}

/** A viewer's perimeter as the cotation aggregates see it. */
export type PerimetreCotation =
  | { readonly kind: 'tout' }
  | { readonly kind: 'bailleur'; readonly id: string }
  | { readonly kind: 'commune'; readonly id: string }
  | { readonly kind: 'aucune' };

/** SQL conditions on the requests (alias d) and on the leases (alias a, dwelling l) of a perimeter; null = all. */
function filtresDuPerimetre(perimetre: PerimetreCotation | undefined): { demandes: string; baux: string } | null {
  switch (perimetre?.kind ?? 'tout') {
    case 'tout':
      return null;
    case 'aucune':
      return { demandes: 'FALSE', baux: 'FALSE' };
    case 'bailleur': {
      const id = literal((perimetre as { id: string }).id);
      return { demandes: `d.bailleur_actuel_id = ${id}`, baux: `${logementAttributionSql().bailleurId} = ${id}` };
    }
    case 'commune': {
      const id = literal((perimetre as { id: string }).id);
      return { demandes: `list_contains(string_split(d.communes_souhaitees, '|'), ${id})`, baux: `${logementAttributionSql().codeInsee} = ${id}` };
    }
  }
  return null;
}

/** Thrown for a reference date that is not a real calendar date. */
export class DateReferenceInvalideError extends Error {
  constructor(readonly date: string) {
    super(`date de référence invalide « ${date} » : une date AAAA-MM-JJ est attendue, par exemple 2024-12-31`);
    this.name = 'DateReferenceInvalideError';
  }
}

/**
 * The date of the data: the latest deposit or radiation date of the requests (the situation date of the extraction),
 * else today. Scoring an extraction at today's date would count months of seniority the data knows nothing about.
 */
export async function dateDesDonnees(store: Store): Promise<string> {
  const [row] = await store.all<{ d: string | null }>(`SELECT CAST(greatest(max(date_depot), max(date_radiation)) AS VARCHAR) AS d FROM demandes`);
  return row?.d ?? new Date().toISOString().slice(0, 10);
}

interface Contexte {
  readonly date: string;
  readonly config: CiaConfig;
  readonly sql: ContexteCotationSql;
  readonly seuil: SeuilQ1Cotation;
  /** SQL condition on the leases (alias a, dwelling l) of the perimeter; null = all. */
  readonly filtreBaux: string | null;
}

async function contexte(store: Store, options: OptionsCotation, grilles: readonly Grille[], impact = false): Promise<Contexte> {
  const date = options.date ?? (await dateDesDonnees(store));
  if (!estDateIso(date)) throw new DateReferenceInvalideError(date);
  const config = options.config ?? (await configurationCourante(store));
  const annee = Number(date.slice(0, 4));
  // The thresholds cost a pass over the demand when one must be computed: only when something reads Q1.
  const filtres = filtresDuPerimetre(options.perimetre);
  const filtre = filtres ? { filtreDemandes: filtres.demandes } : {};
  if (!impact && !grilles.some(lisLeQ1)) {
    return { date, config, sql: { date, poids: config.uc, seuils: [], ...filtre }, seuil: { annee, valeur: null, origine: 'absent' }, filtreBaux: filtres?.baux ?? null };
  }
  // The thresholds of the reference year (and of the year before, for the leases of the impact): limites.ts.
  const { parEpci: seuils, territoire } = await seuilsQ1DesAnnees(store, config, impact ? [annee - 1, annee] : [annee]);
  const t = territoire.get(annee);
  const valeur = t?.cents === null || t?.cents === undefined ? null : Number(t.cents) / 100;
  return { date, config, sql: { date, poids: config.uc, seuils, ...filtre }, seuil: { annee, valeur, origine: t?.origine ?? 'absent' }, filtreBaux: filtres?.baux ?? null };
}

const reference = (grille: Grille): ReferenceGrille => ({ nom: grille.nom, version: grille.version });

interface LigneCote {
  nur: string;
  portee: Portee;
  note: number;
  rang: number;
  nb_similaires: number;
  delai_moyen_jours: number | null;
  nb_satisfaites_similaires: number;
  criteres: string;
}

const colonnesCote = (plan: PlanCotation) => `nur, ${plan.porteeSql('_mutation')} AS portee, CAST(centiemes AS DOUBLE) / 100 AS note, CAST(rang AS INTEGER) AS rang,
  CAST(nb_similaires AS INTEGER) AS nb_similaires, delai_moyen_jours, CAST(nb_satisfaites AS INTEGER) AS nb_satisfaites_similaires,
  ${plan.criteresSql('masque', '_mutation')} AS criteres`;

const versCotation = (r: LigneCote): CotationDemande => ({
  nur: r.nur,
  portee: r.portee,
  note: r.note,
  rang: r.rang,
  nb_similaires: r.nb_similaires,
  delai_moyen_jours: r.delai_moyen_jours,
  nb_satisfaites_similaires: r.nb_satisfaites_similaires,
  criteres: r.criteres === '' ? [] : r.criteres.split('|'),
});

const avec = (ctx: Contexte, plan: PlanCotation, suite: string) => `WITH ${limitesCte(ctx.sql.seuils)},\n${plan.ctes}${suite ? `,\n${suite}` : ''}\n`;

export type TriCotations = 'nur' | 'note' | 'similaires';

export interface OptionsPage extends OptionsCotation {
  readonly limite?: number;
  readonly decalage?: number;
  /** nur (default), note (best first), similaires (by similarity group, then rank). */
  readonly tri?: TriCotations;
}

/** A page of the cotations of the active requests. */
export async function listerCotations(store: Store, grille: Grille, options: OptionsPage = {}): Promise<PageCotations> {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  const limite = Math.max(0, Math.min(10_000, Math.floor(options.limite ?? 100)));
  const decalage = Math.max(0, Math.floor(options.decalage ?? 0));
  const ordre =
    options.tri === 'note' ? 'centiemes DESC, nur' : options.tri === 'similaires' && plan.cles.length > 0 ? `${plan.cles.join(', ')}, rang, nur` : 'nur';
  const rows = await store.all<LigneCote & { total: number }>(
    `${avec(ctx, plan, '')}SELECT ${colonnesCote(plan)}, CAST(count(*) OVER () AS INTEGER) AS total FROM ${plan.cotes} ORDER BY ${ordre} LIMIT ${limite} OFFSET ${decalage}`,
  );
  const total = rows[0]?.total ?? (await store.all<{ n: number }>(`${avec(ctx, plan, '')}SELECT CAST(count(*) AS INTEGER) AS n FROM ${plan.cotes}`))[0]?.n ?? 0;
  return { grille: reference(grille), date: ctx.date, total, lignes: rows.map(versCotation) };
}

/**
 * The cotation of one request with its explanation (what a demandeur is entitled to be told): each line with its
 * label and points, and the values of the similarity key. Null when the request is not active at the date.
 */
export async function cotationDe(store: Store, grille: Grille, nur: string, options: OptionsCotation = {}): Promise<ExplicationCotation | null> {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql, { details: true });
  const [row] = await store.all<LigneCote & Record<string, unknown>>(
    `${avec(ctx, plan, '')}SELECT ${colonnesCote(plan)}, * EXCLUDE (nur, rang, nb_similaires, delai_moyen_jours) FROM ${plan.cotes} WHERE nur = ${literal(nur)}`,
  );
  if (!row) return null;
  const cotation = versCotation(row);
  const libelles = libellesDesLignes(grille);
  const nombre = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const section = grille.sections.findIndex((s) => s.portee === cotation.portee);
  const lignes: LigneExplication[] = cotation.criteres.map((id) => {
    let centiemes = 0;
    if (id === ID_REFUS) centiemes = nombre(row[plan.refus.find((r) => r.section === section)?.colonne ?? '']);
    else if (id.startsWith(PREFIXE_PLAFOND)) {
      const r = plan.rubriques.find((x) => x.section === section && `${PREFIXE_PLAFOND}${x.rubrique.id}` === id);
      centiemes = r ? nombre(row[r.plafonne]) - nombre(row[r.brut]) : 0;
    } else centiemes = nombre(row[plan.criteres.find((c) => c.section === section && c.critere.id === id)?.colonne ?? '']);
    return { id, libelle: libelles.get(id) ?? id, points: centiemes / 100 };
  });
  const cle = Object.fromEntries(grille.similaires.map((c, i) => [c.nom, normaliserValeur(row[`k${i}`])]));
  return { ...cotation, grille: reference(grille), date: ctx.date, lignes, cle_similarite: cle };
}

function normaliserValeur(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** Counts, groups, and what the user should know before trusting the notes (empty free columns, Q1 threshold). */
export async function resumerCotation(store: Store, grille: Grille, options: OptionsCotation = {}): Promise<ResumeCotation> {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  // DISTINCT (not count(DISTINCT …)) so that unknown key values count as a group, as they rank as one.
  const cles = plan.cles.length > 0 ? plan.cles.join(', ') : '1';
  const [row] = await store.all<{ n: number; g: number }>(
    `${avec(ctx, plan, '')}SELECT CAST(sum(n) AS INTEGER) AS n, CAST(count(*) AS INTEGER) AS g FROM (SELECT ${cles}, count(*) AS n FROM ${plan.cotes} GROUP BY ALL)`,
  );
  return {
    grille: reference(grille),
    date: ctx.date,
    demandes: row?.n ?? 0,
    groupes_similaires: row?.g ?? 0,
    colonnes_libres_vides: await colonnesLibresVides(store, grille),
    seuil_q1: lisLeQ1(grille) ? ctx.seuil : null,
  };
}

const lisLeQ1 = (grille: Grille) =>
  grille.similaires.some((c) => c.nom === 'q1') || grille.sections.some((s) => s.criteres.some((c) => c.conditions.some((x) => x.champ.nom === 'q1')));

/** Free columns the grid names that no request fills. */
export async function colonnesLibresVides(store: Store, grille: Grille): Promise<string[]> {
  const libres = new Set<string>();
  for (const c of grille.similaires) if (c.origine === 'libre') libres.add(c.nom);
  for (const s of grille.sections)
    for (const c of s.criteres) {
      for (const x of c.conditions) if (x.champ.origine === 'libre') libres.add(x.champ.nom);
      if (c.kind === 'anciennete' && c.depuis.origine === 'libre') libres.add(c.depuis.nom);
    }
  if (libres.size === 0) return [];
  const noms = [...libres];
  const [row] = await store.all<Record<string, number>>(
    `SELECT ${noms.map((n, i) => `CAST(count(*) FILTER (WHERE attributs[${literal(colonneLibre(n))}] IS NOT NULL) AS INTEGER) AS c${i}`).join(', ')} FROM demandes`,
  );
  return noms.filter((_, i) => (row?.[`c${i}`] ?? 0) === 0);
}

/** The distribution of the notes: histogram, summary and how often each line counts, per population. */
export async function distributionDesNotes(store: Store, grille: Grille, options: OptionsCotation = {}): Promise<DistributionNotes> {
  return (await distributionEtGroupes(store, grille, options)).distribution;
}

/**
 * The distribution as the viewer reads it (issue 10): exact, or with the statistical secrecy of the CIA's settings
 * (`secret_statistique`) for the roles that read published tables only (core/src/cotation/secret.ts).
 */
export async function distributionPubliee(store: Store, grille: Grille, options: OptionsCotation & { readonly secret: boolean }): Promise<DistributionPubliee> {
  const { distribution, groupes, explications, seuil } = await distributionEtGroupes(store, grille, options);
  if (!options.secret) return distributionExacte(distribution);
  return publierDistribution(
    distribution,
    groupes.map((g) => ({ portee: g.portee, centiemes: g.centiemes, masque: BigInt(g.masque), n: g.n })),
    explications,
    seuil,
  );
}

/** The comparison of two grids as the viewer reads it: exact, or with the statistical secrecy. */
export async function comparaisonPubliee(store: Store, a: Grille, b: Grille, options: OptionsCotation & { readonly secret: boolean }): Promise<ComparaisonPubliee> {
  const config = options.config ?? (await configurationCourante(store));
  const exacte = await comparerGrilles(store, a, b, { ...options, config });
  return options.secret ? publierComparaison(exacte, config.secret_statistique) : comparaisonExacte(exacte);
}

async function distributionEtGroupes(store: Store, grille: Grille, options: OptionsCotation) {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  // One pass: the (population, note, explanation) combinations are few; the rest is arithmetic on them.
  const groupes = await store.all<{ portee: Portee; centiemes: number; masque: string; n: number }>(
    `${avec(ctx, plan, '')}SELECT ${plan.porteeSql('_mutation')} AS portee, CAST(centiemes AS DOUBLE) AS centiemes, CAST(masque AS VARCHAR) AS masque,
       CAST(count(*) AS INTEGER) AS n FROM ${plan.notes} GROUP BY ALL`,
  );
  const portees = [...new Set(groupes.map((g) => g.portee))].sort();
  const classes: DistributionNotes['classes'][number][] = [];
  const resume: DistributionNotes['resume'][number][] = [];
  const frequences: DistributionNotes['frequences'][number][] = [];
  for (const portee of portees) {
    const lignes = groupes.filter((g) => g.portee === portee);
    const parNote = new Map<number, number>();
    for (const g of lignes) parNote.set(g.centiemes, (parNote.get(g.centiemes) ?? 0) + g.n);
    const notes = [...parNote].sort((a, b) => a[0] - b[0]);
    for (const [c, n] of notes) classes.push({ portee, note: c / 100, demandes: n });
    const total = notes.reduce((s, [, n]) => s + n, 0);
    const somme = notes.reduce((s, [c, n]) => s + c * n, 0);
    resume.push({
      portee,
      demandes: total,
      moyenne: total === 0 ? null : somme / total / 100,
      minimum: notes.length === 0 ? null : (notes[0]?.[0] ?? 0) / 100,
      mediane: medianeDeLHistogramme(notes),
      maximum: notes.length === 0 ? null : (notes.at(-1)?.[0] ?? 0) / 100,
    });
    const ids = plan.explications.find((e) => e.portee === portee)?.ids ?? [];
    const comptes = new Map<string, number>();
    for (const g of lignes) {
      const masque = BigInt(g.masque);
      ids.forEach((id, i) => {
        if ((masque & (1n << BigInt(i))) !== 0n) comptes.set(id, (comptes.get(id) ?? 0) + g.n);
      });
    }
    const tri = [...comptes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [id, demandes] of tri) frequences.push({ portee, id, demandes });
  }
  const distribution: DistributionNotes = { grille: reference(grille), date: ctx.date, classes, resume, frequences };
  return { distribution, groupes, explications: plan.explications, seuil: ctx.config.secret_statistique };
}

/** The median of a histogram of notes in hundredths, interpolated like DuckDB's quantile_cont. */
function medianeDeLHistogramme(notes: readonly (readonly [number, number])[]): number | null {
  const total = notes.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const valeurA = (rang: number) => {
    let cumul = 0;
    for (const [c, n] of notes) {
      cumul += n;
      if (rang < cumul) return c;
    }
    return notes.at(-1)?.[0] ?? 0;
  };
  const position = (total - 1) / 2;
  const bas = valeurA(Math.floor(position));
  const haut = valeurA(Math.ceil(position));
  return (bas + (haut - bas) * (position - Math.floor(position))) / 100;
}

/**
 * Writes `nur;note;rang;nb_similaires;delai_moyen_jours;criteres` for every active request (UTF-8, `;`), by NUR. The
 * text columns go through the formula-injection rule (`texteCsvSql`); the note, negative or not, stays a number.
 */
export async function ecrireCotationCsv(store: Store, grille: Grille, fichier: string, options: OptionsCotation = {}): Promise<{ date: string; demandes: number }> {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  // Notes without useless zeros: 12, 12.5, -2.25.
  const note = `rtrim(rtrim(printf('%.2f', CAST(centiemes AS DOUBLE) / 100), '0'), '.')`;
  await store.run(
    `COPY (${avec(ctx, plan, '')}SELECT ${texteCsvSql('nur')} AS nur, ${note} AS note, rang, nb_similaires, delai_moyen_jours, ${texteCsvSql(`(${plan.criteresSql('masque', '_mutation')})`)} AS criteres FROM ${plan.cotes} ORDER BY nur)
     TO ${literal(fichier)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`,
  );
  const [row] = await store.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM read_csv(${literal(fichier)}, delim = ';', header = true, all_varchar = true)`);
  return { date: ctx.date, demandes: row?.n ?? 0 };
}

/**
 * Scores, ranks and times every active request into a table (TEMP by default), for the benchmark and for callers
 * that page through large results. Returns the number of requests.
 */
export async function materialiserCotation(store: Store, grille: Grille, table: string, options: OptionsCotation = {}): Promise<{ date: string; demandes: number }> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new RangeError(`nom de table invalide : ${table}`);
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS ${avec(ctx, plan, '')}SELECT nur, _mutation, centiemes, masque, rang, nb_similaires, delai_moyen_jours, nb_satisfaites FROM ${plan.cotes}`,
  );
  const [row] = await store.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${table}`);
  return { date: ctx.date, demandes: row?.n ?? 0 };
}

// --- Impact --------------------------------------------------------------------------------------------------

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

/** The leases of the twelve months with their household resolved from the request (like the indicator engine). */
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
  WHERE a.decision = 'attribution' AND a.issue = 'bail_signe' AND a.date_bail BETWEEN DATE ${literal(debut)} AND DATE ${literal(fin)}${ctx.filtreBaux ? ` AND (${ctx.filtreBaux})` : ''}
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
