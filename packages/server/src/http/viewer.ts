import type { MiddlewareHandler } from 'hono';

/**
 * Who is looking. Every repository call takes the viewer, so that issue 7 (roles, perimeters, audit) scopes
 * the data in one place — the `scope` of the viewer — without touching the routes.
 *
 * Until authentication exists every viewer sees the whole territory, like the EPCI's housing officer; the name
 * is the one the user typed in the application (header `X-Mixite-Utilisateur`) and only labels the changes it makes.
 */
export interface Viewer {
  readonly nom: string;
  readonly role: Role;
  /** null = the whole territory; otherwise the perimeters the viewer may see (issue 7). */
  readonly perimetres: readonly PerimetreAutorise[] | null;
}

export type Role = 'epci' | 'etat' | 'bailleur' | 'commune' | 'reservataire';

export interface PerimetreAutorise {
  readonly type: 'bailleur' | 'commune' | 'contingent';
  readonly id: string;
}

export const UTILISATEUR_PAR_DEFAUT = 'utilisateur local';
const HEADER = 'x-mixite-utilisateur';

export type AppEnv = { Variables: { viewer: Viewer } };

/** Puts the viewer on the request. Issue 7 replaces the body of this function, nothing else. */
export function contextMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const declared = c.req.header(HEADER);
    // A header is Latin-1 on the wire: the front end sends the name URI-encoded so that accents survive.
    const nom = declared ? safeDecode(declared).trim().slice(0, 80) : '';
    c.set('viewer', { nom: nom || UTILISATEUR_PAR_DEFAUT, role: 'epci', perimetres: null });
    await next();
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Whether the viewer may see everything, which is the only case before issue 7. */
export const seesEverything = (viewer: Viewer): boolean => viewer.perimetres === null;
