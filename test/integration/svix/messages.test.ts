import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ApiException, type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let sql: pg.Client;

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant('messages');
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  sql = new pg.Client({ connectionString: h.connectionString });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await h?.stop();
});

const MSG_ID = /^msg_[0-9A-Za-z]{27}$/;

async function expectApiError(call: Promise<unknown>, code: number): Promise<ApiException<unknown>> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  expect((err as ApiException<unknown>).code).toBe(code);
  return err as ApiException<unknown>;
}

async function newApp(uid: string): Promise<string> {
  return (await svix.application.create({ name: uid, uid })).id;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('svix.message', () => {
  it('create answers without the payload (the SDK asks with_content=false) and get returns it on request', async () => {
    await newApp('create-app');
    const payload = { invoiceId: 'in_1', amount: 4200, nested: { ok: true } };
    const msg = await svix.message.create('create-app', { eventType: 'invoice.paid', payload, channels: ['eu'], tags: ['vip'], eventId: 'evt-1' });
    expect(msg).toEqual({
      id: expect.stringMatching(MSG_ID),
      eventType: 'invoice.paid',
      eventId: 'evt-1',
      payload: {},
      channels: ['eu'],
      tags: ['vip'],
      timestamp: expect.any(Date),
      deliverAt: null,
    });
    expect(Math.abs(msg.timestamp.getTime() - Date.now())).toBeLessThan(60_000);

    expect((await svix.message.get('create-app', msg.id)).payload).toEqual({});
    const full = await svix.message.get('create-app', msg.id, { withContent: true });
    expect(full).toEqual({ ...msg, payload });
    // By eventId too.
    expect((await svix.message.get('create-app', 'evt-1', { withContent: true })).id).toBe(msg.id);
    await expectApiError(svix.message.get('create-app', 'msg_nope'), 404);

    const withContent = await svix.message.create('create-app', { eventType: 'invoice.paid', payload: { a: 1 } }, { withContent: true });
    expect(withContent).toMatchObject({ payload: { a: 1 }, eventId: null, channels: null, tags: null });
  });

  it('create refuses a repeated eventId with 409', async () => {
    await newApp('dedupe-app');
    await svix.message.create('dedupe-app', { eventType: 'x.y', payload: {}, eventId: 'once' });
    await expectApiError(svix.message.create('dedupe-app', { eventType: 'x.y', payload: { other: true }, eventId: 'once' }), 409);
    expect((await svix.message.list('dedupe-app')).data).toHaveLength(1);
  });

  it('create with `application` creates the application from that body when the uid does not exist', async () => {
    const msg = await svix.message.create('lazy-app', {
      eventType: 'user.created',
      payload: { user: 1 },
      application: { name: 'Lazy Inc', uid: 'lazy-app', metadata: { tier: 'free' }, throttleRate: 3 },
    });
    const app = await svix.application.get('lazy-app');
    expect(app).toMatchObject({ name: 'Lazy Inc', uid: 'lazy-app', metadata: { tier: 'free' }, throttleRate: 3 });
    // An existing application is used as it is: the body's application is ignored.
    await svix.message.create('lazy-app', { eventType: 'user.created', payload: { user: 2 }, application: { name: 'Renamed?', uid: 'lazy-app' } });
    expect(await svix.application.get('lazy-app')).toEqual(app);
    const list = await svix.message.list('lazy-app');
    expect(list.data.map((m) => m.id)).toContain(msg.id);
    expect(list.data).toHaveLength(2);
  });

  it('list filters by event types, channel, tag, before and after, newest first, with content on request', async () => {
    await newApp('list-app');
    const sent = [];
    const specs = [
      { eventType: 'a.one', payload: { n: 0 }, channels: ['red'], tags: ['t1'] },
      { eventType: 'b.two', payload: { n: 1 }, channels: ['blue'] },
      { eventType: 'c.three', payload: { n: 2 }, channels: ['red', 'blue'], tags: ['t1', 't2'] },
      { eventType: 'a.one', payload: { n: 3 } },
    ];
    for (const spec of specs) {
      sent.push(await svix.message.create('list-app', spec));
      await pause(15);
    }
    const ids = (list: { data: Array<{ id: string }> }) => list.data.map((m) => m.id);
    const [m0, m1, m2, m3] = sent.map((m) => m.id);

    const all = await svix.message.list('list-app');
    expect(ids(all)).toEqual([m3, m2, m1, m0]);
    expect(all.data.every((m) => JSON.stringify(m.payload) === '{}')).toBe(true);
    const full = await svix.message.list('list-app', { withContent: true });
    expect(full.data.map((m) => m.payload)).toEqual([{ n: 3 }, { n: 2 }, { n: 1 }, { n: 0 }]);

    expect(ids(await svix.message.list('list-app', { eventTypes: ['a.one'] }))).toEqual([m3, m0]);
    // The SDK sends several event types as one comma-separated value.
    expect(ids(await svix.message.list('list-app', { eventTypes: ['a.one', 'b.two'] }))).toEqual([m3, m1, m0]);
    expect(ids(await svix.message.list('list-app', { channel: 'red' }))).toEqual([m2, m0]);
    expect(ids(await svix.message.list('list-app', { tag: 't1' }))).toEqual([m2, m0]);
    expect(ids(await svix.message.list('list-app', { tag: 't2' }))).toEqual([m2]);
    expect(ids(await svix.message.list('list-app', { before: sent[2]!.timestamp }))).toEqual([m1, m0]);
    expect(ids(await svix.message.list('list-app', { after: sent[1]!.timestamp }))).toEqual([m3, m2]);
    expect(ids(await svix.message.list('list-app', { after: sent[0]!.timestamp, before: sent[3]!.timestamp, channel: 'blue' }))).toEqual([m2, m1]);

    const page1 = await svix.message.list('list-app', { limit: 3 });
    expect(page1).toMatchObject({ done: false });
    expect(ids(page1)).toEqual([m3, m2, m1]);
    const page2 = await svix.message.list('list-app', { limit: 3, iterator: page1.iterator });
    expect(ids(page2)).toEqual([m0]);
    expect(page2.done).toBe(true);
  });

  it('expungeContent removes the payload for good: get answers {} and the row holds NULL', async () => {
    await newApp('expunge-app');
    const msg = await svix.message.create('expunge-app', { eventType: 'secret.leaked', payload: { card: '4242 4242 4242 4242' }, eventId: 'leak' });
    await svix.message.expungeContent('expunge-app', msg.id);
    const after = await svix.message.get('expunge-app', msg.id, { withContent: true });
    expect(after).toEqual({ ...msg, payload: {} });
    const row = await sql.query('SELECT payload FROM message WHERE id = $1', [msg.id]);
    expect(row.rows).toEqual([{ payload: null }]);
    const listed = await svix.message.list('expunge-app', { withContent: true });
    expect(listed.data.map((m) => m.payload)).toEqual([{}]);
    // Again (by eventId this time) is harmless; an unknown message is a 404.
    await svix.message.expungeContent('expunge-app', 'leak');
    await expectApiError(svix.message.expungeContent('expunge-app', 'msg_unknown'), 404);
  });
});

describe('message status codes (raw HTTP)', () => {
  it('POST is 202 with the payload unless with_content=false, and 409 with a conflict body on a repeated eventId', async () => {
    await newApp('raw-app');
    const res = await h.http
      .post('/api/v1/app/raw-app/msg')
      .set(auth)
      .send({ eventType: 'raw.event', payload: { k: 'v' }, eventId: 'raw-1' })
      .expect(202);
    expect(res.body).toMatchObject({ payload: { k: 'v' }, eventId: 'raw-1' });
    const bare = await h.http
      .post('/api/v1/app/raw-app/msg?with_content=false')
      .set(auth)
      .send({ eventType: 'raw.event', payload: { k: 'v' } })
      .expect(202);
    expect(bare.body.payload).toEqual({});
    const dup = await h.http.post('/api/v1/app/raw-app/msg').set(auth).send({ eventType: 'raw.event', payload: {}, eventId: 'raw-1' }).expect(409);
    expect(dup.body).toEqual({ code: 'conflict', detail: expect.any(String) });
    const got = await h.http.get(`/api/v1/app/raw-app/msg/${res.body.id}`).set(auth).expect(200);
    expect(got.body.payload).toEqual({ k: 'v' });
    const repeated = await h.http.get('/api/v1/app/raw-app/msg?event_types=raw.event&event_types=other').set(auth).expect(200);
    expect(repeated.body.data).toHaveLength(2);
  });

  it('DELETE …/content is 204 and leaves the message, 404 for an unknown message or application', async () => {
    await newApp('raw-expunge');
    const msg = (
      await h.http
        .post('/api/v1/app/raw-expunge/msg')
        .set(auth)
        .send({ eventType: 'e', payload: { s: 1 } })
        .expect(202)
    ).body;
    const del = await h.http.delete(`/api/v1/app/raw-expunge/msg/${msg.id}/content`).set(auth).expect(204);
    expect(del.text).toBe('');
    expect((await h.http.get(`/api/v1/app/raw-expunge/msg/${msg.id}`).set(auth).expect(200)).body).toMatchObject({ id: msg.id, payload: {} });
    await h.http.delete('/api/v1/app/raw-expunge/msg/msg_missing/content').set(auth).expect(404);
    await h.http.delete(`/api/v1/app/no-such-app/msg/${msg.id}/content`).set(auth).expect(404);
  });

  it('inline application: 404 without it, 422 when its uid is missing or differs from the path', async () => {
    await h.http.post('/api/v1/app/ghost-app/msg').set(auth).send({ eventType: 'e', payload: {} }).expect(404);
    const missing = await h.http
      .post('/api/v1/app/ghost-app/msg')
      .set(auth)
      .send({ eventType: 'e', payload: {}, application: { name: 'Ghost' } })
      .expect(422);
    expect(missing.body.detail[0].loc).toEqual(['body', 'application', 'uid']);
    const differs = await h.http
      .post('/api/v1/app/ghost-app/msg')
      .set(auth)
      .send({ eventType: 'e', payload: {}, application: { name: 'Ghost', uid: 'other-uid' } })
      .expect(422);
    expect(differs.body.detail[0].loc).toEqual(['body', 'application', 'uid']);
    const prefixed = await h.http
      .post('/api/v1/app/app_ghost/msg')
      .set(auth)
      .send({ eventType: 'e', payload: {}, application: { name: 'Ghost', uid: 'app_ghost' } })
      .expect(422);
    expect(prefixed.body.detail[0].loc).toEqual(['body', 'application', 'uid']);
    await h.http.get('/api/v1/app/ghost-app').set(auth).expect(404);
    await h.http.get('/api/v1/app/other-uid').set(auth).expect(404);
  });

  it('refuses bad input with 422: non-object payload, msg_ eventId, both retention fields, bad tags and filters', async () => {
    await newApp('bad-app');
    const cases: Array<[Record<string, unknown>, Array<string | number>]> = [
      [{ eventType: 'e', payload: [1] }, ['body', 'payload']],
      [{ eventType: 'e', payload: 'text' }, ['body', 'payload']],
      [{ eventType: 'e', payload: {}, eventId: 'msg_2Xk' }, ['body', 'eventId']],
      [{ eventType: 'e', payload: {}, payloadRetentionPeriod: 5, payloadRetentionHours: 5 }, ['body', 'payloadRetentionHours']],
      [{ eventType: 'e', payload: {}, tags: ['has space'] }, ['body', 'tags', 0]],
    ];
    for (const [body, loc] of cases) {
      const res = await h.http.post('/api/v1/app/bad-app/msg').set(auth).send(body).expect(422);
      expect(res.body.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
    }
    expect((await h.http.get('/api/v1/app/bad-app/msg').set(auth).expect(200)).body.data).toEqual([]);
    const filter = await h.http.get('/api/v1/app/bad-app/msg?event_types=ok,not%20ok').set(auth).expect(422);
    expect(filter.body.detail[0].loc).toEqual(['query', 'event_types', 1]);
    await h.http.get('/api/v1/app/bad-app/msg?with_content=maybe').set(auth).expect(422);
  });

  it('payloadRetentionHours sets when the payload expires', async () => {
    await newApp('retention-app');
    const msg = (await h.http.post('/api/v1/app/retention-app/msg').set(auth).send({ eventType: 'e', payload: {}, payloadRetentionHours: 2 }).expect(202)).body;
    const row = await sql.query<{ hours: number }>('SELECT EXTRACT(EPOCH FROM expires_at - created_at) / 3600 AS hours FROM message WHERE id = $1', [msg.id]);
    expect(Number(row.rows[0]!.hours)).toBeCloseTo(2, 3);
  });
});
