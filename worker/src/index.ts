import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  createHttpSender,
  OAuthTokens,
  createNoticeSenders,
  DeliveryLoader,
  GroupCommit,
  mtlsLoader,
  parseAllowList,
  PlannerStatistics,
  runMaintenance,
  Transformer,
  Wakeup,
  type Config,
  type Metrics,
  type SecretBox,
} from '@hookline/core';
import {
  consumeJobs,
  consumeSchedule,
  DELIVERY_WAKEUP_CHANNEL,
  FANOUT_WAKEUP_CHANNEL,
  JOBS,
  maintenanceCron,
  stopConsuming,
  type Connection,
  type Database,
  type PgBoss,
  type RecoverJob,
  type ExpungeContentsJob,
  type NoticeJob,
  type ReplayJob,
} from '@hookline/db';
import { deliver } from './deliver.ts';
import { DeliveryLoop } from './deliveryLoop.ts';
import { FanOutLoop } from './fanOutLoop.ts';
import { listenForWakeups } from './wakeups.ts';
import { recover } from './recoveryJob.ts';
import { expungeContents } from './expungeContentsJob.ts';
import { replay } from './replayJob.ts';
import { noticeSender } from './noticeJob.ts';

export interface WorkerDeps {
  db: Database;
  /** A started pg-boss instance created for the worker role. */
  boss: PgBoss;
  config: Readonly<Config>;
  logger: Logger;
  /** For the dedicated LISTEN connection that wakes the delivery loop. */
  connection: Connection;
  metrics: Metrics;
  /** Decrypts endpoint secrets and header values; the maintenance job re-encrypts with its primary key. */
  secretBox: SecretBox;
}

export interface RunningWorker {
  /** Stops taking jobs; waits up to `timeoutMs` for deliveries in flight, then abandons them to be retried. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** Registers the fan-out and delivery consumers. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { db, boss, config, logger, connection } = deps;
  const sender = createHttpSender({
    allow: parseAllowList(config.allowPrivateTargets),
    timeoutMs: config.deliveryTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxResponseBytes: config.responseMaxBytes,
    // Endpoints that share a host must not share a small connection pool: the loop's own limits
    // (per process and per endpoint) are what bound concurrency.
    connectionsPerOrigin: config.deliveryConcurrency,
    ...(config.egressProxy ? { proxy: config.egressProxy } : {}),
    mtls: mtlsLoader(db, deps.secretBox),
  });
  const commits = new GroupCommit(db);
  const loader = new DeliveryLoader(db, deps.secretBox);
  const transformer = new Transformer(db);
  const tokens = new OAuthTokens((req) => sender.send(req));
  const deliveries = new DeliveryLoop(
    boss,
    logger,
    {
      capacity: config.deliveryConcurrency,
      perEndpoint: config.endpointConcurrency,
      pollIntervalMs: config.pollIntervalSeconds * 1000,
    },
    (job) => deliver({ db, boss, config, sender, logger, metrics: deps.metrics, loader, commits, transformer, tokens }, job),
  );
  deliveries.start();
  // Deliveries a fan-out made: this worker starts on them at once, the others hear of them by a
  // NOTIFY sent after the fan-out's commit.
  const self = `worker-${randomUUID()}`;
  const deliveryWakeup = new Wakeup(db, DELIVERY_WAKEUP_CHANNEL, (err) => logger.debug({ err }, 'could not wake the other workers; they will poll'), self);
  const statistics = new PlannerStatistics(db, { onError: (err) => logger.warn({ err }, 'could not refresh the statistics of the delivery tables') });
  const fanOut = new FanOutLoop({ db, boss, logger, worker: self }, config.pollIntervalSeconds * 1000, (count, healthy) => {
    deliveries.wakeFor(healthy);
    deliveryWakeup.wake();
    statistics.noteDeliveries(count);
  });
  fanOut.start();

  const wakeups = listenForWakeups(
    connection,
    logger,
    {
      [DELIVERY_WAKEUP_CHANNEL]: () => deliveries.wake(),
      [FANOUT_WAKEUP_CHANNEL]: () => fanOut.wake(),
    },
    self,
  );

  // Recoveries are rare and each runs in one transaction: one at a time per worker is plenty.
  const recoverDeps = { db, boss, logger, maxDeliveries: config.recoverMaxDeliveries };
  for (const queue of [JOBS.recover, JOBS.recoverAwait]) {
    await consumeJobs<RecoverJob>(
      boss,
      queue,
      config.pollIntervalSeconds,
      (job) => recover(recoverDeps, job),
      (job, err) => {
        // The job's ids (tenant, task, endpoint…) at the top level, like every line about them.
        logger.warn({ err, jobId: job.id, ...job.data }, 'recover failed; it will be retried');
      },
    );
  }

  // Replays run one batch per job (REPLAY_BATCH), so one at a time per worker keeps them from crowding out deliveries.
  await consumeJobs<ReplayJob>(
    boss,
    JOBS.replay,
    config.pollIntervalSeconds,
    (job) => replay({ db, boss, logger }, job),
    (job, err) => {
      logger.warn({ err, jobId: job.id, ...job.data }, 'replay failed; it will be retried');
    },
  );

  // Expunge-all-contents runs one batch per job (EXPUNGE_ALL_BATCH), one at a time per worker, like replays.
  await consumeJobs<ExpungeContentsJob>(
    boss,
    JOBS.expungeContents,
    config.pollIntervalSeconds,
    (job) => expungeContents({ db, boss, logger }, job),
    (job, err) => {
      logger.warn({ err, jobId: job.id, ...job.data }, 'expunge-all-contents failed; it will be retried');
    },
  );

  // Failure notices to customers, one at a time per worker: a slow SMTP server or chat service holds
  // this queue only, never deliveries.
  const noticeSenders = createNoticeSenders(config, parseAllowList(config.allowPrivateTargets));
  await consumeJobs<NoticeJob>(
    boss,
    JOBS.notice,
    config.pollIntervalSeconds,
    noticeSender({ db, secretBox: deps.secretBox, senders: noticeSenders, logger }),
    (job, err) => {
      // The message names no credential (NoticeSendError); the job's ids say which notice it was.
      const { tenantId, appId, endpointId, kind, target } = job.data;
      logger.warn(
        { error: err instanceof Error ? err.message : String(err), jobId: job.id, tenantId, appId, endpointId, kind, target },
        'failure notice not sent; it will be retried',
      );
    },
  );

  // One schedule for the deployment: pg-boss creates one job per slot however many workers run.
  await consumeSchedule(boss, JOBS.maintenance, maintenanceCron(config.maintenanceIntervalMinutes), async () => {
    const result = await runMaintenance(db, {
      messageRetentionDays: config.messageRetentionDays,
      auditRetentionDays: config.auditRetentionDays,
      historyPartitionSeconds: config.historyPartitionSeconds,
      secretBox: deps.secretBox,
    });
    logger.info(result, 'maintenance done');
  });

  return {
    async stop(options = {}) {
      // The delivery loop stops fetching at once, while the other consumers wind down.
      const draining = deliveries.stop(options.timeoutMs);
      await Promise.all([
        stopConsuming(boss, JOBS.maintenance),
        stopConsuming(boss, JOBS.recover),
        stopConsuming(boss, JOBS.recoverAwait),
        stopConsuming(boss, JOBS.replay),
        stopConsuming(boss, JOBS.expungeContents),
        stopConsuming(boss, JOBS.notice),
        wakeups.close(),
        fanOut.stop(),
      ]);
      const { abandoned } = await draining;
      // Abandoned requests are not waited for: the process exits under them.
      if (abandoned === 0) await sender.close();
      else void sender.close();
      await transformer.close();
      await noticeSenders.close();
    },
  };
}
