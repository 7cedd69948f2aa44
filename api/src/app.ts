import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
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

/** Builds the Express app: body parsing, request logging, the route table, the portal, the console, errors. */
export function createApp(deps: ApiDeps, logger: Logger, surface: Surface = 'all'): Express {
  const app = express();
  // Which X-Forwarded-For entries name the client (req.ip, used to count failed authentications).
  app.set('trust proxy', deps.config.trustProxy);
  app.disable('x-powered-by');
  // No ETags: they hash every response body for clients that never send If-None-Match; an API
  // response is fetched fresh (the cost: docs/performance.md).
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use(requestLogging(app, logger));
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
  app.get('/openapi.json', (_req, res) => res.json(openapi));
  // The built portal when there is one (`pnpm --filter @hookline/portal build`), else its static files.
  servePortal(app, deps.config, deps.db, { buildDir: PORTAL_BUILD_DIR, sourceDir: PORTAL_SOURCE_DIR });
  // The vendor console (built at install); its JSON API is the /console/v1 routes above.
  serveConsole(app, { buildDir: CONSOLE_BUILD_DIR });
  app.get('/', (_req, res) => res.redirect('/portal/'));
  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
