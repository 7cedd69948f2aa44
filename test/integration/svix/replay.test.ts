import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { BackgroundTaskStatus, BackgroundTaskType, MessageStatus, Ordering, type Svix } from 'svix';
import { newId } from '@hookline/core';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.endpoint.bulkReplay and replayMissing, and svix.backgroundTask, through the official client:
// replays reach real receivers (signatures verified with `standardwebhooks`) and their tasks' progress
// is read back as Svix's clients read it.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let tenantId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startTestHookline();
  const tenant = await h.createTenant();
  tenantId = tenant.tenantId;
  svix = svixClient(h, tenant.apiKey);
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  for (const name of ['invoice.paid', 'user.created']) await svix.eventType.create({ name, description: name });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await h?.stop();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

const idsOf = (reqs: ReceivedRequest[]) => reqs.map((q) => String(q.headers['webhook-id']));
const verify = (secret: string, req: ReceivedRequest) => new Webhook(secret).verify(req.body, req.headers as Record<string, string>);

async function finished(taskId: string) {
  await waitUntil(async () => (await svix.backgroundTask.get(taskId)).status === BackgroundTaskStatus.Finished, 20_000, `task ${taskId} to finish`);
  return svix.backgroundTask.get(taskId);
}

describe('svix.endpoint.bulkReplay', () => {
  it('resends the messages delivered to the endpoint in the range, whatever the outcome, narrowed by the filters', async () => {
    const app = await svix.application.create({ name: 'bulk' });
    const r = await receiver();
    const ep = await svix.endpoint.create(app.id, { url: `${r.url}/bulk` });
    const since = new Date(Date.now() - 1000);
    const sent = [
      await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { n: 1 }, tags: ['vip'] }),
      await svix.message.create(app.id, { eventType: 'user.created', payload: { n: 2 }, channels: ['eu'] }),
      await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { n: 3 }, channels: ['eu'] }),
    ].map((m) => m.id);
    await r.waitFor(3);

    // All three, once each again.
    const all = await svix.endpoint.bulkReplay(app.id, ep.id, { since });
    expect(all).toMatchObject({ status: BackgroundTaskStatus.Running, task: BackgroundTaskType.EndpointBulkReplay });
    expect(all.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
    expect(all.updatedAt).toBeInstanceOf(Date);
    await r.waitFor(6);
    expect(idsOf(r.requests.slice(3)).sort()).toEqual([...sent].sort());
    const done = await finished(all.id);
    expect(done).toMatchObject({ id: all.id, status: 'finished', task: 'endpoint.bulk-replay', data: { messagesSent: 3 } });
    // Each replay is signed anew and verifies with the endpoint's secret.
    const secret = (await svix.endpoint.getSecret(app.id, ep.id)).key;
    for (const q of r.requests.slice(3)) expect(verify(secret, q)).toHaveProperty('n');

    // Filters: event type and channel together leave only the third; a tag only the first.
    const byType = await svix.endpoint.bulkReplay(app.id, ep.id, { since, eventTypes: ['invoice.paid'], channel: 'eu' });
    expect((await finished(byType.id)).data).toEqual({ messagesSent: 1 });
    await r.waitFor(7);
    expect(idsOf(r.requests.slice(6))).toEqual([sent[2]]);
    const byTag = await svix.endpoint.bulkReplay(app.id, ep.id, { since, tag: 'vip' });
    expect((await finished(byTag.id)).data).toEqual({ messagesSent: 1 });
    await r.waitFor(8);
    expect(idsOf(r.requests.slice(7))).toEqual([sent[0]]);
    // A status no delivery has, and a range before every message: nothing to send, finished at once.
    const none = await svix.endpoint.bulkReplay(app.id, ep.id, { since, status: MessageStatus.Fail });
    expect((await finished(none.id)).data).toEqual({ messagesSent: 0 });
    const before = await svix.endpoint.bulkReplay(app.id, ep.id, { since: new Date(Date.now() - 3_600_000), until: new Date(since.getTime() - 1) });
    expect((await finished(before.id)).data).toEqual({ messagesSent: 0 });
    await new Promise((res) => setTimeout(res, 500));
    expect(r.requests).toHaveLength(8);

    // Each replay is in the audit log, with its task and range.
    const audit = await h.http.get('/api/v1/audit-log').query({ action: 'endpoint.replayed' }).set(auth).expect(200);
    const records = (audit.body.data as Array<{ target: { id: string }; changes: Record<string, { to: string }> }>).filter((a) => a.target.id === ep.id);
    expect(records).toHaveLength(5);
    expect(records.map((a) => a.changes.task!.to).sort()).toEqual([all.id, byType.id, byTag.id, none.id, before.id].sort());
    expect(records.find((a) => a.changes.task!.to === byType.id)!.changes).toMatchObject({
      kind: { to: 'endpoint.bulk-replay' },
      since: { to: since.toISOString() },
      filter: { to: JSON.stringify({ eventTypes: ['invoice.paid'], channel: 'eu' }) },
    });
  });

  it('refuses a second replay of the same kind while one runs (409), and bad input (422, 404) without starting one', async () => {
    const app = await svix.application.create({ name: 'bulk-refusals' });
    const ep = await svix.endpoint.create(app.id, { url: 'https://example.com/refusals' });
    const since = new Date(Date.now() - 60_000);
    // A running task of the endpoint, as one mid-way would be.
    const running = newId('qtask');
    await h.hookline.db
      .insertInto('backgroundTask')
      .values({
        id: running,
        tenantId,
        task: 'endpoint.bulk-replay',
        status: 'running',
        endpointId: ep.id,
        data: JSON.stringify({ messagesSent: 0 }),
        updatedAt: new Date(),
      })
      .execute();
    const conflict = await apiError(svix.endpoint.bulkReplay(app.id, ep.id, { since }));
    expect(conflict.code).toBe(409);
    expect(conflict.body.code).toBe('replay_in_progress');
    // Another kind is not held up by it.
    const missing = await svix.endpoint.replayMissing(app.id, ep.id, { since });
    expect(missing.task).toBe(BackgroundTaskType.EndpointReplay);
    expect((await finished(missing.id)).data).toEqual({ messagesSent: 0 });

    const bad: Array<[() => Promise<unknown>, number, string]> = [
      [() => svix.endpoint.bulkReplay(app.id, ep.id, { since, until: new Date(since.getTime() - 1000) }), 422, 'until'],
      [() => svix.endpoint.bulkReplay(app.id, ep.id, { since, eventTypes: [] }), 422, 'eventTypes'],
      [() => svix.endpoint.bulkReplay(app.id, ep.id, { since, statusCodeClass: 500 }), 422, 'statusCodeClass'],
      [() => svix.endpoint.bulkReplay(app.id, 'ep_doesnotexist', { since }), 404, ''],
      [() => svix.endpoint.replayMissing(app.id, ep.id, { since, until: new Date(since.getTime() - 1000) }), 422, 'until'],
    ];
    for (const [call, status, field] of bad) {
      const err = await apiError(call());
      expect(err.code).toBe(status);
      if (field) expect(JSON.stringify(err.body.detail)).toContain(field);
    }
    const tasks = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointBulkReplay, status: BackgroundTaskStatus.Running });
    expect(tasks.data.map((t) => t.id)).toEqual([running]);
  });
});

describe('svix.endpoint.replayMissing', () => {
  it('sends the messages the endpoint never had a delivery of: before it existed, or filtered out then', async () => {
    const app = await svix.application.create({ name: 'missing' });
    // Fan-out runs after the publish: a witness endpoint's arrivals show the early messages were fanned out before ours existed.
    const witness = await receiver();
    await svix.endpoint.create(app.id, { url: `${witness.url}/witness` });
    const since = new Date(Date.now() - 1000);
    const early = [
      await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { n: 1 } }),
      await svix.message.create(app.id, { eventType: 'user.created', payload: { n: 2 } }),
    ].map((m) => m.id);
    await witness.waitFor(2);
    const r = await receiver();
    const ep = await svix.endpoint.create(app.id, { url: `${r.url}/missing`, eventTypes: ['invoice.paid'] });
    const delivered = (await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { n: 3 } })).id;
    const filteredOut = (await svix.message.create(app.id, { eventType: 'user.created', payload: { n: 4 } })).id;
    await r.waitFor(1);
    expect(idsOf(r.requests)).toEqual([delivered]);

    const task = await svix.endpoint.replayMissing(app.id, ep.id, { since });
    expect(task).toMatchObject({ status: 'running', task: 'endpoint.replay' });
    const done = await finished(task.id);
    expect(done.data).toEqual({ messagesSent: 3 });
    await r.waitFor(4);
    expect(idsOf(r.requests.slice(1)).sort()).toEqual([...early, filteredOut].sort());
    const secret = (await svix.endpoint.getSecret(app.id, ep.id)).key;
    for (const q of r.requests) expect(verify(secret, q)).toHaveProperty('n');
    // The replayed deliveries now exist and succeeded: a second replay has nothing left to send.
    await waitUntil(async () => (await svix.endpoint.getStats(app.id, ep.id)).success === 4, 20_000, 'the replays to count');
    const again = await svix.endpoint.replayMissing(app.id, ep.id, { since });
    expect((await finished(again.id)).data).toEqual({ messagesSent: 0 });
    await new Promise((res) => setTimeout(res, 500));
    expect(r.requests).toHaveLength(4);
  });
});

describe('svix.backgroundTask', () => {
  it('gets and lists tasks, newest first, filtered by status and kind, paginated', async () => {
    const app = await svix.application.create({ name: 'tasks' });
    const ep = await svix.endpoint.create(app.id, { url: 'https://example.com/tasks' });
    const since = new Date(Date.now() - 60_000);
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await svix.endpoint.replayMissing(app.id, ep.id, { since });
      await finished(t.id);
      started.push(t.id);
    }
    const recover = await svix.endpoint.recover(app.id, ep.id, { since });
    await finished(recover.id);

    const got = await svix.backgroundTask.get(started[0]!);
    expect(got).toEqual({ id: started[0], status: 'finished', task: 'endpoint.replay', data: { messagesSent: 0 }, updatedAt: expect.any(Date) });

    const replays = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointReplay, status: BackgroundTaskStatus.Finished });
    const mine = replays.data.filter((t) => started.includes(t.id)).map((t) => t.id);
    expect(mine).toEqual([...started].reverse());
    const recovers = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointRecover });
    expect(recovers.data.map((t) => t.id)).toContain(recover.id);
    expect(recovers.data.every((t) => t.task === BackgroundTaskType.EndpointRecover)).toBe(true);

    // Two pages of one, then the rest; ascending order reverses them.
    const first = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointReplay, limit: 1 });
    expect(first.done).toBe(false);
    const second = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointReplay, limit: 1, iterator: first.iterator });
    expect(second.data[0]!.id < first.data[0]!.id).toBe(true);
    const ascending = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointReplay, order: Ordering.Ascending, limit: 250 });
    const ids = ascending.data.map((t) => t.id);
    expect(ids).toEqual([...ids].sort());

    expect((await apiError(svix.backgroundTask.get('qtask_2ZqW0AAAAAAAAAAAAAAAAAAAAAA'))).code).toBe(404);
    expect((await apiError(svix.backgroundTask.list({ status: 'paused' as never }))).code).toBe(422);
  });

  it("does not show another tenant's tasks", async () => {
    const other = await h.createTenant('other');
    const otherSvix = svixClient(h, other.apiKey);
    const app = await svix.application.create({ name: 'isolated' });
    const ep = await svix.endpoint.create(app.id, { url: 'https://example.com/isolated' });
    const task = await svix.endpoint.replayMissing(app.id, ep.id, { since: new Date(Date.now() - 60_000) });
    expect((await apiError(otherSvix.backgroundTask.get(task.id))).code).toBe(404);
    expect((await otherSvix.backgroundTask.list()).data).toEqual([]);
  });
});
