/**
 * The store holds one DuckDB connection, so a read issued while an import is replacing tables would run inside
 * the import's transaction and see it half done. Writes (imports, settings) therefore take this lock
 * exclusively and reads share it.
 */
export class ReadWriteLock {
  /** Bumped after every write: caches of computed figures are keyed by it. */
  generation = 0;
  private readers = 0;
  private writer = false;
  private readonly waiting: Array<{ write: boolean; wake: () => void }> = [];
  private readonly beforeWrite: Array<() => Promise<void>> = [];
  private readonly afterWrite: Array<() => void> = [];

  /**
   * Work to do at the start of every write, while no reader is in flight: dropping what the write makes stale
   * (the temporary facts tables of the allocation lists) without pulling it from under a running query.
   */
  onWrite(cleanup: () => Promise<void>): void {
    this.beforeWrite.push(cleanup);
  }

  /** Work to start once a write is over (and the generation bumped): e.g. computing again what it made stale. */
  onWritten(listener: () => void): void {
    this.afterWrite.push(listener);
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await work();
    } finally {
      this.readers -= 1;
      this.drain();
    }
  }

  async write<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusively(work, true);
  }

  /**
   * Alone on the connection, changing nothing readers see (sessions, audit entries). Long work never runs here:
   * the check of an upload parses and stages on a connection of its own (`Store.connectAgain`), without this lock,
   * so that a big upload never makes the dashboard wait.
   */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusively(work, false);
  }

  private async exclusively<T>(work: () => Promise<T>, changes: boolean): Promise<T> {
    await this.acquire(true);
    try {
      if (changes) for (const cleanup of this.beforeWrite) await cleanup();
      return await work();
    } finally {
      if (changes) this.generation += 1;
      this.writer = false;
      this.drain();
      if (changes) for (const listener of this.afterWrite) listener();
    }
  }

  private acquire(write: boolean): Promise<void> {
    // Queued writers block new readers, so a stream of dashboard reads cannot starve an import.
    if (!this.writer && (write ? this.readers === 0 : true) && this.waiting.length === 0) {
      if (write) this.writer = true;
      else this.readers += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ write, wake: resolve }));
  }

  private drain(): void {
    while (this.waiting.length > 0 && !this.writer) {
      const next = this.waiting[0] as { write: boolean; wake: () => void };
      if (next.write) {
        if (this.readers > 0) return;
        this.waiting.shift();
        this.writer = true;
        next.wake();
        return;
      }
      this.waiting.shift();
      this.readers += 1;
      next.wake();
    }
  }
}
