import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Express, type Request } from 'express';

// The vendor console at /console: its static build (console/dist) and, for any other path under
// /console that is not its API (/console/v1), index.html, so the console's own router shows the
// page (a reload of /console/team works). Strict CSP: only its own files and its own origin; never
// framed (clickjacking a signed-in owner is the risk).

/** The CSP of every /console page and asset. No inline script or style; `data:` images for QR codes. */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isConsoleApi = (req: Request): boolean => req.path === '/v1' || req.path.startsWith('/v1/');

/** Serves the console from `buildDir` (built by `pnpm --filter @hookline/console build`, which install runs). */
export function serveConsole(app: Express, dirs: { buildDir: string }): void {
  app.use('/console', (req, res, next) => {
    if (!isConsoleApi(req)) res.setHeader('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    next();
  });
  // The page itself for client-side routes (no file extension); a missing asset stays a 404.
  // (A middleware, not a route: the router's routes are the API that /openapi.json documents.)
  app.use('/console', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isConsoleApi(req) || (path.extname(req.path) !== '' && req.path !== '/index.html')) return next();
    if (req.originalUrl.split('?')[0] === '/console') return res.redirect(301, `/console/${req.originalUrl.slice('/console'.length)}`);
    readFile(path.join(dirs.buildDir, 'index.html'), 'utf8').then(
      (html) => {
        // index.html names the current hashed bundles, so it must be revalidated after an upgrade.
        res.setHeader('cache-control', 'no-cache');
        res.type('html').send(html);
      },
      () => next(),
    );
  });
  app.use('/console', express.static(dirs.buildDir, { index: false }));
}
