import type { Request } from 'express';
import {
  AuthenticationError,
  authenticateApiKey,
  authenticateSession,
  ForbiddenError,
  roleAllows,
  sessionPolicyOf,
  verifyAdminToken,
  type ApiRateLimit,
  type SessionPerson,
} from '@hookline/core';
import type { Database } from '@hookline/db';
import type { ApiDeps, RouteDefinition } from './route.ts';
import { assertSameOrigin, sessionCookie } from './sessionCookie.ts';

/** The bearer token of a request, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Authenticates an API key and counts the request against its tenant's rate limit. */
export async function authenticateTenant(
  deps: Pick<ApiDeps, 'db' | 'apiKeys' | 'apiRateLeases'>,
  req: Request,
  limit: ApiRateLimit,
): Promise<{ tenantId: string; keyId: string; keyName: string }> {
  const token = bearerToken(req);
  if (!token) throw new AuthenticationError('Missing Authorization: Bearer <api key>');
  return authenticateApiKey(deps.db, token, { limit, keys: deps.apiKeys, leases: deps.apiRateLeases });
}

export async function authenticateAdmin(db: Database, configuredToken: string | undefined, req: Request): Promise<void> {
  const token = bearerToken(req);
  if (!token) throw new AuthenticationError('Missing Authorization: Bearer <admin token>');
  if (!(await verifyAdminToken(db, configuredToken, token))) throw new AuthenticationError('Invalid admin token');
}

/**
 * Authenticates a person's session cookie for a route: live session, same-origin mutations, and
 * on tenant routes a current tenant where the person's role has the route's access.
 */
export async function authenticatePerson(deps: Pick<ApiDeps, 'db' | 'config'>, req: Request, route: RouteDefinition): Promise<SessionPerson> {
  const token = sessionCookie(req);
  if (!token) throw new AuthenticationError('Not signed in: this operation needs a console session');
  const person = await authenticateSession(deps.db, token, sessionPolicyOf(deps.config));
  assertSameOrigin(req, deps.config);
  if (route.auth !== 'tenant') return person;
  if (!person.tenantId || !person.role) throw new ForbiddenError('Choose one of your tenants first (POST /console/v1/me/tenant)');
  if (!route.access || !roleAllows(person.role, route.access)) throw new ForbiddenError(`The ${person.role} role may not do this`);
  return person;
}
