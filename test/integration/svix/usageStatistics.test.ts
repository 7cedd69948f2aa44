import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundTaskStatus, BackgroundTaskType, type Svix } from 'svix';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.statistics.aggregateAppStats and aggregateEventTypes through the official client: real
// deliveries to a real receiver make the attempts counted (from the hourly statistics), and each
// task's result is read back with svix.backgroundTask.get, as Svix's documentation asks.

let h: TestHookline;
let svix: Svix;
let other: Svix;
let auth: { authorization: string };
let receiver: Receiver;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await startTestHookline();
  const a = await h.createTenant('usage-a');
  svix = svixClient(h, a.apiKey);
  auth = { authorization: `Bearer ${a.apiKey}` };
  other = svixClient(h, (await h.createTenant('usage-b')).apiKey);
  // Every third request fails once: those messages get a second attempt, which counts too.
  receiver = await startReceiver((_req, n) => ({ status: n % 3 === 2 ? 500 : 200 }));
  for (const name of ['invoice.paid', 'user.created', 'user.deleted']) await svix.eventType.create({ name, description: name });
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

/** Attempts the worker has recorded for the tenant's applications (what the statistics count), once every delivery has settled. */
async function settledAttempts(appIds: string[], expectedMessages: number): Promise<number> {
  const settled = async () => {
    const deliveries = await h.hookline.db.selectFrom('messageDelivery').select('status').where('appId', 'in', appIds).execute();
    return deliveries.length === expectedMessages && deliveries.every((d) => d.status === 0);
  };
  await expect.poll(settled, { timeout: 30_000, interval: 200 }).toBe(true);
  const rows = await h.hookline.db.selectFrom('messageAttempt').select('id').where('appId', 'in', appIds).execute();
  return rows.length;
}

describe('svix.statistics.aggregateAppStats', () => {
  it("counts each application's attempts in the range, as a finished application.stats task", async () => {
    const a = await svix.application.create({ name: 'usage a' });
    const b = await svix.application.create({ name: 'usage b', uid: 'usage-b-uid' });
    const quiet = await svix.application.create({ name: 'no traffic', uid: 'quiet' });
    for (const app of [a, a, b]) await svix.endpoint.create(app.id, { url: `${receiver.url}/${app.id}` });
    for (let n = 0; n < 3; n++) await svix.message.create(a.id, { eventType: 'invoice.paid', payload: { n } });
    for (let n = 0; n < 2; n++) await svix.message.create(b.id, { eventType: 'user.created', payload: { n } });
    // a: 3 messages x 2 endpoints = 6 deliveries, b: 2; retries after the 500s add attempts.
    const attemptsA = await settledAttempts([a.id], 6);
    const attemptsB = await settledAttempts([b.id], 2);
    expect(attemptsA + attemptsB).toBeGreaterThan(8);

    const since = new Date(Date.now() - HOUR);
    const until = new Date(Date.now() + 60_000);
    const started = await svix.statistics.aggregateAppStats({ since, until });
    expect(started).toMatchObject({ status: BackgroundTaskStatus.Finished, task: BackgroundTaskType.ApplicationStats, unresolvedAppIds: [] });
    expect(started.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
    expect(started.updatedAt).toBeInstanceOf(Date);
    const task = await svix.backgroundTask.get(started.id);
    expect(task).toMatchObject({ id: started.id, status: 'finished', task: 'application.stats' });
    // Every application with attempts, by id; applications without any are left out.
    const expected = [
      { messageDestinations: attemptsA, appId: a.id, appUid: null },
      { messageDestinations: attemptsB, appId: b.id, appUid: 'usage-b-uid' },
    ].sort((x, y) => (x.appId < y.appId ? -1 : 1));
    expect(task.data).toEqual({ appStats: expected });

    // Named applications, by id or uid: each gets a line (0 without attempts); unknown names are listed.
    const named = await svix.statistics.aggregateAppStats({ since, until, appIds: ['usage-b-uid', quiet.id, 'app_nosuchapp', 'nosuchuid'] });
    expect(named.unresolvedAppIds).toEqual(['app_nosuchapp', 'nosuchuid']);
    expect((await svix.backgroundTask.get(named.id)).data).toEqual({
      appStats: [
        { messageDestinations: attemptsB, appId: b.id, appUid: 'usage-b-uid' },
        { messageDestinations: 0, appId: quiet.id, appUid: 'quiet' },
      ].sort((x, y) => (x.appId < y.appId ? -1 : 1)),
    });

    // A range of hours with no attempts counts none.
    const later = await svix.statistics.aggregateAppStats({ since: new Date(Date.now() + 2 * HOUR), until: new Date(Date.now() + 3 * HOUR), appIds: [a.id] });
    expect((await svix.backgroundTask.get(later.id)).data).toEqual({ appStats: [{ messageDestinations: 0, appId: a.id, appUid: null }] });

    // The tasks are listed among the tenant's background tasks, filterable by kind.
    const listed = await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationStats });
    expect(listed.data.map((t) => t.id)).toEqual([later.id, named.id, started.id]);
  });

  it("sees only the caller's tenant: another tenant's applications are unresolved, its tasks not found", async () => {
    const mine = await svix.application.create({ name: 'mine', uid: 'shared-uid' });
    const theirs = await other.application.create({ name: 'theirs', uid: 'their-uid' });
    await other.endpoint.create(theirs.id, { url: `${receiver.url}/theirs` });
    await other.message.create(theirs.id, { eventType: 'user.created', payload: { theirs: true } });
    await settledAttempts([theirs.id], 1);
    const range = { since: new Date(Date.now() - HOUR), until: new Date(Date.now() + 60_000) };

    const res = await svix.statistics.aggregateAppStats({ ...range, appIds: [mine.id, theirs.id, 'their-uid'] });
    expect(res.unresolvedAppIds).toEqual([theirs.id, 'their-uid']);
    expect((await svix.backgroundTask.get(res.id)).data).toEqual({ appStats: [{ messageDestinations: 0, appId: mine.id, appUid: 'shared-uid' }] });
    // Naming only another tenant's application resolves none: 422, as Svix answers.
    expect((await apiError(svix.statistics.aggregateAppStats({ ...range, appIds: [theirs.id] }))).code).toBe(422);
    // All applications: the other tenant's attempts are not among this tenant's.
    const all = await svix.statistics.aggregateAppStats(range);
    const stats = (await svix.backgroundTask.get(all.id)).data.appStats as Array<{ appId: string }>;
    expect(stats.map((s) => s.appId)).not.toContain(theirs.id);
    const theirsAll = await other.statistics.aggregateAppStats(range);
    expect((await other.backgroundTask.get(theirsAll.id)).data).toEqual({ appStats: [{ messageDestinations: 1, appId: theirs.id, appUid: 'their-uid' }] });
    // Each tenant's task is its own.
    expect((await apiError(other.backgroundTask.get(all.id))).code).toBe(404);
  });

  it('refuses bad input with 422 and records no task', async () => {
    const before = (await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationStats, limit: 250 })).data.length;
    const now = Date.now();
    const refusals = [
      { since: new Date(now), until: new Date(now - HOUR) },
      { since: new Date(now), until: new Date(now) },
      { since: new Date(now - HOUR), until: new Date(now), appIds: [] },
      { since: new Date(now - HOUR), until: new Date(now), appIds: ['app_nosuchapp'] },
      { since: new Date(Number.NaN), until: new Date(now) },
    ];
    for (const input of refusals) {
      const err = await apiError(svix.statistics.aggregateAppStats(input));
      expect(err.code).toBe(422);
      expect(err.body.detail ?? err.body.code).toBeTruthy();
    }
    // Raw requests the client would not build: missing fields, wrong types, too many ids.
    const since = new Date(now - HOUR).toISOString();
    const until = new Date(now).toISOString();
    for (const body of [
      {},
      { since },
      { since, until: 'yesterday' },
      { since, until, appIds: 'app_x' },
      { since, until, appIds: Array.from({ length: 1001 }, (_, i) => `app${i}`) },
    ]) {
      const res = await h.http.post('/api/v1/stats/usage/app').set(auth).send(body).expect(422);
      expect(res.body.detail, JSON.stringify(body)).toBeInstanceOf(Array);
    }
    expect((await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationStats, limit: 250 })).data).toHaveLength(before);
  });
});

describe('svix.statistics.aggregateEventTypes', () => {
  it("lists each application's subscribed event types and whether it has a catch-all endpoint, as a finished event-type.aggregate task", async () => {
    const t = svixClient(h, (await h.createTenant('event-types')).apiKey);
    for (const name of ['invoice.paid', 'user.created', 'user.deleted']) await t.eventType.create({ name, description: name });
    const filtered = await t.application.create({ name: 'filtered' });
    const catchAll = await t.application.create({ name: 'catch-all' });
    await t.application.create({ name: 'no endpoints' });
    await t.endpoint.create(filtered.id, { url: 'https://example.com/a', eventTypes: ['user.created', 'invoice.paid'] });
    await t.endpoint.create(filtered.id, { url: 'https://example.com/b', eventTypes: ['invoice.paid'], disabled: true });
    await t.endpoint.create(catchAll.id, { url: 'https://example.com/c', eventTypes: ['user.deleted'] });
    await t.endpoint.create(catchAll.id, { url: 'https://example.com/d' });
    // An operational webhook endpoint is not an application's.
    await t.operationalWebhook.endpoint.create({ url: 'https://example.com/ops' });

    const started = await t.statistics.aggregateEventTypes();
    expect(started).toMatchObject({ status: BackgroundTaskStatus.Finished, task: BackgroundTaskType.EventTypeAggregate });
    expect(started.id).toMatch(/^qtask_/);
    const task = await t.backgroundTask.get(started.id);
    expect(task).toMatchObject({ id: started.id, status: 'finished', task: 'event-type.aggregate' });
    expect(task.data).toEqual({
      event_types: [
        { appId: filtered.id, explicitlySubscribedEventTypes: ['invoice.paid', 'user.created'], hasCatchAllEndpoint: false },
        { appId: catchAll.id, explicitlySubscribedEventTypes: ['user.deleted'], hasCatchAllEndpoint: true },
      ].sort((x, y) => (x.appId < y.appId ? -1 : 1)),
    });
    // Another tenant's aggregate does not see these applications, nor this task.
    const theirs = await other.statistics.aggregateEventTypes();
    const theirApps = ((await other.backgroundTask.get(theirs.id)).data.event_types as Array<{ appId: string }>).map((e) => e.appId);
    expect(theirApps).not.toContain(filtered.id);
    expect(theirApps).not.toContain(catchAll.id);
    expect((await apiError(other.backgroundTask.get(started.id))).code).toBe(404);
  });
});
