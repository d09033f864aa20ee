import type { Store } from '@mixite/data';
import { sql } from '@mixite/data';

/**
 * What a computed result depends on: the last import and the last settings, as `import/version`. Results kept in
 * memory (the bilan, the public role's cotation tables) are keyed by it, so that any change of the data drops them.
 */
export async function versionDesDonnees(store: Store): Promise<string> {
  const [row] = await store.all<{ v: string }>(
    sql`SELECT concat((SELECT coalesce(max(id), 0) FROM imports), '/', (SELECT coalesce(max(version), 0) FROM configuration)) AS v`,
  );
  return row?.v ?? '';
}

/** Whether the store holds a territory yet (at least one commune): an empty store gets the demo at first start. */
export async function territoireCharge(store: Store): Promise<boolean> {
  const [row] = await store.all<{ n: number }>(sql`SELECT (SELECT count(*) FROM communes)::INTEGER AS n`);
  return (row?.n ?? 0) > 0;
}

/** Whether a perimeter named by an account exists in the store (a bailleur, a réservataire or a commune). */
export async function perimetreConnu(store: Store, type: 'bailleur' | 'reservataire' | 'commune', id: string): Promise<boolean> {
  const requete =
    type === 'bailleur'
      ? sql`SELECT count(*)::INTEGER AS n FROM bailleurs WHERE id = ${id}`
      : type === 'reservataire'
        ? sql`SELECT count(*)::INTEGER AS n FROM reservataires WHERE id = ${id}`
        : sql`SELECT count(*)::INTEGER AS n FROM communes WHERE code_insee = ${id}`;
  const [row] = await store.all<{ n: number }>(requete);
  return (row?.n ?? 0) > 0;
}
