import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@mixite/server';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * The browser tests drive the real application: the server started on a free port over a temporary store
 * holding the demo territory (demonstration mode: no login, as `npm start` serves it), the front end built by
 * Vite, Debian's Chromium through playwright-core. securite.test.ts starts its own server in production mode.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const ARGS_CHROMIUM = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Without Chromium the tests are skipped on a developer's machine, never in CI (where .ci/run installs it). */
export const SKIP_BROWSER = !existsSync(CHROMIUM) && !process.env['CI'];
if (SKIP_BROWSER) {
  console.warn(`Tests navigateur ignorés : ${CHROMIUM} est absent (apt-get install -y chromium). En CI (CI=true) ils s’exécutent toujours.`);
}


export interface Harness {
  readonly url: string;
  readonly server: RunningServer;
  readonly browser: Browser;
  newPage(): Promise<{ page: Page; context: BrowserContext }>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  await ensureWebBuild({ log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'mixite-e2e-'));
  const server = await startServer({ port: 0, basePath: join(dir, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: WEB_DIST, log: () => {} });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS_CHROMIUM });
  } catch (error) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = server.url.replace(/\/$/, '');
  return {
    url,
    server,
    browser,
    newPage: async () => {
      const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, acceptDownloads: true, baseURL: url });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`erreur dans la page : ${error.message}`));
      return { page, context };
    },
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads JSON from the API as the browser would, to compare the screen with the figures served. */
export async function api<T>(h: Harness, path: string): Promise<T> {
  const response = await fetch(`${h.url}${path}`);
  if (!response.ok) throw new Error(`${path} → ${response.status}`);
  return (await response.json()) as T;
}

/** 0.156 → « 15,6 % » as the front end writes it. */
export const pourcent = (value: number | null) =>
  value === null ? '—' : new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
