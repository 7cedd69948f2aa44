import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// One place that pins the exact error bodies clients (and the svix client) rely on.
let h: TestHookline;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
});
afterAll(async () => h?.stop());

it('401: {code: authentication_failed, detail}', async () => {
  const res = await h.http.get('/api/v1/app').expect(401);
  expect(res.body).toEqual({ code: 'authentication_failed', detail: expect.any(String) });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
});

it('404: {code: not_found, detail}', async () => {
  const res = await h.http.get('/api/v1/app/app_doesnotexist').set(auth).expect(404);
  expect(res.body).toEqual({ code: 'not_found', detail: expect.any(String) });
});

it('409: {code: conflict, detail}', async () => {
  await h.http.post('/api/v1/app').set(auth).send({ name: 'a', uid: 'dup' }).expect(201);
  const res = await h.http.post('/api/v1/app').set(auth).send({ name: 'b', uid: 'dup' }).expect(409);
  expect(res.body).toEqual({ code: 'conflict', detail: expect.any(String) });
});

it('413: {code: payload_too_large, detail}', async () => {
  const res = await h.http
    .post('/api/v1/app')
    .set(auth)
    .set('content-type', 'application/json')
    .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }))
    .expect(413);
  expect(res.body).toEqual({ code: 'payload_too_large', detail: expect.any(String) });
});

it('422: {detail: [{loc, msg, type}]}, one entry per problem', async () => {
  const res = await h.http.post('/api/v1/app').set(auth).send({ uid: 'has space', throttleRate: -1 }).expect(422);
  expect(res.body).toEqual({
    detail: expect.arrayContaining([
      { loc: ['body', 'name'], msg: expect.any(String), type: 'value_error.missing' },
      { loc: ['body', 'uid'], msg: expect.any(String), type: 'value_error' },
      { loc: ['body', 'throttleRate'], msg: expect.any(String), type: 'value_error' },
    ]),
  });
  const locs = new Set(res.body.detail.map((d: { loc: string[] }) => d.loc.join('.')));
  expect(locs).toEqual(new Set(['body.name', 'body.uid', 'body.throttleRate']));
});

it('400: {code: invalid_json, detail} for a body that is not JSON', async () => {
  const res = await h.http.post('/api/v1/app').set(auth).set('content-type', 'application/json').send('{"name":').expect(400);
  expect(res.body).toEqual({ code: 'invalid_json', detail: expect.any(String) });
});
