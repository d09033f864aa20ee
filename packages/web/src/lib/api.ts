import type { DemandeExport, ErreurApi, Tableau } from '@mixite/contract';
import type { Chemin, Declaration, Envoi, Reponse, Requete } from './client.ts';
import { lecture, url } from './client.ts';

/** Calls to the Mixité API. Errors carry the French message the server wrote, ready to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const NAME_KEY = 'mixite.utilisateur';

/** The session's anti-forgery token, echoed on every mutating request (set when the session is read). */
let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

/** Called when the server answers 401: the session ended (expired, logged out elsewhere); the layout shows the login. */
let onUnauthorized: (() => void) | null = null;
export function setOnUnauthorized(callback: (() => void) | null): void {
  onUnauthorized = callback;
}

/** In demonstration mode only: the name the visitor gave, which signs its changes (accounts sign them in production). */
export function userName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setUserName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private browsing without storage: the name lasts for this page only.
  }
}

function headers(extra: Record<string, string> = {}, mutating = false): Record<string, string> {
  const name = userName().trim();
  return { ...extra, ...(name ? { 'x-mixite-utilisateur': encodeURIComponent(name) } : {}), ...(mutating && csrf ? { 'x-mixite-csrf': csrf } : {}) };
}

/** fetch, with the French message of a connection the server cut (an upload over its size limit). */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Le serveur a interrompu la connexion (fichiers trop volumineux, ou serveur arrêté).');
  }
}

async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  if (response.status === 401) onUnauthorized?.();
  let body: ErreurApi | null = null;
  try {
    body = (await response.json()) as ErreurApi;
  } catch {
    // Not JSON: a proxy or a crash; the status says enough.
  }
  throw new ApiError(response.status, body?.message ?? `Le serveur a répondu ${response.status}`, body?.details);
}

/** Reads a declared GET route (`lecture(…)` of client.ts): the answer has the type the route declares. */
export async function lire<T>(requete: Requete<T>, signal?: AbortSignal): Promise<T> {
  const response = await check(await send(requete.url, { headers: headers(), signal }));
  // The one place where JSON becomes a typed value: the type is the route's declared answer, checked against the
  // server's real answers by packages/server/test/contrat-reponses.test.ts.
  return (await response.json()) as T;
}

type MethodeEnvoi = 'post' | 'put' | 'delete';

/**
 * Calls a declared mutating route: `envoyer('put', '/api/seuils', { corps: { seuils } })`. Its path parameters and
 * JSON body are typed by the route's declaration, and so is the answer (undefined for a 204).
 */
export async function envoyer<const M extends MethodeEnvoi, const C extends Chemin<M>>(methode: M, chemin: C, envoi: NoInfer<Envoi<M, C>>): Promise<Reponse<Declaration<M, C>>> {
  const { corps, ...options } = envoi as { corps?: unknown; params?: Record<string, string | number> };
  const response = await check(
    await send(url(chemin, options), {
      method: methode.toUpperCase(),
      headers: headers(corps === undefined ? {} : { 'content-type': 'application/json' }, true),
      body: corps === undefined ? undefined : JSON.stringify(corps),
    }),
  );
  return (response.status === 204 ? undefined : await response.json()) as Reponse<Declaration<M, C>>;
}

/**
 * Calls a declared mutating route whose answer is a file (a letter, an agenda) and hands the file to the browser,
 * under the name the server gave it: the path and body typed like `envoyer`.
 */
export async function telechargerEnvoi<const M extends MethodeEnvoi, const C extends Chemin<M>>(methode: M, chemin: C, envoi: NoInfer<Envoi<M, C>>, nomParDefaut: string): Promise<void> {
  const { corps, ...options } = envoi as { corps?: unknown; params?: Record<string, string | number> };
  const response = await check(
    await send(url(chemin, options), {
      method: methode.toUpperCase(),
      headers: headers(corps === undefined ? {} : { 'content-type': 'application/json' }, true),
      body: corps === undefined ? undefined : JSON.stringify(corps),
    }),
  );
  await save(response, nomParDefaut);
}

/** Uploads files (multipart) to POST /api/televersements: the answer is the route's declared one. */
export async function televerser(form: FormData): Promise<Reponse<Declaration<'post', '/api/televersements'>>> {
  const response = await check(await send('/api/televersements', { method: 'POST', headers: headers({}, true), body: form }));
  return (await response.json()) as Reponse<Declaration<'post', '/api/televersements'>>;
}

/** Sends an extraction (multipart) to POST /api/correspondances/proposition: the proposed mapping and the file's first rows. */
/**
 * Conventions imported (a conventions.csv) or one share set from the flux page (issue 13): the import's report, accepted
 * (200) or refused (422: located problems, nothing changed) — a refusal is an answer to show, not an error to throw.
 */
export async function envoyerConventions(
  envoi: { readonly fichier: File } | { readonly part: NonNullable<Envoi<'put', '/api/flux/conventions'>['corps']> },
): Promise<Reponse<Declaration<'put', '/api/flux/conventions'>>> {
  const init: RequestInit =
    'fichier' in envoi
      ? (() => {
          const form = new FormData();
          form.append('fichier', envoi.fichier);
          return { method: 'POST', headers: headers({}, true), body: form };
        })()
      : { method: 'PUT', headers: headers({ 'content-type': 'application/json' }, true), body: JSON.stringify(envoi.part) };
  const response = await send('/api/flux/conventions', init);
  if (response.status !== 422) await check(response);
  return (await response.json()) as Reponse<Declaration<'put', '/api/flux/conventions'>>;
}

export async function proposerCorrespondanceApi(form: FormData): Promise<Reponse<Declaration<'post', '/api/correspondances/proposition'>>> {
  const response = await check(await send('/api/correspondances/proposition', { method: 'POST', headers: headers({}, true), body: form }));
  return (await response.json()) as Reponse<Declaration<'post', '/api/correspondances/proposition'>>;
}

/**
 * Asks the server to turn an aggregate table on screen into a file, then hands the file to the browser. The server
 * refuses household-level tables: those are exported by their query (`downloadQuery`).
 */
export async function downloadTable(tableau: Tableau<object>, format: 'csv' | 'xlsx'): Promise<void> {
  const response = await check(
    await send(url('/api/export', { query: { format } }), {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }, true),
      body: JSON.stringify(tableau),
    }),
  );
  await save(response, `tableau.${format}`);
}

/** Where a background export stands: rows written out of the total. */
export interface ProgressionExport {
  readonly ecrites: number;
  readonly total: number;
}

/**
 * Exports a household list by its query: the server reads the rows itself (scoped, pseudonymised, logged). A small
 * list comes back at once; a heavy one is written in the background: its progress is polled and reported, then the
 * file is downloaded.
 */
export async function downloadQuery(demande: DemandeExport, onProgress: (p: ProgressionExport) => void, signal?: AbortSignal): Promise<void> {
  const response = await check(
    await send('/api/exports', {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }, true),
      body: JSON.stringify(demande),
      signal,
    }),
  );
  if (response.status !== 202) {
    await save(response, `attributions.${demande.format}`);
    return;
  }
  let travail = (await response.json()) as Reponse<Declaration<'get', '/api/exports/{id}'>>;
  while (travail.etat === 'en_attente' || travail.etat === 'en_cours') {
    onProgress({ ecrites: travail.lignes_ecrites, total: travail.lignes_total });
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (signal?.aborted) throw new DOMException('Export abandonné', 'AbortError');
    travail = await lire(lecture('/api/exports/{id}', { params: { id: travail.id } }), signal);
  }
  if (travail.etat === 'echec' || !travail.fichier) throw new ApiError(500, travail.message ?? 'l’export a échoué');
  onProgress({ ecrites: travail.lignes_total, total: travail.lignes_total });
  await save(await check(await send(travail.fichier, { headers: headers(), signal })), `attributions.${demande.format}`);
}

/** Hands a file answer to the browser under the name the server gave it. */
async function save(response: Response, fallback: string): Promise<void> {
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A query string from defined values only. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
