import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, fanOutRepo, scopeToTenant, type Database, type EndpointRow } from '../src/index.ts';

// The fan-out reads state the subscription rule in SQL with the message's columns; here it is
// written the plain way, per message with its values as parameters (as fan-out once queried it):
// both must pick the same endpoints for every combination of event types, channels and disabled
// endpoints.

let db: Database;
let connectionString: string;
const T = 'ten_f';
const EVENT_TYPES = [null, ['a.b'], ['c.d'], ['a.b', 'c.d']];
const CHANNELS = [null, ['x'], ['y'], ['x', 'y']];
const MESSAGES = [
  { eventType: 'a.b', channels: null },
  { eventType: 'a.b', channels: [] as string[] },
  { eventType: 'a.b', channels: ['x'] },
  { eventType: 'c.d', channels: ['y', 'z'] },
  { eventType: 'e.f', channels: ['z'] },
  { eventType: 'e.f', channels: null },
];

const testDb = useTestDatabase({ max: 4 });

beforeAll(async () => {
  connectionString = testDb.connectionString;
  db = testDb.db;
  await db.insertInto('tenant').values({ id: T, name: 'f' }).execute();
  for (const app of ['app_1', 'app_2']) {
    await db.insertInto('application').values({ id: app, tenantId: T, uid: null, name: app, throttleRate: null, metadata: '{}' }).execute();
  }
  let n = 0;
  for (const eventTypes of EVENT_TYPES) {
    for (const channels of CHANNELS) {
      for (const disabled of [false, true]) {
        await db
          .insertInto('endpoint')
          .values({
            id: `ep_${String(n++).padStart(3, '0')}`,
            tenantId: T,
            appId: n % 5 === 0 ? 'app_2' : 'app_1',
            uid: null,
            url: 'https://e.example.com',
            description: '',
            eventTypes,
            channels,
            throttleRate: null,
            metadata: '{}',
            headers: '{}',
            disabled,
          })
          .execute();
      }
    }
  }
  for (const [i, m] of MESSAGES.entries()) {
    await db
      .insertInto('message')
      .values({
        id: `msg_${i}`,
        tenantId: T,
        appId: 'app_1',
        eventType: m.eventType,
        eventId: null,
        channels: m.channels,
        payload: '{}',
        expiresAt: new Date(Date.now() + 86400_000),
      })
      .execute();
  }
});

/** Enabled endpoints of an application that subscribe to the event type and channels (null = all). */
async function findSubscribedEndpoints(
  db: Database,
  tenantId: string,
  appId: string,
  eventType: string,
  channels: string[] | null,
): Promise<Pick<EndpointRow, 'id' | 'failingSince' | 'filter'>[]> {
  let q = db
    .selectFrom('endpoint')
    .select(['id', 'failingSince', 'filter'])
    .where('tenantId', '=', tenantId)
    .where('appId', '=', appId)
    .where('disabled', '=', false)
    .where((eb) => eb.or([eb('eventTypes', 'is', null), sql<boolean>`${eventType} = ANY(event_types)`]));
  // An endpoint that names channels only receives messages on one of them (as in Svix).
  q =
    channels && channels.length > 0
      ? q.where((eb) => eb.or([eb('channels', 'is', null), sql<boolean>`channels && ${channels}::text[]`]))
      : q.where('channels', 'is', null);
  return q.execute();
}

it('selects the endpoints the plain subscription rule selects, for each message of a batch', async () => {
  const keys = [...MESSAGES.map((_, i) => ({ tenantId: T, msgId: `msg_${i}` })), { tenantId: T, msgId: 'msg_missing' }, { tenantId: 'ten_other', msgId: 'msg_0' }];
  for (const k of keys) await db.insertInto('fanoutPending').values(k).execute();
  const all = await db.transaction().execute((trx) => fanOutRepo.claimPendingFanOuts(trx, keys.length));
  // In the order published; a message that is not there (or is another tenant's) comes back empty.
  expect(all.map((m) => m.msgId)).toEqual(keys.map((k) => k.msgId));
  expect(all.slice(-2).map((m) => [m.appId, m.endpoints])).toEqual([
    [null, []],
    [null, []],
  ]);
  const found = all.slice(0, -2);
  for (const msg of found) {
    expect(msg.appId).toBe('app_1');
    const one = await findSubscribedEndpoints(db, T, msg.appId!, msg.eventType, msg.channels);
    expect(one.length).toBeGreaterThan(0);
    expect(msg.endpoints.map((e) => e.id)).toEqual(one.map((e) => e.id).sort());
  }
});

it('tells a generic plan how many pending fan-outs a batch takes (the worker plans generically)', async () => {
  // With the limit a parameter, a generic plan takes a tenth of the table for the batch, and behind a
  // backlog joined every message with its endpoints to find a batch's (1 s a batch in the bench).
  await sql`INSERT INTO fanout_pending (tenant_id, msg_id) SELECT ${T}, 'msg_gp_' || i FROM generate_series(1, 2000) i`.execute(db);
  await sql`ANALYZE fanout_pending`.execute(db);
  const generic = connectDatabase({ connectionString, max: 1, genericPlans: true });
  try {
    const query = sql`SELECT * FROM (${fanOutRepo.duePendingFanOuts(25)}) due`.compile(generic);
    const params = query.parameters.map((v) => (typeof v === 'number' ? String(v) : `'${String(v)}'`)).join(', ');
    await sql.raw(`PREPARE due_gp AS ${query.sql}`).execute(generic);
    const { rows } = await sql
      .raw<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`EXPLAIN (FORMAT JSON) EXECUTE due_gp${params ? `(${params})` : ''}`)
      .execute(generic);
    expect(rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']).toBeLessThanOrEqual(25);
  } finally {
    await generic.destroy();
    await sql`DELETE FROM fanout_pending WHERE msg_id LIKE 'msg_gp_%'`.execute(db);
  }
});

it('precheck (anyEndpointSubscribes) answers as fan-out would, also through a tenant-scoped handle', async () => {
  const scoped = scopeToTenant(db, T);
  let active = 0;
  for (const appId of ['app_1', 'app_2', 'app_none']) {
    for (const m of [...MESSAGES, { eventType: 'a.b', channels: ['z'] }, { eventType: 'g.h', channels: ['x'] }]) {
      const expected = (await findSubscribedEndpoints(db, T, appId, m.eventType, m.channels)).length > 0;
      expect(await fanOutRepo.anyEndpointSubscribes(db, T, appId, m.eventType, m.channels), `${appId} ${JSON.stringify(m)}`).toBe(expected);
      expect(await fanOutRepo.anyEndpointSubscribes(scoped, T, appId, m.eventType, m.channels)).toBe(expected);
      // Another tenant never sees these endpoints.
      expect(await fanOutRepo.anyEndpointSubscribes(scopeToTenant(db, 'ten_other'), 'ten_other', appId, m.eventType, m.channels)).toBe(false);
      if (expected) active += 1;
    }
  }
  // Both answers occur: the comparison is not vacuous.
  expect(active).toBeGreaterThan(0);
  expect(active).toBeLessThan(3 * (MESSAGES.length + 2));
});
