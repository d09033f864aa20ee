import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { DEFAULT_STORE_PATH, Store, importDataset } from '@mixite/data';
import { createApp } from './app.ts';
import { PREMIER_ADMINISTRATEUR } from './comptes.ts';
import type { MixiteApp } from './app.ts';
import type { ReglesSecurite } from './securite.ts';
import { ConfigurationInvalideError, reglesDepuisEnvironnement } from './securite.ts';
import { WEB_DIST, ensureWebBuild } from './web-assets.ts';

export const DEFAULT_PORT = 3000;
/** Loopback by default; a deployment in production mode sets HOST to listen on the network (behind a TLS proxy). */
export const DEFAULT_HOST = '127.0.0.1';
const JOUR_MS = 24 * 3_600_000;

export interface StartOptions {
  /** TCP port; 0 picks a free one (tests). */
  readonly port?: number;
  readonly host?: string;
  /** The store file (MIXITE_BASE). */
  readonly basePath?: string;
  /**
   * Security settings. `mode` defaults to demonstration, like `npm start`: the demo territory is imported into an
   * empty store and the server refuses to listen beyond the loopback (nobody logs in). A deployment sets production.
   */
  readonly securite?: Partial<ReglesSecurite>;
  /** Serve the built front end from this folder; null serves the API only. */
  readonly webDist?: string | null;
  readonly log?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly mixite: MixiteApp;
  close(): Promise<void>;
}

/** Opens the store, imports the demo territory if asked and needed, and serves the API and the front end. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? console.log;
  const mode = options.securite?.mode ?? 'demonstration';
  const host = options.host ?? DEFAULT_HOST;
  if (mode === 'demonstration' && !isLoopback(host)) {
    throw new ConfigurationInvalideError(
      `Le mode démonstration, sans authentification, n’écoute que sur la boucle locale (HOST=${host} refusé) : ` +
        'lancez Mixité avec MIXITE_MODE=production pour l’ouvrir au réseau.',
    );
  }
  const basePath = options.basePath ?? DEFAULT_STORE_PATH;
  const store = await Store.open(basePath);
  let mixite: MixiteApp;
  try {
    // Nothing is ever seeded in production: an empty store stays empty until an administrator imports data.
    if (mode === 'demonstration') await importDemoIfEmpty(store, log);
    mixite = createApp(store, { webDist: options.webDist === undefined ? WEB_DIST : options.webDist, securite: { ...options.securite, mode } });
    await mixite.deps.conservation.appliquer();
    if (mode === 'production' && (await mixite.deps.auth.utilisateurs.compterAdministrateurs()) === 0) log(PREMIER_ADMINISTRATEUR);
  } catch (error) {
    store.close();
    throw error;
  }
  const server = await listen(mixite, options.port ?? DEFAULT_PORT, host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host}:${port}/`;
  // Computing the dashboard of the latest year now makes the first page open at once.
  void mixite.deps.indicateurs.warmUp().catch((error: unknown) => log(`Préchargement des indicateurs impossible : ${(error as Error).name}`));
  // Retention periods and expired sessions, once a day.
  const quotidien = setInterval(() => {
    void mixite.deps.conservation
      .appliquer()
      .then(() => mixite.deps.auth.purgerSessions())
      .catch((error: unknown) => log(`Purge de conservation impossible : ${(error as Error).name}`));
  }, JOUR_MS);
  quotidien.unref();
  return {
    url,
    port,
    store,
    mixite,
    close: async () => {
      clearInterval(quotidien);
      await new Promise<void>((done) => server.close(() => done()));
      mixite.close();
      store.close();
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

function listen(mixite: MixiteApp, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolveServer, reject) => {
    const server = serve({ fetch: mixite.app.fetch, port, hostname }, () => resolveServer(server));
    server.once('error', reject);
  });
}

/** First start: the store has no territory, so the demo territory is generated and imported (a fixed seed). */
export async function importDemoIfEmpty(store: Store, log: (message: string) => void = console.log): Promise<boolean> {
  const [row] = await store.all<{ n: number }>(`SELECT (SELECT count(*) FROM communes)::INTEGER AS n`);
  if ((row?.n ?? 0) > 0) return false;
  const out = mkdtempSync(join(tmpdir(), 'mixite-demo-'));
  try {
    log('Base vide : création du territoire de démonstration…');
    const { generateDemo } = await import('@mixite/demo');
    await generateDemo({ out, echelle: 'epci', graine: 1 });
    const report = await importDataset(store, [out], { auteur: 'démonstration' });
    const lignes = report.fichiers.reduce((sum, f) => sum + f.lignesChargees, 0);
    log(`Territoire de démonstration importé (${lignes.toLocaleString('fr-FR')} lignes).`);
    return true;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `npm start`: builds the front end when its build is missing or stale, serves the application and prints its
 * address. PORT (default 3000), MIXITE_BASE (default data/mixite.duckdb), HOST (default 127.0.0.1) and MIXITE_MODE
 * configure it: without MIXITE_MODE=production it runs the demonstration (demo territory imported on first start,
 * no login); the other security settings are read by `reglesDepuisEnvironnement` (docs/security.md).
 */
export async function demarrer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const port = env['PORT'] ? Number(env['PORT']) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT invalide : « ${env['PORT']} »`);
  const basePath = resolve(env['MIXITE_BASE'] || DEFAULT_STORE_PATH);
  let running: RunningServer;
  try {
    const securite = reglesDepuisEnvironnement(env);
    await ensureWebBuild();
    running = await startServer({ port, host: env['HOST'] || DEFAULT_HOST, basePath, securite });
  } catch (error) {
    if (!(error instanceof ConfigurationInvalideError)) throw error;
    console.error(`Erreur : ${error.message}`);
    process.exit(2);
  }
  const securite = running.mixite.deps.regles;
  if (securite.mode === 'demonstration') {
    console.log('Mode démonstration : données fictives, sans authentification, accessible depuis cette machine seulement (MIXITE_MODE=production pour un déploiement).');
  }
  console.log(`Mixité est prêt : ouvrez ${running.url} (base : ${basePath}). Ctrl+C pour arrêter.`);
  const stop = () => {
    void running.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return running;
}
