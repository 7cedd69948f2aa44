import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createMetrics, registerQueueGauges } from '@hookline/core';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';

// Messages waiting in fanout_pending are the fan-out queue's backlog: the gauges report them under
// queue="fanout.v1" (publishing writes no fan-out job any more), counting only those that are due.

let database: QueueTestDatabase;

beforeAll(async () => {
  database = await createQueueTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const sample = (text: string, name: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.slice(name.length + 1),
  );

it("counts due pending fan-outs and the age of the oldest as the fan-out queue's", async () => {
  const metrics = createMetrics();
  registerQueueGauges(metrics, database.db);
  await sql`INSERT INTO fanout_pending (tenant_id, msg_id, available_at) VALUES
    ('t', 'msg_a', now() - interval '30 seconds'), ('t', 'msg_b', now()), ('t', 'msg_c', now() + interval '1 hour')`.execute(database.db);
  const text = await metrics.registry.metrics();
  expect(sample(text, 'hookline_queue_ready_jobs{queue="fanout.v1"}')).toBe(2);
  const oldest = sample(text, 'hookline_queue_oldest_ready_seconds{queue="fanout.v1"}');
  expect(oldest).toBeGreaterThanOrEqual(30);
  expect(oldest).toBeLessThan(300);
});
