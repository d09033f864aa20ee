import type { OperationApi } from '@mixite/server/operations';
import type { z } from 'zod';

/**
 * The typed client of /api (issue 11). Its types are derived, with `import type` only, from the server's route
 * declarations (`@mixite/server/operations`), which carry the zod schemas of `@mixite/contract`: a page can only name
 * a path the server declares, must give its path parameters, may only give the query parameters the route reads,
 * and receives the type of the answer the route declares — no `getJson<T>` where T is whatever the page believes.
 */

type Methode = OperationApi['method'];
type Declaration<M extends Methode, C extends string> = Extract<OperationApi, { method: M; path: C extends `/api${infer P}` ? P : never }>;

/** The paths of /api a page may call with a method. */
export type Chemin<M extends Methode> = Extract<OperationApi, { method: M }> extends infer O ? (O extends { path: infer P extends string } ? `/api${P}` : never) : never;

type SchemaDe<X> = X extends z.ZodType ? X : never;
/** The JSON answer of a route's success (200, else 202), as the contract declares it. */
export type Reponse<O> = O extends { responses: { 200: { content: { 'application/json': { schema: infer S } } } } }
  ? z.output<SchemaDe<S>>
  : O extends { responses: { 202: { content: { 'application/json': { schema: infer S } } } } }
    ? z.output<SchemaDe<S>>
    : undefined;
type Params<O> = O extends { request: { params: infer S } } ? { [K in keyof z.input<SchemaDe<S>>]: string | number } : undefined;
/** Query values as the pages hold them: numbers are written out, null and empty values left out. */
type Query<O> = O extends { request: { query: infer S } } ? { [K in keyof z.input<SchemaDe<S>>]?: string | number | null } : undefined;
export type Corps<O> = O extends { request: { body: { content: { 'application/json': { schema: infer S } } } } } ? z.input<SchemaDe<S>> : undefined;

export type Options<O> = (Params<O> extends undefined ? { params?: never } : { params: Params<O> }) & (Query<O> extends undefined ? { query?: never } : { query?: Query<O> });

/** A GET request ready to send: its URL, and the type of its answer (carried by the type only). */
export interface Requete<T> {
  readonly url: string;
  readonly __reponse?: T;
}

/** The URL of a declared route with its path parameters and query. */
export function url(chemin: string, options: { params?: Record<string, string | number>; query?: Record<string, string | number | null | undefined> } = {}): string {
  const path = chemin.replace(/\{(\w+)\}/g, (_, nom: string) => {
    const valeur = options.params?.[nom];
    if (valeur === undefined) throw new Error(`${chemin} : paramètre « ${nom} » manquant`);
    return encodeURIComponent(String(valeur));
  });
  const search = new URLSearchParams();
  for (const [cle, valeur] of Object.entries(options.query ?? {})) if (valeur !== null && valeur !== undefined && valeur !== '') search.set(cle, String(valeur));
  const texte = search.toString();
  return texte ? `${path}?${texte}` : path;
}

/** A read of a declared GET route: `lecture('/api/indicateurs', { query: { annee: 2024 } })`. */
export function lecture<C extends Chemin<'get'>>(chemin: C, ...options: Params<Declaration<'get', C>> extends undefined ? [Options<Declaration<'get', C>>?] : [Options<Declaration<'get', C>>]): Requete<Reponse<Declaration<'get', C>>> {
  return { url: url(chemin, options[0] as Parameters<typeof url>[1]) };
}

/** What a mutating call sends: its path parameters and JSON body, as the route declares them. */
export type Envoi<M extends Methode, C extends string> = Options<Declaration<M, C>> & (Corps<Declaration<M, C>> extends undefined ? { corps?: never } : { corps: Corps<Declaration<M, C>> });
export type { Declaration };
