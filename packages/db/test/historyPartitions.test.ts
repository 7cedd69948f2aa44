import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import {
  attemptRepo,
  base62,
  connectDatabase,
  historyPartitionRepo,
  idBoundary,
  idTime,
  KSUID_EPOCH,
  messageRepo,
  migrateDatabase,
  migrateSchemaTo,
  type Database,
} from '../src/index.ts';

// History partitions (0019_partitioned_history, historyPartitionRepo): an installation of the
// unpartitioned schema upgrades without copying rows and keeps every row readable; retention drops
// whole partitions (DROP, not DELETE) and loses nothing within retention.

const DAY = 86_400_000;
const T = 'org_h';
const APP = 'app_h';
const EP = 'ep_h';
const PAGE = { limit: 51, direction: 'desc', maxBytes: 4 * 2 ** 20 } as const;

/** An id as Hookline makes them (a KSUID of `at`), without depending on @hookline/core. */
function idAt(prefix: string, at: Date): string {
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(Math.floor(at.getTime() / 1000) - KSUID_EPOCH, 0);
  buf.writeUInt16BE(at.getTime() % 1000, 4);
  randomBytes(14).copy(buf, 6);
  return `${prefix}_${base62(buf, 27)}`;
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const { rows } = await sql<{ oid: string | null }>`SELECT to_regclass(${name})::text AS oid`.execute(db);
  return rows[0]!.oid !== null;
}

async function partitionOf(db: Database, table: 'message' | 'message_attempt', key: string, id: string): Promise<string> {
  const { rows } = await sql<{ part: string }>`SELECT tableoid::regclass::text AS part FROM ${sql.table(table)} WHERE ${sql.ref(key)} = ${id}`.execute(db);
  return rows[0]!.part;
}

/** Inserts, with plain SQL valid before and after 0019, a message with one delivery and two attempts. */
async function insertHistory(db: Database, at: Date, eventId: string | null = null): Promise<{ msgId: string; attemptIds: string[] }> {
  const msgId = idAt('msg', at);
  const attemptIds = [idAt('atmpt', at), idAt('atmpt', new Date(at.getTime() + 1000))];
  await sql`INSERT INTO message (id, tenant_id, app_id, event_type, event_id, payload, created_at, expires_at)
    VALUES (${msgId}, ${T}, ${APP}, 'order.created', ${eventId}, '{"n":1}', ${at}, ${new Date(at.getTime() + 90 * DAY)})`.execute(db);
  await sql`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count)
    VALUES (${T}, ${APP}, ${msgId}, ${EP}, 0, 2)`.execute(db);
  for (const [i, id] of attemptIds.entries()) {
    await sql`INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type, created_at)
      VALUES (${id}, ${T}, ${APP}, ${msgId}, ${EP}, 'https://example.com', ${i === 0 ? 2 : 0}, ${i === 0 ? 500 : 200}, 'ok', 10, 0, ${at})`.execute(db);
  }
  return { msgId, attemptIds };
}

async function seedOwners(db: Database): Promise<void> {
  await sql`INSERT INTO tenant (id, name) VALUES (${T}, 'h')`.execute(db);
  await sql`INSERT INTO application (id, tenant_id, name) VALUES (${APP}, ${T}, 'h')`.execute(db);
  await sql`INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES (${EP}, ${T}, ${APP}, 'https://example.com')`.execute(db);
}

describe('upgrade of an unpartitioned installation (0018 → 0019)', () => {
  let admin: pg.Client;
  let name: string;
  let db: Database;
  let connectionString: string;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('pgServer') });
    await admin.connect();
    name = `${inject('dbPrefix')}upgrade_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(inject('pgServer'));
    url.pathname = `/${name}`;
    connectionString = url.toString();
    db = connectDatabase({ connectionString, max: 2 });
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin?.end();
  });

  it('keeps every row readable through the repositories, puts new rows in new partitions, and retention drops the legacy one whole', async () => {
    await migrateSchemaTo(db, '0018_capacity_limits');
    await seedOwners(db);
    const now = Date.now();
    const old: Array<{ msgId: string; attemptIds: string[]; eventId: string | null }> = [];
    for (let i = 0; i < 60; i++) {
      const eventId = i % 3 === 0 ? `evt-${i}` : null;
      old.push({ ...(await insertHistory(db, new Date(now - 10 * DAY + i * 3_600_000), eventId)), eventId });
    }

    const applied = await migrateDatabase(db, connectionString);
    expect(applied[0]).toBe('0019_partitioned_history');
    const parts = await historyPartitionRepo.listHistoryPartitions(db);
    const legacy = parts.find((p) => p.suffix === 'legacy')!;
    expect(legacy).toMatchObject({ from: null, isDefault: false });
    expect(parts.filter((p) => /^p\d{8}t\d{4}$/.test(p.suffix)).length).toBeGreaterThanOrEqual(2);
    expect(parts.at(-1)).toMatchObject({ suffix: 'default', isDefault: true });

    // Every old row, through the repositories: by id, by eventId, its attempts and its delivery.
    for (const m of old) {
      expect((await messageRepo.findMessage(db, T, APP, m.msgId))?.id).toBe(m.msgId);
      if (m.eventId) expect((await messageRepo.findMessage(db, T, APP, m.eventId))?.id).toBe(m.msgId);
      const attempts = await attemptRepo.listAttempts(db, T, APP, { msgId: m.msgId }, PAGE, { withResponse: true });
      expect(attempts.map((a) => a.id).sort()).toEqual([...m.attemptIds].sort());
      expect((await attemptRepo.findAttempt(db, T, m.msgId, m.attemptIds[0]!))?.responseStatusCode).toBe(500);
      expect((await attemptRepo.findDelivery(db, T, m.msgId, EP))?.attemptCount).toBe(2);
      expect(await partitionOf(db, 'message', 'id', m.msgId)).toBe('message_legacy');
    }
    expect((await messageRepo.listMessages(db, T, APP, { ...PAGE, limit: 100 }, { withPayload: false })).length).toBe(old.length);

    // A repeated eventId of a legacy message is still refused; a new message goes to a new partition.
    const base = { tenantId: T, appId: APP, eventType: 'order.created', channels: null, payload: '{}', expiresAt: new Date(now + DAY) };
    expect(await messageRepo.insertMessage(db, { ...base, id: idAt('msg', new Date()), eventId: 'evt-0' })).toBeUndefined();
    const fresh = await messageRepo.insertMessage(db, { ...base, id: idAt('msg', new Date(Math.max(Date.now(), idTimeOf(legacy.to!)) + 1000)), eventId: 'evt-new' });
    expect(fresh).toBeDefined();
    expect(await partitionOf(db, 'message', 'id', fresh!.id)).toMatch(/^message_p\d{8}t\d{4}$/);
    expect((await messageRepo.findMessage(db, T, APP, 'evt-new'))?.id).toBe(fresh!.id);

    // Retention past the legacy bound drops the legacy tables, not a row of the new partitions.
    const dropped = await historyPartitionRepo.dropHistoryPartitionsBefore(db, legacy.to!);
    expect(dropped.map((p) => p.suffix)).toEqual(['legacy']);
    for (const t of ['message_legacy', 'message_delivery_legacy', 'message_attempt_legacy']) expect(await tableExists(db, t), t).toBe(false);
    expect(await messageRepo.findMessage(db, T, APP, old[0]!.msgId)).toBeUndefined();
    expect((await messageRepo.findMessage(db, T, APP, fresh!.id))?.id).toBe(fresh!.id);
  }, 120_000);
});

const idTimeOf = (id: string): number => idTime(id).getTime();

describe('retention by partition', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let connection: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    connection = database.connectionString;
    db = connectDatabase({ connectionString: database.connectionString, max: 4 });
    await seedOwners(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  it('drops exactly the partitions past the cutoff (DROP, little WAL) and keeps every row within retention', async () => {
    const ranges = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => /^p\d{8}t\d{4}$/.test(p.suffix));
    expect(ranges.length).toBeGreaterThanOrEqual(3);
    const [p1, p2, p3] = ranges as [(typeof ranges)[0], (typeof ranges)[0], (typeof ranges)[0]];
    // Enough rows that the WAL other test files write in the drop's window (0.4 MB seen on a shared server) stays far below an eighth of theirs.
    const PER = 1000;
    const inside = (p: typeof p1, i: number) => new Date(idTimeOf(p.from!) + 1000 + i * 10);
    const lsnBefore = await currentLsn(db);
    for (const p of [p1, p2, p3]) {
      for (let i = 0; i < PER; i++) await insertHistory(db, inside(p, i));
    }
    const insertWal = (await currentLsn(db)) - lsnBefore;
    expect(await countIn(db, 'message', p1.suffix)).toBe(PER);

    const lsn = await currentLsn(db);
    // The cutoff falls inside p3: p1 and p2 (and the empty legacy partition below them) go, p3 stays whole.
    const dropped = await historyPartitionRepo.dropHistoryPartitionsBefore(db, idBoundary('msg', new Date(idTimeOf(p3.from!) + 500), 'start'));
    const dropWal = (await currentLsn(db)) - lsn;
    expect(dropped.map((p) => p.suffix)).toEqual(['legacy', p1.suffix, p2.suffix]);
    for (const p of [p1, p2]) {
      for (const t of ['message', 'message_delivery', 'message_attempt']) expect(await tableExists(db, `${t}_${p.suffix}`), `${t}_${p.suffix}`).toBe(false);
    }
    // A DROP writes catalog changes only: far less WAL than the rows took to write (a DELETE writes more than that).
    console.log(`WAL: ${insertWal} B to insert ${3 * PER} messages with 2 attempts each, ${dropWal} B to drop them (two partitions, and the empty legacy one)`);
    // The server is shared with the test files running beside this one, whose WAL falls in the same
    // window: only the ratio is judged here (the bench's scenario 9 measures a drop on its own).
    expect(dropWal).toBeLessThan(insertWal / 8);
    expect(await countIn(db, 'message', p3.suffix)).toBe(PER);
    expect(await countIn(db, 'message_delivery', p3.suffix)).toBe(PER);
    expect(await countIn(db, 'message_attempt', p3.suffix)).toBe(2 * PER);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM message`.execute(db);
    expect(rows[0]!.n).toBe(PER);
    // Nothing left to drop at the same cutoff.
    expect(await historyPartitionRepo.dropHistoryPartitionsBefore(db, idBoundary('msg', new Date(idTimeOf(p3.from!) + 500), 'start'))).toEqual([]);
  }, 120_000);

  it('gives up a drop after a few seconds behind a running query, dropping nothing (the next run tries again)', async () => {
    const reader = new pg.Client({ connectionString: connection });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM message');
      const before = await historyPartitionRepo.listHistoryPartitions(db);
      const err = await historyPartitionRepo.dropHistoryPartitionsBefore(db, idBoundary('msg', new Date(Date.now() + 365 * DAY), 'start')).catch((e: unknown) => e);
      expect(historyPartitionRepo.isLockTimeout(err)).toBe(true);
      await reader.query('ROLLBACK');
      expect(await historyPartitionRepo.listHistoryPartitions(db)).toEqual(before);
    } finally {
      await reader.end();
    }
  }, 60_000);

  it('creates partitions ahead idempotently from concurrent callers, and moves rows that landed in the DEFAULT partition into the range created for them', async () => {
    const later = new Date(Date.now() + 40 * DAY);
    const stray = await insertHistory(db, later);
    expect(await partitionOf(db, 'message', 'id', stray.msgId)).toBe('message_default');
    expect(await partitionOf(db, 'message_attempt', 'msg_id', stray.msgId)).toBe('message_attempt_default');

    const runs = await Promise.all([0, 1, 2].map(() => historyPartitionRepo.ensureHistoryPartitions(db, { widthSeconds: 86_400, now: later })));
    expect(runs.filter((r) => r.created.length > 0)).toHaveLength(1);
    expect(runs.reduce((n, r) => n + r.movedFromDefault, 0)).toBe(1);
    expect(await historyPartitionRepo.countMessagesInDefault(db)).toBe(0);
    expect(await partitionOf(db, 'message', 'id', stray.msgId)).toMatch(/^message_p\d{8}t\d{4}$/);
    expect(await partitionOf(db, 'message_attempt', 'msg_id', stray.msgId)).toMatch(/^message_attempt_p\d{8}t\d{4}$/);
    expect((await attemptRepo.listAttempts(db, T, APP, { msgId: stray.msgId }, PAGE, { withResponse: false })).length).toBe(2);
    // Ranges are contiguous and cover the horizon.
    const ranges = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => !p.isDefault);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
    expect(ranges.at(-1)!.to! > idBoundary('msg', new Date(later.getTime() + 3 * DAY - 1000), 'start')).toBe(true);
  }, 120_000);
});

async function currentLsn(db: Database): Promise<number> {
  const { rows } = await sql<{ b: string }>`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS b`.execute(db);
  return Number(rows[0]!.b);
}

async function countIn(db: Database, table: string, suffix: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${table}_${suffix}`)}`.execute(db);
  return rows[0]!.n;
}
