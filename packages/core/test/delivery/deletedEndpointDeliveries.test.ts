import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateSchemaTo, retentionRepo, type Database } from '@hookline/db';
import { createTestDatabase } from '@hookline/test-support/database';
import { completeDroppedDelivery } from '../../src/delivery/droppedDelivery.ts';
import { newId } from '../../src/ids.ts';

// Migration 0043 and the worker's side of a deleted endpoint, on a real database:
// - existing deliveries that failed and wait for a retry (pending with an attempt made) become
//   sending, their counters move with them, and the others stay as they are;
// - an endpoint's history no longer goes with it (no foreign key left on history);
// - a delivery to an endpoint that is gone ends canceled when its job comes due, one to an endpoint
//   that exists (here: disabled) stays as it is;
// - maintenance drops tombstones deleted before the oldest history left.

let database: { connectionString: string; drop(): Promise<void> };
let db: Database;
const T = 'ten_deleted';
const APP = 'app_deleted';

beforeAll(async () => {
  database = await createTestDatabase();
  db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  await sql`INSERT INTO tenant (id, name) VALUES (${T}, 'deleted')`.execute(db);
  await sql`INSERT INTO application (id, tenant_id, name) VALUES (${APP}, ${T}, 'deleted')`.execute(db);
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function endpoint(disabled = false): Promise<string> {
  const id = newId('ep');
  await sql`INSERT INTO endpoint (id, tenant_id, app_id, url, disabled) VALUES (${id}, ${T}, ${APP}, 'https://example.com/hook', ${disabled})`.execute(db);
  return id;
}

/** A message with one delivery to `endpointId` in `status` after `attempts` scheduled attempts. */
async function delivery(endpointId: string, status: number, attempts: number): Promise<string> {
  const msgId = newId('msg');
  await sql`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES (${msgId}, ${T}, ${APP}, 'x.y', '{}', now() + interval '1 day')`.execute(
    db,
  );
  await sql`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at)
    VALUES (${T}, ${APP}, ${msgId}, ${endpointId}, ${status}, ${attempts}, now())`.execute(db);
  return msgId;
}

const statusOf = async (msgId: string): Promise<number> =>
  (await sql<{ status: number }>`SELECT status FROM message_delivery WHERE msg_id = ${msgId}`.execute(db)).rows[0]!.status;
const counters = async (endpointId: string): Promise<Record<number, number>> =>
  Object.fromEntries(
    (
      await sql<{ status: number; n: number }>`SELECT status, sum(n)::int AS n FROM delivery_status_count WHERE endpoint_id = ${endpointId} GROUP BY status`.execute(db)
    ).rows
      .filter((r) => r.n !== 0)
      .map((r) => [r.status, r.n]),
  );

describe('migration 0043', () => {
  it('turns the deliveries waiting for a retry into sending, with their counters, and leaves the rest', async () => {
    await migrateSchemaTo(db, '0038_fanout_wake_when_asleep');
    const ep = await endpoint();
    const retrying = await delivery(ep, 1, 2);
    const fresh = await delivery(ep, 1, 0);
    const done = await delivery(ep, 0, 1);
    const failed = await delivery(ep, 2, 8);
    expect(await counters(ep)).toEqual({ 0: 1, 1: 2, 2: 1 });
    await migrateSchemaTo(db, '0043_sending_status_deleted_endpoints');
    expect([await statusOf(retrying), await statusOf(fresh), await statusOf(done), await statusOf(failed)]).toEqual([3, 1, 0, 2]);
    expect(await counters(ep)).toEqual({ 0: 1, 1: 1, 2: 1, 3: 1 });
  });

  it('leaves no foreign key from history to endpoint, on the parents or any partition', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND confrelid = 'endpoint'::regclass
        AND conrelid IN (SELECT c.oid FROM pg_class c WHERE c.relname LIKE 'message_delivery%' OR c.relname LIKE 'message_attempt%')`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('a job whose endpoint is gone', () => {
  it('ends its waiting delivery canceled; one whose endpoint exists, or that has ended, stays as it is', async () => {
    const gone = await endpoint();
    const disabled = await endpoint(true);
    const waiting = await delivery(gone, 3, 1);
    const succeeded = await delivery(gone, 0, 1);
    const kept = await delivery(disabled, 1, 0);
    await sql`DELETE FROM endpoint WHERE id = ${gone}`.execute(db);
    const commit = (work: (trx: Database) => Promise<void>) => db.transaction().execute(work);
    for (const [msgId, endpointId] of [
      [waiting, gone],
      [succeeded, gone],
      [kept, disabled],
    ] as const) {
      await completeDroppedDelivery({ tenantId: T, msgId, endpointId, attempt: 2, trigger: 0 }, commit);
    }
    expect([await statusOf(waiting), await statusOf(succeeded), await statusOf(kept)]).toEqual([4, 0, 1]);
  });
});

describe('tombstones', () => {
  it('are pruned once deleted before the oldest history left', async () => {
    const ids = [newId('ep'), newId('ep')];
    const at = [new Date(Date.now() - 40 * 86_400_000), new Date()];
    for (const [i, id] of ids.entries()) {
      await sql`INSERT INTO deleted_endpoint (id, tenant_id, app_id, url, description, disabled, created_at, updated_at, deleted_at)
        VALUES (${id}, ${T}, ${APP}, 'https://example.com/old', '', false, ${at[i]!}, ${at[i]!}, ${at[i]!})`.execute(db);
    }
    expect(await retentionRepo.pruneDeletedEndpoints(db, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const left = await sql<{ id: string }>`SELECT id FROM deleted_endpoint WHERE id = ANY(${ids})`.execute(db);
    expect(left.rows.map((r) => r.id)).toEqual([ids[1]]);
  });
});
