import { Hono } from 'hono';
import type { Store } from '@mixite/data';
import type { Deps } from './http/deps.ts';
import { createDeps } from './http/deps.ts';
import { NotFoundError, errorHandler } from './http/errors.ts';
import type { AppEnv } from './http/viewer.ts';
import { contextMiddleware } from './http/viewer.ts';
import { openApiDocument } from './openapi.ts';
import { configurationRoutes } from './routes/configuration-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { importsRoutes } from './routes/imports-routes.ts';
import { indicateursRoutes } from './routes/indicateurs-routes.ts';
import { webRoutes } from './web-assets.ts';

export interface AppOptions {
  /** Folder of the built front end (index.html and assets); null serves the API only (tests). */
  readonly webDist?: string | null;
}

export interface MixiteApp {
  readonly app: Hono<AppEnv>;
  readonly deps: Deps;
  /** Releases what the app holds besides the store (pending uploads). The caller closes the store. */
  close(): void;
}

/** The whole HTTP application over one store: `app.request()` runs it in-process, `startServer` serves it. */
export function createApp(store: Store, options: AppOptions = {}): MixiteApp {
  const deps = createDeps(store);
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);

  const api = new Hono<AppEnv>();
  api.use('*', contextMiddleware());
  api.get('/openapi.json', (c) => c.json(openApiDocument()));
  api.route('/', indicateursRoutes(deps));
  api.route('/', importsRoutes(deps));
  api.route('/', configurationRoutes(deps));
  api.route('/', exportRoutes());
  api.all('*', (c) => {
    throw new NotFoundError(`route inconnue : ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  app.route('/api', api);

  if (options.webDist) app.route('/', webRoutes(options.webDist));

  return { app, deps, close: () => deps.uploads.close() };
}
