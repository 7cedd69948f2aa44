import type { Request } from 'express';
import { applicationRepo, type Database } from '@hookline/db';
import { authenticatePortalToken, ForbiddenError, hasCapability, NotFoundError, type PortalCapability, type PortalClaims, type PortalKeyRing } from '@hookline/core';
import type { RouteDefinition } from './route.ts';

/**
 * The capability a portal token needs for a route, or undefined when portal tokens may not call it
 * at all. Derived from the path so every new app-scoped route is covered by default; a route can
 * say otherwise with its `portal` field.
 */
export function portalCapabilityFor(route: RouteDefinition): PortalCapability | undefined {
  if (route.portal !== undefined) return route.portal ?? undefined;
  const { method, path } = route;
  if (path === '/api/v1/event-type' || path.startsWith('/api/v1/event-type/')) return method === 'get' ? 'ViewBase' : undefined;
  if (path === '/api/v1/app/:app') return method === 'get' ? 'ViewBase' : undefined;
  if (!path.startsWith('/api/v1/app/:app/')) return undefined;
  if (path.endsWith('/secret')) return method === 'get' ? 'ViewEndpointSecret' : undefined;
  if (path.endsWith('/secret/rotate')) return 'ManageEndpointSecret';
  if (/\/(resend|recover|send-example)$/.test(path)) return 'CreateAttempts';
  if (method === 'get') return 'ViewBase';
  if (path.startsWith('/api/v1/app/:app/endpoint')) return 'ManageEndpoint';
  return undefined;
}

/**
 * Authenticates a portal token for a route (valid, not expired, not revoked by expire-all): the
 * token's tenant becomes the request's tenant, an `:app` in the path must be the token's
 * application (another one is a 404, as for another tenant's ids), and the token must carry the
 * capability the route needs (else 403).
 */
export async function authenticatePortal(
  db: Database,
  keys: PortalKeyRing,
  token: string,
  route: RouteDefinition,
  req: Request,
): Promise<{ tenantId: string; claims: PortalClaims }> {
  const { claims } = await authenticatePortalToken(db, keys, token);
  const needed = portalCapabilityFor(route);
  if (!needed) throw new ForbiddenError('This operation is not available with a portal token');
  const appParam = (req.params as Record<string, string | undefined>).app;
  if (appParam !== undefined) {
    const app = await applicationRepo.findApplication(db, claims.tenantId, appParam);
    if (!app || app.id !== claims.appId) throw new NotFoundError('Application not found');
  }
  if (!hasCapability(claims.capabilities, needed)) throw new ForbiddenError(`This portal session lacks the ${needed} capability`);
  return { tenantId: claims.tenantId, claims };
}
