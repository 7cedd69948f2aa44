import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, messageInRaw, Ordering, type Svix } from 'svix';
import { Webhook } from 'standardwebhooks';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { svixClient } from '@hookline/test-support/svix';

// Where Hookline used to differ from Svix's server in ways that break clients written against it
// (issue 23), each checked through the official client: the endpoint list's order, empty filters,
// Svix's older `filterTypes`, and malformed iterators.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
  for (const name of ['invoice.paid', 'invoice.failed']) await svix.eventType.create({ name, description: name });
  appId = (await svix.application.create({ name: 'differences' })).id;
});
afterAll(async () => {
  await ops?.close();
  await raw?.close();
  await h?.stop();
});
let ops: Receiver | undefined;
let raw: Receiver | undefined;

/** The 422 a call ends in, with its detail's locations. */
async function refused(call: Promise<unknown>): Promise<Array<{ loc: string[]; msg: string }>> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  const api = err as ApiException<{ detail: Array<{ loc: string[]; msg: string }> }>;
  expect(api.code).toBe(422);
  return api.body.detail;
}

describe('the endpoint list', () => {
  it('lists newest first by default, oldest first with order=ascending, and pages both ways', async () => {
    const app = (await svix.application.create({ name: 'order' })).id;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await svix.endpoint.create(app, { url: `https://example.com/${i}` })).id);
    const newestFirst = [...ids].reverse();

    expect((await svix.endpoint.list(app)).data.map((e) => e.id)).toEqual(newestFirst);
    expect((await svix.endpoint.list(app, { order: Ordering.Descending })).data.map((e) => e.id)).toEqual(newestFirst);
    expect((await svix.endpoint.list(app, { order: Ordering.Ascending })).data.map((e) => e.id)).toEqual(ids);

    const first = await svix.endpoint.list(app, { limit: 2 });
    expect(first.data.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.done).toBe(false);
    const second = await svix.endpoint.list(app, { limit: 2, iterator: first.iterator });
    expect(second.data.map((e) => e.id)).toEqual([ids[0]]);
    expect(second.done).toBe(true);
    const back = await svix.endpoint.list(app, { limit: 2, iterator: second.prevIterator });
    expect(back.data.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
  });
});

describe('empty filters and filterTypes', () => {
  it('refuses eventTypes: [] and channels: [] on create, PUT and PATCH (422), creating or changing nothing', async () => {
    expect((await refused(svix.endpoint.create(appId, { url: 'https://example.com/empty', eventTypes: [] })))[0]!.loc).toEqual(['body', 'eventTypes']);
    expect((await refused(svix.endpoint.create(appId, { url: 'https://example.com/empty', channels: [] })))[0]!.loc).toEqual(['body', 'channels']);
    const ep = await svix.endpoint.create(appId, { url: 'https://example.com/kept', eventTypes: ['invoice.paid'], channels: ['eu'] });
    expect((await refused(svix.endpoint.upsert(appId, ep.id, { url: ep.url, eventTypes: [] })))[0]!.loc).toEqual(['body', 'eventTypes']);
    expect((await refused(svix.endpoint.patch(appId, ep.id, { eventTypes: [] })))[0]!.loc).toEqual(['body', 'eventTypes']);
    expect((await refused(svix.endpoint.patch(appId, ep.id, { channels: [] })))[0]!.loc).toEqual(['body', 'channels']);
    const after = await svix.endpoint.get(appId, ep.id);
    expect(after.eventTypes).toEqual(['invoice.paid']);
    expect(after.channels).toEqual(['eu']);
    expect((await svix.endpoint.list(appId, { limit: 250 })).data.map((e) => e.url)).not.toContain('https://example.com/empty');
    // null still means every event type and channel.
    const cleared = await svix.endpoint.patch(appId, ep.id, { eventTypes: null, channels: null });
    expect(cleared.eventTypes ?? null).toBeNull();
    expect(cleared.channels ?? null).toBeNull();
  });

  it("takes Svix's older filterTypes as the event-type filter on create, PUT and PATCH", async () => {
    // The svix client of today sends eventTypes; older clients and hand-written calls send filterTypes.
    const created = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: 'https://example.com/ft', filterTypes: ['invoice.paid'] })
      .expect(201);
    expect((await svix.endpoint.get(appId, created.body.id)).eventTypes).toEqual(['invoice.paid']);
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${created.body.id}`)
      .set(auth)
      .send({ filterTypes: ['invoice.failed'] })
      .expect(200);
    expect((await svix.endpoint.get(appId, created.body.id)).eventTypes).toEqual(['invoice.failed']);
    await h.http
      .put(`/api/v1/app/${appId}/endpoint/${created.body.id}`)
      .set(auth)
      .send({ url: 'https://example.com/ft', filterTypes: ['invoice.paid', 'invoice.failed'] })
      .expect(200);
    expect((await svix.endpoint.get(appId, created.body.id)).eventTypes).toEqual(['invoice.paid', 'invoice.failed']);

    // Checked like eventTypes: unknown names, an empty list, and a different list in both fields are 422s.
    const unknown = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${created.body.id}`)
      .set(auth)
      .send({ filterTypes: ['no.such'] })
      .expect(422);
    expect(unknown.body.detail[0].msg).toContain('no.such');
    const empty = await h.http.patch(`/api/v1/app/${appId}/endpoint/${created.body.id}`).set(auth).send({ filterTypes: [] }).expect(422);
    expect(empty.body.detail[0].loc).toEqual(['body', 'filterTypes']);
    const both = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${created.body.id}`)
      .set(auth)
      .send({ eventTypes: ['invoice.paid'], filterTypes: ['invoice.failed'] })
      .expect(422);
    expect(both.body.detail[0].loc).toEqual(['body', 'filterTypes']);
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${created.body.id}`)
      .set(auth)
      .send({ eventTypes: ['invoice.paid'], filterTypes: ['invoice.paid'] })
      .expect(200);
    expect((await svix.endpoint.get(appId, created.body.id)).eventTypes).toEqual(['invoice.paid']);
  });
});

describe('malformed iterators', () => {
  it('answers 422 on every list that takes an iterator, naming query.iterator', async () => {
    const ep = await svix.endpoint.create(appId, { url: 'https://example.com/iter' });
    const msg = await svix.message.create(appId, { eventType: 'invoice.paid', payload: {} });
    const bad = 'not-an-iterator';
    const lists: Array<[string, () => Promise<unknown>]> = [
      ['application.list', () => svix.application.list({ iterator: bad })],
      ['endpoint.list', () => svix.endpoint.list(appId, { iterator: bad })],
      ['endpoint.list (an id of another kind)', () => svix.endpoint.list(appId, { iterator: msg.id })],
      ['eventType.list', () => svix.eventType.list({ iterator: 'bad name!' })],
      ['message.list', () => svix.message.list(appId, { iterator: bad })],
      ['messageAttempt.listByEndpoint', () => svix.messageAttempt.listByEndpoint(appId, ep.id, { iterator: bad })],
      ['messageAttempt.listByMsg', () => svix.messageAttempt.listByMsg(appId, msg.id, { iterator: bad })],
      ['messageAttempt.listAttemptedMessages', () => svix.messageAttempt.listAttemptedMessages(appId, ep.id, { iterator: ep.id })],
      ['messageAttempt.listAttemptedDestinations', () => svix.messageAttempt.listAttemptedDestinations(appId, msg.id, { iterator: msg.id })],
      ['backgroundTask.list', () => svix.backgroundTask.list({ iterator: bad })],
      ['operationalWebhook.endpoint.list', () => svix.operationalWebhook.endpoint.list({ iterator: bad })],
    ];
    for (const [name, call] of lists) {
      const detail = await refused(call()).catch((e: unknown) => {
        throw new Error(`${name}: ${String(e)}`);
      });
      expect(
        detail.map((d) => d.loc),
        name,
      ).toEqual([['query', 'iterator']]);
    }
    // Iterators the lists hand out still work, forward and back.
    const page = await svix.endpoint.list(appId, { limit: 1 });
    await svix.endpoint.list(appId, { limit: 1, iterator: page.iterator });
    await svix.endpoint.list(appId, { limit: 1, iterator: page.prevIterator });
    const types = await svix.eventType.list({ limit: 1 });
    expect((await svix.eventType.list({ limit: 1, iterator: types.iterator })).data).toHaveLength(1);
  });
});

describe('secret rotation', () => {
  it('emits endpoint.updated to the operational endpoints, as any other change of the endpoint', async () => {
    ops = await startReceiver();
    const op = await svix.operationalWebhook.endpoint.create({ url: `${ops.url}/ops`, eventTypes: ['endpoint.updated'] });
    const opSecret = (await svix.operationalWebhook.endpoint.getSecret(op.id)).key;
    const ep = await svix.endpoint.create(appId, { url: 'https://example.com/rotated', uid: 'rotated' });
    await svix.endpoint.rotateSecret(appId, ep.id, {});
    const events = () =>
      ops!.requests.map((r) => new Webhook(opSecret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    await waitUntil(() => events().some((e) => e.data.endpointId === ep.id), 20_000, 'endpoint.updated of the rotation');
    expect(events().filter((e) => e.data.endpointId === ep.id)).toEqual([
      { type: 'endpoint.updated', data: { appId, appUid: null, endpointId: ep.id, endpointUid: 'rotated' } },
    ]);
  });
});

describe('transformationsParams.rawPayload (messageInRaw)', () => {
  it('delivers the raw text byte for byte, signed as sent; refuses what Hookline cannot deliver as JSON', async () => {
    raw = await startReceiver();
    const app = (await svix.application.create({ name: 'raw' })).id;
    const ep = await svix.endpoint.create(app, { url: `${raw.url}/raw` });
    const secret = (await svix.endpoint.getSecret(app, ep.id)).key;
    const text = '{ "b": 2,\n  "a": "\\u00e9" }';
    const msg = await svix.message.create(app, messageInRaw('invoice.paid', text), { withContent: true });
    expect(msg.payload).toEqual({ b: 2, a: 'é' });
    const [req] = await raw.waitFor(1, 20_000);
    expect(req!.body).toBe(text);
    expect(new Webhook(secret).verify(req!.body, req!.headers as Record<string, string>)).toEqual({ b: 2, a: 'é' });
    expect((await svix.message.get(app, msg.id, { withContent: true })).payload).toEqual({ b: 2, a: 'é' });

    expect((await refused(svix.message.create(app, messageInRaw('invoice.paid', 'plain text'))))[0]!.loc).toEqual(['body', 'transformationsParams', 'rawPayload']);
    expect((await refused(svix.message.create(app, messageInRaw('invoice.paid', '{}', 'text/plain'))))[0]!.loc).toEqual([
      'body',
      'transformationsParams',
      'headers',
      'content-type',
    ]);
    const both = await refused(svix.message.create(app, { ...messageInRaw('invoice.paid', '{}'), payload: { a: 1 } }));
    expect(both[0]!.loc).toEqual(['body', 'payload']);
    await svix.message.create(app, messageInRaw('invoice.paid', '{"ok":true}', 'application/json'));
    expect((await svix.message.list(app)).data).toHaveLength(2);
  });
});
