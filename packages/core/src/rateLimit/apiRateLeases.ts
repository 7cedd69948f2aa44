import { apiRateLimitRepo, type Database } from '@hookline/db';
import { rateLimited, type ApiRateLimit } from './apiRateLimit.ts';

/** How long requests taken from the shared budget stay this process's to spend; unspent ones then lapse. */
const LEASE_MS = 1000;
/** Tenants whose leases are held at once; past it, lapsed leases are dropped. */
const MAX_TENANTS = 10_000;

interface Lease {
  left: number;
  until: number;
}

/**
 * This process's share of each tenant's API rate limit. The budget every api process shares is a
 * row per tenant (apiRateLimitRepo): counting each request there costs a statement, and every
 * request of a tenant queues on that row. A process instead takes a few requests at a time (a
 * twentieth of a second's worth, at most a twentieth of the burst) and counts them in memory, so a
 * tenant publishing at its limit costs one statement per lease. The price, with N api processes:
 * a lease not yet spent is not another process's, so a tenant can be refused up to N leases early;
 * and a lease spent late (within a second) can let N leases more than the burst through at once.
 * Limits under 40 requests a second lease one request at a time: exactly the shared count.
 */
export class ApiRateLeases {
  readonly #held = new Map<string, Lease>();
  /** Leases being taken: requests that find none held wait for the one statement already on its way. */
  readonly #taking = new Map<string, Promise<void>>();
  readonly #leaseMs: number;

  constructor(options: { leaseMs?: number } = {}) {
    this.#leaseMs = options.leaseMs ?? LEASE_MS;
  }

  /** Requests taken from the shared budget at a time under `limit`. */
  static sizeFor(limit: ApiRateLimit): number {
    return Math.max(1, Math.min(Math.floor(limit.perSecond / 20), Math.floor(limit.burst / 20), 100));
  }

  /**
   * Counts one request of the tenant: from what this process holds, else by taking a lease from
   * the shared budget. Throws RateLimitedError when the budget has no request left; a limit of 0
   * per second counts nothing.
   */
  async take(db: Database, tenantId: string, limit: ApiRateLimit): Promise<void> {
    if (limit.perSecond <= 0) return;
    for (;;) {
      if (this.#spend(tenantId)) return;
      const taking = this.#taking.get(tenantId);
      if (taking) {
        await taking; // refused: so is this request
        continue;
      }
      const lease = this.#lease(db, tenantId, limit);
      this.#taking.set(tenantId, lease);
      try {
        await lease;
        return; // the lease's first request is this one's
      } finally {
        this.#taking.delete(tenantId);
      }
    }
  }

  /** Holds `count` requests of the tenant just taken from the shared budget (by a statement that also took the caller's own). */
  hold(tenantId: string, count: number): void {
    if (count <= 0) return;
    const now = performance.now();
    const lease = this.#held.get(tenantId);
    if (lease && lease.until > now) {
      lease.left += count; // two leases taken at once (two requests with keys not yet held)
      lease.until = now + this.#leaseMs;
      return;
    }
    if (this.#held.size >= MAX_TENANTS) for (const [id, old] of this.#held) if (old.until <= now) this.#held.delete(id);
    this.#held.set(tenantId, { left: count, until: now + this.#leaseMs });
  }

  async #lease(db: Database, tenantId: string, limit: ApiRateLimit): Promise<void> {
    const decision = await apiRateLimitRepo.takeRequest(db, tenantId, limit.perSecond, limit.burst, ApiRateLeases.sizeFor(limit));
    if (!decision.allowed) throw rateLimited(decision, limit);
    this.hold(tenantId, decision.granted - 1);
  }

  #spend(tenantId: string): boolean {
    const lease = this.#held.get(tenantId);
    if (!lease || lease.left === 0) return false;
    if (lease.until <= performance.now()) {
      this.#held.delete(tenantId);
      return false;
    }
    lease.left -= 1;
    return true;
  }
}
