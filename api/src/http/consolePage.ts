import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express, Request } from 'express';
import { serveSinglePageApp } from './singlePageApp.ts';

// The vendor console at /console: its static build (console/dist) and, for any other path under
// /console that is not its API (/console/v1), index.html, so the console's own router shows the
// page (a reload of /console/team works). Strict CSP: only its own files and its own origin; never
// framed (clickjacking a signed-in owner is the risk).

/** The CSP of every /console page and asset. No inline script or style; `data:` images for QR codes and uploaded logos, https ones for a logo's URL. */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  // https: for the portal logo's preview on the Settings page.
  "img-src 'self' data: https:",
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
  serveSinglePageApp(app, '/console', {
    dir: dirs.buildDir,
    skip: isConsoleApi,
    page: () => readFile(path.join(dirs.buildDir, 'index.html'), 'utf8').catch(() => undefined),
  });
}
