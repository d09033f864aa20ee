import type { RouteConfig } from '@hono/zod-openapi';
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { erreurSchema } from '@mixite/contract';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { Acces } from '../auth/roles.ts';
import { exiger } from '../http/authentification.ts';
import { BadRequestError, ValidationError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';

/**
 * One declaration per operation of /api (issue 11): its path, its access level, the zod schemas of its request
 * and answers (packages/contract). From it come, without a second writing:
 * - the OpenAPI document (`openapi.ts`), each operation carrying its access level as `x-mixite-acces`, read by the
 *   authentication middleware (the `public` ones open without a session) and by the role × route test matrix;
 * - the access check (`exiger`), run before anything reads the request;
 * - the validation of the query, the path and the JSON body at the edge, a refusal being the API's French error:
 *   400 for a query or a path parameter, 422 for a body (with each refused field in `details`).
 */
export type Operation = RouteConfig & { readonly 'x-mixite-acces': Acces };

export function operation<const R extends Omit<RouteConfig, 'middleware'>>(acces: Acces, route: R) {
  const content = route.request?.body?.content;
  const json = content !== undefined && 'application/json' in content;
  const middleware: MiddlewareHandler<AppEnv>[] = [exiger(acces), ...(json ? [corpsJson] : [])];
  return createRoute({ ...route, 'x-mixite-acces': acces, ...(acces === 'public' ? { security: [] } : {}), middleware });
}

/**
 * A JSON body is read before the schema sees it: a body that is not JSON (a form, a malformed text) is a 400 in
 * French, as it was before the routes were declared, not the library's English 415. The parsed body is kept by Hono
 * for the validator.
 */
const corpsJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type.trim())) throw new BadRequestError('corps de requête JSON illisible (en-tête content-type: application/json attendu)');
  try {
    await c.req.json();
  } catch {
    throw new BadRequestError('corps de requête JSON illisible');
  }
  await next();
};

/** What a validator tells its hook (declared apart so that the route's input types are inferred from the route alone). */
interface ResultatValidation {
  readonly target: string;
  readonly success: boolean;
  readonly error?: unknown;
}

/** A refused request as the API says it: the first problem of a query or path (400), every field of a body (422). */
export function refus(messageCorps = 'requête illisible'): (result: ResultatValidation) => undefined {
  return (result) => {
    if (result.success) return undefined;
    const issues = (result.error as z.ZodError).issues;
    if (result.target === 'json' || result.target === 'form') {
      throw new ValidationError(messageCorps, issues.slice(0, 20).map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    }
    throw new BadRequestError(issues[0]?.message ?? `paramètre invalide (${result.target})`);
  };
}

/** The sub-application of a group of routes: refusals follow `refus()` unless the route gives its own message. */
export const groupe = () => new OpenAPIHono<AppEnv>({ defaultHook: refus() });

// ——— Pieces of the declarations ———

export const json = <S extends z.ZodType>(schema: S, description = 'Succès') => ({ description, content: { 'application/json': { schema } } }) as const;
export const erreur = (description: string) => json(erreurSchema, description);

/** What a non-public operation answers without a session or with a role it does not accept. */
export const REFUS = {
  401: erreur('Sans session (mode production) ou session expirée'),
  403: erreur('Rôle non autorisé, ou jeton CSRF absent pour une modification'),
} as const;

export const corpsJsonRequis = <S extends z.ZodType>(schema: S, description?: string) =>
  ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } }) as const;

/** A file the API sends (an export, the bilan): documented by its media types. */
export const fichier = (description: string, types: readonly string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' as const, format: 'binary' } }])),
});
