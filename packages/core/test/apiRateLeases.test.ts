import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@hookline/db';
import { useTestDatabase } from '@hookline/test-support/database';
import { waitUntil } from '@hookline/test-support/process';
import { maintenanceActor } from '../src/audit/auditLog.ts';
import { RateLimitedError } from '../src/errors.ts';
import { ApiRateLeases } from '../src/rateLimit/apiRateLeases.ts';
import { ApiKeyCache } from '../src/tenants/apiKeyCache.ts';
import { authenticateApiKey, createApiKey } from '../src/tenants/apiKeys.ts';
import { createTenant } from '../src/tenants/tenants.ts';

// An api process takes its tenants' requests from the shared budget (api_rate_limit) a lease at a
// time and counts them in memory. What must hold: the shared budget is never overspent by more than
// a lease per process, requests waiting for a lease share one statement, and small limits stay exact.

const database = useTestDatabase();
let statements = 0;
/** The test's db, counting the statements run through it. */
let db: Database;
const caches: ApiKeyCache[] = [];

beforeAll(() => {
  db = database.db.withPlugin({
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});

async function tenantWithKey(name: string): Promise<{ tenantId: string; key: string }> {
  const tenantId = (await createTenant(database.db, { name })).id;
  const { key } = await createApiKey(database.db, tenantId, { name }, { tenantId, actor: maintenanceActor('test'), origin: {} });
  return { tenantId, key };
}

async function listeningCache(): Promise<ApiKeyCache> {
  const cache = new ApiKeyCache().listen(database.connectionString);
  caches.push(cache);
  await waitUntil(() => cache.listening, 5000, 'the cache listening');
  return cache;
}

/** Outcomes of `count` requests at once: how many were let through, and the statements they cost. */
async function burst(count: number, request: () => Promise<unknown>): Promise<{ allowed: number; refused: number; statements: number }> {
  const before = statements;
  const outcomes = await Promise.all(
    Array.from({ length: count }, () =>
      request().then(
        () => 'allowed',
        (err: unknown) => {
          if (!(err instanceof RateLimitedError)) throw err;
          expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          return 'refused';
        },
      ),
    ),
  );
  return {
    allowed: outcomes.filter((o) => o === 'allowed').length,
    refused: outcomes.filter((o) => o === 'refused').length,
    statements: statements - before,
  };
}

describe('API rate leases', () => {
  it('takes a twentieth of a second of the limit at a time, at most a twentieth of the burst, and one request below 40/s', () => {
    expect(ApiRateLeases.sizeFor({ perSecond: 1000, burst: 2000 })).toBe(50);
    expect(ApiRateLeases.sizeFor({ perSecond: 1000, burst: 100 })).toBe(5);
    expect(ApiRateLeases.sizeFor({ perSecond: 100_000, burst: 200_000 })).toBe(100);
    expect(ApiRateLeases.sizeFor({ perSecond: 39, burst: 78 })).toBe(1);
    expect(ApiRateLeases.sizeFor({ perSecond: 0.5, burst: 1 })).toBe(1);
  });

  it('counts a lease of requests in one statement, and the requests waiting for it share that statement', async () => {
    const { tenantId } = await tenantWithKey('lease');
    const leases = new ApiRateLeases();
    const limit = { perSecond: 1000, burst: 2000 };
    // 30 requests at once: one lease of 50 serves them all.
    const first = await burst(30, () => leases.take(db, tenantId, limit));
    expect(first).toEqual({ allowed: 30, refused: 0, statements: 1 });
    const row = await database.db.selectFrom('apiRateLimit').select(['granted']).where('tenantId', '=', tenantId).executeTakeFirstOrThrow();
    expect(row.granted).toBe(50);
    // The lease's last 20, then a second lease for the next 10.
    expect(await burst(30, () => leases.take(db, tenantId, limit))).toEqual({ allowed: 30, refused: 0, statements: 1 });
  });

  it('never lets two processes together spend more than the shared budget and a lease each', async () => {
    const { tenantId } = await tenantWithKey('shared');
    // 100 requests at once, 100 more a second, leases of 5.
    const wide = { perSecond: 100, burst: 100 };
    const [a, b] = [new ApiRateLeases(), new ApiRateLeases()];
    const started = Date.now();
    const outcome = await burst(
      300,
      (() => {
        let i = 0;
        return () => (i++ % 2 === 0 ? a : b).take(db, tenantId, wide);
      })(),
    );
    const refilled = Math.ceil(((Date.now() - started) / 1000) * wide.perSecond);
    expect(outcome.allowed + outcome.refused).toBe(300);
    expect(outcome.allowed).toBeLessThanOrEqual(wide.burst + refilled);
    // Each process may hold one lease (5) not yet spent when the other is refused.
    expect(outcome.allowed).toBeGreaterThanOrEqual(wide.burst - 2 * ApiRateLeases.sizeFor(wide));
    // A refused wave shares the statement that found the budget empty: far fewer statements than requests.
    expect(outcome.statements).toBeLessThan(100);
  });

  it('lets a lease lapse: requests not spent in time are not spent later', async () => {
    const { tenantId } = await tenantWithKey('lapse');
    const leases = new ApiRateLeases({ leaseMs: 100 });
    const limit = { perSecond: 1000, burst: 2000 };
    expect(await burst(1, () => leases.take(db, tenantId, limit))).toMatchObject({ statements: 1 });
    expect(await burst(1, () => leases.take(db, tenantId, limit))).toMatchObject({ statements: 0 });
    await new Promise((r) => setTimeout(r, 150));
    expect(await burst(1, () => leases.take(db, tenantId, limit))).toMatchObject({ statements: 1 });
  });

  it('keeps the shared count exact for limits under 40 requests a second', async () => {
    const { tenantId } = await tenantWithKey('exact');
    const leases = new ApiRateLeases();
    const limit = { perSecond: 1, burst: 5 };
    const outcome = await burst(12, () => leases.take(db, tenantId, limit));
    expect(outcome.allowed).toBeGreaterThanOrEqual(5);
    expect(outcome.allowed).toBeLessThanOrEqual(6);
    // Refused requests waiting on a refusing statement share it; each allowed one had its own.
    expect(outcome.statements).toBeGreaterThanOrEqual(outcome.allowed);
  });

  it('authenticates a held key with a held lease without any statement, and counts a new key in the statement that reads it', async () => {
    const { tenantId, key } = await tenantWithKey('auth');
    const [keys, leases] = [await listeningCache(), new ApiRateLeases()];
    const limit = { perSecond: 1000, burst: 2000 };
    const first = await burst(1, () => authenticateApiKey(db, key, { limit, keys, leases }));
    // The key and a lease of 50 in one statement (a first use also records last_used_at, apart).
    expect(first.allowed).toBe(1);
    const row = await database.db.selectFrom('apiRateLimit').select(['granted']).where('tenantId', '=', tenantId).executeTakeFirstOrThrow();
    expect(row.granted).toBe(50);
    const before = statements;
    for (let i = 0; i < 49; i++) expect(await authenticateApiKey(db, key, { limit, keys, leases })).toMatchObject({ tenantId });
    expect(statements - before).toBe(0);
    // The lease spent: the next request takes another, by the tenant it already knows.
    expect(await burst(1, () => authenticateApiKey(db, key, { limit, keys, leases }))).toEqual({ allowed: 1, refused: 0, statements: 1 });
  });
});
