import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, deliveryAttemptRepo, type Database } from '../src/index.ts';

// The group commit writes successes through writeSucceededAttempts (one array per column, see
// insertAttemptRows); a single attempt goes through writeAttemptRows (Kysely's VALUES). Both must
// store the same row, whatever the text holds: quotes, braces, commas, backslashes, NUL-free
// unicode, JSON headers, NULLs.

let drop: () => Promise<void>;
let db: Database;
const T = 'ten_da';

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  await db.insertInto('tenant').values({ id: T, name: 'da' }).execute();
  await db.insertInto('application').values({ id: 'app_da', tenantId: T, uid: null, name: 'da', throttleRate: null, metadata: '{}' }).execute();
  await db
    .insertInto('endpoint')
    .values({
      id: 'ep_da',
      tenantId: T,
      appId: 'app_da',
      uid: null,
      url: 'https://e.example.com',
      description: '',
      eventTypes: null,
      channels: null,
      throttleRate: null,
      metadata: '{}',
      headers: '{}',
      disabled: false,
    })
    .execute();
  for (const msg of ['msg_da_1', 'msg_da_2', 'msg_da_3', 'msg_da_4']) {
    await db
      .insertInto('message')
      .values({
        id: msg,
        tenantId: T,
        appId: 'app_da',
        eventType: 'a.b',
        eventId: null,
        channels: null,
        payload: '{}',
        expiresAt: new Date(Date.now() + 86400_000),
      })
      .execute();
    await db.insertInto('messageDelivery').values({ tenantId: T, appId: 'app_da', msgId: msg, endpointId: 'ep_da', status: 1, nextAttemptAt: new Date() }).execute();
  }
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

const at = new Date('2026-11-24T03:00:00.123Z');
const attempt = (n: number, response: string, responseHeaders: string | null) => ({
  id: `atmpt_da_${n}`,
  tenantId: T,
  appId: 'app_da',
  msgId: `msg_da_${n}`,
  endpointId: 'ep_da',
  url: 'https://e.example.com/a,b{c}"d\\e',
  status: 0,
  responseStatusCode: 204,
  response,
  responseDurationMs: 12,
  triggerType: 0,
  responseHeaders,
  createdAt: at,
});
const stored = async (id: string) => {
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM message_attempt WHERE id = ${id}`.execute(db);
  const { id: _id, msgId: _msg, ...rest } = rows[0]!;
  return rest;
};

it('stores the same attempt row as writeAttemptRows, for awkward text and for NULLs', async () => {
  const cases: Array<[string, string | null]> = [
    ['{"ok": true, "list": [1,2], "q": "a\\"b", "b": "\\\\"}', '{"content-type":"application/json","x-odd":"a,b {c} \\"d\\""}'],
    ['NULL', null],
  ];
  for (const [i, [response, headers]] of cases.entries()) {
    const one = 2 * i + 1;
    const two = 2 * i + 2;
    await deliveryAttemptRepo.writeAttemptRows(db, {
      attempt: attempt(one, response, headers),
      delivery: { status: 0, attemptCount: 1, nextAttemptAt: null },
      health: { ok: true },
    });
    await deliveryAttemptRepo.writeSucceededAttempts(db, [{ ...attempt(two, response, headers), attemptCount: 1 }], new Date());
    expect(await stored(`atmpt_da_${two}`)).toEqual(await stored(`atmpt_da_${one}`));
    expect((await stored(`atmpt_da_${two}`)).response).toBe(response);
  }
});
