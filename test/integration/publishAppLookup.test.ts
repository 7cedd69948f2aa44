import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// A publish finds its application inside the INSERT of the message (messageRepo.insertMessageIntoApplication):
// these pin that this lookup keeps findApplication's rules and that a refused publish leaves nothing behind.

let h: TestHookline;
let sql: pg.Client;
let a: { tenantId: string; auth: { authorization: string } };
let b: { tenantId: string; auth: { authorization: string } };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' }); // no worker: pending fan-outs stay to be counted
  const ta = await h.createTenant('lookup-a');
  const tb = await h.createTenant('lookup-b');
  a = { tenantId: ta.tenantId, auth: { authorization: `Bearer ${ta.apiKey}` } };
  b = { tenantId: tb.tenantId, auth: { authorization: `Bearer ${tb.apiKey}` } };
  sql = new pg.Client({ connectionString: h.connectionString });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await h?.stop();
});

const createApp = async (auth: { authorization: string }, uid: string): Promise<string> =>
  (await h.http.post('/api/v1/app').set(auth).send({ name: uid, uid }).expect(201)).body.id as string;
const publish = (auth: { authorization: string }, app: string, body: object = { eventType: 'e.x', payload: { n: 1 } }) =>
  h.http
    .post(`/api/v1/app/${encodeURIComponent(app)}/msg`)
    .set(auth)
    .send(body);
const messageCount = async (tenantId: string): Promise<number> =>
  Number((await sql.query('SELECT count(*) AS n FROM message WHERE tenant_id = $1', [tenantId])).rows[0].n);
const pendingFanOuts = async (): Promise<number> => Number((await sql.query('SELECT count(*) AS n FROM fanout_pending')).rows[0].n);

describe('publish: the application looked up in the message INSERT', () => {
  it('publishes by id and by uid into that application', async () => {
    const first = await createApp(a.auth, 'lookup-first');
    await createApp(a.auth, 'lookup-other');
    const byId = (await publish(a.auth, first).expect(202)).body.id as string;
    const byUid = (await publish(a.auth, 'lookup-first').expect(202)).body.id as string;
    const rows = (await sql.query('SELECT id, app_id FROM message WHERE id = ANY($1) ORDER BY id', [[byId, byUid]])).rows;
    expect(rows.map((r) => r.app_id)).toEqual([first, first]);
  });

  it('answers 404 for another tenant’s application, by id or uid, and writes no message and no pending fan-out', async () => {
    const foreign = await createApp(b.auth, 'lookup-foreign');
    const before = { messages: await messageCount(a.tenantId), pending: await pendingFanOuts() };
    for (const ref of [foreign, 'lookup-foreign', 'app_missing']) {
      const res = await publish(a.auth, ref);
      expect({ ref, status: res.status, code: res.body.code }).toEqual({ ref, status: 404, code: 'not_found' });
    }
    expect({ messages: await messageCount(a.tenantId), pending: await pendingFanOuts() }).toEqual(before);
  });

  it('never publishes to the tenant’s operational application', async () => {
    await h.http.post('/api/v1/operational-webhook/endpoint').set(a.auth).send({ url: 'https://example.com/ops' }).expect(201);
    const op = (await sql.query('SELECT id FROM application WHERE tenant_id = $1 AND operational', [a.tenantId])).rows[0];
    expect(op).toBeDefined();
    const before = await messageCount(a.tenantId);
    expect((await publish(a.auth, op.id as string)).status).toBe(404);
    expect(await messageCount(a.tenantId)).toBe(before);
  });

  it('keeps a repeated eventId a 409 and a deleted application a 404', async () => {
    const app = await createApp(a.auth, 'lookup-conflict');
    await publish(a.auth, app, { eventType: 'e.x', payload: {}, eventId: 'once' }).expect(202);
    expect((await publish(a.auth, app, { eventType: 'e.x', payload: {}, eventId: 'once' })).status).toBe(409);
    await h.http.delete(`/api/v1/app/${app}`).set(a.auth).expect(204);
    expect((await publish(a.auth, app)).status).toBe(404);
    expect((await publish(a.auth, 'lookup-conflict')).status).toBe(404);
  });

  it("deletes an application's messages with it, and no other application's", async () => {
    // Messages have no foreign key to their application (migration 0016): the delete removes them.
    const doomed = await createApp(a.auth, 'lookup-doomed');
    const kept = await createApp(a.auth, 'lookup-kept');
    for (const app of [doomed, doomed, kept]) await publish(a.auth, app).expect(202);
    const count = async (app: string) => Number((await sql.query('SELECT count(*) AS n FROM message WHERE app_id = $1', [app])).rows[0].n);
    expect([await count(doomed), await count(kept)]).toEqual([2, 1]);
    await h.http.delete(`/api/v1/app/${doomed}`).set(b.auth).expect(404);
    expect(await count(doomed)).toBe(2);
    await h.http.delete(`/api/v1/app/${doomed}`).set(a.auth).expect(204);
    expect([await count(doomed), await count(kept)]).toEqual([0, 1]);
  });

  it('still creates the application from the body when the uid does not exist (the second, looked-up path)', async () => {
    const res = await publish(a.auth, 'lookup-lazy', { eventType: 'e.x', payload: {}, application: { name: 'Lazy', uid: 'lookup-lazy' } }).expect(202);
    const row = (await sql.query('SELECT a.uid FROM message m JOIN application a ON a.id = m.app_id WHERE m.id = $1', [res.body.id])).rows[0];
    expect(row).toEqual({ uid: 'lookup-lazy' });
  });
});
