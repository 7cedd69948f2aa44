import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { Transformer } from '../../src/transformations/transformer.ts';

// The worker's compiled transformations. Code taken from the cache can be let go of (newer code,
// the cache's eviction) before the attempt that took it runs it: that attempt must run the code
// afresh, not fail with "the sandbox was released" and wait for its retry.

const database = useTestDatabase();
const T = 'ten_tf';
const HANDLER = `function handler(w) { return { method: 'POST', url: w.url, payload: { seen: w.payload.n } }; }`;
const webhook = (n: number) => ({ method: 'POST' as const, url: 'https://example.com/hook', eventType: 'x.y', payloadJson: JSON.stringify({ n }) });
let transformer: Transformer | undefined;

beforeAll(async () => {
  const { db } = database;
  await sql`INSERT INTO tenant (id, name) VALUES (${T}, 'tf')`.execute(db);
  await sql`INSERT INTO application (id, tenant_id, name) VALUES ('app_tf', ${T}, 'tf')`.execute(db);
  for (const ep of ['ep_tf1', 'ep_tf2', 'ep_tf3']) {
    await sql`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES (${ep}, ${T}, 'app_tf', 'https://example.com')`.execute(db);
    await sql`INSERT INTO endpoint_transformation (endpoint_id, tenant_id, code, enabled) VALUES (${ep}, ${T}, ${HANDLER}, true)`.execute(db);
  }
});
afterEach(async () => {
  await transformer?.close();
});

const versionOf = async (endpointId: string) =>
  (await sql<{ updatedAt: Date }>`SELECT updated_at AS "updatedAt" FROM endpoint_transformation WHERE endpoint_id = ${endpointId}`.execute(database.db)).rows[0]!
    .updatedAt;

describe('transformations let go of while an attempt holds them', () => {
  it('runs code the cache evicted meanwhile instead of failing the attempt', async () => {
    transformer = new Transformer(database.db, { cacheSize: 1 });
    const key = (endpointId: string) => ({ tenantId: T, endpointId });
    const [v1, v2, v3] = await Promise.all(['ep_tf1', 'ep_tf2', 'ep_tf3'].map(versionOf));
    // Each compiles while the next one's lookup evicts it: with one place in the cache, every
    // attempt but the last finds its code released when its compile is done.
    const outcomes = await Promise.all([
      transformer.apply(key('ep_tf1'), v1!, webhook(1)),
      transformer.apply(key('ep_tf2'), v2!, webhook(2)),
      transformer.apply(key('ep_tf3'), v3!, webhook(3)),
    ]);
    expect(outcomes.map((o) => (o.kind === 'send' ? o.payload : o))).toEqual([{ seen: 1 }, { seen: 2 }, { seen: 3 }]);
  });

  it('runs the newer code when the code changed meanwhile', async () => {
    transformer = new Transformer(database.db);
    const key = { tenantId: T, endpointId: 'ep_tf1' };
    const v1 = await versionOf('ep_tf1');
    const first = transformer.apply(key, v1, webhook(1));
    await sql`UPDATE endpoint_transformation SET code = ${HANDLER.replace('seen:', 'seenAgain:')}, updated_at = now() + interval '1 second' WHERE endpoint_id = 'ep_tf1'`.execute(
      database.db,
    );
    const v2 = await versionOf('ep_tf1');
    const second = transformer.apply(key, v2, webhook(2));
    const outcomes = await Promise.all([first, second]);
    for (const o of outcomes) expect(o.kind).toBe('send');
    expect(outcomes[1]).toMatchObject({ payload: { seenAgain: 2 } });
  });
});
