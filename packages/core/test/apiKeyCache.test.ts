import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyRow, Database } from '@hookline/db';
import { useTestDatabase } from '@hookline/test-support/database';
import { waitUntil } from '@hookline/test-support/process';
import { maintenanceActor } from '../src/audit/auditLog.ts';
import { ApiKeyCache, type ApiKeyCacheOptions } from '../src/tenants/apiKeyCache.ts';
import { authenticateApiKey, createApiKey, hashToken, revokeApiKey, rotateApiKey } from '../src/tenants/apiKeys.ts';
import { createTenant } from '../src/tenants/tenants.ts';

// The api's cache of authenticated API keys (a publish then costs one statement, not two). It must
// never let through a key the database no longer holds live: every key change NOTIFYs (0047), from
// any process, and the cache holds nothing while it cannot hear them.

const database = useTestDatabase();
let statements = 0;
/** The test's db, counting the statements run through it. */
let db: Database;
let other: pg.Client;
let tenantId: string;
const audit = () => ({ tenantId, actor: maintenanceActor('test'), origin: {} });
const caches: ApiKeyCache[] = [];

async function listeningCache(options: ApiKeyCacheOptions = {}): Promise<ApiKeyCache> {
  const cache = new ApiKeyCache(options).listen(database.connectionString);
  caches.push(cache);
  await waitUntil(() => cache.listening, 5000, 'the cache listening');
  return cache;
}

/** Statements an authentication ran. */
async function statementsOf(cache: ApiKeyCache, key: string): Promise<number> {
  const before = statements;
  await authenticateApiKey(db, key, { keys: cache });
  return statements - before;
}

const refused = (cache: ApiKeyCache, key: string) =>
  authenticateApiKey(db, key, { keys: cache }).then(
    () => false,
    () => true,
  );

beforeAll(async () => {
  db = database.db.withPlugin({
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  other = new pg.Client({ connectionString: database.connectionString });
  await other.connect();
  tenantId = (await createTenant(database.db, { name: 'cache' })).id;
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await other?.end();
});

describe('API key cache', () => {
  it('authenticates a held key without a statement, and refuses it once another process revokes it', async () => {
    const cache = await listeningCache();
    const { key, id } = await createApiKey(database.db, tenantId, { name: 'held' }, audit());
    expect(await statementsOf(cache, key)).toBeGreaterThanOrEqual(1);
    expect(await statementsOf(cache, key)).toBe(0);
    expect(await authenticateApiKey(db, key, { keys: cache })).toEqual({ tenantId, keyId: id, keyName: 'held' });

    // Revoked by SQL on a connection of its own, as another api process or an operator would.
    await other.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [id]);
    await waitUntil(() => refused(cache, key), 2000, 'the revoke to reach the cache');
    await expect(authenticateApiKey(db, key, { keys: cache })).rejects.toThrow('This API key was revoked');
  });

  it('hears every kind of change: expiry, rename, delete', async () => {
    const cache = await listeningCache();
    const changes = ['UPDATE api_key SET expires_at = now() WHERE id = $1', "UPDATE api_key SET name = 'renamed' WHERE id = $1", 'DELETE FROM api_key WHERE id = $1'];
    for (const change of changes) {
      const { key, id } = await createApiKey(database.db, tenantId, { name: 'changing' }, audit());
      await authenticateApiKey(db, key, { keys: cache });
      expect(cache.size).toBe(1);
      await other.query(change, [id]);
      await waitUntil(() => cache.size === 0, 2000, `the cache to forget after ${change}`);
    }
    // Recording a key's use is no change: it would empty the cache every minute per key.
    const { key, id } = await createApiKey(database.db, tenantId, { name: 'used' }, audit());
    await authenticateApiKey(db, key, { keys: cache });
    await other.query('UPDATE api_key SET last_used_at = now() WHERE id = $1', [id]);
    await other.query(`SELECT pg_notify('hookline_probe', '')`);
    await new Promise((r) => setTimeout(r, 200));
    expect(cache.size).toBe(1);
  });

  it('forgets at once in the process that revokes or rotates, before any NOTIFY arrives', async () => {
    const cache = await listeningCache();
    const revoked = await createApiKey(database.db, tenantId, { name: 'revoked here' }, audit());
    const rotated = await createApiKey(database.db, tenantId, { name: 'rotated here' }, audit());
    for (const k of [revoked, rotated]) await authenticateApiKey(db, k.key, { keys: cache });
    await revokeApiKey(database.db, tenantId, revoked.id, audit(), cache);
    await expect(authenticateApiKey(db, revoked.key, { keys: cache })).rejects.toThrow('revoked');
    await rotateApiKey(database.db, tenantId, rotated.id, 0, audit(), cache);
    await expect(authenticateApiKey(db, rotated.key, { keys: cache })).rejects.toThrow('expired');
  });

  it('does not keep a key whose lookup was under way when a change committed', async () => {
    const cache = await listeningCache();
    const row: ApiKeyRow = {
      id: 'key_raced',
      tenantId,
      name: 'raced',
      prefix: 'hk_abcdef',
      keyHash: 'raced',
      createdAt: new Date(),
      lastUsedAt: new Date(),
      expiresAt: null,
      revokedAt: null,
    };
    const generation = cache.generation;
    cache.forget(); // a NOTIFY that arrives between the lookup's start and its answer
    cache.set('raced', row, generation);
    expect(cache.get('raced')).toBeUndefined();
    cache.set('raced', row, cache.generation);
    expect(cache.get('raced')).toEqual(row);
  });

  it('holds nothing while it cannot listen, and again once it listens anew', async () => {
    const { key } = await createApiKey(database.db, tenantId, { name: 'unheard' }, audit());
    const unheard = new ApiKeyCache();
    await authenticateApiKey(db, key, { keys: unheard });
    expect(await statementsOf(unheard, key)).toBeGreaterThanOrEqual(1);

    const cache = await listeningCache();
    await authenticateApiKey(db, key, { keys: cache });
    expect(await statementsOf(cache, key)).toBe(0);
    await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hookline-api-keys' AND datname = current_database()`);
    await waitUntil(() => !cache.listening, 5000, 'the cache to notice its lost connection');
    expect(cache.size).toBe(0);
    expect(await statementsOf(cache, key)).toBeGreaterThanOrEqual(1);
    expect(cache.size).toBe(0);
    await waitUntil(() => cache.listening, 5000, 'the cache to listen again');
    await authenticateApiKey(db, key, { keys: cache });
    expect(await statementsOf(cache, key)).toBe(0);
  });

  it("does not use a held key past its expiry, nor past the cache's own age limit", async () => {
    let now = Date.now();
    const cache = await listeningCache({ now: () => now, maxAgeMs: 60_000 });
    const expiring = await createApiKey(database.db, tenantId, { name: 'expiring', expiresAt: new Date(now + 30_000) }, audit());
    const lasting = await createApiKey(database.db, tenantId, { name: 'lasting' }, audit());
    for (const k of [expiring, lasting]) await authenticateApiKey(db, k.key, { keys: cache });
    now += 31_000;
    expect(cache.get(hashToken(expiring.key))).toBeUndefined();
    expect(cache.get(hashToken(lasting.key))).toBeDefined();
    now += 30_000;
    expect(cache.get(hashToken(lasting.key))).toBeUndefined();
  });

  it('records a key’s use once a minute, not on every request it serves', async () => {
    const cache = await listeningCache();
    const { key, id } = await createApiKey(database.db, tenantId, { name: 'used once' }, audit());
    await authenticateApiKey(db, key, { keys: cache });
    const lastUsed = async () => (await other.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_key WHERE id = $1', [id])).rows[0]!.last_used_at;
    await waitUntil(async () => (await lastUsed()) !== null, 2000, 'the first use recorded');
    let served = 0;
    for (let i = 0; i < 20; i++) served += await statementsOf(cache, key);
    expect(served).toBe(0);
  });
});
