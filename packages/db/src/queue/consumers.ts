import type { Job, PgBoss } from 'pg-boss';

type Settled = { id: string; status: 'completed' | 'failed'; output?: object };

/**
 * Consumes a queue one job at a time in this process (recoveries: rare, each one transaction),
 * polling every `pollIntervalSeconds` besides pg-boss's NOTIFY. A job whose `handle` throws is
 * reported to `onFailure` and failed back to pg-boss to be retried; the others are completed.
 */
export async function consumeJobs<T>(
  boss: PgBoss,
  queue: string,
  pollIntervalSeconds: number,
  handle: (job: Job<T>) => Promise<void>,
  onFailure: (job: Job<T>, err: unknown) => void,
): Promise<void> {
  const polling = { pollingIntervalSeconds: pollIntervalSeconds, notifyPollingIntervalSeconds: pollIntervalSeconds, burstWhenBatchFull: true };
  await boss.work<T>(queue, { ...polling, batchSize: 1, localConcurrency: 1, perJobResults: true }, async (jobs: Array<Job<T>>): Promise<Settled[]> =>
    Promise.all(
      jobs.map(async (job): Promise<Settled> => {
        try {
          await handle(job);
          return { id: job.id, status: 'completed' };
        } catch (err) {
          onFailure(job, err);
          return { id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } };
        }
      }),
    ),
  );
}

/**
 * Runs `handle` for the jobs of a cron schedule (UTC). pg-boss creates one job per slot for the
 * whole deployment, however many workers schedule it; a job whose `handle` throws is retried.
 */
export async function consumeSchedule(boss: PgBoss, queue: string, cron: string, handle: () => Promise<void>): Promise<void> {
  await boss.schedule(queue, cron, null, { tz: 'UTC' });
  await boss.work(queue, async () => {
    await handle();
  });
}

/** Stops consuming a queue, waiting for the jobs in hand. */
export async function stopConsuming(boss: PgBoss, queue: string): Promise<void> {
  await boss.offWork(queue, { wait: true });
}
