import type { ReadWriteLock } from './lock.ts';

/**
 * Values computed from the store, kept until the next write (an import, a settings change): the dashboard's
 * requests then read memory instead of queueing on the store's single connection. Concurrent requests for the
 * same key share one computation; a failed one is forgotten.
 */
export class GenerationCache {
  private readonly values = new Map<string, Promise<unknown>>();
  private generation = -1;

  /** `maxEntries` bounds the memory of caches of large values (the oldest entry goes first). */
  constructor(
    private readonly lock: ReadWriteLock,
    private readonly maxEntries = Number.POSITIVE_INFINITY,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.generation !== this.lock.generation) {
      this.values.clear();
      this.generation = this.lock.generation;
    }
    let pending = this.values.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = compute();
      pending.catch(() => {
        if (this.values.get(key) === pending) this.values.delete(key);
      });
      this.values.set(key, pending);
      if (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value as string);
    }
    return pending;
  }
}
