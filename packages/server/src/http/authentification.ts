import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Acces } from '../auth/roles.ts';
import { autorise, LIBELLES_ROLE } from '../auth/roles.ts';
import type { ReglesSecurite } from '../securite.ts';
import type { Authentification } from '../services/authentification.ts';
import { BadRequestError, ForbiddenError, UnauthorizedError } from './errors.ts';
import type { AppEnv, Viewer } from './viewer.ts';
import { UTILISATEUR_DEMONSTRATION } from './viewer.ts';

export const COOKIE_SESSION = 'mixite_session';
export const EN_TETE_CSRF = 'x-mixite-csrf';
/** In demonstration mode only: the name a visitor typed, which signs its changes. */
const EN_TETE_NOM = 'x-mixite-utilisateur';

const SURS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The visitor of a public route in production: the least of the rights, never used to read anything. */
const ANONYME: Viewer = { nom: 'anonyme', role: 'lecteur', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'aucune' } };

/**
 * Puts the viewer on every request of /api. With a valid session cookie, the account; without, in demonstration
 * mode, the demo visitor (an administrator, since the demo territory is fictitious and the server listens on the
 * loopback only); in production, nothing: every route but the public ones (`publiques`, the operations the
 * OpenAPI document marks `x-mixite-acces: public`) answers 401.
 *
 * Mutating requests must come from the application's own pages: no cross-site `Sec-Fetch-Site`, an `Origin` (when
 * sent) naming this host, and the session's CSRF token echoed in `x-mixite-csrf` (the login, which has no session
 * yet, needs a JSON body instead, which a cross-site form cannot send).
 */
export function authentification(auth: Authentification, regles: ReglesSecurite, publiques: ReadonlySet<string>, jetonDemonstration: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const publique = publiques.has(`${c.req.method} ${c.req.path}`);
    const jeton = getCookie(c, COOKIE_SESSION) ?? null;
    const trouvee = jeton ? await auth.session(jeton) : null;
    // A stale cookie is cleared, but not on the public routes: the login sets the new one in the same response.
    if (jeton && !trouvee && !publique) deleteCookie(c, COOKIE_SESSION, { path: '/' });
    if (trouvee) {
      c.set('viewer', trouvee.viewer);
      c.set('session', trouvee.session);
      c.set('csrf', trouvee.session.csrf);
    } else if (regles.mode === 'demonstration') {
      const declared = c.req.header(EN_TETE_NOM);
      // A header is Latin-1 on the wire: the front end sends the name URI-encoded so that accents survive.
      const nom = declared ? safeDecode(declared).trim().slice(0, 80) : '';
      c.set('viewer', { nom: nom || UTILISATEUR_DEMONSTRATION, role: 'admin', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'territoire' } });
      c.set('session', null);
      c.set('csrf', jetonDemonstration);
    } else if (publique) {
      c.set('viewer', ANONYME);
      c.set('session', null);
      c.set('csrf', '');
    } else {
      throw new UnauthorizedError(jeton ? 'session expirée : reconnectez-vous' : undefined);
    }
    if (!SURS.has(c.req.method)) {
      verifierOrigine(c, regles);
      if (publique) {
        if (!(c.req.header('content-type') ?? '').startsWith('application/json')) throw new BadRequestError('corps JSON attendu (content-type: application/json)');
      } else if (!memeJeton(c.req.header(EN_TETE_CSRF) ?? '', c.var.csrf)) {
        throw new ForbiddenError('jeton anti-falsification (CSRF) absent ou invalide : rechargez la page', 'csrf');
      }
    }
    await next();
  };
}

/** The route needs this access level; the global middleware already required a session for all but the public ones. */
export function exiger(acces: Acces): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viewer = c.var.viewer;
    if (!autorise(viewer.role, acces)) throw new ForbiddenError(`accès refusé au rôle « ${LIBELLES_ROLE[viewer.role]} »`);
    await next();
  };
}

function verifierOrigine(c: Context<AppEnv>, regles: ReglesSecurite): void {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw new ForbiddenError('requête d’un autre site refusée', 'origine');
  const origin = c.req.header('origin');
  if (!origin) return;
  const host = (regles.derriereProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host') ?? new URL(c.req.url).host;
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost !== host) throw new ForbiddenError('requête d’une autre origine refusée', 'origine');
}

function memeJeton(recu: string, attendu: string): boolean {
  if (!attendu || recu.length !== attendu.length) return false;
  return timingSafeEqual(Buffer.from(recu), Buffer.from(attendu));
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS (or as configured), for the whole site. */
export function poserCookie(c: Context<AppEnv>, regles: ReglesSecurite, jeton: string): void {
  setCookie(c, COOKIE_SESSION, jeton, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookieSecurise(c, regles),
    path: '/',
    // No Max-Age: the cookie ends with the browser, the session with the server's rules, whichever first.
  });
}

export function effacerCookie(c: Context<AppEnv>, regles: ReglesSecurite): void {
  deleteCookie(c, COOKIE_SESSION, { path: '/', secure: cookieSecurise(c, regles), httpOnly: true, sameSite: 'Strict' });
}

/** Whether the session cookie gets `Secure`: also whether the request came over HTTPS (HSTS is sent then, app.ts). */
export function cookieSecurise(c: Context, regles: ReglesSecurite): boolean {
  if (regles.cookieSecurise !== 'auto') return regles.cookieSecurise;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return regles.derriereProxy && c.req.header('x-forwarded-proto') === 'https';
}

/** The client's address, for the throttling of logins: the socket's, or the proxy's X-Forwarded-For when configured. */
export function adresseClient(c: Context, regles: ReglesSecurite): string {
  if (regles.derriereProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'inconnue';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
