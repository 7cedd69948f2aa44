import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline();
  auth = { authorization: `Bearer ${(await h.createTenant('bad-input')).apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'base', uid: 'base-app' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

/** A stack frame such as "at foo (/x/y.ts:1:2)": never part of an answer. */
const STACK_FRAME = /\bat .*:\d+:\d+/;

/** An error answer: exactly `{code, detail}` with a human-readable detail and no stack trace. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { code, detail: expect.any(String) } });
  expect(res.body.detail.length).toBeGreaterThan(0);
  expect(res.text).not.toMatch(STACK_FRAME);
}

/** A 422 whose `detail` is a list of `{loc, msg, type}` and names `loc` among its errors. */
function expectInvalid(res: Response, loc: Array<string | number>): Array<{ loc: unknown[]; msg: string; type: string }> {
  expect(res.status).toBe(422);
  expect(Object.keys(res.body)).toEqual(['detail']);
  const detail = res.body.detail as Array<{ loc: unknown[]; msg: string; type: string }>;
  expect(detail.length).toBeGreaterThan(0);
  for (const d of detail) expect(d).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
  expect(detail.map((d) => d.loc)).toContainEqual(loc);
  expect(res.text).not.toMatch(STACK_FRAME);
  return detail;
}

async function ids(path: string, key = auth): Promise<string[]> {
  const res = await h.http.get(`${path}?limit=250`).set(key).expect(200);
  return (res.body.data as Array<{ id: string }>).map((x) => x.id);
}

describe('malformed JSON', () => {
  it('answers 400 invalid_json and creates nothing', async () => {
    const fresh = { authorization: `Bearer ${(await h.createTenant('json')).apiKey}` };
    const res = await h.http.post('/api/v1/app').set(fresh).set('content-type', 'application/json').send('{"name": "x",');
    expectError(res, 400, 'invalid_json');
    const single = await h.http.post('/api/v1/app').set(fresh).set('content-type', 'application/json').send("{'name': 'x'}");
    expectError(single, 400, 'invalid_json');
    expect(await ids('/api/v1/app', fresh)).toEqual([]);
    // The same body, well-formed, is accepted: the 400 above was about the JSON alone.
    await h.http.post('/api/v1/app').set(fresh).set('content-type', 'application/json').send('{"name": "x"}').expect(201);
    expect(await ids('/api/v1/app', fresh)).toHaveLength(1);
  });

  it('answers 400 on the endpoint and message routes too', async () => {
    expectError(await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).set('content-type', 'application/json').send('{"url":'), 400, 'invalid_json');
    expectError(
      await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('content-type', 'application/json').send('{"eventType":"invoice.paid","payload":{]}'),
      400,
      'invalid_json',
    );
    expect(await ids(`/api/v1/app/${appId}/endpoint`)).toEqual([]);
    expect(await ids(`/api/v1/app/${appId}/msg`)).toEqual([]);
  });
});

describe('missing required fields', () => {
  it('an application without a name', async () => {
    const detail = expectInvalid(await h.http.post('/api/v1/app').set(auth).send({ uid: 'no-name' }), ['body', 'name']);
    expect(detail.find((d) => d.loc[1] === 'name')!.type).toBe('value_error.missing');
    await h.http.get('/api/v1/app/no-name').set(auth).expect(404);
  });

  it('an endpoint without a url', async () => {
    expectInvalid(await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ description: 'no url' }), ['body', 'url']);
    expect(await ids(`/api/v1/app/${appId}/endpoint`)).toEqual([]);
  });

  it('a message without eventType or without payload', async () => {
    expectInvalid(
      await h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .send({ payload: { a: 1 } }),
      ['body', 'eventType'],
    );
    expectInvalid(await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid' }), ['body', 'payload']);
    expect(await ids(`/api/v1/app/${appId}/msg`)).toEqual([]);
  });

  it('an event type without a description', async () => {
    expectInvalid(await h.http.post('/api/v1/event-type').set(auth).send({ name: 'no.description' }), ['body', 'description']);
    const list = await h.http.get('/api/v1/event-type').set(auth).expect(200);
    expect(list.body.data.map((e: { name: string }) => e.name)).toEqual(['invoice.paid']);
  });

  it('no body at all, or a JSON body that is not an object', async () => {
    expectInvalid(await h.http.post('/api/v1/app').set(auth), ['body']);
    expectInvalid(await h.http.post('/api/v1/app').set(auth).set('content-type', 'application/json').send('null'), ['body']);
    expectInvalid(await h.http.post('/api/v1/app').set(auth).set('content-type', 'application/json').send('[{"name":"x"}]'), ['body']);
    expectInvalid(await h.http.post('/api/v1/app').set(auth).set('content-type', 'text/plain').send('name=x'), ['body']);
    expect(await ids('/api/v1/app')).toEqual([appId]);
  });
});

describe('wrong types and values', () => {
  it('rejects wrongly typed body fields with 422 at the field', async () => {
    expectInvalid(await h.http.post('/api/v1/app').set(auth).send({ name: 123 }), ['body', 'name']);
    expectInvalid(await h.http.post('/api/v1/app').set(auth).send({ name: 'spaces', uid: 'has spaces' }), ['body', 'uid']);
    expectInvalid(
      await h.http
        .post('/api/v1/app')
        .set(auth)
        .send({ name: 'meta', metadata: { n: 1 } }),
      ['body', 'metadata', 'n'],
    );
    expectInvalid(await h.http.post('/api/v1/app').set(auth).send({ name: 'rate', throttleRate: -1 }), ['body', 'throttleRate']);
    expectInvalid(
      await h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .send({ eventType: 'invoice.paid', payload: [1, 2] }),
      ['body', 'payload'],
    );
    expectInvalid(await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload: 'string' }), ['body', 'payload']);
    expectInvalid(await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'has spaces', payload: {} }), ['body', 'eventType']);
    expectInvalid(await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/hook', eventTypes: 'x' }), ['body', 'eventTypes']);
    expect(await ids('/api/v1/app')).toEqual([appId]);
    expect(await ids(`/api/v1/app/${appId}/endpoint`)).toEqual([]);
    expect(await ids(`/api/v1/app/${appId}/msg`)).toEqual([]);
  });

  it('rejects bad list query parameters with 422 at the parameter', async () => {
    for (const limit of ['0', '251', 'abc', '2.5', '-1']) {
      expectInvalid(await h.http.get(`/api/v1/app?limit=${limit}`).set(auth), ['query', 'limit']);
    }
    expectInvalid(await h.http.get('/api/v1/app?order=sideways').set(auth), ['query', 'order']);
    expectInvalid(await h.http.get(`/api/v1/app/${appId}/msg?before=yesterday`).set(auth), ['query', 'before']);
    expectInvalid(await h.http.get(`/api/v1/app/${appId}/msg?with_content=yes`).set(auth), ['query', 'with_content']);
    // The bounds themselves are accepted.
    for (const limit of ['1', '250']) await h.http.get(`/api/v1/app?limit=${limit}`).set(auth).expect(200);
  });

  it('rejects text with U+0000 (which PostgreSQL cannot store) with 422, in body, path and query', async () => {
    const before = await ids('/api/v1/app');
    const nul = expectInvalid(await h.http.post('/api/v1/app').set(auth).send({ name: 'a\u0000b' }), ['body', 'name']);
    expect(nul[0]!.msg).toMatch(/U\+0000/);
    expectInvalid(
      await h.http
        .post('/api/v1/app')
        .set(auth)
        .send({ name: 'm', metadata: { k: 'v\u0000' } }),
      ['body', 'metadata', 'k'],
    );
    expectInvalid(
      await h.http
        .post('/api/v1/event-type')
        .set(auth)
        .send({ name: 'nul.schema', description: 'd', schemas: { 1: { title: '\u0000' } } }),
      ['body', 'schemas', '1', 'title'],
    );
    expectInvalid(
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: 'https://example.com/hook', headers: { 'X-A': '\u0000' } }),
      ['body', 'headers', 'X-A'],
    );
    expectInvalid(await h.http.get('/api/v1/app/a%00b').set(auth), ['path', 'app']);
    expectInvalid(await h.http.get('/api/v1/app?iterator=a%00b').set(auth), ['query', 'iterator']);
    expectInvalid(await h.http.post('/admin/v1/tenants').set('authorization', 'Bearer test-admin-token-0123456789').send({ name: '\u0000' }), ['body', 'name']);
    expect(await ids('/api/v1/app')).toEqual(before);
  });

  // Found by the route fuzzer: "\ud800" reached jsonb columns (500) and text ones (stored as U+FFFD).
  it('rejects lone UTF-16 surrogates with 422 outside a message payload, which keeps them', async () => {
    const before = await ids('/api/v1/app');
    const send = (path: string, json: string) => h.http.post(path).set(auth).set('content-type', 'application/json').send(json);
    expectInvalid(await send('/api/v1/app', '{"name":"m","metadata":{"k":"\\ud800"}}'), ['body', 'metadata', 'k']);
    expectInvalid(await send('/api/v1/app', '{"name":"m","metadata":{"\\udfff":"v"}}'), ['body', 'metadata', '\udfff']);
    const name = expectInvalid(await send('/api/v1/app', '{"name":"a\\ud800b"}'), ['body', 'name']);
    expect(name[0]!.msg).toMatch(/lone surrogate/);
    expectInvalid(await send('/api/v1/event-type', '{"name":"lone.schema","description":"d","schemas":{"1":{"title":"\\udbff"}}}'), ['body', 'schemas', '1', 'title']);
    expectInvalid(await send(`/api/v1/app/${appId}/endpoint`, '{"url":"https://example.com/hook","filter":{"a":"\\ud800"}}'), ['body', 'filter', 'a']);
    expectInvalid(await send('/api/v1/auth/app-portal-access/lone-app', '{"application":{"name":"x","metadata":{"k":"\\ud800"}}}'), [
      'body',
      'application',
      'metadata',
      'k',
    ]);
    expect(await ids('/api/v1/app')).toEqual(before);
    await h.http.get('/api/v1/event-type/lone.schema').set(auth).expect(404);
    // A payload is stored as the JSON text it came in, escapes and all.
    const res = await send(`/api/v1/app/${appId}/msg`, '{"eventType":"invoice.paid","eventId":"lone-payload","payload":{"s":"\\ud800"}}').expect(202);
    expect(res.body.payload).toEqual({ s: '\ud800' });
  });

  // Found by the route fuzzer: a time beyond what an id can hold overflowed the id range (500).
  it('answers endpoint stats for any representable time instead of failing on far-future ones', async () => {
    const ep = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/stats' }).expect(201)).body.id as string;
    const res = await h.http.get(`/api/v1/app/${appId}/endpoint/${ep}/stats?since=9999-12-31T23:59:59Z`).set(auth).expect(200);
    expect(res.body).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
    await h.http.delete(`/api/v1/app/${appId}/endpoint/${ep}`).set(auth).expect(204);
  });

  it('still accepts U+0000 inside a message payload, which is kept as JSON text', async () => {
    const payload = { note: 'a\u0000b', nested: { '\u0000key': 1 } };
    const res = await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload, eventId: 'nul-payload' }).expect(202);
    const got = await h.http.get(`/api/v1/app/${appId}/msg/${res.body.id}`).set(auth).expect(200);
    expect(got.body.payload).toEqual(payload);
  });

  it('rejects JSON nested too deeply to store with 422 instead of overflowing the stack', async () => {
    const depth = 5000;
    const body = `{"eventType":"invoice.paid","payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const res = await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('content-type', 'application/json').send(body);
    expect(res.status).toBe(422);
    const [err, ...rest] = res.body.detail as Array<{ loc: unknown[]; msg: string; type: string }>;
    expect(rest).toEqual([]);
    expect(err!.loc.slice(0, 2)).toEqual(['body', 'payload']);
    // The error points into the payload, at a modest depth, not at the bottom of it.
    expect(new Set(err!.loc.slice(2))).toEqual(new Set(['a']));
    expect(err!.loc.length).toBeLessThan(200);
    expect(err!).toMatchObject({ msg: expect.stringMatching(/deeper than \d+ levels/), type: 'value_error' });
    await h.http.get(`/api/v1/app/${appId}/msg?limit=250`).set(auth).expect(200);
    // Modest nesting is fine.
    const ok = `{"eventType":"invoice.paid","payload":${'{"a":'.repeat(20)}1${'}'.repeat(20)}}`;
    await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('content-type', 'application/json').send(ok).expect(202);
  });
});

describe('size limit', () => {
  it('answers 413 payload_too_large for a body over 1 MiB, and creates nothing', async () => {
    const before = await ids(`/api/v1/app/${appId}/msg`);
    const big = { eventType: 'invoice.paid', eventId: 'too-big', payload: { blob: 'x'.repeat(1024 * 1024 + 10) } };
    expectError(await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send(big), 413, 'payload_too_large');
    expectError(
      await h.http
        .post('/api/v1/app')
        .set(auth)
        .send({ name: 'x'.repeat(1_100_000) }),
      413,
      'payload_too_large',
    );
    await h.http.get(`/api/v1/app/${appId}/msg/too-big`).set(auth).expect(404);
    expect(await ids(`/api/v1/app/${appId}/msg`)).toEqual(before);
    // Just under the limit is accepted.
    const under = { eventType: 'invoice.paid', payload: { blob: 'x'.repeat(1024 * 1024 - 100) } };
    await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send(under).expect(202);
  });
});

describe('endpoint input', () => {
  it('rejects urls that are not http(s) URLs with 422 at body.url', async () => {
    // user:password userinfo is taken as basic auth (endpointOauth.test.ts); a username alone is not.
    for (const url of ['not a url', 'ftp://example.com/hook', 'javascript:alert(1)', '/relative/path', 'http://user@example.com/']) {
      expectInvalid(await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url }), ['body', 'url']);
    }
    expect(await ids(`/api/v1/app/${appId}/endpoint`)).toEqual([]);
  });

  it('rejects an event type that does not exist with 422 at body.eventTypes', async () => {
    const res = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: 'https://example.com/hook', eventTypes: ['invoice.paid', 'no.such.type'] });
    const detail = expectInvalid(res, ['body', 'eventTypes']);
    expect(detail[0]!.msg).toContain('no.such.type');
    expect(detail[0]!.msg).not.toContain('invoice.paid');
    expect(await ids(`/api/v1/app/${appId}/endpoint`)).toEqual([]);
  });
});

describe('conflicts', () => {
  it('a duplicate application uid is 409 conflict and the first app is unchanged', async () => {
    expectError(await h.http.post('/api/v1/app').set(auth).send({ name: 'second', uid: 'base-app' }), 409, 'conflict');
    const app = await h.http.get('/api/v1/app/base-app').set(auth).expect(200);
    expect(app.body).toMatchObject({ id: appId, name: 'base', uid: 'base-app' });
    expect(await ids('/api/v1/app')).toEqual([appId]);
  });

  it('a duplicate message eventId is 409 conflict and the first message is unchanged', async () => {
    const first = await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'invoice.paid', eventId: 'evt-dup', payload: { n: 1 } })
      .expect(202);
    const before = await ids(`/api/v1/app/${appId}/msg`);
    expectError(
      await h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .send({ eventType: 'invoice.paid', eventId: 'evt-dup', payload: { n: 2 } }),
      409,
      'conflict',
    );
    const msg = await h.http.get(`/api/v1/app/${appId}/msg/evt-dup`).set(auth).expect(200);
    expect(msg.body).toMatchObject({ id: first.body.id, payload: { n: 1 } });
    expect(await ids(`/api/v1/app/${appId}/msg`)).toEqual(before);
  });

  it('a duplicate event type name is 409 conflict and the first one is unchanged', async () => {
    expectError(await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'replaced?' }), 409, 'conflict');
    const list = await h.http.get('/api/v1/event-type').set(auth).expect(200);
    expect(list.body.data.map((e: { name: string; description: string }) => [e.name, e.description])).toEqual([['invoice.paid', 'paid']]);
  });
});

describe('unknown routes and bad paths', () => {
  it('answers 404 not_found for an unknown route, authenticated or not', async () => {
    expectError(await h.http.get('/api/v1/nope').set(auth), 404, 'not_found');
    expectError(await h.http.get('/api/v2/app'), 404, 'not_found');
    expectError(await h.http.patch('/api/v1/app').set(auth).send({ name: 'x' }), 404, 'not_found');
    expectError(await h.http.post('/api/v1/app/x/y/z').set(auth).send({}), 404, 'not_found');
  });

  it('answers 400 for a path that is not valid percent-encoding', async () => {
    expectError(await h.http.get('/api/v1/app/%E0%A4%A').set(auth), 400, 'bad_request');
  });
});

describe('a barrage of malformed requests', () => {
  it('never answers 5xx and leaves exactly what the valid calls created', async () => {
    const { apiKey } = await h.createTenant('barrage');
    const key = { authorization: `Bearer ${apiKey}` };
    // Valid calls: one event type, one application, one endpoint, one message.
    await h.http.post('/api/v1/event-type').set(key).send({ name: 'order.created', description: 'created' }).expect(201);
    const app = (await h.http.post('/api/v1/app').set(key).send({ name: 'only', uid: 'only' }).expect(201)).body.id as string;
    const ep = (await h.http.post(`/api/v1/app/${app}/endpoint`).set(key).send({ url: 'https://example.com/hook', uid: 'only-ep' }).expect(201)).body.id as string;
    const msg = (
      await h.http
        .post(`/api/v1/app/${app}/msg`)
        .set(key)
        .send({ eventType: 'order.created', eventId: 'only-evt', payload: { ok: true } })
        .expect(202)
    ).body.id as string;

    type Req = [method: 'get' | 'post' | 'put' | 'delete', path: string, body?: string | object, contentType?: string];
    const json = 'application/json';
    const requests: Req[] = [
      ['post', '/api/v1/app', '{', json],
      ['post', '/api/v1/app', '{"name":"x"}}', json],
      ['post', '/api/v1/app', '{"name":"x",}', json],
      ['post', '/api/v1/app', 'undefined', json],
      ['post', '/api/v1/app', '"just a string"', json],
      ['post', '/api/v1/app', '42', json],
      ['post', '/api/v1/app', 'true', json],
      ['post', '/api/v1/app', '[]', json],
      ['post', '/api/v1/app', '{"name":"x"}', 'application/json; charset=klingon'],
      ['post', '/api/v1/app', '\u0000\u0001\u0002', json],
      ['post', '/api/v1/app', {}],
      ['post', '/api/v1/app', { name: '' }],
      ['post', '/api/v1/app', { name: null }],
      ['post', '/api/v1/app', { name: ['x'] }],
      ['post', '/api/v1/app', { name: { first: 'x' } }],
      ['post', '/api/v1/app', { name: 'x'.repeat(257) }],
      ['post', '/api/v1/app', { name: 'ok', uid: '' }],
      ['post', '/api/v1/app', { name: 'ok', uid: 'ü' }],
      ['post', '/api/v1/app', { name: 'ok', uid: 'x'.repeat(257) }],
      ['post', '/api/v1/app', { name: 'ok', uid: 'only' }],
      ['post', '/api/v1/app', { name: 'ok', throttleRate: 'fast' }],
      ['post', '/api/v1/app', { name: 'ok', throttleRate: 1e300 }],
      ['post', '/api/v1/app', { name: 'ok', metadata: ['a'] }],
      ['post', '/api/v1/app', { name: 'ok', metadata: { '\u0000': 'x' } }],
      ['post', '/api/v1/app', { name: 'ok\u0000' }],
      ['get', '/api/v1/app?limit=0'],
      ['get', '/api/v1/app?limit=251'],
      ['get', '/api/v1/app?limit=abc'],
      ['get', '/api/v1/app?limit=1&limit=2'],
      ['get', '/api/v1/app?limit[x]=1'],
      ['get', '/api/v1/app?order=sideways'],
      ['get', '/api/v1/app?iterator[a]=b'],
      ['get', `/api/v1/app?iterator=${'x'.repeat(301)}`],
      ['get', '/api/v1/app?iterator=%00'],
      ['get', `/api/v1/app/${'a'.repeat(300)}`],
      ['get', '/api/v1/app/%00'],
      ['get', '/api/v1/app/%'],
      ['get', '/api/v1/app/%E0%A4%A'],
      ['get', '/api/v1/app/%FF/endpoint'],
      ['get', '/api/v1/app/does-not-exist'],
      ['delete', '/api/v1/app/does-not-exist'],
      ['post', `/api/v1/app/${app}/endpoint`, {}],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 42 }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'nope' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'ftp://example.com/' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'file:///etc/passwd' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'http://' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', eventTypes: 'order.created' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', eventTypes: ['nope'] }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', eventTypes: [1] }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', channels: Array.from({ length: 11 }, (_, i) => `c${i}`) }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', headers: { 'bad header': 'x' } }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', headers: { 'X-Ok': 1 } }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', secret: 'not-a-secret' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', uid: 'only-ep' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', disabled: 'yes' }],
      ['post', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/', description: 'x'.repeat(5000) }],
      ['put', `/api/v1/app/${app}/endpoint/${ep}`, {}],
      ['put', `/api/v1/app/${app}/endpoint/${ep}`, { url: 'mailto:a@b.c' }],
      ['put', `/api/v1/app/${app}/endpoint/${ep}`, { url: 'https://example.com/', eventTypes: ['nope'] }],
      // PUT creates a missing endpoint (Svix's upsert), so only a missing application is an error here.
      ['put', '/api/v1/app/does-not-exist/endpoint/nope', { url: 'https://example.com/' }],
      ['put', `/api/v1/app/${app}/endpoint/nope`, { url: 'https://example.com/', uid: 'ep_reserved' }],
      ['get', `/api/v1/app/${app}/endpoint/nope/secret`],
      ['delete', `/api/v1/app/${app}/endpoint/nope`],
      ['post', `/api/v1/app/${app}/msg`, {}],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created' }],
      ['post', `/api/v1/app/${app}/msg`, { payload: {} }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: null }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: [1, 2] }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: 'string' }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: 7 }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: {}, eventId: 'only-evt' }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: {}, eventId: 'has space' }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: {}, channels: 'x' }],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: {}, payloadRetentionPeriod: 0 }],
      ['post', `/api/v1/app/${app}/msg`, `{"eventType":"order.created","payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, json],
      ['post', `/api/v1/app/${app}/msg`, { eventType: 'order.created', payload: { blob: 'x'.repeat(1_100_000) } }],
      ['post', '/api/v1/app/does-not-exist/msg', { eventType: 'order.created', payload: {} }],
      ['get', `/api/v1/app/${app}/msg?before=not-a-date`],
      ['get', `/api/v1/app/${app}/msg?after=2024-13-45T99:99:99Z`],
      ['get', `/api/v1/app/${app}/msg?event_types=has space`],
      ['get', `/api/v1/app/${app}/msg?channel=%00`],
      ['get', `/api/v1/app/${app}/msg/nope`],
      ['get', `/api/v1/app/${app}/attempt/msg/${msg}?status=9`],
      ['get', `/api/v1/app/${app}/attempt/msg/${msg}?status=x`],
      ['get', `/api/v1/app/${app}/attempt/msg/nope`],
      ['get', `/api/v1/app/${app}/attempt/endpoint/nope`],
      ['post', '/api/v1/event-type', {}],
      ['post', '/api/v1/event-type', { name: 'order.created', description: 'again' }],
      ['post', '/api/v1/event-type', { name: 'bad name', description: 'x' }],
      ['post', '/api/v1/event-type', { name: 'x.y', description: 5 }],
      ['post', '/api/v1/event-type', { name: 'x.y', description: 'x', schemas: 'not an object' }],
      ['get', '/api/v1/event-type?include_archived=maybe'],
      ['get', '/api/v1/event-type?limit=-5'],
      ['post', '/api/v1/nope', {}],
      ['get', '/api/v1'],
    ];

    for (const [method, path, body, contentType] of requests) {
      let req = h.http[method](path).set(key);
      if (contentType) req = req.set('content-type', contentType);
      const res = await (body === undefined ? req : req.send(body as object));
      const label = `${method.toUpperCase()} ${path.slice(0, 80)} ${JSON.stringify(body ?? '').slice(0, 80)}`;
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      // Every answer is one of the two documented error shapes.
      if (res.status === 422) {
        expect(Object.keys(res.body), label).toEqual(['detail']);
        expect(res.body.detail.length, label).toBeGreaterThan(0);
      } else {
        expect(res.body, label).toEqual({ code: expect.any(String), detail: expect.any(String) });
      }
      expect(res.text, label).not.toMatch(STACK_FRAME);
    }

    expect(await ids('/api/v1/app', key)).toEqual([app]);
    expect(await ids(`/api/v1/app/${app}/endpoint`, key)).toEqual([ep]);
    expect(await ids(`/api/v1/app/${app}/msg`, key)).toEqual([msg]);
    const endpoint = await h.http.get(`/api/v1/app/${app}/endpoint/${ep}`).set(key).expect(200);
    expect(endpoint.body).toMatchObject({ url: 'https://example.com/hook', uid: 'only-ep', eventTypes: null });
    const types = await h.http.get('/api/v1/event-type').set(key).expect(200);
    expect(types.body.data.map((e: { name: string; description: string }) => [e.name, e.description])).toEqual([['order.created', 'created']]);
  });
});
