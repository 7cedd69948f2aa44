import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkExpungeStatus, type Svix } from 'svix';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// The official svix client on precheck, bulk expunge, attempt content expunge, auth/logout and
// autoconfig (answered as not enabled), with the values each answers and what each changes.

let h: TestHookline;
let svix: Svix;
let other: Svix;
let receiver: Receiver;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const auditActions = async (action: string) =>
  (await h.hookline.db.selectFrom('auditLog').select(['action', 'targetId', 'changes']).where('action', '=', action).execute()).map((r) => r.targetId);

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600' });
  const { apiKey } = await h.createTenant('upkeep');
  svix = svixClient(h, apiKey);
  other = svixClient(h, (await h.createTenant('upkeep-other')).apiKey);
  receiver = await startReceiver(() => ({ status: 200, body: 'receiver-said-something-private' }));
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

describe('svix.message.precheck', () => {
  it('answers whether an enabled endpoint subscribes, by event type and channels, as fan-out decides', async () => {
    const app = (await svix.application.create({ name: 'precheck', uid: 'precheck-app' })).id;
    expect(await svix.message.precheck(app, { eventType: 'invoice.paid' })).toEqual({ active: false });

    for (const name of ['invoice.paid', 'user.deleted']) await svix.eventType.create({ name, description: name });
    await svix.endpoint.create(app, { url: 'https://precheck.example.com/a', eventTypes: ['invoice.paid'] });
    await svix.endpoint.create(app, { url: 'https://precheck.example.com/b', channels: ['eu'] });
    await svix.endpoint.create(app, { url: 'https://precheck.example.com/c', eventTypes: ['user.deleted'], disabled: true });

    expect(await svix.message.precheck(app, { eventType: 'invoice.paid' })).toEqual({ active: true });
    // Only a disabled endpoint takes it.
    expect(await svix.message.precheck('precheck-app', { eventType: 'user.deleted' })).toEqual({ active: false });
    // An endpoint with channels takes only messages in one of them.
    expect(await svix.message.precheck(app, { eventType: 'order.shipped' })).toEqual({ active: false });
    expect(await svix.message.precheck(app, { eventType: 'order.shipped', channels: ['us'] })).toEqual({ active: false });
    expect(await svix.message.precheck(app, { eventType: 'order.shipped', channels: ['us', 'eu'] })).toEqual({ active: true });

    // Another tenant cannot ask about this application; bad input is a 422; nothing is audited (nothing changes).
    expect((await apiError(other.message.precheck(app, { eventType: 'invoice.paid' }))).code).toBe(404);
    expect((await apiError(svix.message.precheck(app, { eventType: 'not valid!' }))).code).toBe(422);
    expect((await apiError(svix.message.precheck('no-such-app', { eventType: 'invoice.paid' }))).code).toBe(404);
  });
});

describe('svix.message.expungeAllContents siblings: bulk expunge and attempt content', () => {
  it('bulk-expunge deletes the payloads of the ids and eventIds given, answering each, and audits each', async () => {
    const app = (await svix.application.create({ name: 'expunge', uid: 'expunge-app' })).id;
    const m1 = await svix.message.create(app, { eventType: 'a.b', payload: { secret: 1 } });
    const m2 = await svix.message.create(app, { eventType: 'a.b', payload: { secret: 2 }, eventId: 'evt-2' });
    const m3 = await svix.message.create(app, { eventType: 'a.b', payload: { kept: 3 } });

    const out = await svix.message.bulkExpungeContent(app, { ids: [m1.id, 'evt-2', 'msg_nope'] });
    expect(out).toEqual({ results: { [m1.id]: BulkExpungeStatus.Expunged, 'evt-2': BulkExpungeStatus.Expunged, msg_nope: BulkExpungeStatus.NotFound } });
    expect((await svix.message.get(app, m1.id, { withContent: true })).payload).toEqual({});
    expect((await svix.message.get(app, m2.id, { withContent: true })).payload).toEqual({});
    expect((await svix.message.get(app, m3.id, { withContent: true })).payload).toEqual({ kept: 3 });
    expect(await auditActions('message.content.deleted')).toEqual(expect.arrayContaining([m1.id, m2.id]));
    expect(await auditActions('message.content.deleted')).not.toContain(m3.id);

    // Another tenant's key finds no such application; more than 100 ids is a 422 that changes nothing.
    expect((await apiError(other.message.bulkExpungeContent(app, { ids: [m3.id] }))).code).toBe(404);
    const tooMany = Array.from({ length: 101 }, (_, i) => `msg_${i}`);
    expect((await apiError(svix.message.bulkExpungeContent(app, { ids: [m3.id, ...tooMany] }))).code).toBe(422);
    expect((await svix.message.get(app, m3.id, { withContent: true })).payload).toEqual({ kept: 3 });
  });

  it("an attempt's response body is deleted for good; the attempt stays", async () => {
    const app = (await svix.application.create({ name: 'attempt-content', uid: 'attempt-content-app' })).id;
    await svix.endpoint.create(app, { url: `${receiver.url}/hook` });
    const msg = await svix.message.create(app, { eventType: 'a.b', payload: { n: 1 } });
    let attempts = await svix.messageAttempt.listByMsg(app, msg.id);
    for (let i = 0; attempts.data.length === 0 && i < 300; i++) {
      await sleep(50);
      attempts = await svix.messageAttempt.listByMsg(app, msg.id);
    }
    const attempt = attempts.data[0]!;
    expect((await svix.messageAttempt.get(app, msg.id, attempt.id)).response).toBe('receiver-said-something-private');

    // Another tenant cannot; an unknown attempt is a 404.
    expect((await apiError(other.messageAttempt.expungeContent(app, msg.id, attempt.id))).code).toBe(404);
    expect((await apiError(svix.messageAttempt.expungeContent(app, msg.id, 'atmpt_nope'))).code).toBe(404);
    expect((await svix.messageAttempt.get(app, msg.id, attempt.id)).response).toBe('receiver-said-something-private');

    await svix.messageAttempt.expungeContent(app, msg.id, attempt.id);
    const after = await svix.messageAttempt.get(app, msg.id, attempt.id);
    expect(after.response).toBe('');
    expect(after).toMatchObject({ id: attempt.id, responseStatusCode: 200, msgId: msg.id });
    // The message's own payload is untouched.
    expect((await svix.message.get(app, msg.id, { withContent: true })).payload).toEqual({ n: 1 });
    const records = await h.hookline.db.selectFrom('auditLog').selectAll().where('action', '=', 'messageAttempt.content.deleted').execute();
    expect(records.map((r) => [r.targetId, r.changes])).toEqual([[msg.id, { attempt: { to: attempt.id }, response: { changed: true } }]]);
  });
});

describe('svix.authentication.logout', () => {
  it('ends the portal token it is called with, and only that one; other credentials are refused', async () => {
    const app = (await svix.application.create({ name: 'logout', uid: 'logout-app' })).id;
    const first = await svix.authentication.appPortalAccess(app, { sessionId: 's1' });
    const second = await svix.authentication.appPortalAccess(app, { sessionId: 's1' });
    const portal = svixClient(h, first.token);
    expect((await portal.application.get(app)).id).toBe(app);

    await portal.authentication.logout();
    expect((await apiError(portal.application.get(app))).code).toBe(401);
    expect((await apiError(portal.authentication.logout())).code).toBe(401);
    // Another token of the same application and session still works.
    expect((await svixClient(h, second.token).application.get(app)).id).toBe(app);

    const records = await h.hookline.db.selectFrom('auditLog').selectAll().where('action', '=', 'portalAccess.loggedOut').execute();
    expect(records.map((r) => [r.targetId, r.actorKind, r.changes])).toEqual([[app, 'portal', { sessionId: { to: 's1' } }]]);

    // An API key is not an app token: refused, and it keeps working.
    const refused = await apiError(svix.authentication.logout());
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });
    expect((await svix.application.get(app)).id).toBe(app);
    expect((await h.http.post('/api/v1/auth/logout').expect(401)).body.code).toBe('authentication_failed');
  });
});

describe('svix.autoconfigSubscription', () => {
  it('is answered as a feature not enabled (403), creating nothing', async () => {
    const app = (await svix.application.create({ name: 'autoconfig', uid: 'autoconfig-app' })).id;
    for (const call of [() => svix.autoconfigSubscription.create(app), () => svix.autoconfigSubscription.rotate(app, 'auto_1', {})]) {
      const err = await apiError(call());
      expect(err.code).toBe(403);
      expect(err.body).toEqual({ code: 'forbidden', detail: expect.stringContaining('AutoConfig is not enabled') });
    }
  });
});
