import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { createHttpSender, fanOutMessage, JOBS, MAINTENANCE_CRON, parseAllowList, runMaintenance, type Config, type DeliverJob, type FanOutJob } from '@hookline/core';
import type { Database } from '@hookline/db';
import { deliver } from './deliver.ts';
import { settleInTransaction } from './settle.ts';

export interface WorkerDeps {
  db: Database;
  /** A started pg-boss instance created for the worker role. */
  boss: PgBoss;
  config: Readonly<Config>;
  logger: Logger;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

type Settled = { id: string; status: 'completed' | 'failed'; output?: object };

/** Runs `handle` for each job of a batch concurrently; one failing job fails only itself. */
function perJob<T>(logger: Logger, what: string, handle: (job: Job<T>) => Promise<void>) {
  return async (jobs: Job<T>[]): Promise<Settled[]> =>
    Promise.all(jobs.map(async (job): Promise<Settled> => {
      try {
        await handle(job);
        return { id: job.id, status: 'completed' };
      } catch (err) {
        logger.warn({ err, jobId: job.id, data: job.data }, `${what} failed; it will be retried`);
        return { id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } };
      }
    }));
}

/** Registers the fan-out and delivery consumers. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { db, boss, config, logger } = deps;
  const sender = createHttpSender({
    allow: parseAllowList(config.allowPrivateTargets),
    timeoutMs: config.deliveryTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxResponseBytes: config.responseMaxBytes,
  });
  const polling = {
    pollingIntervalSeconds: config.pollIntervalSeconds,
    notifyPollingIntervalSeconds: config.pollIntervalSeconds,
    burstWhenBatchFull: true,
  };

  await boss.work<FanOutJob>(JOBS.fanOut, { ...polling, batchSize: 20, localConcurrency: 2, perJobResults: true },
    perJob(logger, 'fan-out', async (job) => {
      const count = await fanOutMessage(db, boss, job.data, settleInTransaction(boss, JOBS.fanOut, job));
      logger.debug({ msgId: job.data.msgId, endpoints: count }, 'fanned out');
    }));

  // Deliveries are I/O-bound: several pollers, each taking a batch and sending it concurrently.
  const pollers = Math.min(4, config.deliveryConcurrency);
  await boss.work<DeliverJob>(JOBS.deliver, {
    ...polling,
    batchSize: Math.max(1, Math.ceil(config.deliveryConcurrency / pollers)),
    localConcurrency: pollers,
    perJobResults: true,
  }, perJob(logger, 'delivery', (job) => deliver({ db, boss, config, sender, logger }, job)));

  // One schedule for the deployment: pg-boss creates one job per slot however many workers run.
  await boss.schedule(JOBS.maintenance, MAINTENANCE_CRON, null, { tz: 'UTC' });
  await boss.work(JOBS.maintenance, async () => {
    const result = await runMaintenance(db);
    logger.info(result, 'maintenance done');
  });

  return {
    async stop() {
      await boss.offWork(JOBS.maintenance, { wait: true });
      await boss.offWork(JOBS.fanOut, { wait: true });
      await boss.offWork(JOBS.deliver, { wait: true });
      await sender.close();
    },
  };
}
