import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, runReplayStep } from '@hookline/core';
import { startBoss, stopBoss, type PgBoss, type ReplayJob } from '@hookline/db';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';

// A replay runs as a chain of bounded batches, each in the transaction that completes its job: a
// step that fails (the process dies before its commit) leaves no trace and is run again whole, and
// the next batch resumes where the previous one stopped, so every message is resent exactly once.

let h: TestHookline;
let boss: PgBoss;
let receiver: Receiver;

beforeAll(async () => {
  h = await startTestHookline();
  boss = await startBoss(h.connectionString, 'producer', { max: 2 }, () => {});
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  if (boss) await stopBoss(boss, 0);
  await h?.stop();
});

it('a failed step changes nothing; batches resume after the last message sent; each message is resent once', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'batches' }).expect(201)).body.id as string;
  const ep = (
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/b` })
      .expect(201)
  ).body.id as string;
  const since = new Date(Date.now() - 1000);
  const sent: string[] = [];
  for (let n = 0; n < 5; n++) sent.push((await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'batch', payload: { n } }).expect(202)).body.id);
  await receiver.waitFor(5);
  // The receiver has them before the worker has recorded them: wait for the records, so that what follows sees only the replay's writes.
  const unsettled = () => h.hookline.db.selectFrom('messageDelivery').select('status').where('endpointId', '=', ep).where('status', '!=', 0).execute();
  await expect.poll(unsettled, { timeout: 10_000 }).toEqual([]);

  const taskId = newId('qtask');
  await h.hookline.db
    .insertInto('backgroundTask')
    .values({ id: taskId, tenantId, task: 'endpoint.bulk-replay', status: 'running', endpointId: ep, data: JSON.stringify({ messagesSent: 0 }), updatedAt: new Date() })
    .execute();
  const job: ReplayJob = { tenantId, taskId, appId: app, endpointId: ep, kind: 'bulk', since: since.toISOString(), until: new Date().toISOString() };
  const task = () => h.hookline.db.selectFrom('backgroundTask').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();

  // The job's completion fails (as if the process died before the commit): the whole step rolls back.
  const crash = async () => {
    throw new Error('killed before commit');
  };
  await expect(runReplayStep(h.hookline.db, boss, job, crash, 2)).rejects.toThrow('killed before commit');
  expect(await task()).toMatchObject({ status: 'running', data: { messagesSent: 0 } });
  expect(await unsettled()).toEqual([]);

  // A batch of 2 sends the two oldest and queues the next batch, which the worker runs (500 at a time) from there.
  expect(await runReplayStep(h.hookline.db, boss, job, async () => {}, 2)).toBe(2);
  await waitUntil(async () => (await task()).status === 'finished', 20_000, 'the replay to finish');
  expect((await task()).data).toEqual({ messagesSent: 5 });
  await receiver.waitFor(10);
  await new Promise((res) => setTimeout(res, 500));
  const counts = new Map<string, number>();
  for (const q of receiver.requests) counts.set(String(q.headers['webhook-id']), (counts.get(String(q.headers['webhook-id'])) ?? 0) + 1);
  expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(sent.map((id) => [id, 2])));
});
