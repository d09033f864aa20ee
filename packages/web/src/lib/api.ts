import type { ErreurApi, Tableau } from '@mixite/server/contract';

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

/** The name the user gave (signs settings changes until issue 7 brings accounts). */
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

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const name = userName().trim();
  return { ...extra, ...(name ? { 'x-mixite-utilisateur': encodeURIComponent(name) } : {}) };
}

async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  let body: ErreurApi | null = null;
  try {
    body = (await response.json()) as ErreurApi;
  } catch {
    // Not JSON: a proxy or a crash; the status says enough.
  }
  throw new ApiError(response.status, body?.message ?? `Le serveur a répondu ${response.status}`, body?.details);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await check(await fetch(path, { headers: headers(), signal }));
  return (await response.json()) as T;
}

export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await check(
    await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export async function sendForm<T>(path: string, form: FormData): Promise<T> {
  const response = await check(await fetch(path, { method: 'POST', headers: headers(), body: form }));
  return (await response.json()) as T;
}

/** Asks the server to turn the table on screen into a file, then hands the file to the browser. */
export async function downloadTable(tableau: Tableau<object>, format: 'csv' | 'xlsx'): Promise<void> {
  const response = await check(
    await fetch(`/api/export?format=${format}`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(tableau),
    }),
  );
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `tableau.${format}`;
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
