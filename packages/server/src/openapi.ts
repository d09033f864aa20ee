import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ACCES, ROLES_AUTORISES } from './auth/roles.ts';
import type { AppEnv } from './http/viewer.ts';
import { routesBilan } from './routes/bilan-routes.ts';
import { routesConfiguration } from './routes/configuration-routes.ts';
import { routesContours } from './routes/contours-routes.ts';
import { routesCotation } from './routes/cotation-routes.ts';
import { routesEspace } from './routes/espace-routes.ts';
import { routesExport } from './routes/export-routes.ts';
import { routesFlux } from './routes/flux-routes.ts';
import { routesImports } from './routes/imports-routes.ts';
import { routesCorrespondances } from './routes/correspondances-routes.ts';
import { routesIndicateurs } from './routes/indicateurs-routes.ts';
import { routesJournal } from './routes/journal-routes.ts';
import { routesParc } from './routes/parc-routes.ts';
import { routesCaleol } from './routes/caleol-routes.ts';
import { routesRefus } from './routes/refus-routes.ts';
import { routesProgramme } from './routes/programme-routes.ts';
import type { Operation } from './routes/operation.ts';
import { json, operation } from './routes/operation.ts';
import { routesSession } from './routes/session-routes.ts';
import { routesSimulation } from './routes/simulation-routes.ts';

/**
 * The OpenAPI document of /api, GENERATED from the declarations of the routes (routes/operation.ts): the same
 * objects register the handlers, validate the requests with the zod schemas of `@mixite/contract`, and are read
 * here. Each operation names the access it requires (`x-mixite-acces`, see auth/roles.ts): the authentication
 * middleware opens the `public` ones without a session, and the test matrix role × route is generated from this
 * document, so that a new route is checked for every role as soon as it is declared. Parameters carry an
 * `example` the matrix calls the route with.
 */

export const routeDocument = operation('public', {
  method: 'get',
  path: '/openapi.json',
  summary: 'Ce document (OpenAPI 3.1), produit depuis les déclarations des routes',
  tags: ['API'],
  responses: { 200: json(z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }).meta({ id: 'DocumentOpenApi' })) },
});

/**
 * Every operation of /api, as declared (paths relative to /api). Its type keeps each declaration's literal path and
 * schemas: the web's typed client derives from it the paths it may call, their parameters and their answers.
 */
export const OPERATIONS = [
  routeDocument,
  ...Object.values(routesSession),
  ...Object.values(routesJournal),
  ...Object.values(routesIndicateurs),
  ...Object.values(routesImports),
  ...Object.values(routesCorrespondances),
  ...Object.values(routesConfiguration),
  ...Object.values(routesExport),
  ...Object.values(routesBilan),
  ...Object.values(routesCotation),
  ...Object.values(routesParc),
  ...Object.values(routesCaleol),
  ...Object.values(routesEspace),
  ...Object.values(routesContours),
  ...Object.values(routesFlux),
  ...Object.values(routesRefus),
  ...Object.values(routesProgramme),
  ...Object.values(routesSimulation),
] as const satisfies readonly Operation[];

/** The union of the declarations of /api (for `import type` by the web: nothing of the server reaches the bundle). */
export type OperationApi = (typeof OPERATIONS)[number];

const DESCRIPTION =
  'API de l’application Mixité : indicateurs de la Convention Intercommunale d’Attribution, import des données, paramètres. ' +
  'Les messages sont en français. Les tableaux ont la forme { titre, colonnes, lignes } ; POST /api/export rend un tableau agrégé en CSV ou XLSX, ' +
  'POST /api/exports une liste de ménages lue sur le serveur. ' +
  'Chaque opération indique l’accès requis (x-mixite-acces) : ' +
  ACCES.map((a) => (a === 'public' ? 'public (sans session)' : `${a} (${ROLES_AUTORISES[a].join(', ')})`)).join(' ; ') +
  '. En mode démonstration, un visiteur sans session agit comme administrateur. Une requête refusée reçoit { erreur, message, details? } : ' +
  '400 pour un paramètre de chemin ou de requête, 422 pour un corps (details liste chaque champ refusé).';

let document: Record<string, unknown> | null = null;

export function openApiDocument(): Record<string, unknown> {
  if (document) return document;
  const generateur = new OpenAPIHono<AppEnv>();
  generateur.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'mixite_session',
    description: 'Cookie de session posé par POST /api/session',
  });
  generateur.openAPIRegistry.registerComponent('securitySchemes', 'csrf', {
    type: 'apiKey',
    in: 'header',
    name: 'x-mixite-csrf',
    description: 'Jeton rendu par la session, exigé sur POST, PUT et DELETE',
  });
  for (const op of OPERATIONS) {
    const { middleware: _middleware, ...route } = op;
    generateur.openAPIRegistry.registerPath({ ...route, path: `/api${route.path}` });
  }
  document = generateur.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Mixité — API', version: '0.1.0', description: DESCRIPTION },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
  }) as unknown as Record<string, unknown>;
  // The example of a parameter is written on its schema; OpenAPI readers (and the test matrix) look for it on the parameter too.
  for (const methodes of Object.values(document['paths'] as Record<string, Record<string, { parameters?: { example?: unknown; schema?: { example?: unknown } }[] }>>)) {
    for (const op of Object.values(methodes)) for (const p of op.parameters ?? []) if (p.example === undefined && p.schema?.example !== undefined) p.example = p.schema.example;
  }
  return document;
}

const cle = (op: Operation) => `${op.method.toUpperCase()} /api${op.path}`;

/** Method and path of every documented operation, e.g. `GET /api/indicateurs` (for the route test). */
export function documentedOperations(): string[] {
  return OPERATIONS.map(cle);
}

/** The operations open without a session (`x-mixite-acces: public`), as `METHOD /path`: read by the authentication middleware. */
export function publicOperations(): Set<string> {
  return new Set(OPERATIONS.filter((op) => op['x-mixite-acces'] === 'public').map(cle));
}
