import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, importDataset } from '@mixite/data';
import type { MixiteApp } from '../src/app.ts';
import { createApp } from '../src/app.ts';

export const MINI = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/test/fixtures/mini');
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface TestApp {
  readonly store: Store;
  readonly mixite: MixiteApp;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  close(): void;
}

/** A real DuckDB store in memory, the mini territory imported through the real importer, and the app over it. */
export async function openTestApp(options: { dataset?: string | null } = {}): Promise<TestApp> {
  const store = await Store.open(':memory:');
  const dataset = options.dataset === undefined ? MINI : options.dataset;
  if (dataset) await importDataset(store, [dataset], { auteur: 'test' });
  const mixite = createApp(store, { webDist: null });
  const request = (path: string, init?: RequestInit) => Promise.resolve(mixite.app.request(path, init));
  return {
    store,
    mixite,
    request,
    json: async <T>(path: string, init?: RequestInit) => {
      const response = await request(path, init);
      if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    close: () => {
      mixite.close();
      store.close();
    },
  };
}

/** The files of a fixture folder as a multipart body, optionally with some files replaced. */
export function datasetForm(folder: string, replace: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const name of readdirSync(folder).sort()) {
    const content = replace[name] ?? readFileSync(join(folder, name));
    form.append('fichiers', new File([content], name));
  }
  return form;
}

export const jsonBody = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Plain SQL, to read expected values without the code under test. */
export async function scalar<T>(store: Store, sql: string): Promise<T> {
  const [row] = await store.all<{ v: T }>(sql);
  return (row as { v: T }).v;
}
