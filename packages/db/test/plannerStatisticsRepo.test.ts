import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { base62, historyPartitionRepo, idBoundary, idTime, KSUID_EPOCH, plannerStatisticsRepo, type Database } from '../src/index.ts';

// The statistics refresh of a burst of deliveries analyzes the partitions that take new rows, not
// the whole history (ANALYZE of a partitioned table analyzes every partition); the parents again
// only once their partitions' rows changed by a tenth.

const DAY = 86_400_000;
const HOUR = 3_600_000;

let db: Database;
let old: { suffix: string; from: Date };
let recent: { suffix: string; from: Date };

function idAt(prefix: string, at: Date): string {
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(Math.floor(at.getTime() / 1000) - KSUID_EPOCH, 0);
  buf.writeUInt16BE(at.getTime() % 1000, 4);
  randomBytes(14).copy(buf, 6);
  return `${prefix}_${base62(buf, 27)}`;
}

async function addMessages(at: Date, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = idAt('msg', new Date(at.getTime() + i));
    await sql`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES (${id}, 'org_ps', 'app_ps', 'x.y', '{}', now() + interval '1 day')`.execute(
      db,
    );
    await sql`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status) VALUES ('org_ps', 'app_ps', ${id}, 'ep_ps', 0)`.execute(db);
  }
}

/** What the planner believes each table holds (reltuples; -1: never analyzed). */
async function believed(...tables: string[]): Promise<number[]> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT c.reltuples::float8 AS n FROM unnest(${tables}::text[]) WITH ORDINALITY AS t(name, i) JOIN pg_class c ON c.oid = t.name::regclass ORDER BY t.i`.execute(db);
  return rows.map((r) => r.n);
}

const testDb = useTestDatabase({ max: 2 });

beforeAll(async () => {
  db = testDb.db;
  await sql`INSERT INTO tenant (id, name) VALUES ('org_ps', 'ps')`.execute(db);
  await sql`INSERT INTO application (id, tenant_id, name) VALUES ('app_ps', 'org_ps', 'ps')`.execute(db);
  await sql`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_ps', 'org_ps', 'app_ps', 'https://example.com')`.execute(db);
  // Two days of history below the partitions the migration made ahead, in place of its legacy partition.
  const [legacy] = await historyPartitionRepo.listHistoryPartitions(db);
  await historyPartitionRepo.dropHistoryPartitionsBefore(db, legacy!.to!);
  const top = idTime(legacy!.to!).getTime();
  old = { suffix: historyPartitionRepo.partitionSuffix(new Date(top - 2 * DAY)), from: new Date(top - 2 * DAY) };
  recent = { suffix: historyPartitionRepo.partitionSuffix(new Date(top - DAY)), from: new Date(top - DAY) };
  await db.transaction().execute(async (trx) => {
    await historyPartitionRepo.createHistoryPartition(trx, {
      suffix: old.suffix,
      from: idBoundary('msg', old.from, 'start'),
      to: idBoundary('msg', recent.from, 'start'),
    });
    await historyPartitionRepo.createHistoryPartition(trx, { suffix: recent.suffix, from: idBoundary('msg', recent.from, 'start'), to: legacy!.to! });
  });
});

it('takes the partitions holding ids of the last hour, and DEFAULT', async () => {
  const parts = await historyPartitionRepo.listHistoryPartitions(db);
  const now = new Date(recent.from.getTime() + 12 * HOUR);
  expect(plannerStatisticsRepo.recentPartitions(parts, now).map((p) => p.suffix)).toEqual([recent.suffix, 'default']);
  // At a boundary, the partition just ended still takes the fan-outs of its last messages.
  const atBoundary = new Date(recent.from.getTime() + 10 * 60_000);
  expect(plannerStatisticsRepo.recentPartitions(parts, atBoundary).map((p) => p.suffix)).toEqual([old.suffix, recent.suffix, 'default']);
  // The legacy partition of every older id is history too.
  const legacy = { suffix: 'legacy', from: null, to: idBoundary('msg', old.from, 'start'), isDefault: false };
  expect(plannerStatisticsRepo.recentPartitions([legacy], now)).toEqual([]);
});

it('analyzes the recent partitions, and the whole hierarchy only when its row count moved by a tenth', async () => {
  const now = new Date(recent.from.getTime() + 12 * HOUR);
  const tables = ['message', `message_${old.suffix}`, `message_${recent.suffix}`, `message_delivery_${recent.suffix}`, 'message_default'];
  await addMessages(new Date(old.from.getTime() + HOUR), 30);
  await addMessages(new Date(now.getTime() - 60_000), 20);
  expect(await believed(...tables)).toEqual([-1, -1, -1, -1, -1]);

  // Never analyzed: the parents with every partition.
  await plannerStatisticsRepo.analyzeDeliveryTables(db, now);
  expect(await believed(...tables)).toEqual([50, 30, 20, 20, 0]);

  // A few more rows: the recent partitions only (the old one's 3 new rows stay unseen).
  await addMessages(new Date(old.from.getTime() + 2 * HOUR), 3);
  await addMessages(new Date(now.getTime() - 30_000), 2);
  await plannerStatisticsRepo.analyzeDeliveryTables(db, now);
  expect(await believed(...tables)).toEqual([50, 30, 22, 22, 0]);

  // A tenth more: the parents again, with every partition.
  await addMessages(new Date(now.getTime() - 20_000), 20);
  await plannerStatisticsRepo.analyzeDeliveryTables(db, now);
  expect(await believed(...tables)).toEqual([75, 33, 42, 42, 0]);
});
