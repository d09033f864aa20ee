import { createHash } from 'node:crypto';
import type { IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import { appliquerSecret, cellulesDeterminees, croisementsDesAnnees, masquageSecondaire, masquesDuSecret, optionsDuSecret, structureDuSecret, zerosPropages } from '@mixite/core';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import { anneesDuSecret } from './annees.ts';
import { publierLesAnnees, publierLesAnneesHorsDuFil } from './publication.ts';

/**
 * The public edition's rows of the years one document masks together, kept by the warm start (issue 18): the
 * secrecy pass over those years takes seconds at EPCI scale and tens of seconds at regional scale, in the bilan
 * and at the first public reader's call. `mixite import` and the server (after each write, settings included) run
 * it once after keeping the figures, and store its rows (migration 14) under the fingerprint of the figures they
 * were computed from, combined with the secrecy's own code: rows of another state of the store, other settings (the
 * threshold), another engine or another secrecy are never read — they are computed again, as before.
 *
 * Only the public edition is kept (the partners' edition masks nothing), with the threshold of the settings, and only
 * for the set of years the bilan and the dashboard mask together (`anneesDuSecret` of a year of the store: every year
 * from the first to the last CALEOL decision).
 */

/** Bumped when the secrecy changes in a way its exported functions' text below would not show (a helper it calls). */
const FORMAT_DU_SECRET = 1;

/** The text of the secrecy: what the kept rows depend on besides the figures and the settings. */
const empreinteDuSecret = createHash('sha256')
  .update(JSON.stringify({ format: FORMAT_DU_SECRET }))
  .update(
    [appliquerSecret, structureDuSecret, masquesDuSecret, masquageSecondaire, cellulesDeterminees, zerosPropages, optionsDuSecret, croisementsDesAnnees, publierLesAnnees]
      .map((f) => f.toString())
      .join('\n'),
  )
  .digest('hex');

/** The fingerprint the published rows are kept under: the kept figures' one (`empreinteDesDonnees`) with the secrecy's. */
export function empreinteDeLaPublication(empreinteDesChiffres: string): string {
  return createHash('sha256').update(empreinteDesChiffres).update(empreinteDuSecret).digest('hex');
}

/** A set of years, as kept: ascending, comma-separated. */
const cleDesAnnees = (annees: readonly number[]): string => [...annees].sort((a, b) => a - b).join(',');

const FORME_DES_LIGNES = JSON.stringify([
  {
    indicateur: 'VARCHAR',
    perimetre_type: 'VARCHAR',
    perimetre_id: 'VARCHAR',
    periode: 'VARCHAR',
    numerateur: 'BIGINT',
    denominateur: 'BIGINT',
    taux: 'DOUBLE',
    cible: 'DOUBLE',
    ecart: 'DOUBLE',
    atteint: 'BOOLEAN',
    secret: 'VARCHAR',
  },
]);

const COLONNES = `annee, indicateur, perimetre_type, perimetre_id, periode, numerateur::INTEGER AS numerateur, denominateur::INTEGER AS denominateur, taux, cible, ecart, atteint, secret`;

/**
 * Whether a set of years is kept under a fingerprint, once and whole: two keepers of one state racing (the server
 * after a write that changed nothing) could leave it twice or half; then it is neither read nor taken as kept.
 */
async function gardeeEntiere(store: Store, cle: string, empreinte: string): Promise<boolean> {
  const [gardee] = await store.all<{ entiere: boolean | null }>(
    sql`SELECT count(*) = 1 AND max(lignes) = (SELECT count(*) FROM publication_conservee_lignes WHERE annees = ${cle} AND empreinte = ${empreinte}) AS entiere
        FROM publication_conservee WHERE annees = ${cle} AND empreinte = ${empreinte}`,
  );
  return gardee?.entiere === true;
}

/**
 * The kept published rows of `annees` masked together, for the years `lues` (all of `annees` when absent), when they
 * were kept under this fingerprint of the figures; else null. Each year of `lues` has its entry, in the pass's order.
 */
export async function publicationConservee(
  store: Store,
  annees: readonly number[],
  empreinteDesChiffres: string,
  lues: readonly number[] = annees,
): Promise<Map<number, PublishedIndicatorRow[]> | null> {
  const cle = cleDesAnnees(annees);
  const empreinte = empreinteDeLaPublication(empreinteDesChiffres);
  if (!(await gardeeEntiere(store, cle, empreinte))) return null;
  const lignes = await store.allInBatches<PublishedIndicatorRow & { annee: number }>(
    sql`SELECT ${sql.raw(COLONNES)} FROM publication_conservee_lignes
        WHERE annees = ${cle} AND empreinte = ${empreinte} AND annee IN (${sql.list([...lues])}) ORDER BY annee, ordre`,
  );
  const out = new Map<number, PublishedIndicatorRow[]>(lues.map((a) => [a, []]));
  for (const { annee, ...ligne } of lignes) out.get(annee)?.push(ligne);
  return out;
}

/**
 * Keeps the published rows of `annees` masked together: the rows of each year, then the mark that the set is kept,
 * written last (an interruption leaves rows nobody reads; the next keeping deletes them). Rows of another fingerprint
 * are deleted first: the table never holds more than the current state's sets. No transaction, like the kept figures:
 * the server keeps them beside readers sharing its connection.
 */
export async function conserverLaPublication(store: Store, annees: readonly number[], empreinteDesChiffres: string, publies: ReadonlyMap<number, readonly PublishedIndicatorRow[]>): Promise<void> {
  const cle = cleDesAnnees(annees);
  const empreinte = empreinteDeLaPublication(empreinteDesChiffres);
  await store.run(sql`DELETE FROM publication_conservee WHERE annees = ${cle} OR empreinte <> ${empreinte}`);
  await store.run(sql`DELETE FROM publication_conservee_lignes WHERE annees = ${cle} OR empreinte <> ${empreinte}`);
  let total = 0;
  // One year at a time: a region's year is some 90 000 rows, one JSON parameter of a dozen MB.
  for (const [annee, lignes] of publies) {
    total += lignes.length;
    await store.run(
      sql`INSERT INTO publication_conservee_lignes
          SELECT ${cle}, ${empreinte}, ${annee}, ordre, l.indicateur, l.perimetre_type, l.perimetre_id, l.periode, l.numerateur, l.denominateur, l.taux, l.cible, l.ecart, l.atteint, l.secret
          FROM (SELECT unnest(lignes) AS l, generate_subscripts(lignes, 1) AS ordre FROM (SELECT json_transform(${JSON.stringify(lignes)}::JSON, ${FORME_DES_LIGNES}) AS lignes))`,
    );
  }
  await store.run(sql`INSERT INTO publication_conservee (annees, empreinte, lignes, calcule_le) VALUES (${cle}, ${empreinte}, ${total}, now()::TIMESTAMP)`);
}

/**
 * The years the bilan and the dashboard mask together for the years of the store (`anneesDuSecret` of its last year
 * with CALEOL decisions); empty without decisions.
 */
export async function anneesPubliees(store: Store): Promise<number[]> {
  const [bornes] = await store.all<{ derniere: number | null }>(`SELECT max(year(date_cal))::INTEGER AS derniere FROM attributions WHERE date_cal IS NOT NULL`);
  return bornes?.derniere == null ? [] : anneesDuSecret(store, bornes.derniere);
}

/**
 * After the figures are kept (`precalculerLesAnnees`, the server's warm-up): the public edition of the years masked
 * together, kept unless already kept under this fingerprint. `resultatsDe` gives the figures of a year (the kept ones).
 * Returns whether a pass ran.
 */
export async function precalculerLaPublication(store: Store, empreinteDesChiffres: string, resultatsDe: (annee: number) => Promise<IndicatorResults>): Promise<boolean> {
  const annees = await anneesPubliees(store);
  if (annees.length === 0) return false;
  if (await gardeeEntiere(store, cleDesAnnees(annees), empreinteDeLaPublication(empreinteDesChiffres))) return false;
  const resultats: IndicatorResults[] = [];
  for (const a of annees) resultats.push(await resultatsDe(a));
  await conserverLaPublication(store, annees, empreinteDesChiffres, await publierLesAnneesHorsDuFil(resultats, 'public'));
  return true;
}
