import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
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

export class BadRequestError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(400, 'requete_invalide', message, details);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'introuvable', message);
  }
}

/** The body is well formed but its content breaks a rule (e.g. a target above 100 %). */
export class ValidationError extends HttpError {
  constructor(message: string, details: unknown) {
    super(422, 'donnees_invalides', message, details);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'conflit', message);
  }
}

/** The one place where errors become responses: known ones with their status, the rest as a logged 500. */
export function errorHandler(error: Error, c: Context): Response {
  if (error instanceof HttpError) {
    const body: ErreurApi = { erreur: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) };
    return c.json(body, error.status);
  }
  if (error instanceof HTTPException) {
    return c.json({ erreur: 'http', message: error.message || 'requête refusée' } satisfies ErreurApi, error.status);
  }
  console.error(error);
  return c.json({ erreur: 'interne', message: 'Erreur interne du serveur : voir le journal du serveur.' } satisfies ErreurApi, 500);
}
