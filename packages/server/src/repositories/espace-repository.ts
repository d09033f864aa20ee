import type { TypeContingent } from '@mixite/core';
import { contingentNonReserve, isTypeContingent } from '@mixite/core';
import type { Store } from '@mixite/data';

/** What « Mon espace » reads of the reference files besides the indicators: the type of each contingent (its peers). */
export class EspaceRepository {
  constructor(private readonly store: Store) {}

  /** The contingent type of every contingent: each réservataire's, and `non_reserve` for each bailleur's own stock. */
  async typesContingent(): Promise<ReadonlyMap<string, TypeContingent>> {
    const types = new Map<string, TypeContingent>();
    for (const r of await this.store.all<{ id: string; type: string }>(`SELECT id, type FROM reservataires`)) if (isTypeContingent(r.type)) types.set(r.id, r.type);
    for (const b of await this.store.all<{ id: string }>(`SELECT id FROM bailleurs`)) types.set(contingentNonReserve(b.id), 'non_reserve');
    return types;
  }
}
