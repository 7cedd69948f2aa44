/**
 * The API origin the portal sends its token to. A production build talks to its own origin, or to
 * one the serving Hookline allows (HOOKLINE_PORTAL_API_ORIGINS, listed in the page's
 * `<meta name="hookline-api-origins">` and its CSP connect-src); any other `?apiBase=` is refused
 * (null), so a crafted link cannot send the token elsewhere. A development build (vite dev) takes
 * any http(s) origin, to run against a separately served API.
 */
export function resolveApiBase(requested: string, options: { ownOrigin: string; allowed: readonly string[]; development: boolean; basePath?: string }): string | null {
  // The serving Hookline's API is under the path its host app mounted it at (library mode), if any.
  const own = `${options.ownOrigin}${options.basePath ?? ''}`;
  if (!requested) return own;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.origin === options.ownOrigin) return own;
  if (options.development) return url.origin;
  return options.allowed.includes(url.origin) ? url.origin : null;
}

/**
 * Where the serving Hookline is mounted in its host app (`<meta name="hookline-base-path">`, e.g.
 * `/webhooks`), or '' at the root. Only a plain absolute path is taken.
 */
export function mountPath(doc: Document = document): string {
  const content = doc.querySelector('meta[name="hookline-base-path"]')?.getAttribute('content') ?? '';
  return /^\/[^?#\s\\]*$/.test(content) ? content.replace(/\/+$/, '') : '';
}

/** The API origins the serving Hookline allows besides the page's own (see resolveApiBase). */
export function allowedApiOrigins(doc: Document = document): string[] {
  const content = doc.querySelector('meta[name="hookline-api-origins"]')?.getAttribute('content') ?? '';
  return content.split(/\s+/).filter((origin) => origin.length > 0);
}
