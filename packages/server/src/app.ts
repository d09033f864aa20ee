import { randomBytes } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Store } from '@mixite/data';
import { authentification, cookieSecurise } from './http/authentification.ts';
import type { Deps } from './http/deps.ts';
import { createDeps } from './http/deps.ts';
import { NotFoundError, PayloadTooLargeError, errorHandler } from './http/errors.ts';
import type { AppEnv } from './http/viewer.ts';
import { openApiDocument, publicOperations, routeDocument } from './openapi.ts';
import { configurationRoutes } from './routes/configuration-routes.ts';
import { contoursRoutes } from './routes/contours-routes.ts';
import { bilanRoutes } from './routes/bilan-routes.ts';
import { cotationRoutes } from './routes/cotation-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { fluxRoutes } from './routes/flux-routes.ts';
import { importsRoutes } from './routes/imports-routes.ts';
import { correspondancesRoutes } from './routes/correspondances-routes.ts';
import { indicateursRoutes } from './routes/indicateurs-routes.ts';
import { espaceRoutes } from './routes/espace-routes.ts';
import { journalRoutes } from './routes/journal-routes.ts';
import { parcRoutes } from './routes/parc-routes.ts';
import { caleolRoutes } from './routes/caleol-routes.ts';
import { refusRoutes } from './routes/refus-routes.ts';
import { programmeRoutes } from './routes/programme-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import type { ReglesSecurite } from './securite.ts';
import { reglesSecurite } from './securite.ts';
import type { ScellementJournal } from './services/scellement-journal.ts';
import { scellementDuStore } from './services/scellement-journal.ts';
import { TravauxExport } from './services/travaux-export.ts';
import { TravauxSimulation } from './services/travaux-simulation.ts';
import { simulationRoutes } from './routes/simulation-routes.ts';
import { cartesParcDuServeur } from './rendu-parc.ts';
import { webRoutes } from './web-assets.ts';

export interface AppOptions {
  /** Folder of the built front end (index.html and assets); null serves the API only (tests). */
  readonly webDist?: string | null;
  /** Security settings (securite.ts); the mode defaults to production: every route but the public ones needs a session. */
  readonly securite?: Partial<ReglesSecurite>;
  /**
   * The key and anchors of the audit log. By default those of the store: in memory for `:memory:`, else the key
   * file beside the store (or MIXITE_CLE_JOURNAL), created if missing; `startServer` passes its own in production.
   */
  readonly scellement?: ScellementJournal;
}

export interface MixiteApp {
  readonly app: Hono<AppEnv>;
  readonly deps: Deps;
  /** Releases what the app holds besides the store (pending uploads). The caller closes the store. */
  close(): void;
}

/** The whole HTTP application over one store: `app.request()` runs it in-process, `startServer` serves it. */
export function createApp(store: Store, options: AppOptions = {}): MixiteApp {
  const regles = reglesSecurite(options.securite);
  const deps = createDeps(store, regles, options.scellement ?? scellementDuStore(store, { creer: true }));
  // Heavy household exports written in the background (services/travaux-export.ts).
  const travaux = new TravauxExport(regles.maintenant);
  // Simulations of allocation policies run in the background (services/travaux-simulation.ts).
  const simulations = new TravauxSimulation(regles.maintenant);
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.use(
    '*',
    secureHeaders({
      // Mantine writes style attributes and <style> elements: inline styles are allowed, scripts only from the site.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        // The one rule on framing: X-Frame-Options is not sent, so that no second header can contradict it.
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: false,
      // No page of Mixité uses a device or a sensor: none of them may be asked for, by the site or anything it embeds.
      permissionsPolicy: {
        camera: [],
        microphone: [],
        geolocation: [],
        payment: [],
        usb: [],
        serial: [],
        bluetooth: [],
        hid: [],
        midi: [],
        accelerometer: [],
        gyroscope: [],
        magnetometer: [],
        displayCapture: [],
        fullscreen: ['self'],
        browsingTopics: [],
      },
      crossOriginEmbedderPolicy: false,
      // Set below, and only when it is true that the site is served over HTTPS.
      strictTransportSecurity: false,
    }),
  );
  // HSTS tells browsers to use HTTPS only for a year: sent in production when the request came over HTTPS (TLS to
  // Mixité, or a trusted proxy saying so with MIXITE_PROXY=1 and X-Forwarded-Proto) or when MIXITE_COOKIE_SECURISE=1
  // declares the site HTTPS-only — the same rule as the session cookie's Secure flag. Never over plain HTTP (browsers
  // ignore it there) nor in demonstration mode (localhost must stay reachable over HTTP).
  app.use('*', async (c, next) => {
    await next();
    if (regles.mode === 'production' && cookieSecurise(c, regles)) c.header('strict-transport-security', 'max-age=31536000');
  });

  const api = new OpenAPIHono<AppEnv>();
  api.use('*', async (c, next) => {
    await next();
    // API answers may carry household data: never stored by a browser or a proxy.
    c.header('cache-control', 'no-store');
  });
  // In demonstration mode, the token the pages echo on mutating requests (there is no session to hold one).
  api.use('*', authentification(deps.auth, regles, publicOperations(), randomBytes(32).toString('base64url')));
  api.use('*', limiteCorps(regles));
  // Generated from the same declarations as the routes below (openapi.ts).
  api.openapi(routeDocument, (c) => c.json(openApiDocument() as { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> }, 200));
  api.route('/', sessionRoutes(deps));
  api.route('/', indicateursRoutes(deps));
  api.route('/', espaceRoutes(deps));
  api.route('/', importsRoutes(deps));
  api.route('/', correspondancesRoutes(deps));
  api.route('/', contoursRoutes(deps));
  api.route('/', parcRoutes(deps));
  api.route('/', caleolRoutes(deps));
  api.route('/', configurationRoutes(deps));
  api.route('/', cotationRoutes(deps));
  api.route('/', bilanRoutes(deps, simulations));
  api.route('/', fluxRoutes(deps));
  api.route('/', refusRoutes(deps));
  api.route('/', programmeRoutes(deps));
  api.route('/', exportRoutes(deps, travaux));
  api.route('/', simulationRoutes(deps, simulations));
  api.route('/', journalRoutes(deps));
  api.all('*', (c) => {
    throw new NotFoundError(`route inconnue : ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  app.route('/api', api);

  // GET /parc with its maps drawn by the server, their figures read through the API with the request's cookie (issue 14).
  if (options.webDist) app.route('/', webRoutes(options.webDist, { cartesParc: cartesParcDuServeur((chemin, init) => app.request(chemin, init)) }));

  return {
    app,
    deps,
    close: () => {
      deps.uploads.close();
      travaux.close();
      simulations.close();
      deps.indicateurs.close();
    },
  };
}

/** Body sizes: uploads and exports have their own limits (documented in docs/security.md), the rest is small JSON. */
function limiteCorps(regles: ReglesSecurite) {
  const limite = (maxSize: number, quoi: string) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(`${quoi} dépasse ${Math.round(maxSize / (1024 * 1024))} Mo`);
      },
    });
  const televersement = limite(regles.tailleMaxTeleversement, 'le téléversement');
  const exportation = limite(regles.tailleMaxExport, 'le tableau à exporter');
  const json = limite(regles.tailleMaxJson, 'le corps de la requête');
  return (c: Parameters<typeof json>[0], next: Parameters<typeof json>[1]) => {
    const path = c.req.path;
    if (path === '/api/televersements' || path === '/api/correspondances/proposition') return televersement(c, next);
    if (path === '/api/export') return exportation(c, next);
    return json(c, next);
  };
}
