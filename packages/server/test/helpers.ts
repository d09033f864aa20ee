import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, importDataset } from '@mixite/data';
import type { MixiteApp } from '../src/app.ts';
import { createApp } from '../src/app.ts';
import { Comptes } from '../src/comptes.ts';
import type { ReglesSecurite } from '../src/securite.ts';

export const MINI = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/test/fixtures/mini');
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface TestApp {
  readonly store: Store;
  readonly mixite: MixiteApp;
  /** A request as the application's pages send it: in demonstration mode, mutating ones carry the CSRF token. */
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  close(): void;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * A real DuckDB store in memory, the mini territory imported through the real importer, and the app over it. By
 * default in demonstration mode (no login, the visitor is an administrator), as `npm start` serves the demo; the
 * access-control tests open it in production.
 */
export async function openTestApp(options: { dataset?: string | null; securite?: Partial<ReglesSecurite> } = {}): Promise<TestApp> {
  const store = await Store.open(':memory:');
  const dataset = options.dataset === undefined ? MINI : options.dataset;
  if (dataset) await importDataset(store, [dataset], { auteur: 'test' });
  const mixite = createApp(store, { webDist: null, securite: { mode: 'demonstration', ...options.securite } });
  let csrf: string | null = null;
  const request = async (path: string, init: RequestInit = {}) => {
    if (mixite.deps.regles.mode === 'demonstration' && MUTATING.has((init.method ?? 'GET').toUpperCase())) {
      csrf ??= ((await (await mixite.app.request('/api/session')).json()) as { csrf: string }).csrf;
      const headers = new Headers(init.headers);
      if (!headers.has('x-mixite-csrf')) headers.set('x-mixite-csrf', csrf);
      return mixite.app.request(path, { ...init, headers });
    }
    return mixite.app.request(path, init);
  };
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

/** Creates accounts through the same code as `mixite utilisateur ajouter`. */
export async function createAccounts(
  store: Store,
  accounts: readonly { email: string; role: string; perimetre?: string | null }[],
  motDePasse = MOT_DE_PASSE,
  maintenant: () => number = () => Date.now(),
): Promise<void> {
  const comptes = new Comptes(store, maintenant);
  for (const a of accounts) await comptes.ajouter({ ...a, motDePasse });
}

export const MOT_DE_PASSE = 'correct horse battery staple';

/** A logged-in client of an app: keeps the session cookie and echoes the CSRF token on mutating requests. */
export interface Client {
  readonly csrf: string;
  readonly cookie: string;
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** Logs in through POST /api/session; fails the test when the login is refused. */
export async function login(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, email: string, motDePasse = MOT_DE_PASSE): Promise<Client> {
  const response = await app.request('/api/session', jsonBody('POST', { email, mot_de_passe: motDePasse }));
  if (response.status !== 200) throw new Error(`connexion de ${email} refusée : ${response.status} ${await response.text()}`);
  const cookie = sessionCookie(response);
  if (!cookie) throw new Error('pas de cookie de session');
  const { csrf } = (await response.json()) as { csrf: string };
  return {
    csrf,
    cookie,
    request: async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      if (MUTATING.has((init.method ?? 'GET').toUpperCase()) && !headers.has('x-mixite-csrf')) headers.set('x-mixite-csrf', csrf);
      return app.request(path, { ...init, headers });
    },
  };
}

/** `mixite_session=…` from a response's Set-Cookie, or null. */
export function sessionCookie(response: Response): string | null {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('mixite_session='));
  return header ? (header.split(';')[0] as string) : null;
}

/** One account per role, scoped ones on both perimeters of the mini territory where it has two. */
export const ACCOUNTS = [
  { email: 'admin@mixite.test', role: 'admin' },
  { email: 'epci@mixite.test', role: 'epci' },
  { email: 'etat@mixite.test', role: 'etat' },
  { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
  { email: 'b2@mixite.test', role: 'bailleur', perimetre: 'B2' },
  { email: 'al@mixite.test', role: 'reservataire', perimetre: 'AL' },
  { email: 'prefet@mixite.test', role: 'reservataire', perimetre: 'ETAT' },
  { email: 'evry@mixite.test', role: 'commune', perimetre: '91228' },
  { email: 'corbeil@mixite.test', role: 'commune', perimetre: '91174' },
  { email: 'lecteur@mixite.test', role: 'lecteur' },
] as const;

/** The app in production mode over the mini territory, with the accounts of ACCOUNTS. */
export async function openProductionApp(options: { securite?: Partial<ReglesSecurite>; dataset?: string | null } = {}): Promise<TestApp> {
  const t = await openTestApp({ ...options, securite: { mode: 'production', ...options.securite } });
  await createAccounts(t.store, ACCOUNTS, MOT_DE_PASSE, options.securite?.maintenant);
  return t;
}

/** A fingerprint of every table of the store but those a request may legitimately write (sessions, audit log). */
export async function fingerprint(store: Store, except: readonly string[] = ['sessions', 'journal']): Promise<Record<string, string>> {
  // Temporary tables (the facts an allocation list reads) live with the connection, not in the store.
  const tables = await store.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const [row] = await store.all<{ n: number; h: string | null }>(
      `SELECT count(*)::INTEGER AS n, md5(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR)) AS h FROM ${quoted} t`,
    );
    out[name] = `${row?.n}:${row?.h}`;
  }
  return out;
}

/** An account logged in on a live server: its session cookie and CSRF token. */
export interface SessionHttp {
  readonly cookie: string;
  readonly csrf: string;
}

/**
 * Requests to a live server (`startServer`) over real HTTP: plain, as a logged-in account (cookie, and the CSRF
 * header on mutating requests), and the login itself. `port` is read at each call: the server starts in a hook.
 */
export function clientHttp(port: () => number) {
  const http = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port()}${path}`, init);
  const as = (who: SessionHttp, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', who.cookie);
    if (init.method && init.method !== 'GET') headers.set('x-mixite-csrf', who.csrf);
    return http(path, { ...init, headers });
  };
  const loginAs = async (email: string): Promise<SessionHttp> => {
    const response = await http('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, mot_de_passe: MOT_DE_PASSE }) });
    if (response.status !== 200) throw new Error(`connexion de ${email} refusée : ${response.status}`);
    return { cookie: sessionCookie(response) as string, csrf: ((await response.json()) as { csrf: string }).csrf };
  };
  return { http, as, loginAs };
}
