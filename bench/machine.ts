import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

/** A one-line description of the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'CPU inconnu';
  const duckdb = (JSON.parse(readFileSync(new URL('../node_modules/@duckdb/node-api/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return `${cpus().length} cœurs (${cpu}), ${Math.round(totalmem() / 2 ** 30)} Gio de mémoire, Node ${process.version}, @duckdb/node-api ${duckdb}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

export const seconds = (ms: number) => `${(ms / 1000).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} s`;
