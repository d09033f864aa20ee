import type { Store } from '@mixite/data';
import { recordTableCounts } from '@mixite/data';
import type { Seuil } from '../contract.ts';
import type { Viewer } from '../http/viewer.ts';

/** First-quartile thresholds published by arrêté (`seuils` table), edited from the settings page. */
export class SeuilsRepository {
  constructor(private readonly store: Store) {}

  async list(_viewer: Viewer): Promise<Seuil[]> {
    return this.store.all<Seuil>(
      `SELECT annee, code_epci, seuil_q1::DOUBLE AS seuil_q1, source FROM seuils ORDER BY annee DESC, code_epci NULLS FIRST`,
    );
  }

  /** Replaces the thresholds inside the caller's transaction; the caller holds the write lock and validated the rows. */
  async replaceWithin(_viewer: Viewer, seuils: readonly Seuil[]): Promise<void> {
    await this.store.run(`DELETE FROM seuils`);
    for (const s of seuils) {
      await this.store.run(`INSERT INTO seuils (annee, code_epci, seuil_q1, source, attributs) VALUES ($1, $2, $3, $4, MAP {})`, [
        s.annee,
        s.code_epci,
        s.seuil_q1,
        s.source,
      ]);
    }
    await recordTableCounts(this.store, 'seuils modifiés', ['seuils']);
  }
}
