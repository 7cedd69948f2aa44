import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMaintenance } from '@hookline/core';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';

// Retention shortened to seconds so a steady publish rate reaches its steady state in a test.
// Messages and attempts go a whole history partition at a time (a minute at least), which this
// test does not wait for: packages/db/test/historyPartitions.test.ts and maintenance.test.ts cover them.
const RATE = 10; // messages per second
const RUN_SECONDS = 24;
const PAYLOAD_SECONDS = 3;
const MESSAGE_SECONDS = 6;
const QUEUE_SECONDS = 2;
const MAINTENANCE_EVERY_MS = 2000;
// pg-boss deletes finished jobs only once they are 10 s past finishing (its own safety lag).
const PGBOSS_LAG_SECONDS = 10;

let h: TestHookline;
let receiver: Receiver;

beforeAll(async () => {
  h = await startTestHookline({
    HOOKLINE_PAYLOAD_RETENTION_DAYS: String(PAYLOAD_SECONDS / 86400),
    HOOKLINE_MESSAGE_RETENTION_DAYS: String(MESSAGE_SECONDS / 86400),
    HOOKLINE_QUEUE_RETENTION_SECONDS: String(QUEUE_SECONDS),
    HOOKLINE_QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

async function counts() {
  const { rows } = await sql<{ messages: number; payloads: number; attempts: number; jobs: number }>`
    SELECT (SELECT count(*) FROM message)::int AS messages,
           (SELECT count(*) FROM message WHERE payload IS NOT NULL)::int AS payloads,
           (SELECT count(*) FROM message_attempt)::int AS attempts,
           (SELECT count(*) FROM ${sql.table(`${QUEUE_SCHEMA}.job`)})::int AS jobs`.execute(h.hookline.db);
  return rows[0]!;
}

it('keeps payloads and queue jobs bounded under a steady publish rate, removing expired payloads for real', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'ret' }).expect(201)).body.id as string;
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);

  const samples: Array<Awaited<ReturnType<typeof counts>> & { t: number }> = [];
  const started = Date.now();
  let published = 0;
  let lastMaintenance = started;
  while (Date.now() - started < RUN_SECONDS * 1000) {
    const tick = Date.now();
    await Promise.all(
      Array.from({ length: RATE / 2 }, () =>
        h.http
          .post(`/api/v1/app/${app}/msg`)
          .set(auth)
          .send({ eventType: 'x.y', payload: { n: published++ } })
          .expect(202),
      ),
    );
    if (Date.now() - lastMaintenance >= MAINTENANCE_EVERY_MS) {
      // What the scheduled job does; run here at test speed rather than every ten minutes.
      await runMaintenance(h.hookline.db, { messageRetentionDays: MESSAGE_SECONDS / 86400 });
      lastMaintenance = Date.now();
    }
    samples.push({ t: (Date.now() - started) / 1000, ...(await counts()) });
    await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - tick))));
  }

  // How many were published depends on the machine's load; the bounds below hold whatever the rate reached.
  expect(published).toBeGreaterThan(RATE * MESSAGE_SECONDS * 2);
  const slack = (seconds: number) => RATE * (seconds + MAINTENANCE_EVERY_MS / 1000 + 2);
  const steady = samples.filter((s) => s.t > MESSAGE_SECONDS + PGBOSS_LAG_SECONDS);
  expect(steady.length).toBeGreaterThan(5);
  for (const s of steady) {
    expect(s.payloads, `payloads at ${s.t}s`).toBeLessThanOrEqual(slack(PAYLOAD_SECONDS));
    // Two jobs per message (fan-out, delivery), kept QUEUE_SECONDS plus pg-boss's lag.
    expect(s.jobs, `pg-boss jobs at ${s.t}s`).toBeLessThanOrEqual(2 * slack(QUEUE_SECONDS + PGBOSS_LAG_SECONDS));
  }
  // Far more was published than payloads are kept.
  expect(published).toBeGreaterThan(2 * Math.max(...steady.map((s) => s.payloads)));
  // The oldest payload still stored is younger than its retention (plus one maintenance period).
  const { rows } = await sql<{ age: number | null }>`
    SELECT extract(epoch FROM now() - min(created_at))::float AS age FROM message WHERE payload IS NOT NULL`.execute(h.hookline.db);
  expect(rows[0]!.age ?? 0).toBeLessThan(PAYLOAD_SECONDS + MAINTENANCE_EVERY_MS / 1000 + 2);
}, 90_000);
