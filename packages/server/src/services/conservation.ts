import type { Store } from '@mixite/data';
import { recordTableCounts } from '@mixite/data';
import type { ReadWriteLock } from '../http/lock.ts';
import { SYSTEME } from '../http/viewer.ts';
import { compterAnciennesLignes, supprimerAnciennesLignes } from '../repositories/conservation-repository.ts';
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
    // Which rows are old (requests cited by a kept allocation stay): repositories/conservation-repository.ts.
    const avant = await this.lock.read(() => compterAnciennesLignes(this.store, limite));
    if (avant.attributions === 0 && avant.demandes === 0) return { journal, attributions: 0, demandes: 0 };
    // A write: the figures of the purged years change, the caches are dropped.
    return this.lock.write(() =>
      this.store.transaction(async () => {
        const { attributions, demandes } = await compterAnciennesLignes(this.store, limite);
        await supprimerAnciennesLignes(this.store, limite);
        await recordTableCounts(this.store, 'purge de conservation', ['demandes', 'attributions']);
        await this.audit.ecrireDejaSeul(SYSTEME, 'purge', 'données des ménages', { attributions, demandes, avant: limite, conservation_ans: this.regles.conservationMenagesAnnees });
        return { journal, attributions, demandes };
      }),
    );
  }
}
