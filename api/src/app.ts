import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler } from './http/errorHandler.ts';
import { toExpressHandler, type ApiDeps } from './http/route.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { routes } from './routes/index.ts';

const PORTAL_DIR = fileURLToPath(new URL('../../portal/public', import.meta.url));

/** Builds the Express app: body parsing, request logging, the route table, the portal, errors. */
export function createApp(deps: ApiDeps, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // Only the path is logged: query strings and headers may carry credentials.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  }));
  app.use(express.json({ limit: deps.config.maxBodyBytes, strict: false }));
  for (const route of routes) app[route.method](route.path, toExpressHandler(route, deps));
  const openapi = buildOpenApiDocument(routes, { version: '1.0.0' });
  app.get('/openapi.json', (_req, res) => res.json(openapi));
  app.use('/portal', express.static(PORTAL_DIR, { index: 'index.html' }));
  app.get('/', (_req, res) => res.redirect('/portal/'));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
