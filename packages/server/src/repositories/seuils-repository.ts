import type { Store } from '@mixite/data';
import { recordTableCounts } from '@mixite/data';
import type { Seuil } from '../contract.ts';
import type { Viewer } from '../http/viewer.ts';

/** First-quartile thresholds published by arrêté (`seuils` table), edited from the settings page. */
export class SeuilsRepository {
  constructor(private readonly store: Store) {}

  async list(_viewer: Viewer): Promise<Seuil[]> {
    return this.store.all<Seuil>(
      `SELECT annee, code_epci, seuil_q1::DOUBLE AS seuil_q1, source, seuil_q2::DOUBLE AS seuil_q2, seuil_q3::DOUBLE AS seuil_q3 FROM seuils ORDER BY annee DESC, code_epci NULLS FIRST`,
    );
  }

  /** Replaces the thresholds inside the caller's transaction; the caller holds the write lock and validated the rows. */
  async replaceWithin(_viewer: Viewer, seuils: readonly Seuil[]): Promise<void> {
    await this.store.run(`DELETE FROM seuils`);
    for (const s of seuils) {
      // Q2 and Q3 (issue 17) go back as they came: the settings page passes them through, so a save keeps them.
      await this.store.run(`INSERT INTO seuils (annee, code_epci, seuil_q1, source, seuil_q2, seuil_q3, attributs) VALUES ($1, $2, $3, $4, $5, $6, MAP {})`, [
        s.annee,
        s.code_epci,
        s.seuil_q1,
        s.source,
        s.seuil_q2 ?? null,
        s.seuil_q3 ?? null,
      ]);
    }
    await recordTableCounts(this.store, 'seuils modifiés', ['seuils']);
  }
}
