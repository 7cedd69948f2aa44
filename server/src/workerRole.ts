import type { RunningWorker } from '@hookline/worker';
import { connectDatabase, connectionSettings, startBoss, stopBoss, type Database, type PgBoss } from '@hookline/db';
import type { Foundation } from './foundation.ts';

/** A started worker with the pools it opened. */
export interface WorkerRole {
  worker: RunningWorker;
  /** Stops taking jobs, finishes or hands back what is in flight, and closes the worker's pools. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Starts the worker on `foundation`: its statements run on a pool of their own, whose prepared
 * statements are planned once, generically (see GENERIC_PLANS); the api's keep PostgreSQL's choice
 * of plan. Its pg-boss instance supervises and listens for NOTIFY.
 */
export async function startWorkerRole(foundation: Foundation): Promise<WorkerRole> {
  const { config, logger, connection } = foundation;
  const workerDb: Database = connectDatabase({
    connection: connectionSettings(connection),
    max: config.dbPoolSize,
    applicationName: 'hookline-worker',
    preparedStatements: config.dbPreparedStatements,
    genericPlans: true,
  });
  let workerBoss: PgBoss | undefined;
  try {
    workerBoss = await startBoss(
      connection,
      'worker',
      {
        max: foundation.bossPool,
        superviseIntervalSeconds: config.superviseIntervalSeconds,
        maintenanceIntervalSeconds: config.queueMaintenanceIntervalSeconds,
        preparedStatements: config.dbPreparedStatements,
      },
      foundation.onQueueError,
    );
    // Each role loads only its own code: the other's modules stayed resident in every process.
    const { startWorker } = await import('@hookline/worker');
    const worker = await startWorker({ db: workerDb, boss: workerBoss, config, logger, connection, metrics: foundation.metrics, secretBox: foundation.secretBox });
    logger.info({ concurrency: config.deliveryConcurrency }, 'worker started');
    const boss = workerBoss;
    return {
      worker,
      stop: async (timeoutMs) => {
        await worker.stop({ timeoutMs });
        await stopBoss(boss, 10_000);
        await workerDb.destroy();
      },
    };
  } catch (err) {
    if (workerBoss) await stopBoss(workerBoss, 0).catch(() => {});
    await workerDb.destroy();
    throw err;
  }
}
