import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import type { RunningServer } from '@mixite/server';
import { Comptes, WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { inject } from 'vitest';

/**
 * The browser tests drive the real application: the server started on a free port over a temporary store
 * holding the demo territory (demonstration mode: no login, as `npm start` serves it), the front end built by
 * Vite, Debian's Chromium through playwright-core. `openProductionHarness` serves a dataset in production mode
 * instead, with the accounts a test logs in as.
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
  // The demo store prepared once by preparation-globale.ts (base, journal key, anchors), copied: the server below
  // then finds the territory loaded instead of generating and importing it again. Without it, the first start does.
  const preparee = inject('baseDemoE2e');
  if (preparee) for (const fichier of readdirSync(preparee)) copyFileSync(join(preparee, fichier), join(dir, fichier));
  const server = await startServer({ port: 0, basePath: join(dir, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: WEB_DIST, log: () => {} });
  return withBrowser(dir, server);
}

/** The password of every account of the production-mode browser tests. */
export const MOT_DE_PASSE_E2E = 'un mot de passe de test assez long';

export interface CompteE2e {
  readonly email: string;
  readonly role: 'admin' | 'epci' | 'etat' | 'bailleur' | 'reservataire' | 'commune' | 'lecteur';
  readonly perimetre: string | null;
}

export interface HarnessProduction extends Harness {
  /** Fills the login form of the page on screen and sends it. */
  connecter(page: Page, email: string, motDePasse?: string): Promise<void>;
}

/**
 * The application in production mode over a dataset folder, with the given accounts (password MOT_DE_PASSE_E2E).
 * No retention purge at start: a fixture's years must stay, whatever the year the tests run.
 */
export async function openProductionHarness(jeu: string, comptes: readonly CompteE2e[], preparer?: (store: Store) => Promise<void>): Promise<HarnessProduction> {
  await ensureWebBuild({ log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'mixite-e2e-production-'));
  const basePath = join(dir, 'base.duckdb');
  const store = await Store.open(basePath);
  try {
    await importDataset(store, [jeu], { auteur: 'test' });
    const registre = new Comptes(store);
    for (const compte of comptes) await registre.ajouter({ ...compte, motDePasse: MOT_DE_PASSE_E2E });
    // What a test needs in the store besides the dataset (e.g. an action programme, issue 19).
    if (preparer) await preparer(store);
  } finally {
    store.close();
  }
  const server = await startServer({ port: 0, basePath, securite: { mode: 'production', conservationMenagesAnnees: null }, webDist: WEB_DIST, log: () => {} });
  return {
    ...(await withBrowser(dir, server)),
    connecter: async (page, email, motDePasse = MOT_DE_PASSE_E2E) => {
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByLabel(/^Mot de passe/).fill(motDePasse);
      await page.getByRole('button', { name: 'Se connecter' }).click();
    },
  };
}

/** Chromium beside a started server; closing it stops both and removes the folder of the store. */
async function withBrowser(dir: string, server: RunningServer): Promise<Harness> {
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
