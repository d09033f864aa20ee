import type { DuckDBValue } from '@duckdb/node-api';
import type { CiaConfig, Grille, ReferenceGrille, SeuilQ1Cotation } from '@mixite/core';
import { RequeteInvalideError, estDateIso } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import { logementAttributionSql } from '../indicators/regles-sql.ts';
import type { Store } from '../store/store.ts';
import type { ContexteCotationSql, PlanCotation } from './cotation-sql.ts';
import { limitesCte } from './cotation-sql.ts';

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

/**
 * SQL conditions on the requests (alias d) and on the leases (alias a, dwelling l) of a perimeter, null = all. The
 * perimeter's id is a value: the named parameter `$perimetre` (store/sql.ts), bound by every query of the engine
 * through `Contexte.parametres`, never pasted into the text.
 */
function filtresDuPerimetre(perimetre: PerimetreCotation | undefined): { demandes: string; baux: string; parametres?: Parametres } | null {
  if (perimetre === undefined) return null;
  switch (perimetre.kind) {
    case 'tout':
      return null;
    case 'aucune':
      return { demandes: 'FALSE', baux: 'FALSE' };
    case 'bailleur':
      return { demandes: `d.bailleur_actuel_id = $perimetre`, baux: `${logementAttributionSql().bailleurId} = $perimetre`, parametres: { perimetre: perimetre.id } };
    case 'commune':
      return {
        demandes: `list_contains(string_split(d.communes_souhaitees, '|'), $perimetre)`,
        baux: `${logementAttributionSql().codeInsee} = $perimetre`,
        parametres: { perimetre: perimetre.id },
      };
  }
}

/** Named parameters of the engine's queries (DuckDB binds them by name; every one given must be used). */
export type Parametres = Readonly<Record<string, DuckDBValue>>;

/** Thrown for a reference date that is not a real calendar date. */
export class DateReferenceInvalideError extends RequeteInvalideError {
  constructor(readonly date: string) {
    super(`date de référence invalide « ${date} » : une date AAAA-MM-JJ est attendue, par exemple 2024-12-31`);
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

export interface Contexte {
  readonly date: string;
  readonly config: CiaConfig;
  readonly sql: ContexteCotationSql;
  readonly seuil: SeuilQ1Cotation;
  /** SQL condition on the leases (alias a, dwelling l) of the perimeter; null = all. */
  readonly filtreBaux: string | null;
  /** The values the filters name (`$perimetre`): to pass with every query whose text holds the plan or the leases. */
  readonly parametres: Parametres | undefined;
}

export async function contexte(store: Store, options: OptionsCotation, grilles: readonly Grille[], impact = false): Promise<Contexte> {
  const date = options.date ?? (await dateDesDonnees(store));
  if (!estDateIso(date)) throw new DateReferenceInvalideError(date);
  const config = options.config ?? (await configurationCourante(store));
  const annee = Number(date.slice(0, 4));
  // The thresholds cost a pass over the demand when one must be computed: only when something reads Q1.
  const filtres = filtresDuPerimetre(options.perimetre);
  const filtre = filtres ? { filtreDemandes: filtres.demandes } : {};
  if (!impact && !grilles.some(lisLeQ1)) {
    return { date, config, sql: { date, poids: config.uc, seuils: [], ...filtre }, seuil: { annee, valeur: null, origine: 'absent' }, filtreBaux: filtres?.baux ?? null, parametres: filtres?.parametres };
  }
  // The thresholds of the reference year (and of the year before, for the leases of the impact): limites.ts.
  const { parEpci: seuils, territoire } = await seuilsQ1DesAnnees(store, config, impact ? [annee - 1, annee] : [annee]);
  const t = territoire.get(annee);
  const valeur = t?.cents === null || t?.cents === undefined ? null : Number(t.cents) / 100;
  return { date, config, sql: { date, poids: config.uc, seuils, ...filtre }, seuil: { annee, valeur, origine: t?.origine ?? 'absent' }, filtreBaux: filtres?.baux ?? null, parametres: filtres?.parametres };
}

export const reference = (grille: Grille): ReferenceGrille => ({ nom: grille.nom, version: grille.version });


export const lisLeQ1 = (grille: Grille) =>
  grille.similaires.some((c) => c.nom === 'q1') || grille.sections.some((s) => s.criteres.some((c) => c.conditions.some((x) => x.champ.nom === 'q1')));


/** The WITH clause of a query over one plan: the thresholds, the plan's CTEs, then the caller's own. */
export const avec = (ctx: Contexte, plan: PlanCotation, suite: string) => `WITH ${limitesCte(ctx.sql.seuils)},\n${plan.ctes}${suite ? `,\n${suite}` : ''}\n`;
