import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';

// A publish writes its pending fan-out (the outbox row a worker claims) in the message's own
// statement, and no pg-boss job. Without a worker the rows stay as written.

let h: TestHookline;
let client: pg.Client;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' }); // no worker: nothing claims the rows
  client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await h?.stop();
});

/** A tenant's pending fan-outs; `trace_is_null` is SQL NULL, not JSON null. */
const pendingOf = async (tenantId: string) =>
  (await client.query('SELECT tenant_id, msg_id, trace IS NULL AS trace_is_null, attempts FROM fanout_pending WHERE tenant_id = $1 ORDER BY id', [tenantId])).rows;
/** Every pg-boss job: a publish writes none (no worker runs here, so no schedule either). */
const fanOutJobs = async () => Number((await client.query(`SELECT count(*) FROM ${QUEUE_SCHEMA}.job`)).rows[0].count);

it('writes one pending fan-out for the message, untraced, and no fan-out job', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/app').set(auth).send({ name: 'a', uid: 'a' }).expect(201);
  const msg = (
    await h.http
      .post('/api/v1/app/a/msg')
      .set(auth)
      .send({ eventType: 'x.y', payload: { n: 1 } })
      .expect(202)
  ).body;
  expect(await pendingOf(tenantId)).toEqual([{ tenant_id: tenantId, msg_id: msg.id, trace_is_null: true, attempts: 0 }]);
  expect(await fanOutJobs()).toBe(0);
});

it('writes one for a message into an application the publish creates (the statement by application id)', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  const msg = (
    await h.http
      .post('/api/v1/app/lazy/msg')
      .set(auth)
      .send({ eventType: 'x.y', payload: {}, application: { name: 'Lazy', uid: 'lazy' } })
      .expect(202)
  ).body;
  expect(await pendingOf(tenantId)).toEqual([{ tenant_id: tenantId, msg_id: msg.id, trace_is_null: true, attempts: 0 }]);
  expect(await fanOutJobs()).toBe(0);
});

it('writes none when the eventId is taken', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'b' }).expect(201)).body.id;
  const first = (await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'e1', payload: {} }).expect(202)).body;
  await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'e1', payload: {} }).expect(409);
  expect((await pendingOf(tenantId)).map((r) => r.msg_id)).toEqual([first.id]);
  expect(await fanOutJobs()).toBe(0);
});

it('claims nothing for messages without an eventId and one claim per eventId, either statement used in turn', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'c' }).expect(201)).body.id;
  const publish = (body: object, status: number) => h.http.post(`/api/v1/app/${app}/msg`).set(auth).send(body).expect(status);
  const plain = [(await publish({ eventType: 'x.y', payload: {} }, 202)).body, (await publish({ eventType: 'x.y', payload: {} }, 202)).body];
  const claims = async () => (await client.query('SELECT event_id, msg_id FROM message_event_id WHERE tenant_id = $1', [tenantId])).rows;
  expect(await claims()).toEqual([]);
  const keyed = (await publish({ eventType: 'x.y', eventId: 'e2', payload: {} }, 202)).body;
  await publish({ eventType: 'x.y', eventId: 'e2', payload: {} }, 409);
  expect(await claims()).toEqual([{ event_id: 'e2', msg_id: keyed.id }]);
  expect((await pendingOf(tenantId)).map((r) => r.msg_id)).toEqual([...plain.map((m) => m.id), keyed.id]);
});
