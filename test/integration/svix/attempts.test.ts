import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, MessageAttemptTriggerType, MessageStatus, MessageStatusText, StatusCodeClass, type MessageAttemptOut, type Svix } from 'svix';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// The official svix client's messageAttempt API against real deliveries: one endpoint whose
// receiver answers 200, one whose receiver answers 500 until told to recover. A one-hour retry
// delay keeps the failed deliveries sending (with a known nextAttempt) while the test runs.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let ok: Receiver;
let flaky: Receiver;
let failing = true;
let appId: string;
let epOk: string;
let epFail: string;
/** Published first (invoice.paid, eventId evt-a), then msgB (user.created); `between` separates them. */
let msgA: string;
let msgB: string;
let between: Date;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds; the worker records attempts asynchronously. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

async function publish(eventType: string, payload: unknown, eventId?: string): Promise<string> {
  const res = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .send({ eventType, payload, ...(eventId ? { eventId } : {}) })
    .expect(202);
  return res.body.id as string;
}

const attemptsOf = (msgId: string, count: number) =>
  eventually(
    () => svix.messageAttempt.listByMsg(appId, msgId, { withContent: true }),
    (l) => l.data.length >= count,
    `${count} attempts of ${msgId}`,
  );

async function apiError(call: Promise<unknown>): Promise<number> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  return (err as ApiException<unknown>).code;
}

const msgIds = (list: { data: Array<{ msgId: string }> }) => list.data.map((a) => a.msgId);

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600' });
  const { apiKey } = await h.createTenant('attempts');
  auth = { authorization: `Bearer ${apiKey}` };
  svix = svixClient(h, apiKey);
  ok = await startReceiver(() => ({ status: 200, body: 'ok' }));
  flaky = await startReceiver(() => (failing ? { status: 500, body: 'boom' } : { status: 200, body: 'recovered' }));
  for (const name of ['invoice.paid', 'user.created']) await h.http.post('/api/v1/event-type').set(auth).send({ name, description: name }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'attempts', uid: 'attempts-app' }).expect(201)).body.id;
  epOk = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${ok.url}/hook`, uid: 'ok-ep' })
      .expect(201)
  ).body.id;
  epFail = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${flaky.url}/hook`, uid: 'fail-ep' })
      .expect(201)
  ).body.id;

  msgA = await publish('invoice.paid', { n: 1 }, 'evt-a');
  await attemptsOf(msgA, 2);
  // Ids and `before`/`after` have millisecond resolution: leave a clear gap on both sides.
  await sleep(20);
  between = new Date();
  await sleep(20);
  msgB = await publish('user.created', { n: 2 });
  await attemptsOf(msgB, 2);
});
afterAll(async () => {
  await ok?.close();
  await flaky?.close();
  await h?.stop();
});

describe('svix.messageAttempt.listByEndpoint', () => {
  it('lists the attempts to an endpoint newest first, in the svix client shape', async () => {
    const list = await svix.messageAttempt.listByEndpoint(appId, epOk);
    expect(msgIds(list)).toEqual([msgB, msgA]);
    expect(list.done).toBe(true);
    expect(list.iterator).toBe(list.data[1]!.id);
    expect(list.prevIterator).toBe(`-${list.data[0]!.id}`);
    for (const a of list.data) {
      expect(a).toMatchObject({
        endpointId: epOk,
        url: `${ok.url}/hook`,
        responseStatusCode: 200,
        status: MessageStatus.Success,
        statusText: MessageStatusText.Success,
        triggerType: MessageAttemptTriggerType.Scheduled,
        // The client asks for no content by default; Svix then answers "{}" for the body.
        response: '{}',
      });
      expect(a.id).toMatch(/^atmpt_[0-9A-Za-z]{27}$/);
      expect(a.timestamp).toBeInstanceOf(Date);
      expect(Math.abs(a.timestamp.getTime() - Date.now())).toBeLessThan(60_000);
      expect(a.responseDurationMs).toBeGreaterThanOrEqual(0);
      expect(a.msg).toBeUndefined();
    }
    expect(list.data[0]!.id > list.data[1]!.id).toBe(true);

    const withContent = await svix.messageAttempt.listByEndpoint(appId, epOk, { withContent: true });
    expect(withContent.data.map((a) => a.response)).toEqual(['ok', 'ok']);
    // Application and endpoint uids work as well as ids.
    const byUid = await svix.messageAttempt.listByEndpoint('attempts-app', 'ok-ep');
    expect(byUid.data.map((a) => a.id)).toEqual(list.data.map((a) => a.id));
  });

  it("records the failing endpoint's 500s as failed attempts", async () => {
    const list = await svix.messageAttempt.listByEndpoint(appId, epFail, { withContent: true });
    expect(msgIds(list)).toEqual([msgB, msgA]);
    expect(list.data.map((a) => [a.responseStatusCode, a.status, a.statusText, a.response])).toEqual([
      [500, MessageStatus.Fail, MessageStatusText.Fail, 'boom'],
      [500, MessageStatus.Fail, MessageStatusText.Fail, 'boom'],
    ]);
  });

  it('filters by status and status_code_class', async () => {
    const ids = async (ep: string, options: Parameters<Svix['messageAttempt']['listByEndpoint']>[2]) =>
      msgIds(await svix.messageAttempt.listByEndpoint(appId, ep, options));
    expect(await ids(epOk, { status: MessageStatus.Success })).toEqual([msgB, msgA]);
    expect(await ids(epOk, { status: MessageStatus.Fail })).toEqual([]);
    expect(await ids(epFail, { status: MessageStatus.Fail })).toEqual([msgB, msgA]);
    expect(await ids(epFail, { status: MessageStatus.Success })).toEqual([]);
    // An attempt is recorded finished, success or fail, as Svix's server records it: sending is the delivery's state.
    expect(await ids(epFail, { status: MessageStatus.Sending })).toEqual([]);
    expect(await ids(epOk, { statusCodeClass: StatusCodeClass.Code2xx })).toEqual([msgB, msgA]);
    expect(await ids(epOk, { statusCodeClass: StatusCodeClass.Code5xx })).toEqual([]);
    expect(await ids(epFail, { statusCodeClass: StatusCodeClass.Code5xx })).toEqual([msgB, msgA]);
    expect(await ids(epFail, { statusCodeClass: StatusCodeClass.Code4xx })).toEqual([]);
    expect(await ids(epFail, { statusCodeClass: StatusCodeClass.CodeNone })).toEqual([]);
  });

  it('filters by event types (sent comma-separated by the client), channel, tag, before and after', async () => {
    const ids = async (options: Parameters<Svix['messageAttempt']['listByEndpoint']>[2]) => msgIds(await svix.messageAttempt.listByEndpoint(appId, epOk, options));
    expect(await ids({ eventTypes: ['user.created'] })).toEqual([msgB]);
    expect(await ids({ eventTypes: ['invoice.paid'] })).toEqual([msgA]);
    expect(await ids({ eventTypes: ['invoice.paid', 'user.created'] })).toEqual([msgB, msgA]);
    expect(await ids({ channel: 'no-such-channel' })).toEqual([]);
    expect(await ids({ tag: 'no-such-tag' })).toEqual([]);
    expect(await ids({ before: between })).toEqual([msgA]);
    expect(await ids({ after: between })).toEqual([msgB]);
    expect(await ids({ after: new Date(Date.now() - 3_600_000), before: new Date(Date.now() + 60_000) })).toEqual([msgB, msgA]);
    expect(await ids({ after: between, before: between })).toEqual([]);
    expect(await ids({ eventTypes: ['user.created'], before: between })).toEqual([]);
  });

  it("includes each attempt's message, without payload, when asked (withMsg)", async () => {
    const list = await svix.messageAttempt.listByEndpoint(appId, epOk, { withMsg: true });
    expect(list.data.map((a) => [a.msg?.id, a.msg?.eventType, a.msg?.payload])).toEqual([
      [msgB, 'user.created', {}],
      [msgA, 'invoice.paid', {}],
    ]);
    expect(list.data[1]!.msg!.eventId).toBe('evt-a');
    expect(list.data[1]!.msg!.timestamp).toBeInstanceOf(Date);
  });

  it('pages with iterator and prevIterator, and refuses limits outside 1-250', async () => {
    const p1 = await svix.messageAttempt.listByEndpoint(appId, epOk, { limit: 1 });
    expect([msgIds(p1), p1.done]).toEqual([[msgB], false]);
    const p2 = await svix.messageAttempt.listByEndpoint(appId, epOk, { limit: 1, iterator: p1.iterator });
    expect([msgIds(p2), p2.done]).toEqual([[msgA], true]);
    const back = await svix.messageAttempt.listByEndpoint(appId, epOk, { limit: 1, iterator: p2.prevIterator });
    // Back on the first page, with nothing before it.
    expect([back.data.map((a) => a.id), back.done]).toEqual([p1.data.map((a) => a.id), true]);
    expect(await apiError(svix.messageAttempt.listByEndpoint(appId, epOk, { limit: 251 }))).toBe(422);
    expect(await apiError(svix.messageAttempt.listByEndpoint(appId, epOk, { limit: 0 }))).toBe(422);
  });

  it('answers 404 for an unknown endpoint or another tenant', async () => {
    expect(await apiError(svix.messageAttempt.listByEndpoint(appId, 'ep_nope'))).toBe(404);
    const other = svixClient(h, (await h.createTenant('other')).apiKey);
    expect(await apiError(other.messageAttempt.listByEndpoint(appId, epOk))).toBe(404);
  });
});

describe('svix.messageAttempt.listByMsg and get', () => {
  it('lists the attempts of a message, filtered by endpoint, status, code class and event type', async () => {
    const all = await svix.messageAttempt.listByMsg(appId, msgA, { withContent: true });
    expect(new Set(all.data.map((a) => a.endpointId))).toEqual(new Set([epOk, epFail]));
    expect(all.data.every((a) => a.msgId === msgA)).toBe(true);
    const byEventId = await svix.messageAttempt.listByMsg(appId, 'evt-a');
    expect(byEventId.data.map((a) => a.id)).toEqual(all.data.map((a) => a.id));

    const pick = (l: { data: MessageAttemptOut[] }) => l.data.map((a) => [a.endpointId, a.responseStatusCode]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { endpointId: 'fail-ep' }))).toEqual([[epFail, 500]]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { endpointId: epOk }))).toEqual([[epOk, 200]]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { status: MessageStatus.Success }))).toEqual([[epOk, 200]]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { statusCodeClass: StatusCodeClass.Code5xx }))).toEqual([[epFail, 500]]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { eventTypes: ['user.created'] }))).toEqual([]);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { before: between }))).toHaveLength(2);
    expect(pick(await svix.messageAttempt.listByMsg(appId, msgA, { after: between }))).toEqual([]);
    expect(await apiError(svix.messageAttempt.listByMsg(appId, msgA, { endpointId: 'ep_nope' }))).toBe(404);
    expect(await apiError(svix.messageAttempt.listByMsg(appId, 'msg_nope'))).toBe(404);
  });

  it('gets one attempt with its response body, only under its own message', async () => {
    const [attempt] = (await svix.messageAttempt.listByMsg(appId, msgA, { endpointId: epFail, withContent: true })).data;
    const got = await svix.messageAttempt.get(appId, msgA, attempt!.id);
    expect(got).toEqual(attempt);
    expect(got.response).toBe('boom');
    expect((await svix.messageAttempt.get('attempts-app', 'evt-a', attempt!.id)).id).toBe(attempt!.id);
    expect(await apiError(svix.messageAttempt.get(appId, msgB, attempt!.id))).toBe(404);
    expect(await apiError(svix.messageAttempt.get(appId, msgA, 'atmpt_nope'))).toBe(404);
  });
});

describe('svix.messageAttempt.listAttemptedMessages and listAttemptedDestinations', () => {
  it('lists the messages sent to an endpoint with the state of each delivery', async () => {
    const failed = await svix.messageAttempt.listAttemptedMessages(appId, epFail);
    expect(failed.data.map((m) => [m.id, m.eventType, m.status, m.statusText, m.payload])).toEqual([
      [msgB, 'user.created', MessageStatus.Sending, MessageStatusText.Sending, {}],
      [msgA, 'invoice.paid', MessageStatus.Sending, MessageStatusText.Sending, {}],
    ]);
    expect(failed.done).toBe(true);
    for (const m of failed.data) {
      // The next try follows the one-hour schedule, give or take its 20 % jitter.
      const inSeconds = (m.nextAttempt!.getTime() - Date.now()) / 1000;
      expect(inSeconds).toBeGreaterThan(3600 * 0.8 - 120);
      expect(inSeconds).toBeLessThan(3600 * 1.2);
    }
    expect(failed.data[1]!.eventId).toBe('evt-a');

    const delivered = await svix.messageAttempt.listAttemptedMessages(appId, 'ok-ep', { withContent: true });
    expect(delivered.data.map((m) => [m.id, m.status, m.nextAttempt, m.payload])).toEqual([
      [msgB, MessageStatus.Success, null, { n: 2 }],
      [msgA, MessageStatus.Success, null, { n: 1 }],
    ]);
  });

  it('filters attempted messages by delivery status, event type, before and after', async () => {
    const ids = async (ep: string, options: Parameters<Svix['messageAttempt']['listAttemptedMessages']>[2]) =>
      (await svix.messageAttempt.listAttemptedMessages(appId, ep, options)).data.map((m) => m.id);
    expect(await ids(epFail, { status: MessageStatus.Success })).toEqual([]);
    // Failed once, retried later: Svix's sending, not pending (never attempted).
    expect(await ids(epFail, { status: MessageStatus.Sending })).toEqual([msgB, msgA]);
    expect(await ids(epFail, { status: MessageStatus.Pending })).toEqual([]);
    expect(await ids(epOk, { status: MessageStatus.Success })).toEqual([msgB, msgA]);
    expect(await ids(epOk, { eventTypes: ['invoice.paid'] })).toEqual([msgA]);
    expect(await ids(epOk, { before: between })).toEqual([msgA]);
    expect(await ids(epOk, { after: between })).toEqual([msgB]);
    expect(await ids(epOk, { limit: 1 })).toEqual([msgB]);
  });

  it('lists the endpoints a message was sent to, by id, with the state of each delivery', async () => {
    const list = await svix.messageAttempt.listAttemptedDestinations(appId, msgB);
    const expected = [
      { id: epOk, uid: 'ok-ep', url: `${ok.url}/hook`, status: MessageStatus.Success, statusText: MessageStatusText.Success },
      { id: epFail, uid: 'fail-ep', url: `${flaky.url}/hook`, status: MessageStatus.Sending, statusText: MessageStatusText.Sending },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(list.data.map(({ id, uid, url, status, statusText }) => ({ id, uid, url, status, statusText }))).toEqual(expected);
    expect(list.done).toBe(true);
    const okDest = list.data.find((d) => d.id === epOk)!;
    expect(okDest.nextAttempt).toBeNull();
    expect(okDest).toMatchObject({ description: '', disabled: false });
    expect(okDest.createdAt).toBeInstanceOf(Date);
    expect(list.data.find((d) => d.id === epFail)!.nextAttempt).toBeInstanceOf(Date);
    expect(await apiError(svix.messageAttempt.listAttemptedDestinations(appId, 'msg_nope'))).toBe(404);
  });
});

// Runs last: resends add attempts that the lists above do not expect.
describe('svix.messageAttempt.resend', () => {
  it('makes exactly one manual attempt, recorded with trigger type manual', async () => {
    const before = ok.requests.length;
    expect(await svix.messageAttempt.resend(appId, msgA, epOk)).toEqual({});
    const resent = (await ok.waitFor(before + 1))[before]!;
    expect(resent.headers['webhook-id']).toBe(msgA);
    expect(resent.body).toBe('{"n":1}');
    const attempts = await eventually(
      () => svix.messageAttempt.listByMsg(appId, msgA, { endpointId: epOk }),
      (l) => l.data.length === 2,
      'the manual attempt',
    );
    expect(attempts.data.map((a) => [a.triggerType, a.status])).toEqual([
      [MessageAttemptTriggerType.Manual, MessageStatus.Success],
      [MessageAttemptTriggerType.Scheduled, MessageStatus.Success],
    ]);
    await sleep(500);
    expect(ok.requests.length).toBe(before + 1);
  });

  it('answers 202 with an empty object, and a successful resend settles a failing delivery', async () => {
    failing = false;
    const res = await h.http.post(`/api/v1/app/${appId}/msg/${msgA}/endpoint/fail-ep/resend`).set(auth).expect(202);
    expect(res.body).toEqual({});
    await eventually(
      () => svix.messageAttempt.listByMsg(appId, msgA, { endpointId: epFail }),
      (l) => l.data.length === 2,
      'the resend',
    );
    const [manual] = (await svix.messageAttempt.listByMsg(appId, msgA, { endpointId: epFail, withContent: true })).data;
    expect([manual!.triggerType, manual!.responseStatusCode, manual!.response]).toEqual([MessageAttemptTriggerType.Manual, 200, 'recovered']);
    const messages = await svix.messageAttempt.listAttemptedMessages(appId, epFail);
    expect(messages.data.map((m) => [m.id, m.status, m.nextAttempt === null])).toEqual([
      [msgB, MessageStatus.Sending, false],
      [msgA, MessageStatus.Success, true],
    ]);
  });

  it('sends to an endpoint the message never went to, which then lists it as a destination', async () => {
    const late = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${ok.url}/late` })
        .expect(201)
    ).body.id as string;
    expect((await svix.messageAttempt.listAttemptedDestinations(appId, msgB)).data.map((d) => d.id)).not.toContain(late);
    await svix.messageAttempt.resend(appId, msgB, late);
    const received = await eventually(
      async () => ok.requests.filter((r) => r.path === '/late'),
      (r) => r.length === 1,
      'the resend to the new endpoint',
    );
    expect(received[0]!.headers['webhook-id']).toBe(msgB);
    const dest = await eventually(
      async () => (await svix.messageAttempt.listAttemptedDestinations(appId, msgB)).data.find((d) => d.id === late),
      (d) => d?.status === MessageStatus.Success,
      'the new destination to succeed',
    );
    expect(dest!.nextAttempt).toBeNull();
  });

  it('answers 404 for an unknown message or endpoint', async () => {
    expect(await apiError(svix.messageAttempt.resend(appId, 'msg_nope', epOk))).toBe(404);
    expect(await apiError(svix.messageAttempt.resend(appId, msgA, 'ep_nope'))).toBe(404);
    const other = svixClient(h, (await h.createTenant('other-2')).apiKey);
    expect(await apiError(other.messageAttempt.resend(appId, msgA, epOk))).toBe(404);
  });
});
