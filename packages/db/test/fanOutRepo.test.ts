import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { connectDatabase, endpointRepo, fanOutRepo, type Database } from '../src/index.ts';

// The batched fan-out reads restate the subscription rule of findSubscribedEndpoints in SQL of
// their own (message columns in place of parameters): both must pick the same endpoints for every
// combination of event types, channels and disabled endpoints.

let drop: () => Promise<void>;
let db: Database;
const T = 'ten_f';
const EVENT_TYPES = [null, ['a.b'], ['c.d'], ['a.b', 'c.d']];
const CHANNELS = [null, ['x'], ['y'], ['x', 'y']];
const MESSAGES = [
  { eventType: 'a.b', channels: null }, { eventType: 'a.b', channels: [] as string[] }, { eventType: 'a.b', channels: ['x'] },
  { eventType: 'c.d', channels: ['y', 'z'] }, { eventType: 'e.f', channels: ['z'] }, { eventType: 'e.f', channels: null },
];

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ connectionString: database.connectionString, max: 4 });
  await db.insertInto('tenant').values({ id: T, name: 'f' }).execute();
  for (const app of ['app_1', 'app_2']) {
    await db.insertInto('application').values({ id: app, tenantId: T, uid: null, name: app, throttleRate: null, metadata: '{}' }).execute();
  }
  let n = 0;
  for (const eventTypes of EVENT_TYPES) {
    for (const channels of CHANNELS) {
      for (const disabled of [false, true]) {
        await db.insertInto('endpoint').values({
          id: `ep_${String(n++).padStart(3, '0')}`, tenantId: T, appId: n % 5 === 0 ? 'app_2' : 'app_1', uid: null, url: 'https://e.example.com',
          description: '', eventTypes, channels, throttleRate: null, metadata: '{}', headers: '{}', disabled,
        }).execute();
      }
    }
  }
  for (const [i, m] of MESSAGES.entries()) {
    await db.insertInto('message').values({
      id: `msg_${i}`, tenantId: T, appId: 'app_1', eventType: m.eventType, eventId: null, channels: m.channels, payload: '{}',
      expiresAt: new Date(Date.now() + 86400_000),
    }).execute();
  }
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

it('selects the endpoints findSubscribedEndpoints selects, for each message of a batch', async () => {
  const keys = [...MESSAGES.map((_, i) => ({ tenantId: T, msgId: `msg_${i}` })), { tenantId: T, msgId: 'msg_missing' }, { tenantId: 'ten_other', msgId: 'msg_0' }];
  const all = await fanOutRepo.findMessagesToFanOut(db, keys);
  // In the order asked; a message that is not there (or is another tenant's) comes back empty.
  expect(all.map((m) => m.msgId)).toEqual(keys.map((k) => k.msgId));
  expect(all.slice(-2).map((m) => [m.appId, m.endpoints])).toEqual([[null, []], [null, []]]);
  const found = all.slice(0, -2);
  for (const msg of found) {
    expect(msg.appId).toBe('app_1');
    const one = await endpointRepo.findSubscribedEndpoints(db, T, msg.appId!, msg.eventType, msg.channels);
    expect(one.length).toBeGreaterThan(0);
    expect(msg.endpoints.map((e) => e.id)).toEqual(one.map((e) => e.id).sort());
  }
});
