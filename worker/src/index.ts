import { randomUUID } from 'node:crypto';
import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { createHttpSender, DELIVERY_WAKEUP_CHANNEL, FANOUT_WAKEUP_CHANNEL, fanOutJob, JOBS, MAINTENANCE_CRON, parseAllowList, PlannerStatistics, runMaintenance, Wakeup, type Config, type FanOutJob, type Metrics, type RecoverJob, type SecretBox } from '@hookline/core';
import type { Database } from '@hookline/db';
import { deliver } from './deliver.ts';
import { DeliveryLoop } from './deliveryLoop.ts';
import { FanOutLoop } from './fanOutLoop.ts';
import { DeliveryLoader } from './deliveryLoader.ts';
import { GroupCommit } from './groupCommit.ts';
import { listenForWakeups } from './wakeups.ts';
import { recover } from './recoveryJob.ts';
import { settleInTransaction } from './settle.ts';

export interface WorkerDeps {
  db: Database;
  /** A started pg-boss instance created for the worker role. */
  boss: PgBoss;
  config: Readonly<Config>;
  logger: Logger;
  /** For the dedicated LISTEN connection that wakes the delivery loop. */
  connectionString: string;
  metrics: Metrics;
  /** Decrypts endpoint secrets and header values; the maintenance job re-encrypts with its primary key. */
  secretBox: SecretBox;
}

export interface RunningWorker {
  /** Stops taking jobs; waits up to `timeoutMs` for deliveries in flight, then abandons them to be retried. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
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
        // The job's ids (tenant, message, endpoint…) at the top level, like every line about them.
        const fields: Record<string, unknown> = { err, jobId: job.id, ...(job.data as object), trace: undefined };
        logger.warn(fields, `${what} failed; it will be retried`);
        return { id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } };
      }
    }));
}

/** Registers the fan-out and delivery consumers. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { db, boss, config, logger, connectionString } = deps;
  const sender = createHttpSender({
    allow: parseAllowList(config.allowPrivateTargets),
    timeoutMs: config.deliveryTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxResponseBytes: config.responseMaxBytes,
    // Endpoints that share a host must not share a small connection pool: the loop's own limits
    // (per process and per endpoint) are what bound concurrency.
    connectionsPerOrigin: config.deliveryConcurrency,
  });
  const polling = {
    pollingIntervalSeconds: config.pollIntervalSeconds,
    notifyPollingIntervalSeconds: config.pollIntervalSeconds,
    burstWhenBatchFull: true,
  };

  const commits = new GroupCommit(db);
  const loader = new DeliveryLoader(db, deps.secretBox);
  const deliveries = new DeliveryLoop(boss, logger, {
    capacity: config.deliveryConcurrency,
    perEndpoint: config.endpointConcurrency,
    pollIntervalMs: config.pollIntervalSeconds * 1000,
  }, (job) => deliver({ db, boss, config, sender, logger, metrics: deps.metrics, loader, commits }, job));
  deliveries.start();
  // Deliveries a fan-out made: this worker starts on them at once, the others hear of them by a
  // NOTIFY sent after the fan-out's commit.
  const self = `worker-${randomUUID()}`;
  const deliveryWakeup = new Wakeup(db, DELIVERY_WAKEUP_CHANNEL, (err) => logger.debug({ err }, 'could not wake the other workers; they will poll'), self);
  const statistics = new PlannerStatistics(db, { onError: (err) => logger.warn({ err }, 'could not refresh the statistics of the delivery tables') });
  const fanOut = new FanOutLoop({ db, boss, logger }, config.pollIntervalSeconds * 1000, (count, healthy) => {
    deliveries.wakeFor(healthy);
    deliveryWakeup.wake();
    statistics.noteDeliveries(count);
  });
  fanOut.start();
  // Fan-out jobs that a version before the pending-fan-out table enqueued (none are written now).
  await boss.work<FanOutJob>(JOBS.fanOut, { ...polling, batchSize: 1, localConcurrency: 1, perJobResults: true },
    perJob(logger, 'fan-out', (job) => fanOutJob(db, boss, job.data, settleInTransaction(boss, JOBS.fanOut, job)).then(() => {})));

  const wakeups = listenForWakeups(connectionString, logger, {
    [DELIVERY_WAKEUP_CHANNEL]: () => deliveries.wake(),
    [FANOUT_WAKEUP_CHANNEL]: () => fanOut.wake(),
  }, self);

  // Recoveries are rare and each runs in one transaction: one at a time per worker is plenty.
  const recoverDeps = { db, boss, logger, maxDeliveries: config.recoverMaxDeliveries };
  for (const queue of [JOBS.recover, JOBS.recoverAwait]) {
    await boss.work<RecoverJob>(queue, { ...polling, batchSize: 1, localConcurrency: 1, perJobResults: true },
      perJob(logger, 'recover', (job) => recover(recoverDeps, job)));
  }

  // One schedule for the deployment: pg-boss creates one job per slot however many workers run.
  await boss.schedule(JOBS.maintenance, MAINTENANCE_CRON, null, { tz: 'UTC' });
  await boss.work(JOBS.maintenance, async () => {
    const result = await runMaintenance(db, { messageRetentionDays: config.messageRetentionDays, secretBox: deps.secretBox });
    logger.info(result, 'maintenance done');
  });

  return {
    async stop(options = {}) {
      // The delivery loop stops fetching at once, while the other consumers wind down.
      const draining = deliveries.stop(options.timeoutMs);
      await Promise.all([
        boss.offWork(JOBS.maintenance, { wait: true }),
        boss.offWork(JOBS.recover, { wait: true }),
        boss.offWork(JOBS.recoverAwait, { wait: true }),
        wakeups.close(),
        fanOut.stop(),
        boss.offWork(JOBS.fanOut, { wait: true }),
      ]);
      const { abandoned } = await draining;
      // Abandoned requests are not waited for: the process exits under them.
      if (abandoned === 0) await sender.close();
      else void sender.close();
    },
  };
}
