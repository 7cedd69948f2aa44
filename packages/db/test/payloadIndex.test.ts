import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, historyPartitionRepo, idBoundary, payloadIndexRepo, type Database } from '../src/index.ts';

// Maintenance's payload index (payloadIndexRepo): built CONCURRENTLY on closed history partitions
// that hold messages only, newest first, one at a time across processes, and rebuilt when an earlier
// build was cut short.

let server: pg.Client;
let drop: () => Promise<void>;
let db: Database;
let connectionString: string;
const HOUR = 3_600_000;
/** Half past an hour: partitions of an hour before it are closed, its own is still filling. */
const now = new Date(Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000);
const closedBefore = idBoundary('msg', now, 'start');

const validIndexes = async () =>
  (
    await server.query(
      `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'message\\_%\\_payload\\_idx' AND i.indisvalid ORDER BY 1`,
    )
  ).rows.map((r: { relname: string }) => r.relname);

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  connectionString = created.connectionString;
  server = new pg.Client({ connectionString });
  await server.connect();
  db = connectDatabase({ connectionString: created.connectionString, max: 3 });
  // This file's partitions only: three closed hours, the one `now` is in, and the next.
  await historyPartitionRepo.dropHistoryPartitionsBefore(db, idBoundary('msg', new Date(Date.UTC(2150, 0, 1)), 'start'));
  await db.transaction().execute(async (trx) => {
    for (let hours = -3; hours <= 1; hours++) {
      const start = Math.floor(now.getTime() / HOUR) * HOUR + hours * HOUR;
      await historyPartitionRepo.createHistoryPartition(trx, {
        suffix: historyPartitionRepo.partitionSuffix(new Date(start)),
        from: idBoundary('msg', new Date(start), 'start'),
        to: idBoundary('msg', new Date(start + HOUR), 'start'),
      });
    }
  });
  // The oldest closed hour stays empty. A payload jsonb cannot hold: the build must not fail on it.
  await server.query(
    `INSERT INTO message (id, tenant_id, app_id, event_type, payload, created_at, expires_at)
    VALUES ($1, 't', 'a', 'e', '{"s":"\\u0000"}', now(), now()), ($2, 't', 'a', 'e', '{"ok":1}', now(), now()), ($3, 't', 'a', 'e', '{"ok":2}', now(), now())`,
    [-2, -1, 0].map((hours) => `${idBoundary('msg', new Date(now.getTime() + hours * HOUR), 'start').slice(0, -1)}1`),
  );
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await server?.end();
  await drop?.();
});

describe('the payload index of closed partitions', () => {
  it('is built one partition at a time, newest closed first, never on one still filling or an empty one', async () => {
    const parts = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => !p.isDefault);
    expect(parts).toHaveLength(5);
    expect(parts.filter((p) => p.to! <= closedBefore)).toHaveLength(3);
    // The oldest closed hour holds no message: it needs no index.
    const closed = parts
      .filter((p) => p.to! <= closedBefore)
      .map((p) => p.suffix)
      .slice(1);
    expect((await payloadIndexRepo.partitionsWithoutPayloadIndex(db, closedBefore)).map((p) => p.suffix)).toEqual([...closed].reverse());

    const built: string[] = [];
    for (let suffix = await payloadIndexRepo.buildNextPayloadIndex(db, closedBefore); suffix; suffix = await payloadIndexRepo.buildNextPayloadIndex(db, closedBefore)) {
      built.push(suffix);
    }
    expect(built).toEqual([...closed].reverse());
    expect(await validIndexes()).toEqual(closed.map(payloadIndexRepo.payloadIndexName).sort());
    const [def] = (await server.query(`SELECT pg_get_indexdef($1::regclass) AS def`, [payloadIndexRepo.payloadIndexName(closed[0]!)])).rows as Array<{ def: string }>;
    expect(def!.def).toMatch(/USING gin \(hookline_searchable_payload\(payload\) jsonb_path_ops\)$/);
  });

  it('rebuilds an index a stopped build left invalid', async () => {
    const [, second] = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => !p.isDefault);
    const name = payloadIndexRepo.payloadIndexName(second!.suffix);
    // What an interrupted CREATE INDEX CONCURRENTLY leaves behind: the index, marked not valid.
    await server.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = $1::regclass`, [name]);
    expect(await payloadIndexRepo.partitionsWithoutPayloadIndex(db, closedBefore)).toEqual([{ suffix: second!.suffix, invalid: true }]);
    expect(await payloadIndexRepo.buildNextPayloadIndex(db, closedBefore)).toBe(second!.suffix);
    expect(await validIndexes()).toContain(name);
    expect(await payloadIndexRepo.buildNextPayloadIndex(db, closedBefore)).toBeUndefined();
  });

  it('leaves the work to the process already doing it', async () => {
    const holder = new pg.Client({ connectionString });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('hookline.payload_index'))`);
      const before = await validIndexes();
      // A later "now" closes the hour still filling: there is work, but another process holds the lock.
      expect(await payloadIndexRepo.buildNextPayloadIndex(db, idBoundary('msg', new Date(now.getTime() + HOUR), 'start'))).toBeUndefined();
      expect(await validIndexes()).toEqual(before);
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      expect(await payloadIndexRepo.buildNextPayloadIndex(db, idBoundary('msg', new Date(now.getTime() + HOUR), 'start'))).toBeDefined();
    } finally {
      await holder.end();
    }
  });
});
