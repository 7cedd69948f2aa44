import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { errorHandler, notFoundHandler } from './http/errorHandler.ts';
import { toExpressHandler, type ApiDeps } from './http/route.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { routes } from './routes/index.ts';

const PORTAL_BUILD_DIR = fileURLToPath(new URL('../../portal/dist', import.meta.url));
const PORTAL_SOURCE_DIR = fileURLToPath(new URL('../../portal/public', import.meta.url));

const msgIdProps: NonNullable<Options['customProps']> = (_req, res) => {
  const msgId = (res as { locals?: { msgId?: string } }).locals?.msgId;
  return msgId ? { msgId } : {};
};

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
    // A publish's completion line names the message it created (set by the route). Only when that
    // line is written: pino-http makes a child logger (its bindings serialised and redacted) of
    // what this returns at the request's start and again at its end, logged or not, and those
    // children were 5 % of the api's CPU in the bench, with access logs off.
    ...(logger.isLevelEnabled('info') ? { customProps: msgIdProps } : {}),
  }));
  app.use(express.json({ limit: deps.config.maxBodyBytes, strict: false }));
  for (const route of routes) app[route.method](route.path, toExpressHandler(route, deps));
  const openapi = buildOpenApiDocument(routes, { version: '1.0.0' });
  app.get('/openapi.json', (_req, res) => res.json(openapi));
  // The built portal when there is one (`pnpm --filter @hookline/portal build`), else its static files.
  const portalDir = existsSync(path.join(PORTAL_BUILD_DIR, 'index.html')) ? PORTAL_BUILD_DIR : PORTAL_SOURCE_DIR;
  app.use('/portal', (_req, res, next) => {
    res.setHeader('content-security-policy', `frame-ancestors ${deps.config.portalFrameAncestors}`);
    next();
  });
  app.use('/portal', express.static(portalDir, {
    index: 'index.html',
    // index.html names the current hashed bundles, so it must be revalidated after an upgrade.
    setHeaders: (res, file) => { if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache'); },
  }));
  // Client-side routes (no file extension) get the app; a missing asset stays a 404.
  // (A middleware, not a route: the router's routes are the API that /openapi.json documents.)
  app.use('/portal', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path.extname(req.path) !== '') return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(portalDir, 'index.html'));
  });
  app.get('/', (_req, res) => res.redirect('/portal/'));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
