import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';
import { tenantPortalFrameAncestors, type Config } from '@hookline/core';
import type { Database } from '@hookline/db';
import { serveSinglePageApp } from './singlePageApp.ts';

// The customer portal at /portal: its static build, under a Content-Security-Policy that lets it
// load only its own files and send its token only to its own origin (plus the operator's
// HOOKLINE_PORTAL_API_ORIGINS), and be framed only by HOOKLINE_PORTAL_FRAME_ANCESTORS. The page
// names the allowed API origins in a meta tag, so the portal refuses an `?apiBase=` elsewhere
// before the browser would block it.

type PortalConfig = Pick<Config, 'portalApiOrigins' | 'portalFrameAncestors'>;

/** The CSP of every /portal response. The portal has no inline script or style, so none is allowed. */
export function portalContentSecurityPolicy(config: PortalConfig): string {
  return [
    "default-src 'self'",
    // The tenant's logo (console Settings): an https URL or a data:image URL.
    "img-src 'self' data: https:",
    `connect-src ${["'self'", ...config.portalApiOrigins].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${config.portalFrameAncestors}`,
  ].join('; ');
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * index.html (read each time: a rebuild renames the bundles) with the allowed API origins in
 * `<meta name="hookline-api-origins">` and, under a mount (library mode, e.g. /webhooks), the mount
 * in `<meta name="hookline-base-path">`, where the portal finds its API; the build names its files
 * under /portal/ (vite's base), which then moves under the mount.
 */
async function portalIndex(dir: string, config: PortalConfig, basePath: string): Promise<string | undefined> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8').catch(() => undefined);
  if (html === undefined) return undefined;
  const origins = `<meta name="hookline-api-origins" content="${escapeAttribute(config.portalApiOrigins.join(' '))}">`;
  if (!basePath) return html.replace(/<head>/i, `<head>\n  ${origins}`);
  const base = escapeAttribute(basePath);
  return html
    .replace(/<head>/i, `<head>\n  ${origins}\n  <meta name="hookline-base-path" content="${base}">`)
    .replace(/(\s(?:src|href)=")\/portal\//g, (_, attribute: string) => `${attribute}${base}/portal/`);
}

/** Serves the portal from `buildDir` when it has been built, else the static files of `sourceDir`. */
export function servePortal(app: Express, config: PortalConfig, db: Database, dirs: { buildDir: string; sourceDir: string }): void {
  const portalDir = existsSync(path.join(dirs.buildDir, 'index.html')) ? dirs.buildDir : dirs.sourceDir;
  const csp = portalContentSecurityPolicy(config);
  app.use('/portal', (_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    next();
  });
  // A link of a tenant with its own frame-ancestors names it (`?tenant=`): they only narrow the
  // installation's (tenantSettings.ts), so a swapped or unknown tenant never frames more widely.
  serveSinglePageApp(app, '/portal', {
    dir: portalDir,
    page: async (req, res) => {
      const tenant = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
      // `req.baseUrl` is where this is mounted: /portal, or e.g. /webhooks/portal in a host app.
      const [html, frameAncestors] = await Promise.all([
        portalIndex(portalDir, config, req.baseUrl.slice(0, -'/portal'.length)),
        tenant ? tenantPortalFrameAncestors(db, tenant, config.portalFrameAncestors) : undefined,
      ]);
      if (html !== undefined && frameAncestors)
        res.setHeader('content-security-policy', portalContentSecurityPolicy({ ...config, portalFrameAncestors: frameAncestors }));
      return html;
    },
  });
}
