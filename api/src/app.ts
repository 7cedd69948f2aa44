import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import cors from 'cors';
import type { Logger } from 'pino';
import { serveConsole } from './http/consolePage.ts';
import { errorHandler, notFoundHandler } from './http/errorHandler.ts';
import { servePortal } from './http/portalPage.ts';
import { requestLogging } from './http/requestLog.ts';
import { toExpressHandler } from './http/expressHandler.ts';
import type { ApiDeps, RouteDefinition } from './http/route.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { routes } from './routes/index.ts';

const PORTAL_BUILD_DIR = fileURLToPath(new URL('../../portal/dist', import.meta.url));
const PORTAL_SOURCE_DIR = fileURLToPath(new URL('../../portal/public', import.meta.url));
const CONSOLE_BUILD_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

/**
 * What one listener serves: everything (the default, one port), the `public` part (the API, the
 * portal, the console, health), or the `operator` part (/metrics, /admin/v1 and health) for a separate listener.
 */
export type Surface = 'all' | 'public' | 'operator';

/** Routes for the operator only: process metrics and the tenant/key administration. */
export const isOperatorRoute = (route: RouteDefinition): boolean => route.path === '/metrics' || route.path.startsWith('/admin/');
const isHealthRoute = (route: RouteDefinition): boolean => route.tag === 'Health' && route.path !== '/metrics';

function routesOf(surface: Surface): RouteDefinition[] {
  if (surface === 'public') return routes.filter((r) => !isOperatorRoute(r));
  if (surface === 'operator') return routes.filter((r) => isOperatorRoute(r) || isHealthRoute(r));
  return routes;
}

const API_CORS: cors.CorsOptions = {
  origin: '*',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  // svix-req-id: Svix's JavaScript client sends it with every request.
  allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'svix-req-id'],
  exposedHeaders: ['retry-after'],
  maxAge: 600,
};

export interface AppOptions {
  /**
   * Leave `trust proxy` unset, so that the app takes its host's setting when mounted in another
   * Express app (library mode, where HOOKLINE_TRUST_PROXY was not given).
   */
  inheritTrustProxy?: boolean;
  /** While false, every request is answered 503 (library mode: the host may still route to a closed Hookline). */
  available?: () => boolean;
}

/**
 * Builds the Express app: body parsing, request logging, the route table, the portal, the console, errors. It
 * listens on its own (standalone) or is mounted in a host app (`host.use('/webhooks', app)`): every
 * link, redirect and cookie path it makes is under `req.baseUrl`.
 */
export function createApp(deps: ApiDeps, logger: Logger, surface: Surface = 'all', options: AppOptions = {}): Express {
  const app = express();
  // Which X-Forwarded-For entries name the client (req.ip, used to count failed authentications).
  if (!options.inheritTrustProxy) app.set('trust proxy', deps.config.trustProxy);
  app.disable('x-powered-by');
  // No ETags: they hash every response body for clients that never send If-None-Match; an API
  // response is fetched fresh (the cost: docs/performance.md).
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use(requestLogging(app, logger));
  const { available } = options;
  if (available) app.use((_req, res, next) => (available() ? next() : res.status(503).json({ code: 'unavailable', detail: 'Hookline is closed' })));
  // The tenant and portal API is called with bearer tokens, never cookies, so any origin may call
  // it (as Svix's API allows): a vendor's own UI on the headless hooks is usually on another origin.
  // The console's routes (a session cookie) get no CORS headers.
  // Only a browser's cross-origin request carries Origin: a backend's publish skips the middleware.
  const apiCors = cors(API_CORS);
  app.use('/api/v1', (req, res, next) => (req.headers.origin === undefined ? next() : apiCors(req, res, next)));
  app.use(express.json({ limit: deps.config.maxBodyBytes, strict: false }));
  const served = routesOf(surface);
  // Fail at start, not at the first session: a tenant route must say which roles may call it.
  const undeclared = served.filter((r) => r.auth === 'tenant' && !r.access).map((r) => r.operationId);
  if (undeclared.length > 0) throw new Error(`routes without an access declaration: ${undeclared.join(', ')}`);
  for (const route of served) app[route.method](route.path, toExpressHandler(route, deps));
  if (surface === 'operator') {
    app.use(notFoundHandler);
    app.use(errorHandler());
    return app;
  }
  const openapi = buildOpenApiDocument(served, { version: '1.0.0' });
  // Under a mount the paths are relative to it, which `servers` says (clients resolve them against it).
  app.get('/openapi.json', (req, res) => res.json(req.baseUrl ? { ...openapi, servers: [{ url: req.baseUrl }] } : openapi));
  // The built portal when there is one (`pnpm --filter @hookline/portal build`), else its static files.
  servePortal(app, deps.config, deps.db, { buildDir: PORTAL_BUILD_DIR, sourceDir: PORTAL_SOURCE_DIR });
  // The vendor console (built at install); its JSON API is the /console/v1 routes above.
  serveConsole(app, { buildDir: CONSOLE_BUILD_DIR });
  app.get('/', (req, res) => res.redirect(`${req.baseUrl}/portal/`));
  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
