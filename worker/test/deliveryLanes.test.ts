import type { Job, PgBoss } from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOBS, type DeliverJob } from '@hookline/core';
import { createQueueTestDatabase, type QueueTestDatabase } from '../../test/support/queueDatabase.ts';
import { waitUntil } from '../../test/support/process.ts';
import { DeliveryLoop } from '../src/deliveryLoop.ts';

// The delivery loop takes jobs from both lanes. The failing lane's attempts run one at a time per
// endpoint; once one finishes, the loop looks at that lane again at once, not a poll interval later
// (a minute here, so only that explains a prompt second and third attempt).

let database: QueueTestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  database = await createQueueTestDatabase();
  ({ boss } = database);
});
afterAll(async () => {
  await database?.close();
});

const job = (msgId: string, endpointId: string): DeliverJob => ({ tenantId: 't', msgId, endpointId, attempt: 1, trigger: 0 });

it('takes the jobs of both lanes, the failing one one at a time per endpoint and each as soon as the one before finished', async () => {
  await boss.insert(JOBS.deliverFailing, ['f1', 'f2', 'f3'].map((m) => ({ data: job(m, 'ep_down'), group: { id: 'ep_down', tier: 'failing' } })));
  await boss.insert(JOBS.deliver, ['h1', 'h2'].map((m) => ({ data: job(m, 'ep_up'), group: { id: 'ep_up' } })));
  const handled: Array<{ msgId: string; lane: string }> = [];
  let downRunning = 0;
  let downMostAtOnce = 0;
  const loop = new DeliveryLoop(boss, pino({ level: 'silent' }), { capacity: 10, perEndpoint: 4, pollIntervalMs: 60_000 }, async (j: Job<DeliverJob>) => {
    const down = j.data.endpointId === 'ep_down';
    if (down) downMostAtOnce = Math.max(downMostAtOnce, ++downRunning);
    await new Promise((r) => setTimeout(r, 50));
    handled.push({ msgId: j.data.msgId, lane: j.name });
    await boss.complete(j.name, { id: j.id, retryCount: j.retryCount }, null);
    if (down) downRunning--;
  });
  loop.start();
  try {
    await waitUntil(() => handled.length === 5, 10_000, 'all five jobs to be handled');
  } finally {
    await loop.stop();
  }
  expect(handled.filter((h) => h.lane === JOBS.deliverFailing).map((h) => h.msgId).sort()).toEqual(['f1', 'f2', 'f3']);
  expect(handled.filter((h) => h.lane === JOBS.deliver).map((h) => h.msgId).sort()).toEqual(['h1', 'h2']);
  expect(downMostAtOnce).toBe(1);
});
