import type { Request, Response } from 'express';
import { ForbiddenError, type Config } from '@hookline/core';

/** The console session's cookie; its value is a credential, never logged (the logger redacts cookie headers). */
export const SESSION_COOKIE = 'hookline_session';
/** The header every cookie-authenticated mutation must carry: a cross-site form cannot set it, and a cross-site fetch that sets it needs a CORS preflight Hookline never grants. */
export const CSRF_HEADER = 'x-hookline-csrf';

/** The session token of a request's cookie, or undefined. */
export function sessionCookie(req: Request): string | undefined {
  return cookieOf(req, SESSION_COOKIE);
}

/** A cookie's value by name, or undefined. */
export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

// Secure whenever the request came over HTTPS, directly or through a proxy Express trusts (`req.secure`).
// Paths are under the router's mount (`req.baseUrl`, e.g. /webhooks in a host app), so a console
// cookie never reaches the host application's own routes.
const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: req.baseUrl || '/' });

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req), expires: expiresAt });
}

/** Sets or clears (value null) another console cookie, with the session cookie's attributes, on `path` under the mount. */
export function setConsoleCookie(req: Request, res: Response, cookie: { name: string; value: string | null; path: string; maxAgeSeconds?: number }): void {
  const options = { ...cookieOptions(req), path: `${req.baseUrl}${cookie.path}` };
  if (cookie.value === null) res.clearCookie(cookie.name, options);
  else res.cookie(cookie.name, cookie.value, { ...options, ...(cookie.maxAgeSeconds ? { maxAge: cookie.maxAgeSeconds * 1000 } : {}) });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a mutation that may come from another site: its Origin must be Hookline's own (the
 * request's scheme and host, or HOOKLINE_PUBLIC_URL's origin) and it must carry the CSRF header.
 */
export function assertSameOrigin(req: Request, config: Pick<Config, 'publicUrl'>): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.get('origin');
  const own = new Set([`${req.protocol}://${req.get('host')}`]);
  if (config.publicUrl) own.add(new URL(config.publicUrl).origin);
  if (!origin || !own.has(origin)) throw new ForbiddenError('Cross-site request refused: the Origin header must be this server');
  if (!req.get(CSRF_HEADER)) throw new ForbiddenError(`Cross-site request refused: the ${CSRF_HEADER} header is missing`);
}
