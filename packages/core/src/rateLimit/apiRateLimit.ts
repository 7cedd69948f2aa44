import { apiRateLimitRepo, type Database } from '@hookline/db';
import { RateLimitedError } from '../errors.ts';

export interface ApiRateLimit {
  /** Requests per second per tenant; 0 disables the limit. */
  perSecond: number;
  /** Requests a tenant may make at once before the steady rate applies. */
  burst: number;
}

/** A wait as a `Retry-After` value: whole seconds, rounded up, at least 1. */
export function retryAfterHeaderSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

/**
 * Counts one request of a portal session against its application's own portal budget (shared by
 * every api process, as the tenant's), never the tenant's API budget: an end customer's portal
 * traffic cannot make the vendor's own API calls get 429.
 */
export async function enforcePortalRateLimit(db: Database, tenantId: string, appId: string, limit: ApiRateLimit): Promise<void> {
  if (limit.perSecond <= 0) return;
  const decision = await apiRateLimitRepo.takePortalRequest(db, tenantId, appId, limit.perSecond, limit.burst);
  if (!decision.allowed) throw rateLimited(decision, limit);
}

/** The error for a refused request (tenant API requests are counted by ApiRateLeases and authenticateApiKey). */
export function rateLimited(decision: apiRateLimitRepo.RateDecision, limit: ApiRateLimit): RateLimitedError {
  return new RateLimitedError(retryAfterHeaderSeconds(decision.retryAfterSeconds), limit.perSecond);
}
