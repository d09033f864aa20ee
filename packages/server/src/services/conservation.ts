import type { Store } from '@mixite/data';
import { recordTableCounts } from '@mixite/data';
import type { ReadWriteLock } from '../http/lock.ts';
import { SYSTEME } from '../http/viewer.ts';
import type { ReglesSecurite } from '../securite.ts';
import type { Audit } from './audit.ts';

export interface BilanConservation {
  readonly journal: number;
  readonly attributions: number;
  readonly demandes: number;
}

const JOUR_MS = 24 * 3_600_000;

/**
 * The retention periods (docs/security.md): audit entries older than `conservationJournalJours` days; in
 * production, household-level rows older than `conservationMenagesAnnees` calendar years — allocations decided
 * (or leases signed) before 1 January of that year, and requests closed before it that no kept allocation
 * cites. Active requests are always kept. Run at start and every day; each purge that deletes something is logged.
 */
export class Conservation {
  constructor(
    private readonly store: Store,
    private readonly lock: ReadWriteLock,
    private readonly audit: Audit,
    private readonly regles: ReglesSecurite,
  ) {}

  /** 1 January of the first year kept, or null when household rows are kept without limit. */
  dateLimiteMenages(maintenant = this.regles.maintenant()): string | null {
    const ans = this.regles.conservationMenagesAnnees;
    if (ans === null || this.regles.mode !== 'production') return null;
    return `${new Date(maintenant).getUTCFullYear() - ans}-01-01`;
  }

  async appliquer(): Promise<BilanConservation> {
    const maintenant = this.regles.maintenant();
    const journal = await this.lock.alone(async () => {
      const n = await this.audit.journal.purger(maintenant - this.regles.conservationJournalJours * JOUR_MS);
      if (n > 0) await this.audit.ecrireDejaSeul(SYSTEME, 'purge', 'journal', { entrees: n, conservation_jours: this.regles.conservationJournalJours });
      return n;
    });
    const limite = this.dateLimiteMenages(maintenant);
    if (limite === null) return { journal, attributions: 0, demandes: 0 };
    const count = async (sql: string) => ((await this.store.all<{ n: number }>(sql, [limite]))[0]?.n ?? 0);
    const anciennesAttributions = `FROM attributions WHERE coalesce(date_bail, date_cal) < $1::DATE`;
    // Requests cited by a kept allocation stay: the import checks that every allocation finds its request.
    const anciennesDemandes = `FROM demandes WHERE statut <> 'active' AND date_radiation < $1::DATE
       AND nur NOT IN (SELECT nur FROM attributions WHERE nur IS NOT NULL AND coalesce(date_bail, date_cal) >= $1::DATE)`;
    const [avant, avantDemandes] = await this.lock.read(async () => [
      await count(`SELECT count(*)::INTEGER AS n ${anciennesAttributions}`),
      await count(`SELECT count(*)::INTEGER AS n ${anciennesDemandes}`),
    ]);
    if (avant === 0 && avantDemandes === 0) return { journal, attributions: 0, demandes: 0 };
    // A write: the figures of the purged years change, the caches are dropped.
    return this.lock.write(() =>
      this.store.transaction(async () => {
        const attributions = await count(`SELECT count(*)::INTEGER AS n ${anciennesAttributions}`);
        const demandes = await count(`SELECT count(*)::INTEGER AS n ${anciennesDemandes}`);
        await this.store.run(`DELETE ${anciennesDemandes}`, [limite]);
        await this.store.run(`DELETE ${anciennesAttributions}`, [limite]);
        await recordTableCounts(this.store, 'purge de conservation', ['demandes', 'attributions']);
        await this.audit.ecrireDejaSeul(SYSTEME, 'purge', 'données des ménages', { attributions, demandes, avant: limite, conservation_ans: this.regles.conservationMenagesAnnees });
        return { journal, attributions, demandes };
      }),
    );
  }
}
