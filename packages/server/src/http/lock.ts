/**
 * The store holds one DuckDB connection, so a read issued while an import is replacing tables would run inside
 * the import's transaction and see it half done. Writes (imports, settings) therefore take this lock
 * exclusively and reads share it.
 */
export class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly waiting: Array<{ write: boolean; wake: () => void }> = [];

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
    await this.acquire(true);
    try {
      return await work();
    } finally {
      this.writer = false;
      this.drain();
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
