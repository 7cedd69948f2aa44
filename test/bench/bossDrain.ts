// Baseline for delivery (scenario 3): how fast pg-boss alone drains JOBS no-op jobs from one
// process in the bench's database: the queue's own ceiling. Prints one JSON line with the rate.
import { createBoss } from '@hookline/db';
import { wallNow } from './stats.ts';

const jobs = Number(process.env.JOBS ?? 20_000);
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 120_000);
const queue = 'bench.noop';
const boss = createBoss(process.env.DATABASE_URL!, 'worker', { max: 10 });
boss.on('error', (err) => console.error('pg-boss error', err));
await boss.start();
await boss.createQueue(queue);
for (let i = 0; i < jobs; i += 500) {
  await boss.insert(
    queue,
    Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({ data: { n: i + k } })),
  );
}

let done = 0;
const start = wallNow();
let finished = wallNow();
await new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, timeoutMs);
  // The same fetch size as Hookline's delivery loop (100), with pg-boss's fastest drain settings.
  void boss.work(queue, { batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 }, async (batch) => {
    done += batch.length;
    if (done >= jobs) {
      finished = wallNow();
      clearTimeout(timer);
      setImmediate(resolve);
    }
  });
});
if (done < jobs) finished = wallNow();
console.log(JSON.stringify({ jobs: done, seconds: (finished - start) / 1000, perSecond: (done * 1000) / (finished - start) }));
await boss.stop({ graceful: false });
process.exit(0);
