import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PollingEndpointOut, type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.message.poller (poll, consumerPoll, consumerSeek) through the official client, against
// pollers made with Hookline's own route: order, filters, iterator continuation, `done`, consumer
// positions kept across calls, seek, tenant isolation and bad input, values asserted.

// Long enough that a poll right after a few publishes still falls inside it on a busy machine.
const SETTLE_MS = 1000;
let h: TestHookline;
let svix: Svix;
let other: Svix;
let auth: { authorization: string };
let otherAuth: { authorization: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Past the settle line: every message published so far is readable. */
const settle = () => sleep(SETTLE_MS + 100);

async function createPoller(app: string, body: object = {}, as = auth): Promise<{ id: string; path: string; eventTypes: string[] | null; channels: string[] | null }> {
  return (await h.http.post(`/api/v1/app/${app}/poller`).set(as).send(body).expect(201)).body;
}

async function publish(app: string, eventType: string, n: number, channels?: string[]): Promise<string> {
  return (await svix.message.create(app, { eventType, payload: { n }, ...(channels ? { channels } : {}) })).id;
}

const ns = (page: PollingEndpointOut) => page.data.map((m) => (m.payload as { n: number }).n);

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_POLLER_SETTLE_MS: String(SETTLE_MS), HOOKLINE_ROLE: 'api' });
  const tenant = await h.createTenant('poller');
  svix = svixClient(h, tenant.apiKey);
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  const second = await h.createTenant('poller-other');
  other = svixClient(h, second.apiKey);
  otherAuth = { authorization: `Bearer ${second.apiKey}` };
});
afterAll(async () => h?.stop());

describe('svix.message.poller.poll', () => {
  it("reads the application's messages after an iterator in publish order, filtered by the poller, page by page", async () => {
    const app = (await svix.application.create({ name: 'poll', uid: 'poll-app' })).id;
    await publish(app, 'invoice.paid', 0); // before the poller: never read
    const poller = await createPoller('poll-app', { uid: 'invoices', eventTypes: ['invoice.paid', 'invoice.voided'], description: 'billing' });
    expect(poller.id).toMatch(/^poll_[0-9A-Za-z]{27}$/);
    expect(poller).toMatchObject({ eventTypes: ['invoice.paid', 'invoice.voided'], channels: null, path: `/api/v1/app/${app}/poller/${poller.id}` });

    // The first call, as Svix's: no messages, the poller's start.
    const first = await svix.message.poller.poll(app, poller.id);
    expect(first).toEqual({ data: [], iterator: expect.stringMatching(/^msg_/), done: false });

    const ids: string[] = [];
    for (let n = 1; n <= 7; n++) ids.push(await publish(app, n % 3 === 0 ? 'user.created' : n % 2 ? 'invoice.paid' : 'invoice.voided', n, n === 4 ? ['eu'] : undefined));
    const other = (await svix.application.create({ name: 'other' })).id;
    await publish(other, 'invoice.paid', 100);
    await settle();

    // user.created (3, 6) is not the poller's; other applications' messages never come.
    const p1 = await svix.message.poller.poll(app, 'invoices', { iterator: first.iterator, limit: 2 });
    expect(ns(p1)).toEqual([1, 2]);
    expect(p1.done).toBe(false);
    expect(p1.data[0]).toEqual({
      id: ids[0],
      eventType: 'invoice.paid',
      eventId: null,
      payload: { n: 1 },
      channels: null,
      tags: null,
      timestamp: expect.any(Date),
      deliverAt: null,
    });
    expect(p1.iterator).toBe(ids[1]);
    const p2 = await svix.message.poller.poll(app, poller.id, { iterator: p1.iterator, limit: 2 });
    expect(ns(p2)).toEqual([4, 5]);
    expect(p2.data[0]!.channels).toEqual(['eu']);
    expect(p2.done).toBe(false);
    const p3 = await svix.message.poller.poll(app, poller.id, { iterator: p2.iterator, limit: 2 });
    expect(ns(p3)).toEqual([7]);
    expect(p3.done).toBe(true);
    // Caught up: nothing new, the same or a later iterator; a new message comes next.
    const p4 = await svix.message.poller.poll(app, poller.id, { iterator: p3.iterator });
    expect(p4).toEqual({ data: [], iterator: expect.any(String), done: true });
    expect(p4.iterator >= p3.iterator).toBe(true);
    await publish(app, 'invoice.voided', 8);
    await settle();
    expect(ns(await svix.message.poller.poll(app, poller.id, { iterator: p4.iterator }))).toEqual([8]);

    // Iterators are stable: the same one reads the same page again.
    expect(ns(await svix.message.poller.poll(app, poller.id, { iterator: p1.iterator, limit: 2 }))).toEqual([4, 5]);
    // The request's own filters narrow the poller's; `after` starts after a time.
    expect(ns(await svix.message.poller.poll(app, poller.id, { iterator: first.iterator, eventType: 'invoice.voided' }))).toEqual([2, 4, 8]);
    expect(ns(await svix.message.poller.poll(app, poller.id, { iterator: first.iterator, channel: 'eu' }))).toEqual([4]);
    const fifth = p2.data[1]!.timestamp;
    expect(ns(await svix.message.poller.poll(app, poller.id, { after: fifth }))).toEqual([7, 8]);
    // An iterator from before the poller existed (or past every retention) starts at the poller's start.
    expect(ns(await svix.message.poller.poll(app, poller.id, { iterator: `msg_${'0'.repeat(27)}` }))).toEqual([1, 2, 4, 5, 7, 8]);
  });

  it('filters by the poller channels, and holds back messages younger than the settle line', async () => {
    const app = (await svix.application.create({ name: 'channels' })).id;
    const poller = await createPoller(app, { channels: ['eu', 'uk'] });
    const start = (await svix.message.poller.poll(app, poller.id)).iterator;
    await publish(app, 'a.b', 1, ['eu']);
    await publish(app, 'a.b', 2, ['us']);
    await publish(app, 'a.b', 3);
    await publish(app, 'a.b', 4, ['us', 'uk']);
    // Within the settle window: not yet (a message committing now cannot be passed over).
    expect((await svix.message.poller.poll(app, poller.id, { iterator: start })).data).toEqual([]);
    await settle();
    const page = await svix.message.poller.poll(app, poller.id, { iterator: start });
    expect(ns(page)).toEqual([1, 4]);
    expect(page.done).toBe(true);
  });

  it("shows an expunged message's payload as {}", async () => {
    const app = (await svix.application.create({ name: 'expunged' })).id;
    const poller = await createPoller(app);
    const start = (await svix.message.poller.poll(app, poller.id)).iterator;
    const id = await publish(app, 'a.b', 1);
    await svix.message.expungeContent(app, id);
    await settle();
    expect((await svix.message.poller.poll(app, poller.id, { iterator: start })).data.map((m) => [m.id, m.payload])).toEqual([[id, {}]]);
  });
});

describe('svix.message.poller.consumerPoll and consumerSeek', () => {
  it('keeps each consumer position server-side, moved by each poll and by seek', async () => {
    const app = (await svix.application.create({ name: 'consumers' })).id;
    const poller = await createPoller(app);
    const times: Date[] = [];
    for (let n = 1; n <= 5; n++) {
      await publish(app, 'order.created', n);
      times.push(new Date());
      await sleep(5);
    }
    await settle();

    const c1 = await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { limit: 2 });
    expect(ns(c1)).toEqual([1, 2]);
    expect(c1.done).toBe(false);
    // The position persisted: the next call goes on without an iterator.
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { limit: 2 }))).toEqual([3, 4]);
    const end = await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { limit: 2 });
    expect(ns(end)).toEqual([5]);
    expect(end.done).toBe(true);
    expect((await svix.message.poller.consumerPoll(app, poller.id, 'worker-1')).data).toEqual([]);
    // Another consumer has its own position.
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-2'))).toEqual([1, 2, 3, 4, 5]);

    // Seek: after the second message's time, the consumer goes on from the third.
    const seek = await svix.message.poller.consumerSeek(app, poller.id, 'worker-1', { after: times[1]! });
    expect(seek.iterator).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { limit: 1 }))).toEqual([3]);
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-1'))).toEqual([4, 5]);
    // An iterator given overrides the stored position (and moves it).
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { iterator: seek.iterator, limit: 1 }))).toEqual([3]);
    expect(ns(await svix.message.poller.consumerPoll(app, poller.id, 'worker-1', { limit: 1 }))).toEqual([4]);
    // The seek is audited; polls are not (reading).
    const audit = await h.hookline.db.selectFrom('auditLog').select(['action', 'targetId', 'changes']).where('targetId', '=', poller.id).orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual(['poller.created', 'poller.consumer.moved']);
    expect(audit[1]!.changes).toMatchObject({ consumer: { to: 'worker-1' } });
  });

  it('gives concurrent polls of one consumer each message once', async () => {
    const app = (await svix.application.create({ name: 'concurrent' })).id;
    const poller = await createPoller(app);
    for (let n = 1; n <= 12; n++) await publish(app, 'order.created', n);
    await settle();
    const pages = await Promise.all([1, 2, 3, 4].map(() => svix.message.poller.consumerPoll(app, poller.id, 'shared', { limit: 3 })));
    expect(pages.flatMap(ns).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('pollers: tenants, portal tokens and bad input', () => {
  it("keeps a tenant's pollers and messages from another tenant", async () => {
    const app = (await svix.application.create({ name: 'isolated', uid: 'isolated' })).id;
    const poller = await createPoller(app, { uid: 'mine' });
    expect((await apiError(other.message.poller.poll(app, poller.id))).code).toBe(404);
    expect((await apiError(other.message.poller.consumerPoll(app, poller.id, 'x'))).code).toBe(404);
    expect((await apiError(other.message.poller.consumerSeek(app, poller.id, 'x', { after: new Date() }))).code).toBe(404);
    await h.http.get(`/api/v1/app/${app}/poller`).set(otherAuth).expect(404);
    await h.http.delete(`/api/v1/app/${app}/poller/${poller.id}`).set(otherAuth).expect(404);
    // Another tenant's poller id under one's own application is not found either.
    const own = (await other.application.create({ name: 'own' })).id;
    expect((await apiError(other.message.poller.poll(own, poller.id))).code).toBe(404);
    // The same uid in another tenant is its own poller.
    await createPoller(own, { uid: 'mine' }, otherAuth);
    const listed = (await h.http.get(`/api/v1/app/${app}/poller`).set(auth).expect(200)).body;
    expect(listed).toMatchObject({ data: [{ id: poller.id, uid: 'mine' }], done: true });
  });

  it('lets a portal token poll its own application, and deleting a poller ends it', async () => {
    const app = (await svix.application.create({ name: 'portal' })).id;
    const elsewhere = (await svix.application.create({ name: 'elsewhere' })).id;
    const { token } = await svix.authentication.appPortalAccess(app, {});
    const portal = { authorization: `Bearer ${token}` };
    const poller = (
      await h.http
        .post(`/api/v1/app/${app}/poller`)
        .set(portal)
        .send({ eventTypes: ['a.b'] })
        .expect(201)
    ).body as { id: string };
    const start = (await h.http.get(`/api/v1/app/${app}/poller/${poller.id}`).set(portal).expect(200)).body.iterator as string;
    await publish(app, 'a.b', 1);
    await settle();
    const page = (await h.http.get(`/api/v1/app/${app}/poller/${poller.id}`).query({ iterator: start }).set(portal).expect(200)).body;
    expect(page.data.map((m: { payload: unknown }) => m.payload)).toEqual([{ n: 1 }]);
    await h.http.post(`/api/v1/app/${elsewhere}/poller`).set(portal).send({}).expect(404);

    await h.http.delete(`/api/v1/app/${app}/poller/${poller.id}`).set(auth).expect(204);
    expect((await apiError(svix.message.poller.poll(app, poller.id))).code).toBe(404);
  });

  it('answers bad input with 422 (or 404, 409) and changes nothing', async () => {
    const app = (await svix.application.create({ name: 'bad' })).id;
    const poller = await createPoller(app, { uid: 'taken' });
    const malformed = await apiError(svix.message.poller.poll(app, poller.id, { iterator: 'not-an-iterator' }));
    expect(malformed.code).toBe(422);
    expect((malformed.body.detail as Array<{ loc: string[] }>)[0]!.loc).toEqual(['query', 'iterator']);
    expect((await apiError(svix.message.poller.consumerPoll(app, poller.id, 'c', { iterator: 'msg_short' }))).code).toBe(422);
    expect((await apiError(svix.message.poller.poll(app, poller.id, { limit: 0 }))).code).toBe(422);
    expect((await apiError(svix.message.poller.poll(app, poller.id, { eventType: 'bad type!' }))).code).toBe(422);
    for (const consumer of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const err = await apiError(svix.message.poller.consumerPoll(app, poller.id, consumer));
      expect(err.code, consumer).toBe(422);
      expect((err.body.detail as Array<{ loc: string[] }>)[0]!.loc).toEqual(['path', 'consumer']);
    }
    expect((await apiError(svix.message.poller.consumerSeek(app, poller.id, 'c', { after: new Date('invalid') }))).code).toBe(422);
    expect((await apiError(svix.message.poller.poll(app, 'poll_nosuch'))).code).toBe(404);
    expect((await apiError(svix.message.poller.poll('no-such-app', poller.id))).code).toBe(404);
    // Creating: an empty filter list (which would read as "everything"), a taken uid.
    await h.http.post(`/api/v1/app/${app}/poller`).set(auth).send({ eventTypes: [] }).expect(422);
    await h.http.post(`/api/v1/app/${app}/poller`).set(auth).send({ channels: [] }).expect(422);
    await h.http.post(`/api/v1/app/${app}/poller`).set(auth).send({ uid: 'poll_lookalike' }).expect(422);
    await h.http.post(`/api/v1/app/${app}/poller`).set(auth).send({ uid: 'taken' }).expect(409);
    const count = await h.hookline.db
      .selectFrom('pollerConsumer')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('pollerId', '=', poller.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect((await h.http.get(`/api/v1/app/${app}/poller`).set(auth).expect(200)).body.data).toHaveLength(1);
  });
});
