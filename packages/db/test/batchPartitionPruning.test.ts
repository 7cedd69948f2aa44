import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { base62, deliveryAttemptRepo, historyPartitionRepo, idBoundary, idTime, KSUID_EPOCH, type Database } from '../src/index.ts';
import { idRange } from '../src/repos/idRange.ts';

// The worker's batch statements read history by keys in arrays, which no plan can prune by; with
// the keys' id range beside them, a generic plan (the worker's) drops at executor start the
// partitions the batch has no rows in, and never opens them or their indexes.

const DAY = 86_400_000;
const T = 'org_bp';
let db: Database;
let oldSuffix: string;
const oldIds: string[] = [];
const recentIds: string[] = [];

function idAt(prefix: string, at: Date): string {
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(Math.floor(at.getTime() / 1000) - KSUID_EPOCH, 0);
  buf.writeUInt16BE(at.getTime() % 1000, 4);
  randomBytes(14).copy(buf, 6);
  return `${prefix}_${base62(buf, 27)}`;
}

const testDb = useTestDatabase({ max: 1, genericPlans: true });

beforeAll(async () => {
  db = testDb.db;
  await sql`INSERT INTO tenant (id, name) VALUES (${T}, 'bp')`.execute(db);
  await sql`INSERT INTO application (id, tenant_id, name) VALUES ('app_bp', ${T}, 'bp')`.execute(db);
  await sql`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_bp', ${T}, 'app_bp', 'https://example.com')`.execute(db);
  const [legacy] = await historyPartitionRepo.listHistoryPartitions(db);
  await historyPartitionRepo.dropHistoryPartitionsBefore(db, legacy!.to!);
  const top = idTime(legacy!.to!).getTime();
  const [oldFrom, recentFrom] = [new Date(top - 2 * DAY), new Date(top - DAY)];
  oldSuffix = historyPartitionRepo.partitionSuffix(oldFrom);
  await db.transaction().execute(async (trx) => {
    await historyPartitionRepo.createHistoryPartition(trx, { suffix: oldSuffix, from: idBoundary('msg', oldFrom, 'start'), to: idBoundary('msg', recentFrom, 'start') });
    const suffix = historyPartitionRepo.partitionSuffix(recentFrom);
    await historyPartitionRepo.createHistoryPartition(trx, { suffix, from: idBoundary('msg', recentFrom, 'start'), to: legacy!.to! });
  });
  for (const [ids, from] of [
    [oldIds, oldFrom],
    [recentIds, recentFrom],
  ] as const) {
    for (let i = 0; i < 6; i++) {
      const id = idAt('msg', new Date(from.getTime() + 3_600_000 + i * 1000));
      ids.push(id);
      await sql`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES (${id}, ${T}, 'app_bp', 'x.y', '{}', now() + interval '1 day')`.execute(
        db,
      );
      await sql`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status) VALUES (${T}, 'app_bp', ${id}, 'ep_bp', 1)`.execute(db);
    }
  }
});

/** Indexes of the old partition that the transaction has opened (locked) so far. */
async function oldIndexesOpened(trx: Database): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = pg_backend_pid() AND c.relkind = 'i' AND c.relname LIKE ${`%${oldSuffix}%`}`.execute(trx);
  return rows[0]!.n;
}

const keys = (ids: readonly string[]) => ids.map((msgId) => ({ tenantId: T, msgId, endpointId: 'ep_bp' }));

it('orders ids as PostgreSQL does (COLLATE "C": UTF-8 bytes, not UTF-16 units)', () => {
  expect(idRange(['msg_b', 'msg_B', 'msg_a'])).toEqual({ lo: 'msg_B', hi: 'msg_b' });
  expect(idRange(['msg_\u{1F600}', 'msg_\uFFFD'])).toEqual({ lo: 'msg_\uFFFD', hi: 'msg_\u{1F600}' });
});

it('loads a batch of deliveries through the partitions it spans only, with a generic plan', async () => {
  // Named and planned generically once it has run a few times (preparedStatements.ts).
  for (let i = 0; i < 4; i++) expect(await deliveryAttemptRepo.findDeliveryStates(db, keys(recentIds.slice(i, i + 2)))).toHaveLength(2);
  const opened = await db.transaction().execute(async (trx) => {
    const states = await deliveryAttemptRepo.findDeliveryStates(trx, keys(recentIds));
    expect(states.map((s) => s.id).sort()).toEqual([...recentIds].sort());
    return oldIndexesOpened(trx);
  });
  expect(opened).toBe(0);
  // A batch across both days reads both (and finds every row).
  const across = await db.transaction().execute(async (trx) => {
    const states = await deliveryAttemptRepo.findDeliveryStates(trx, keys([oldIds[0]!, recentIds[5]!]));
    expect(states).toHaveLength(2);
    return oldIndexesOpened(trx);
  });
  expect(across).toBeGreaterThan(0);
});

it('updates the deliveries of a batch of successes through the partitions it spans only', async () => {
  const attempt = (msgId: string, n: number) => ({
    id: idAt('atmpt', new Date()),
    tenantId: T,
    appId: 'app_bp',
    msgId,
    endpointId: 'ep_bp',
    url: 'https://example.com',
    status: 0,
    responseStatusCode: 200,
    response: 'ok',
    responseDurationMs: 5,
    triggerType: 0,
    attemptCount: n,
  });
  for (let i = 0; i < 4; i++) await deliveryAttemptRepo.writeSucceededAttempts(db, [attempt(recentIds[i]!, 1)], new Date());
  const opened = await db.transaction().execute(async (trx) => {
    await deliveryAttemptRepo.writeSucceededAttempts(trx, [attempt(recentIds[4]!, 2), attempt(recentIds[5]!, 3)], new Date());
    return oldIndexesOpened(trx);
  });
  expect(opened).toBe(0);
  const { rows } = await sql<{ msgId: string; status: number; attemptCount: number }>`
    SELECT msg_id, status, attempt_count FROM message_delivery WHERE msg_id = ANY(${recentIds.slice(4)}) ORDER BY msg_id`.execute(db);
  expect(rows).toEqual([
    { msgId: recentIds[4], status: 0, attemptCount: 2 },
    { msgId: recentIds[5], status: 0, attemptCount: 3 },
  ]);
});
