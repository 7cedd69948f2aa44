import { endpointRepo, tenantRepo, type Database } from '@hookline/db';
import { ValidationError } from '../errors.ts';
import type { HttpEndpointsOut } from './settingsSchemas.ts';

// A tenant's HTTPS-only setting: endpoint URLs with http:// are refused when written, and the
// worker refuses to send to one (a URL stored before the setting was turned on, or one a
// transformation rewrote).

const RULE = 'this tenant accepts only https:// endpoint URLs (its httpsOnly setting)';
/** The reason an attempt to an http:// URL of such a tenant records. */
export const HTTPS_ONLY_REFUSAL = `refused: ${RULE}`;

/** How many of a tenant's http:// endpoints the settings list by name (the count is exact). */
export const HTTP_ENDPOINTS_LISTED = 100;

export const isPlainHttpUrl = (url: string): boolean => url.slice(0, 7).toLowerCase() === 'http://';

/** A 422 on `url` when the tenant is HTTPS-only and the URL is http://. */
export async function assertUrlAllowedForTenant(db: Database, tenantId: string, url: string): Promise<void> {
  if (!isPlainHttpUrl(url)) return;
  const tenant = await tenantRepo.findTenant(db, tenantId);
  if (tenant?.httpsOnly) throw new ValidationError(['body', 'url'], `must be an https:// URL: ${RULE}`);
}

/** The tenant's endpoints whose URL is http:// (what turning HTTPS-only on leaves undeliverable). */
export async function listHttpEndpoints(db: Database, tenantId: string): Promise<HttpEndpointsOut> {
  const { count, rows } = await endpointRepo.findHttpEndpoints(db, tenantId, HTTP_ENDPOINTS_LISTED);
  return { count, data: rows.map((r) => ({ appId: r.appId, endpointId: r.id, url: r.url, operational: r.operational })) };
}
