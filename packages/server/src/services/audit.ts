import type { Store } from '@mixite/data';
import type { ReadWriteLock } from '../http/lock.ts';
import type { Viewer } from '../http/viewer.ts';
import { identite } from '../http/viewer.ts';
import type { ActionJournal, VerificationJournal } from '../repositories/journal-repository.ts';
import { JournalRepository } from '../repositories/journal-repository.ts';
import type { ScellementJournal } from './scellement-journal.ts';

/**
 * Writes the audit log. An entry is written under the store's shared (read) lock: every transaction on the store's
 * connection (an import, a settings change, a purge, a meeting saved) runs under the exclusive lock, so none is open
 * while the entry is written — were one open, a failed import would roll the entry back with it. The entries are
 * chained (each carries the hash of the one before), so the writers of this process queue among themselves
 * (`enSerie`) instead of waiting for every reader: under `lock.alone`, a consultation's entry (a CALEOL list,
 * issue 15) waited for every read in flight — a year's indicators computed in the background for seconds — and
 * held new readers back meanwhile. Neither lock marks the cached figures stale (the log is no input of theirs).
 *
 * An entry written by `ecrire` (outside any transaction) is anchored at once; those written inside a caller's
 * transaction (`ecrireDejaSeul`) are anchored at the next checkpoint (`pointDeControle`, every few minutes and at
 * shutdown) or the next `ecrire`.
 */
export class Audit {
  readonly journal: JournalRepository;
  /** The head last anchored, so that a checkpoint with nothing new writes nothing. */
  private derniereAncre: number | null = null;
  /** The last write of the log queued: the next one starts when it is over (the chain and its anchors stay in order). */
  private file: Promise<unknown> = Promise.resolve();

  constructor(
    store: Store,
    private readonly lock: ReadWriteLock,
    private readonly maintenant: () => number,
    scellement: ScellementJournal,
  ) {
    this.journal = new JournalRepository(store, scellement);
  }

  async ecrire(viewer: Viewer, action: ActionJournal, objet: string, details?: Record<string, unknown>): Promise<void> {
    await this.lock.read(() =>
      this.enSerie(async () => {
        const tete = await this.journal.ajouter(this.entree(viewer, action, objet, details), this.maintenant());
        await this.journal.ancrer('ecriture', tete);
        this.derniereAncre = tete.id;
      }),
    );
  }

  /** For a caller that already holds the store alone (inside a write, in the same transaction). */
  async ecrireDejaSeul(viewer: Viewer, action: ActionJournal, objet: string, details?: Record<string, unknown>): Promise<void> {
    await this.journal.ajouter(this.entree(viewer, action, objet, details), this.maintenant());
  }

  /** At start: seals a log left unkeyed by an earlier version, checks the whole log and anchors its head. */
  async demarrer(): Promise<VerificationJournal> {
    return this.lock.alone(async () => {
      await this.journal.preparer(this.maintenant());
      const verification = await this.journal.verifier();
      await this.ancrer('demarrage');
      return verification;
    });
  }

  /** Anchors the head if entries were written since the last anchor (a timer). */
  pointDeControle(evenement: 'point' | 'arret' = 'point'): Promise<void> {
    // In the queue of the writes: an anchor of an older head must not follow that of a newer one.
    return this.lock.read(() =>
      this.enSerie(async () => {
        const tete = await this.journal.tete();
        if (tete === null || tete.id === this.derniereAncre) return;
        await this.journal.ancrer(evenement, tete);
        this.derniereAncre = tete.id;
      }),
    );
  }

  /** The anchor of a shutdown, for a caller that already holds the store alone. */
  async ancrerArret(): Promise<void> {
    const tete = await this.journal.tete();
    if (tete !== null && tete.id !== this.derniereAncre) await this.journal.ancrer('arret', tete);
  }

  verifier(): Promise<VerificationJournal> {
    return this.lock.read(() => this.journal.verifier());
  }

  private async ancrer(evenement: 'demarrage'): Promise<void> {
    const tete = await this.journal.tete();
    await this.journal.ancrer(evenement, tete ?? undefined);
    this.derniereAncre = tete?.id ?? null;
  }

  /** Runs `work` after the writes of the log queued before it, even a failed one. */
  private enSerie<T>(work: () => Promise<T>): Promise<T> {
    const resultat = this.file.then(work, work);
    this.file = resultat.catch(() => undefined);
    return resultat;
  }

  private entree(viewer: Viewer, action: ActionJournal, objet: string, details?: Record<string, unknown>) {
    return { utilisateurId: viewer.utilisateurId, utilisateur: identite(viewer), role: viewer.role, action, objet, ...(details ? { details } : {}) };
  }
}
