import type { Store } from '../store/store.ts';

/**
 * The years the demand side is masked over together (core/src/indicators/secret-demande.ts): every year from the
 * first to the last CALEOL decision of the store, and the year asked when it lies outside. The API and the bilan
 * both take them from here, so that a count published by both is masked alike; the cells shared by two years (a
 * stock on 31 December, a semester inside a twelve-month window) are masked alike in both years' tables.
 */
export async function anneesDuSecret(store: Store, annee: number): Promise<number[]> {
  const [bornes] = await store.all<{ premiere: number | null; derniere: number | null }>(
    `SELECT min(year(date_cal))::INTEGER AS premiere, max(year(date_cal))::INTEGER AS derniere FROM attributions WHERE date_cal IS NOT NULL`,
  );
  const annees = new Set<number>([annee]);
  if (bornes?.premiere != null && bornes.derniere != null) for (let a = bornes.premiere; a <= bornes.derniere; a++) annees.add(a);
  return [...annees].sort((a, b) => a - b);
}
