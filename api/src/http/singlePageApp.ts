import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';

/**
 * A built single-page app under `prefix` (the portal, the console): its files from `dir`, and for
 * client-side routes (paths without a file extension) the page `page` makes, revalidated on every
 * load since it names the current hashed bundles. `prefix` alone redirects to `prefix/`, under a
 * mount too (`req.baseUrl`); a missing asset stays a 404; paths `skip` accepts pass on untouched.
 * (Middleware, not routes: the router's routes are the API that /openapi.json documents.)
 */
export function serveSinglePageApp(
  app: Express,
  prefix: string,
  options: { dir: string; page: (req: Request, res: Response) => Promise<string | undefined>; skip?: (req: Request) => boolean },
): void {
  app.use(prefix, (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || options.skip?.(req) || (path.extname(req.path) !== '' && req.path !== '/index.html')) return next();
    const [pathname = '', ...query] = req.originalUrl.split('?');
    if (pathname === req.baseUrl) return res.redirect(301, `${req.baseUrl}/${query.length > 0 ? `?${query.join('?')}` : ''}`);
    options.page(req, res).then((html) => {
      if (html === undefined) return next();
      res.setHeader('cache-control', 'no-cache');
      res.type('html').send(html);
    }, next);
  });
  app.use(prefix, express.static(options.dir, { index: false }));
}
