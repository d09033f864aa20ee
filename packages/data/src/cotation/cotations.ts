import type { CotationDemande, ExplicationCotation, Grille, LigneExplication, PageCotations, Portee, ResumeCotation } from '@mixite/core';
import { ID_REFUS, PREFIXE_PLAFOND, colonneLibre, libellesDesLignes, texteCsvSql } from '@mixite/core';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import type { OptionsCotation } from './contexte.ts';
import { avec, contexte, lisLeQ1, reference } from './contexte.ts';
import type { PlanCotation } from './cotation-sql.ts';
import { planCotation } from './cotation-sql.ts';

/** The cotations of the requests one by one: a page, one request explained, the summary, the CSV, a table. */

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
    ctx.parametres,
  );
  const total = rows[0]?.total ?? (await store.all<{ n: number }>(`${avec(ctx, plan, '')}SELECT CAST(count(*) AS INTEGER) AS n FROM ${plan.cotes}`, ctx.parametres))[0]?.n ?? 0;
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
    `${avec(ctx, plan, '')}SELECT ${colonnesCote(plan)}, * EXCLUDE (nur, rang, nb_similaires, delai_moyen_jours) FROM ${plan.cotes} WHERE nur = $nur`,
    { ...ctx.parametres, nur },
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
    ctx.parametres,
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
  // The names come from the grid: values of the map's key, bound as parameters.
  const comptes = noms.map((n, i) => sql`CAST(count(*) FILTER (WHERE attributs[${colonneLibre(n)}] IS NOT NULL) AS INTEGER) AS ${sql.ident(`c${i}`)}`);
  const [row] = await store.all<Record<string, number>>(sql`SELECT ${sql.join(comptes)} FROM demandes`);
  return noms.filter((_, i) => (row?.[`c${i}`] ?? 0) === 0);
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
     TO $fichier (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`,
    { ...ctx.parametres, fichier },
  );
  const [row] = await store.all<{ n: number }>(sql`SELECT CAST(count(*) AS INTEGER) AS n FROM read_csv(${fichier}, delim = ';', header = true, all_varchar = true)`);
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
    ctx.parametres,
  );
  const [row] = await store.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${table}`);
  return { date: ctx.date, demandes: row?.n ?? 0 };
}

