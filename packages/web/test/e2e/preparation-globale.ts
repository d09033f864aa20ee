import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild, startServer } from '@mixite/server';
import { CHROMIUM } from './harness.ts';

/**
 * Done once before the browser test files, not in each of them (docs/testing.md):
 * - the front end is built if missing or stale. Built in each file, two files running side by side (maxWorkers 2)
 *   would both write packages/web/dist at the same time;
 * - the demo territory is generated and imported once, by a real first start of the server in demonstration mode
 *   (the same `startServer` a test would call), then the server is stopped. `openHarness` copies the store, its
 *   audit-journal key and the key's anchors into its own folder and starts over the copy: the server sees a loaded
 *   territory, checks the journal's chain against the anchors and serves, exactly as on a second `npm start`.
 *   Generating and importing the demo costs about 12 s of CPU; a file copy, milliseconds.
 */
export default async function preparer(project: TestProject): Promise<() => void> {
  if (!existsSync(CHROMIUM) && !process.env['CI']) return () => {};
  await ensureWebBuild({ log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'mixite-e2e-demo-'));
  const server = await startServer({ port: 0, basePath: join(dir, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: null, log: () => {} });
  await server.close();
  project.provide('baseDemoE2e', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding the demo store prepared once (base.duckdb and its journal key), or absent. */
    baseDemoE2e?: string;
  }
}
