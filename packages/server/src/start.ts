import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { DEFAULT_STORE_PATH, Store, StoreIntegrityError, assertIntegrity, chargerJeuProgramme, importDataset } from '@mixite/data';
import { createApp } from './app.ts';
import { PREMIER_ADMINISTRATEUR } from './comptes.ts';
import type { MixiteApp } from './app.ts';
import type { ReglesSecurite } from './securite.ts';
import { ConfigurationInvalideError, reglesDepuisEnvironnement } from './securite.ts';
import { texteVerification } from './repositories/journal-repository.ts';
import { cheminCleJournal, ouvrirScellement } from './services/scellement-journal.ts';
import { DELAI_ARRET_MS, arreterSurSignal, fermer } from './arret.ts';
import { WEB_DIST, ensureWebBuild } from './web-assets.ts';
import { territoireCharge } from './repositories/etat-donnees-repository.ts';
import type { CanalLocal, ExecuteurCommandes } from './canal-local.ts';
import { ouvrirCanalLocal } from './canal-local.ts';

export const DEFAULT_PORT = 3000;
/** Loopback by default; a deployment in production mode sets HOST to listen on the network (behind a TLS proxy). */
export const DEFAULT_HOST = '127.0.0.1';
const JOUR_MS = 24 * 3_600_000;
/** The head of the audit log is anchored this often when entries were written inside transactions (logins…). */
const POINT_DE_CONTROLE_MS = 5 * 60_000;

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
  /**
   * The key file of the audit log (MIXITE_CLE_JOURNAL; default beside the store). Created on first start in
   * demonstration mode; required in production (a lost key must be noticed, not silently replaced).
   */
  readonly cleJournal?: string;
  /** How long `close()` waits for requests in flight before it cuts them and closes the store anyway. */
  readonly delaiArretMs?: number;
  /**
   * The commands of the command line, run for it when it finds this server on its store (decision 0007): with it,
   * a store file gets the internal channel and its discovery file `<base>.serveur`. `mixite demarrer` passes it.
   */
  readonly commandes?: ExecuteurCommandes;
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
  const cheminCle = options.cleJournal ?? cheminCleJournal(basePath);
  // A missing or unreadable key is a CleJournalError, itself a ConfigurationInvalideError: `demarrer` stops with it.
  const scellement = ouvrirScellement(cheminCle, { creer: mode === 'demonstration' });
  const store = await Store.open(basePath);
  let mixite: MixiteApp;
  try {
    // A store damaged by a crash is never served: refused with what is wrong and how to restore it (decision 0004).
    await assertIntegrity(store).catch((error: unknown) => {
      throw error instanceof StoreIntegrityError ? new ConfigurationInvalideError(error.message) : error;
    });
    // Nothing is ever seeded in production: an empty store stays empty until an administrator imports data.
    if (mode === 'demonstration') await importDemoIfEmpty(store, log);
    mixite = createApp(store, { webDist: options.webDist === undefined ? WEB_DIST : options.webDist, securite: { ...options.securite, mode }, scellement });
    // Checked and anchored before anything else writes to it; the outcome goes to the server's log (and the journal page).
    const verification = await mixite.deps.audit.demarrer();
    log(
      verification.intacte
        ? `Journal d’audit vérifié : chaîne ${texteVerification(verification)} (clé ${cheminCle}).`
        : `ALERTE : le journal d’audit a été altéré hors de l’application — chaîne ${texteVerification(verification)}. Conservez la base et le fichier ${cheminCle}.ancres en l’état pour l’enquête.`,
    );
    await mixite.deps.conservation.appliquer();
    // The hint goes to the server's log only: the public routes say nothing about accounts.
    if (mode === 'production' && (await mixite.deps.auth.utilisateurs.compterAdministrateurs()) === 0) log(PREMIER_ADMINISTRATEUR);
  } catch (error) {
    store.close();
    throw error;
  }
  const server = await listen(mixite, options.port ?? DEFAULT_PORT, host);
  const port = (server.address() as AddressInfo).port;
  let canal: CanalLocal | null = null;
  if (options.commandes && basePath !== ':memory:') {
    try {
      canal = await ouvrirCanalLocal({ deps: mixite.deps, base: basePath, executeur: options.commandes, log });
    } catch (error) {
      // The web application works without it; the commands then say the store is held (decision 0007).
      log(`Canal des commandes indisponible (${(error as Error).message}) : les commandes mixite ne pourront pas passer par ce serveur.`);
    }
  }
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
  const point = setInterval(() => {
    void mixite.deps.audit.pointDeControle().catch((error: unknown) => log(`Ancrage du journal impossible : ${(error as Error).name}`));
  }, POINT_DE_CONTROLE_MS);
  point.unref();
  let fermeture: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    mixite,
    close: () =>
      (fermeture ??= (async () => {
        clearInterval(quotidien);
        clearInterval(point);
        // First the commands of the command line: no new one, those running interrupted (they roll back).
        await canal?.close(options.delaiArretMs ?? DELAI_ARRET_MS);
        await fermer({ server, store, mixite, delaiMs: options.delaiArretMs ?? DELAI_ARRET_MS, log });
      })()),
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
  if (await territoireCharge(store)) return false;
  const out = mkdtempSync(join(tmpdir(), 'mixite-demo-'));
  try {
    log('Base vide : création du territoire de démonstration…');
    const { generateDemo, programmeDemo } = await import('@mixite/demo');
    await generateDemo({ out, echelle: 'epci', graine: 1 });
    const report = await importDataset(store, [out], { auteur: 'démonstration' });
    // The seed CIA's action programme, instances, meetings and commitments (issue 19, docs/programme.md).
    await chargerJeuProgramme(store, programmeDemo(), 'démonstration');
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
export async function demarrer(env: NodeJS.ProcessEnv = process.env, options: Pick<StartOptions, 'commandes'> = {}): Promise<RunningServer> {
  const port = env['PORT'] ? Number(env['PORT']) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT invalide : « ${env['PORT']} »`);
  const basePath = resolve(env['MIXITE_BASE'] || DEFAULT_STORE_PATH);
  let running: RunningServer;
  let delaiArretMs = DELAI_ARRET_MS;
  try {
    const securite = reglesDepuisEnvironnement(env);
    delaiArretMs = delaiArretDepuis(env);
    // MIXITE_API_SEULE=1: the API and the commands' channel without the front end (a headless data server, tests).
    const apiSeule = env['MIXITE_API_SEULE'] === '1';
    if (!apiSeule) await ensureWebBuild();
    running = await startServer({
      port,
      host: env['HOST'] || DEFAULT_HOST,
      basePath,
      securite,
      cleJournal: cheminCleJournal(basePath, env),
      delaiArretMs,
      ...(apiSeule ? { webDist: null } : {}),
      ...options,
    });
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
  arreterSurSignal(running, delaiArretMs);
  return running;
}

/** MIXITE_ARRET_DELAI_S: seconds given to requests in flight at shutdown (default 10, 1 to 600). */
function delaiArretDepuis(env: NodeJS.ProcessEnv): number {
  const texte = env['MIXITE_ARRET_DELAI_S'];
  if (texte === undefined || texte === '') return DELAI_ARRET_MS;
  const secondes = Number(texte);
  if (!Number.isInteger(secondes) || secondes < 1 || secondes > 600) throw new ConfigurationInvalideError(`MIXITE_ARRET_DELAI_S invalide : « ${texte} » (un nombre entier de secondes entre 1 et 600)`);
  return secondes * 1000;
}
