import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The exact statuses and bodies of the endpoint routes' refusals, over raw HTTP.
let h: TestHookline;
let auth: { authorization: string };
let base: string;
let epId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'no schema' }).expect(201);
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'input' }).expect(201)).body.id as string;
  base = `/api/v1/app/${app}/endpoint`;
  epId = (await h.http.post(base).set(auth).send({ url: 'https://example.com/hook', uid: 'kept' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

/** Asserts a 422 whose only problem is at `loc`, and returns its message. */
function expectInvalid(res: Response, loc: Array<string | number>): string {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(Object.keys(res.body)).toEqual(['detail']);
  expect(res.body.detail).toEqual([{ loc, msg: expect.any(String), type: expect.stringMatching(/^(value|type)_error/) }]);
  return res.body.detail[0].msg;
}

function expectError(res: Response, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ code, detail: expect.any(String) });
}

describe('endpoint settings', () => {
  it("refuses a uid with the endpoint id prefix (Svix's rule) on create, PUT and PATCH", async () => {
    expect(expectInvalid(await h.http.post(base).set(auth).send({ url: 'https://example.com/a', uid: 'ep_mine' }), ['body', 'uid'])).toMatch(/prefix/);
    expectInvalid(await h.http.put(`${base}/${epId}`).set(auth).send({ url: 'https://example.com/a', uid: 'ep_mine' }), ['body', 'uid']);
    expectInvalid(await h.http.patch(`${base}/${epId}`).set(auth).send({ uid: 'ep_mine' }), ['body', 'uid']);
    // Only the prefix is reserved.
    await h.http.patch(`${base}/${epId}`).set(auth).send({ uid: 'eps_mine' }).expect(200);
    await h.http.patch(`${base}/${epId}`).set(auth).send({ uid: 'kept' }).expect(200);
  });

  it('PUT answers 201 when it creates and 200 when it updates', async () => {
    const created = await h.http.put(`${base}/by-put`).set(auth).send({ url: 'https://example.com/put' }).expect(201);
    expect(created.body).toMatchObject({ uid: 'by-put', url: 'https://example.com/put', description: '' });
    const updated = await h.http.put(`${base}/by-put`).set(auth).send({ url: 'https://example.com/put2', uid: 'by-put' }).expect(200);
    expect(updated.body).toMatchObject({ id: created.body.id, url: 'https://example.com/put2' });
    // A missing application is still a 404.
    expectError(await h.http.put('/api/v1/app/nope/endpoint/by-put').set(auth).send({ url: 'https://example.com/put' }), 404, 'not_found');
  });

  it('PATCH refuses null for fields that cannot be null, unknown event types and taken uids', async () => {
    for (const field of ['url', 'description', 'disabled', 'metadata']) {
      expectInvalid(
        await h.http
          .patch(`${base}/${epId}`)
          .set(auth)
          .send({ [field]: null }),
        ['body', field],
      );
    }
    expectInvalid(
      await h.http
        .patch(`${base}/${epId}`)
        .set(auth)
        .send({ eventTypes: ['no.such.type'] }),
      ['body', 'eventTypes'],
    );
    await h.http.post(base).set(auth).send({ url: 'https://example.com/b', uid: 'taken' }).expect(201);
    expectError(await h.http.patch(`${base}/${epId}`).set(auth).send({ uid: 'taken' }), 409, 'conflict');
    expectError(await h.http.patch(`${base}/nope`).set(auth).send({ description: 'x' }), 404, 'not_found');
    const unchanged = await h.http.get(`${base}/${epId}`).set(auth).expect(200);
    expect(unchanged.body).toMatchObject({ uid: 'kept', url: 'https://example.com/hook', eventTypes: null });
  });
});

describe('secret rotation', () => {
  it('answers 204 with no body, also when the request has none', async () => {
    const before = (await h.http.get(`${base}/${epId}/secret`).set(auth).expect(200)).body.key;
    const res = await h.http.post(`${base}/${epId}/secret/rotate`).set(auth).expect(204);
    expect(res.text).toBe('');
    expect((await h.http.get(`${base}/${epId}/secret`).set(auth).expect(200)).body.key).not.toBe(before);
  });

  it('refuses a grace period outside 0..604800 seconds and a malformed key with 422', async () => {
    for (const gracePeriodSeconds of [604_801, -1, 1.5, '60']) {
      expectInvalid(await h.http.post(`${base}/${epId}/secret/rotate`).set(auth).send({ gracePeriodSeconds }), ['body', 'gracePeriodSeconds']);
    }
    expectInvalid(await h.http.post(`${base}/${epId}/secret/rotate`).set(auth).send({ key: 'not-a-secret' }), ['body', 'key']);
    await h.http.post(`${base}/${epId}/secret/rotate`).set(auth).send({ gracePeriodSeconds: 604_800 }).expect(204);
  });

  it('answers 400 limit_reached on the 11th rotation within the grace period, 404 for an unknown endpoint', async () => {
    const ep = (await h.http.post(base).set(auth).send({ url: 'https://example.com/limit' }).expect(201)).body.id;
    for (let i = 0; i < 10; i++) await h.http.post(`${base}/${ep}/secret/rotate`).set(auth).send({}).expect(204);
    const key = (await h.http.get(`${base}/${ep}/secret`).set(auth).expect(200)).body.key;
    expectError(await h.http.post(`${base}/${ep}/secret/rotate`).set(auth).send({}), 400, 'limit_reached');
    expect((await h.http.get(`${base}/${ep}/secret`).set(auth).expect(200)).body.key).toBe(key);
    expectError(await h.http.post(`${base}/nope/secret/rotate`).set(auth).send({}), 404, 'not_found');
  });
});

describe('headers', () => {
  it('refuses reserved and malformed header names and values with control characters', async () => {
    for (const name of ['Content-Type', 'webhook-signature', 'Host', 'x-amz-date', 'Svix-Id']) {
      expect(
        expectInvalid(
          await h.http
            .put(`${base}/${epId}/headers`)
            .set(auth)
            .send({ headers: { [name]: 'x' } }),
          ['body', 'headers', name],
        ),
      ).toMatch(/reserved/);
    }
    expectInvalid(
      await h.http
        .put(`${base}/${epId}/headers`)
        .set(auth)
        .send({ headers: { 'bad name': 'x' } }),
      ['body', 'headers', 'bad name'],
    );
    expectInvalid(
      await h.http
        .put(`${base}/${epId}/headers`)
        .set(auth)
        .send({ headers: { 'X-Ok': 'a\r\nInjected: 1' } }),
      ['body', 'headers', 'X-Ok'],
    );
    expectInvalid(
      await h.http
        .patch(`${base}/${epId}/headers`)
        .set(auth)
        .send({ headers: { 'Content-Length': '1' } }),
      ['body', 'headers', 'Content-Length'],
    );
    expectInvalid(
      await h.http
        .post(base)
        .set(auth)
        .send({ url: 'https://example.com/h', headers: { 'webhook-id': 'forged' } }),
      ['body', 'headers', 'webhook-id'],
    );
    expectInvalid(await h.http.put(`${base}/${epId}/headers`).set(auth).send({}), ['body', 'headers']);
    expect((await h.http.get(`${base}/${epId}/headers`).set(auth).expect(200)).body).toEqual({ headers: {}, sensitive: [] });
  });
});

describe('recover, send-example and stats', () => {
  it('recover: 202 with a queued background task; 422 for a bad or too old range', async () => {
    const res = await h.http
      .post(`${base}/${epId}/recover`)
      .set(auth)
      .send({ since: new Date(Date.now() - 3600_000).toISOString() })
      .expect(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^qtask_/), status: 'running', task: 'endpoint.recover', updatedAt: expect.any(String) });
    const row = await h.hookline.db.selectFrom('backgroundTask').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'running', task: 'endpoint.recover' });

    expect(expectInvalid(await h.http.post(`${base}/${epId}/recover`).set(auth).send({}), ['body', 'since'])).toMatch(/expected/i);
    expectInvalid(await h.http.post(`${base}/${epId}/recover`).set(auth).send({ since: 'yesterday' }), ['body', 'since']);
    const old = new Date(Date.now() - 15 * 86_400_000).toISOString();
    expect(expectInvalid(await h.http.post(`${base}/${epId}/recover`).set(auth).send({ since: old }), ['body', 'since'])).toMatch(/14 days/);
    const since = new Date(Date.now() - 60_000).toISOString();
    expectInvalid(await h.http.post(`${base}/${epId}/recover`).set(auth).send({ since, until: old }), ['body', 'until']);
    expectError(await h.http.post(`${base}/nope/recover`).set(auth).send({ since }), 404, 'not_found');
  });

  it('send-example: 202 for svix.ping; 400 invalid_scheme without an example, 404 for an unknown type, 422 without one', async () => {
    const res = await h.http.post(`${base}/${epId}/send-example`).set(auth).send({ eventType: 'svix.ping' }).expect(202);
    expect(res.body).toMatchObject({ eventType: 'svix.ping', payload: { success: true }, id: expect.stringMatching(/^msg_/) });
    expectError(await h.http.post(`${base}/${epId}/send-example`).set(auth).send({ eventType: 'invoice.paid' }), 400, 'invalid_scheme');
    expectError(await h.http.post(`${base}/${epId}/send-example`).set(auth).send({ eventType: 'no.such' }), 404, 'not_found');
    expectInvalid(await h.http.post(`${base}/${epId}/send-example`).set(auth).send({}), ['body', 'eventType']);
  });

  it('stats: 400 invalid_range for a future until or more than 28 days, 422 for a malformed date', async () => {
    // This server runs no worker, so a sent example stays pending.
    const ep = (await h.http.post(base).set(auth).send({ url: 'https://example.com/stats' }).expect(201)).body.id;
    expect((await h.http.get(`${base}/${ep}/stats`).set(auth).expect(200)).body).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
    await h.http.post(`${base}/${ep}/send-example`).set(auth).send({ eventType: 'svix.ping' }).expect(202);
    expect((await h.http.get(`${base}/${ep}/stats`).set(auth).expect(200)).body).toEqual({ success: 0, pending: 1, sending: 0, fail: 0, canceled: 0 });
    expectError(
      await h.http
        .get(`${base}/${epId}/stats`)
        .query({ until: new Date(Date.now() + 3600_000).toISOString() })
        .set(auth),
      400,
      'invalid_range',
    );
    expectError(
      await h.http
        .get(`${base}/${epId}/stats`)
        .query({ since: new Date(Date.now() - 30 * 86_400_000).toISOString() })
        .set(auth),
      400,
      'invalid_range',
    );
    expectInvalid(await h.http.get(`${base}/${epId}/stats?since=last-week`).set(auth), ['query', 'since']);
  });
});
