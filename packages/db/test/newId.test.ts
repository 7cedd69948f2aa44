import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { base62, idBoundary, idTime, KSUID_EPOCH, migrateSchemaTo } from '../src/index.ts';

// hookline.new_id (hookline.publish's ids) must make exactly the ids packages/core's ksuid makes:
// history partitions are ranges of ids, and lists page by id across both kinds.

const database = useTestDatabase();

/** What ids.ts's ksuid makes for this time and these 14 random bytes. */
function expected(at: Date, random: Buffer): string {
  const buf = Buffer.alloc(20);
  const ms = at.getTime();
  buf.writeUInt32BE(Math.max(0, Math.floor(ms / 1000) - KSUID_EPOCH), 0);
  buf.writeUInt16BE(((ms % 1000) + 1000) % 1000, 4);
  random.copy(buf, 6);
  return base62(buf, 27);
}

/** The 14 bytes of a version 4 UUID that are random: all but 6 (version) and 8 (variant). */
const randomOf = (uuid: Buffer): Buffer => Buffer.concat([uuid.subarray(0, 6), uuid.subarray(7, 8), uuid.subarray(9, 16)]);

describe('hookline.new_id', () => {
  it('spells a time and 14 random bytes as ids.ts does, at the edges of time and bytes', async () => {
    const times = ['2014-05-13T16:53:20.000Z', '2014-05-13T16:53:20.999Z', '2026-12-07T05:00:00.123Z', '2099-12-31T23:59:59.999Z', '2150-01-01T00:00:00.500Z'];
    const uuids = [Buffer.alloc(16, 0), Buffer.alloc(16, 0xff), ...Array.from({ length: 60 }, () => randomBytes(16))];
    const cases = times.flatMap((at) => uuids.map((uuid) => ({ at, uuid })));
    const { rows } = await sql<{ id: string }>`
      SELECT hookline.ksuid_of(c.at, decode(c.uuid, 'hex')) AS id
      FROM unnest(${cases.map((c) => c.at)}::timestamptz[], ${cases.map((c) => c.uuid.toString('hex'))}::text[]) WITH ORDINALITY AS c(at, uuid, n)
      ORDER BY c.n`.execute(database.db);
    expect(rows.map((r) => r.id)).toEqual(cases.map((c) => expected(new Date(c.at), randomOf(c.uuid))));
  });

  it("makes prefixed ids of the given millisecond, all different, inside ids.ts's bounds for that millisecond", async () => {
    const at = new Date('2026-12-07T05:00:00.123Z');
    const { rows } = await sql<{ id: string }>`SELECT hookline.new_id('msg', ${at}::timestamptz) AS id FROM generate_series(1, 500)`.execute(database.db);
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
      expect(idTime(id)).toEqual(at);
      expect(id >= idBoundary('msg', at, 'start') && id <= idBoundary('msg', at, 'end')).toBe(true);
    }
    // The 14 payload bytes are random: each takes many values over 500 ids.
    const payloads = ids.map((id) => {
      let n = 0n;
      for (const c of id.slice(4)) n = n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c));
      return Buffer.from(n.toString(16).padStart(40, '0'), 'hex').subarray(6);
    });
    for (let byte = 0; byte < 14; byte++) expect(new Set(payloads.map((p) => p[byte])).size).toBeGreaterThan(100);
  });
});

it("0044's down migration puts back 0029's new_id and 0038's publish, and up makes the same definitions again", async () => {
  const definitions = async () =>
    (
      await sql<{ d: string }>`
        SELECT string_agg(pg_get_functiondef(p.oid), E'\n' ORDER BY p.proname) AS d FROM pg_proc p
        WHERE p.pronamespace = 'hookline'::regnamespace AND p.proname IN ('publish', 'new_id', 'ksuid_of')`.execute(database.db)
    ).rows[0]!.d;
  const latest = await definitions();
  expect(latest).toContain('payload_text');
  await migrateSchemaTo(database.db, '0038_fanout_wake_when_asleep');
  try {
    const before = await definitions();
    expect(before).not.toMatch(/payload_text|ksuid_of/);
    expect(before).toContain("length(translate(payload::text, '{[', ''))");
    expect(before).toContain('FOR i IN 1..27 LOOP');
    expect((await sql<{ id: string }>`SELECT hookline.new_id('msg', now()) AS id`.execute(database.db)).rows[0]!.id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
  } finally {
    await migrateSchemaTo(database.db, '0044_cheaper_publish');
  }
  expect(await definitions()).toBe(latest);
});
