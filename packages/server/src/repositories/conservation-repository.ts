import type { Sql, Store } from '@mixite/data';
import { sql } from '@mixite/data';

/**
 * The household rows older than the retention limit (docs/security.md, services/conservation.ts): the allocations
 * whose lease (else CALEOL) is before the limit, and the closed requests radiated before it that no kept allocation
 * cites — the import checks that every allocation finds its request.
 */
const anciennesAttributions = (limite: string) => sql`FROM attributions WHERE coalesce(date_bail, date_cal) < ${limite}::DATE`;
const anciennesDemandes = (limite: string) => sql`FROM demandes WHERE statut <> 'active' AND date_radiation < ${limite}::DATE
   AND nur NOT IN (SELECT nur FROM attributions WHERE nur IS NOT NULL AND coalesce(date_bail, date_cal) >= ${limite}::DATE)`;

export async function compterAnciennesLignes(store: Store, limite: string): Promise<{ attributions: number; demandes: number }> {
  const compte = async (depuis: Sql) => (await store.all<{ n: number }>(sql`SELECT count(*)::INTEGER AS n ${depuis}`))[0]?.n ?? 0;
  return { attributions: await compte(anciennesAttributions(limite)), demandes: await compte(anciennesDemandes(limite)) };
}

/** Deletes them, the requests first (they are selected by the allocations still there). Inside the caller's transaction. */
export async function supprimerAnciennesLignes(store: Store, limite: string): Promise<void> {
  await store.run(sql`DELETE ${anciennesDemandes(limite)}`);
  await store.run(sql`DELETE ${anciennesAttributions(limite)}`);
}
