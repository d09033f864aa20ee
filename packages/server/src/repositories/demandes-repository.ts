import type { Store } from '@mixite/data';
import { sql } from '@mixite/data';
import type { Portee } from '../auth/roles.ts';

/**
 * The requests as the server asks about them one by one. The household-level scope of one request: the territory
 * roles read every request, a commune the requests that wish it, a bailleur those of its own tenants (mutations);
 * a réservataire has no link to a request before a designation, and sees none.
 */
export async function demandeDansLePerimetre(store: Store, portee: Portee, nur: string): Promise<boolean> {
  switch (portee.kind) {
    case 'territoire':
      return true;
    case 'commune':
      return (await store.all(sql`SELECT 1 FROM demandes WHERE nur = ${nur} AND list_contains(string_split(communes_souhaitees, '|'), ${portee.id})`)).length > 0;
    case 'bailleur':
      return (await store.all(sql`SELECT 1 FROM demandes WHERE nur = ${nur} AND bailleur_actuel_id = ${portee.id}`)).length > 0;
    case 'reservataire':
    case 'aucune':
      return false;
  }
}
