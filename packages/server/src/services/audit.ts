import type { Store } from '@mixite/data';
import type { ReadWriteLock } from '../http/lock.ts';
import type { Viewer } from '../http/viewer.ts';
import { identite } from '../http/viewer.ts';
import type { ActionJournal } from '../repositories/journal-repository.ts';
import { JournalRepository } from '../repositories/journal-repository.ts';

/**
 * Writes the audit log. An entry is written alone on the store's connection: were it written while an import's
 * transaction is open, a failed import would roll the entry back with it. `alone` does not mark the cached
 * figures stale (the log is no input of theirs).
 */
export class Audit {
  readonly journal: JournalRepository;

  constructor(
    store: Store,
    private readonly lock: ReadWriteLock,
    private readonly maintenant: () => number,
  ) {
    this.journal = new JournalRepository(store);
  }

  ecrire(viewer: Viewer, action: ActionJournal, objet: string, details?: Record<string, unknown>): Promise<void> {
    return this.lock.alone(() => this.ecrireDejaSeul(viewer, action, objet, details));
  }

  /** For a caller that already holds the store alone (inside a write, in the same transaction). */
  ecrireDejaSeul(viewer: Viewer, action: ActionJournal, objet: string, details?: Record<string, unknown>): Promise<void> {
    return this.journal.ajouter({ utilisateurId: viewer.utilisateurId, utilisateur: identite(viewer), role: viewer.role, action, objet, ...(details ? { details } : {}) }, this.maintenant());
  }
}
