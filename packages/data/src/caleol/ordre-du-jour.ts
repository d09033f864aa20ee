import type { CiaConfig, Grille } from '@mixite/core';
import { RequeteInvalideError, estDateIso } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import type { Store } from '../store/store.ts';
import type { ResultatListe } from './liste.ts';
import { classeResidence, listeCaleol, verifierDateCaleol } from './liste.ts';

/**
 * The agenda of a commission meeting (issue 15 item 2, docs/caleol.md « L'ordre du jour »): for a date and the
 * dwellings the commission examines, each dwelling's candidate list (listeCaleol, the same as the one-dwelling page)
 * and its residence's fragility class at its latest survey of the year or before (parc's rule, classeResidence).
 *
 * Stateless on purpose: an agenda is computed from a date and a list of dwellings, never stored. The lists move with
 * the data (a new request, a radiation, an imported allocation) until the meeting, and what the commission decides is
 * already stored by the decisions (caleol_decisions, migration 6); a stored agenda would be a second, stale copy of
 * the lists. The same date and dwellings over the same data give the same agenda.
 */

/** At most this many dwellings per meeting: a commission examines tens of dwellings, and each list runs the grid. */
export const LOGEMENTS_MAX_ORDRE_DU_JOUR = 50;

export interface OptionsOrdreDuJour {
  /** The meeting's date, YYYY-MM-DD. */
  readonly date: string;
  /** The dwellings in the order of the agenda (logements.csv ids). */
  readonly logements: readonly string[];
  readonly grille: Grille;
  readonly nombre?: number;
  readonly config?: CiaConfig;
  /** Read the pool of the date and grid (vivier.ts, listeCaleol's option): scored once for every dwelling of the agenda. */
  readonly vivier?: boolean;
}

export interface PointOrdreDuJour {
  readonly liste: ResultatListe;
  /** The residence's fragility class (parc), null when the dwelling has no residence or the residence no survey. */
  readonly classe_residence: string | null;
}

export interface OrdreDuJour {
  readonly date: string;
  readonly grille: { readonly nom: string; readonly version: string | number | null };
  readonly points: readonly PointOrdreDuJour[];
}

/** Refuses an empty, too long or repeated list of dwellings, with the position of the fault. */
export function verifierLogementsOrdreDuJour(logements: readonly string[]): void {
  if (logements.length === 0) throw new RequeteInvalideError('ordre du jour vide : indiquez au moins un logement');
  if (logements.length > LOGEMENTS_MAX_ORDRE_DU_JOUR) {
    throw new RequeteInvalideError(`ordre du jour trop long : ${logements.length} logements, au plus ${LOGEMENTS_MAX_ORDRE_DU_JOUR} par commission`);
  }
  const vus = new Map<string, number>();
  logements.forEach((id, i) => {
    if (id.trim() === '') throw new RequeteInvalideError(`logement n° ${i + 1} de l’ordre du jour vide`);
    const avant = vus.get(id);
    if (avant !== undefined) throw new RequeteInvalideError(`logement « ${id} » inscrit deux fois à l’ordre du jour (n° ${avant + 1} et n° ${i + 1})`);
    vus.set(id, i);
  });
}

/** The agenda: every list at the meeting's date, in the order given; all or nothing (an unknown dwelling fails it). */
export async function ordreDuJour(store: Store, options: OptionsOrdreDuJour): Promise<OrdreDuJour> {
  if (!estDateIso(options.date)) throw new RequeteInvalideError(`date invalide « ${options.date} » : une date AAAA-MM-JJ est attendue, par exemple 2025-06-30`);
  verifierLogementsOrdreDuJour(options.logements);
  await verifierDateCaleol(store, options.date);
  const config = options.config ?? (await configurationCourante(store));
  const annee = Number(options.date.slice(0, 4));
  const points: PointOrdreDuJour[] = [];
  // One after the other: each list is a DuckDB query on the same connection, and the order is the agenda's.
  for (const logement of options.logements) {
    const liste = await listeCaleol(store, { logement, date: options.date, grille: options.grille, config, ...(options.nombre === undefined ? {} : { nombre: options.nombre }), ...(options.vivier ? { vivier: true } : {}) });
    const classe = liste.logement.residence_id === null ? null : await classeResidence(store, liste.logement.residence_id, annee, config);
    points.push({ liste, classe_residence: classe });
  }
  return { date: options.date, grille: { nom: options.grille.nom, version: options.grille.version }, points };
}

/**
 * The names an agenda shows, read from the store, for the command line (the server uses its territory repository's
 * labels, the same rows): bailleurs, communes, contingents (a réservataire's name, « Non réservé — bailleur » for a
 * bailleur's own stock), and the EPCI's name as the agenda's author. An id without a name is shown as itself.
 */
export async function nomsOrdreDuJour(store: Store): Promise<{ readonly libelle: (kind: 'bailleur' | 'commune' | 'contingent', id: string) => string; readonly epci: string }> {
  const rows = await store.all<{ cle: string; nom: string }>(
    `SELECT 'commune:' || code_insee AS cle, nom FROM communes
     UNION ALL SELECT 'bailleur:' || id, nom FROM bailleurs
     UNION ALL SELECT 'contingent:' || id, nom FROM reservataires
     UNION ALL SELECT 'contingent:non_reserve:' || id, 'Non réservé — ' || nom FROM bailleurs`,
  );
  const noms = new Map(rows.map((r) => [r.cle, r.nom]));
  const [e] = await store.all<{ nom: string | null }>(`SELECT any_value(coalesce(nom_epci, 'EPCI ' || code_epci)) AS nom FROM communes`);
  return { libelle: (kind, id) => noms.get(`${kind}:${id}`) ?? id, epci: e?.nom ?? 'Mixité' };
}
