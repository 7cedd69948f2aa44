import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundTaskStatus, BackgroundTaskType, type Svix } from 'svix';
import { idBoundary, newId, runExpungeAllStep } from '@hookline/core';
import { startBoss, stopBoss, type PgBoss } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.message.expungeAllContents through the official client: an application.purge_content task
// that deletes the payloads of all the application's messages sent until then, in batches the
// worker runs, each in the transaction that completes its job; nothing of another application or
// tenant is touched, and a batch that fails changes nothing.

let h: TestHookline;
let svix: Svix;
let other: Svix;
let tenantId: string;
let auth: { authorization: string };
let boss: PgBoss;

beforeAll(async () => {
  h = await startTestHookline();
  const a = await h.createTenant('expunge-a');
  tenantId = a.tenantId;
  svix = svixClient(h, a.apiKey);
  auth = { authorization: `Bearer ${a.apiKey}` };
  other = svixClient(h, (await h.createTenant('expunge-b')).apiKey);
  boss = await startBoss(h.connectionString, 'producer', { max: 2 }, () => {});
});
afterAll(async () => {
  if (boss) await stopBoss(boss, 0);
  await h?.stop();
});

async function finished(client: Svix, taskId: string) {
  await waitUntil(async () => (await client.backgroundTask.get(taskId)).status === BackgroundTaskStatus.Finished, 20_000, `task ${taskId} to finish`);
  return client.backgroundTask.get(taskId);
}

/** The payload stored for a message, null once expunged (the API shows `{}` for both no content and none asked for, so the row tells them apart). */
async function payloadOf(msgId: string): Promise<unknown> {
  const row = await h.hookline.db.selectFrom('message').select('payload').where('id', '=', msgId).executeTakeFirstOrThrow();
  return row.payload === null ? null : JSON.parse(row.payload);
}

describe('svix.message.expungeAllContents', () => {
  it("deletes the payloads of every message of the application, and of no other application's or tenant's", async () => {
    const app = await svix.application.create({ name: 'purged', uid: 'purged-app' });
    const kept = await svix.application.create({ name: 'kept' });
    const theirs = await other.application.create({ name: 'theirs', uid: 'purged-app' });
    const sent = [];
    for (let n = 0; n < 4; n++) sent.push((await svix.message.create(app.id, { eventType: 'order.paid', payload: { n, secret: `s${n}` } })).id);
    const keptMsg = (await svix.message.create(kept.id, { eventType: 'order.paid', payload: { kept: true } })).id;
    const theirMsg = (await other.message.create(theirs.id, { eventType: 'order.paid', payload: { theirs: true } })).id;

    // By uid, as Svix's routes take either.
    const started = await svix.message.expungeAllContents('purged-app');
    expect(started).toMatchObject({ status: BackgroundTaskStatus.Running, task: BackgroundTaskType.ApplicationPurgeContent });
    expect(started.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
    expect(started.updatedAt).toBeInstanceOf(Date);
    const done = await finished(svix, started.id);
    expect(done).toMatchObject({ id: started.id, status: 'finished', task: 'application.purge_content', data: { messagesPurged: 4 } });

    for (const id of sent) expect(await payloadOf(id)).toBeNull();
    // As the API shows it: an expunged payload reads as {}.
    const shown = await h.http.get(`/api/v1/app/${app.id}/msg/${sent[0]}`).set(auth).expect(200);
    expect(shown.body).toMatchObject({ id: sent[0], payload: {} });
    expect(await payloadOf(keptMsg)).toEqual({ kept: true });
    expect((await svix.message.get(kept.id, keptMsg, { withContent: true })).payload).toEqual({ kept: true });
    expect(await payloadOf(theirMsg)).toEqual({ theirs: true });

    // Again: nothing left to purge. A message sent since is purged by the next task only.
    expect((await finished(svix, (await svix.message.expungeAllContents(app.id)).id)).data).toEqual({ messagesPurged: 0 });
    const later = (await svix.message.create(app.id, { eventType: 'order.paid', payload: { later: true } })).id;
    expect(await payloadOf(later)).toEqual({ later: true });
    expect((await finished(svix, (await svix.message.expungeAllContents(app.id)).id)).data).toEqual({ messagesPurged: 1 });
    expect(await payloadOf(later)).toBeNull();

    // Listed among the tenant's tasks, and audited with its task.
    const listed = await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationPurgeContent });
    expect(listed.data).toHaveLength(3);
    expect(listed.data.at(-1)!.id).toBe(started.id);
    const audit = await h.http.get('/api/v1/audit-log').query({ action: 'application.content.purged' }).set(auth).expect(200);
    const records = audit.body.data as Array<{ target: { kind: string; id: string }; changes: { task: { to: string } } }>;
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.target)).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ kind: 'application', id: app.id })));
    expect(records.map((r) => r.changes.task.to)).toContain(started.id);
  });

  it("refuses another tenant's or an unknown application (404) and starts no task", async () => {
    const theirs = await other.application.create({ name: 'not yours' });
    const msg = (await other.message.create(theirs.id, { eventType: 'order.paid', payload: { safe: true } })).id;
    const before = (await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationPurgeContent })).data.length;
    expect((await apiError(svix.message.expungeAllContents(theirs.id))).code).toBe(404);
    expect((await apiError(svix.message.expungeAllContents('app_nosuchapp'))).code).toBe(404);
    const bad = await h.http
      .post(`/api/v1/app/${'x'.repeat(300)}/msg/expunge-all-contents`)
      .set(auth)
      .expect(422);
    expect(bad.body.detail).toBeInstanceOf(Array);
    expect((await svix.backgroundTask.list({ task: BackgroundTaskType.ApplicationPurgeContent })).data).toHaveLength(before);
    expect(await payloadOf(msg)).toEqual({ safe: true });
  });

  it('runs in batches: a batch that fails changes nothing, and the next resumes after the last message purged', async () => {
    const app = await svix.application.create({ name: 'batches' });
    const sent = [];
    for (let n = 0; n < 5; n++) sent.push((await svix.message.create(app.id, { eventType: 'order.paid', payload: { n } })).id);
    const taskId = newId('qtask');
    await h.hookline.db
      .insertInto('backgroundTask')
      .values({ id: taskId, tenantId, task: 'application.purge_content', status: 'running', data: JSON.stringify({ messagesPurged: 0 }), updatedAt: new Date() })
      .execute();
    const job = { tenantId, taskId, appId: app.id, untilMsgId: idBoundary('msg', new Date(), 'end') };
    const task = () => h.hookline.db.selectFrom('backgroundTask').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    const kept = async () =>
      (await h.hookline.db.selectFrom('message').select(['id', 'payload']).where('appId', '=', app.id).orderBy('id').execute())
        .filter((m) => m.payload !== null)
        .map((m) => m.id);

    // The job's completion fails (the process died before the commit): the batch rolls back whole.
    const crash = async () => {
      throw new Error('killed before commit');
    };
    await expect(runExpungeAllStep(h.hookline.db, boss, job, crash, 2)).rejects.toThrow('killed before commit');
    expect(await task()).toMatchObject({ status: 'running', data: { messagesPurged: 0 } });
    expect(await kept()).toEqual(sent);

    // A batch of 2 purges the two oldest and queues the next batch, which the worker runs from there.
    expect(await runExpungeAllStep(h.hookline.db, boss, job, async () => {}, 2)).toBe(2);
    await waitUntil(async () => (await task()).status === 'finished', 20_000, 'the purge to finish');
    expect((await task()).data).toEqual({ messagesPurged: 5 });
    expect(await kept()).toEqual([]);
    // A step of a finished task (a job delivered again) does nothing.
    expect(await runExpungeAllStep(h.hookline.db, boss, job, async () => {}, 2)).toBe(0);
    expect((await task()).data).toEqual({ messagesPurged: 5 });
  });
});
