import type { Request } from 'express';
import { AuthenticationError, authenticateApiKey, verifyAdminToken, type ApiRateLimit } from '@hookline/core';
import type { Database } from '@hookline/db';

/** The bearer token of a request, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Authenticates an API key and counts the request against its tenant's rate limit. */
export async function authenticateTenant(db: Database, req: Request, limit: ApiRateLimit): Promise<{ tenantId: string; keyId: string; keyName: string }> {
  const token = bearerToken(req);
  if (!token) throw new AuthenticationError('Missing Authorization: Bearer <api key>');
  return authenticateApiKey(db, token, limit);
}

export async function authenticateAdmin(db: Database, configuredToken: string | undefined, req: Request): Promise<void> {
  const token = bearerToken(req);
  if (!token) throw new AuthenticationError('Missing Authorization: Bearer <admin token>');
  if (!(await verifyAdminToken(db, configuredToken, token))) throw new AuthenticationError('Invalid admin token');
}
