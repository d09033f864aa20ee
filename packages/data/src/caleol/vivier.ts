import { ident } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';

/**
 * The pool of a CALEOL session (issue 15, speed): every request active at the date, scored once by the grid, one row
 * per wished commune ('*' for a request without a wish), sorted by commune — kept in a temporary table of the store's
 * connection. A list then reads the rows of one commune (and those without a wish): DuckDB skips the other row groups
 * by their min/max, where the direct query (liste.ts) scans and scores the whole demand for each dwelling (1 to 2 s at
 * Île-de-France scale, docs/BENCHMARKS.md).
 *
 * Why a temporary table and not a store table: the pool depends on the date, the grid and the CIA's parameters that
 * the user may change between two lists; it is a cache, rebuilt from the canonical tables whenever its key changes,
 * never a second copy of the data. Its key holds the state of the tables it reads (`etat_tables`, rewritten by every
 * import, plus the row count of demandes), so an import makes it stale. One pool per store: a new key replaces the
 * old pool once no list reads it any more.
 */

interface Entree {
  readonly cle: string;
  readonly table: string;
  readonly pret: Promise<void>;
  lecteurs: number;
  perime: boolean;
}

const POOLS = new WeakMap<Store, Entree[]>();
let compteur = 0;

/** What makes a pool stale besides the date, grid and parameters: the demand and the communes (Q1 thresholds). */
export async function etatDesDonnees(store: Store): Promise<string> {
  const [r] = await store.all<{ etat: string | null }>(
    `SELECT (SELECT string_agg(nom || ':' || lignes || ':' || coalesce(import_id, 0) || ':' || date_modification, ';' ORDER BY nom)
       FROM etat_tables WHERE nom IN ('demandes', 'communes', 'seuils')) || '|' || (SELECT count(*) FROM demandes) AS etat`,
  );
  return r?.etat ?? '';
}

/**
 * Runs `lire` on the pool of `cle`, building it with `construire(table)` (a CREATE TEMP TABLE) when absent. Concurrent
 * lists of the same key share one build; a failed build is forgotten.
 */
export async function avecVivier<T>(store: Store, cle: string, construire: (table: string) => Promise<void>, lire: (table: string) => Promise<T>): Promise<T> {
  let entrees = POOLS.get(store);
  if (!entrees) POOLS.set(store, (entrees = []));
  let e = entrees.find((x) => x.cle === cle && !x.perime);
  if (!e) {
    const table = `mixite_vivier_caleol_${process.pid}_${++compteur}`;
    for (const x of entrees) x.perime = true;
    const nouvelle: Entree = { cle, table, pret: construire(table), lecteurs: 0, perime: false };
    entrees.push(nouvelle);
    e = nouvelle;
    nouvelle.pret.catch(() => {
      nouvelle.perime = true;
    });
  }
  e.lecteurs++;
  try {
    await e.pret;
    return await lire(e.table);
  } finally {
    e.lecteurs--;
    await liberer(store, entrees);
  }
}

/** Drops the stale pools nobody reads. */
async function liberer(store: Store, entrees: Entree[]): Promise<void> {
  const finies = entrees.filter((x) => x.perime && x.lecteurs === 0);
  for (const x of finies) entrees.splice(entrees.indexOf(x), 1);
  for (const x of finies) await store.run(`DROP TABLE IF EXISTS ${ident(x.table)}`);
}
