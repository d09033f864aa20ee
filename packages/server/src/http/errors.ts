import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErreurMixite, GenreErreur, Probleme } from '@mixite/core';
import { ConflitError, DonneesInvalidesError, InterditError, IntrouvableError, MixiteError, RequeteInvalideError } from '@mixite/core';
import { traduireErreurBase } from '@mixite/data';
import type { ErreurApi } from '../contract.ts';

/** A failure the API reports to the user: a status, a stable code and a French message, with optional details. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/*
 * The domain's failures are core's MixiteError family (core/src/erreurs.ts); the classes below are its members
 * under the names the routes already use. HttpError is kept for what only HTTP knows: no session, throttling, a
 * body too large.
 */

export class BadRequestError extends RequeteInvalideError {
  constructor(message: string, details?: readonly Probleme[]) {
    super(message, { problemes: details });
  }
}

export class NotFoundError extends IntrouvableError {}

/** The body is well formed but its content breaks a rule (e.g. a target above 100 %). */
export class ValidationError extends DonneesInvalidesError {
  constructor(message: string, details: readonly Probleme[]) {
    super(message, { problemes: details });
  }
}

export class ConflictError extends ConflitError {}

/** No valid session: the client shows the login page. */
export class UnauthorizedError extends HttpError {
  constructor(message = 'connectez-vous pour accéder à Mixité') {
    super(401, 'non_authentifie', message);
  }
}

/** A session, but a role that may not use this route (or a mutating request without its CSRF token). */
export class ForbiddenError extends InterditError {
  constructor(message: string, code = 'acces_refuse') {
    super(message, { code });
  }
}

/** Login throttled: `retryAfter` seconds before the next attempt is even checked. */
export class TooManyRequestsError extends HttpError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(429, 'trop_de_tentatives', message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, 'trop_volumineux', message);
  }
}

/**
 * Each kind of the family, once: its status and its stable code (`erreur` of the body, unless the error names a more
 * precise one). A kind added to core without a line here does not compile.
 */
export const REPONSE_DU_GENRE: { readonly [G in GenreErreur]: { readonly statut: ContentfulStatusCode; readonly code: string } } = {
  requete_invalide: { statut: 400, code: 'requete_invalide' },
  donnees_invalides: { statut: 422, code: 'donnees_invalides' },
  introuvable: { statut: 404, code: 'introuvable' },
  interdit: { statut: 403, code: 'acces_refuse' },
  conflit: { statut: 409, code: 'conflit' },
  base_endommagee: { statut: 503, code: 'base_endommagee' },
  configuration_invalide: { statut: 500, code: 'configuration_invalide' },
  outil_absent: { statut: 503, code: 'outil_absent' },
};

/** The located problems travel as `details` for a document (always, even empty), else only when there are some. */
function reponseErreurMixite(error: ErreurMixite, c: Context): Response {
  const { statut, code } = REPONSE_DU_GENRE[error.kind];
  // A deployment fault is the administrator's to fix: its kind and place go to the server's log too.
  if (statut >= 500) console.error(`Erreur ${error.kind} sur ${c.req.method} ${c.req.routePath} : ${describeForLog(error)}`);
  const details = error.kind === 'donnees_invalides' || error.problemes.length > 0 ? { details: error.problemes } : {};
  return c.json({ erreur: error.code ?? code, message: error.message, ...details } satisfies ErreurApi, statut);
}

/**
 * The one place where errors become responses: known ones with their status, the database's failures in French
 * (data/src/store/erreurs-base.ts), the rest as a logged 500 whose reference the user can quote.
 * The log never carries the error's message: a database error may quote a value of a row (a NUR, an amount),
 * and the server's output is not a place for personal data. The error's kind and its stack frames locate it.
 */
export function errorHandler(error: Error, c: Context): Response {
  if (error instanceof MixiteError) return reponseErreurMixite(error as ErreurMixite, c);
  if (error instanceof HttpError) {
    const body: ErreurApi = { erreur: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) };
    if (error instanceof TooManyRequestsError) c.header('retry-after', String(error.retryAfter));
    return c.json(body, error.status);
  }
  if (error instanceof HTTPException) {
    return c.json({ erreur: 'http', message: error.message || 'requête refusée' } satisfies ErreurApi, error.status);
  }
  const reference = randomUUID().slice(0, 8);
  // A failure of the database or its disk (lock, disk full, memory, conflict…): said in French with what to do.
  const base = traduireErreurBase(error);
  if (base) {
    console.error(`Erreur de la base (${base.genre}) ${reference} sur ${c.req.method} ${c.req.routePath} : ${describeForLog(error)}`);
    return c.json({ erreur: `base_${base.genre}`, message: `${base.message} (référence ${reference})` } satisfies ErreurApi, base.statut);
  }
  console.error(`Erreur interne ${reference} sur ${c.req.method} ${c.req.routePath} : ${describeForLog(error)}`);
  return c.json({ erreur: 'interne', message: `Erreur interne du serveur (référence ${reference}) : voir le journal du serveur.` } satisfies ErreurApi, 500);
}

/**
 * The error's class and where it was thrown, without its message — unless a developer sets MIXITE_DEBOGAGE=1 on a
 * machine holding no real data (docs/security.md).
 */
export function describeForLog(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (!(error instanceof Error)) return typeof error;
  if (env['MIXITE_DEBOGAGE'] === '1') return error.stack ?? `${error.name}: ${error.message}`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join('\n');
  return `${error.name}${frames ? `\n${frames}` : ''}`;
}
