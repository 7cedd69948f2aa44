import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { RunningApi } from '@hookline/api';
import {
  bootstrapIfEmpty,
  checkMasterKeys,
  createMetrics,
  loadPortalKeyRing,
  loadSecretBinding,
  openSecretBox,
  parseAllowList,
  reencryptSecrets,
  registerQueueGauges,
  Wakeup,
  watchSecretBinding,
  type BootstrapResult,
  type Config,
  type ReencryptResult,
} from '@hookline/core';
import { connectDatabase, ensureQueues, FANOUT_WAKEUP_CHANNEL, migrateDatabase, resolveDatabase, startBoss, stopBoss, type Database, type PgBoss } from '@hookline/db';
import type { RunningWorker } from '@hookline/worker';

export { EmbeddedPostgresError } from '@hookline/db';

/**
 * The composition root: the one place that wires database, queue, api and worker together by
 * role. The api and the worker know nothing of each other; this module starts either or both.
 */
export interface Hookline {
  db: Database;
  connectionString: string;
  api?: RunningApi;
  worker?: RunningWorker;
  /** Set when this start found an empty database and created the first tenant. */
  bootstrap?: BootstrapResult;
  stop(): Promise<void>;
}

/** PostgreSQL's own lines at debug; what its start waits for or works around, as warnings. */
function embeddedLogs(logger: Logger) {
  return {
    onLog: (line: string) => logger.debug({ postgres: line }),
    onNotice: (message: string) => logger.warn(`embedded PostgreSQL: ${message}`),
  };
}

export async function migrate(config: Readonly<Config>, logger: Logger): Promise<void> {
  const database = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPgPort, ...embeddedLogs(logger) });
  const db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  try {
    const applied = await migrateDatabase(db, database.connectionString, { historyPartitionSeconds: config.historyPartitionSeconds });
    const producer = await startBoss(database.connectionString, 'producer', { max: 2 }, (err) => logger.debug({ err }, 'queue error'));
    await ensureQueues(producer, config);
    await stopBoss(producer, 0);
    logger.info({ migrations: applied }, applied.length > 0 ? 'migrations applied' : 'database is up to date');
  } finally {
    await db.destroy();
    await database.stop();
  }
}

/**
 * `hookline reencrypt`: encrypts every stored secret with the primary master key, bound to its
 * place (plaintext rows from before encryption at rest, unbound `hl1:` rows, rows of older keys),
 * so the older keys can be removed. A pass that upgraded unbound values is followed by another:
 * when that one finds none (no process of an older version wrote one meanwhile), completion is
 * recorded and unbound values are refused from then on.
 */
export async function reencrypt(config: Readonly<Config>, logger: Logger): Promise<ReencryptResult> {
  const secretBox = await openSecretBox(config, { embedded: !config.databaseUrl });
  const database = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPgPort, ...embeddedLogs(logger) });
  const db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  try {
    await migrateDatabase(db, database.connectionString, { historyPartitionSeconds: config.historyPartitionSeconds });
    await checkMasterKeys(db, secretBox);
    await loadSecretBinding(db, secretBox);
    let result = await reencryptSecrets(db, secretBox);
    if (result.done && !result.bound) {
      const again = await reencryptSecrets(db, secretBox);
      result = {
        ...again,
        secrets: result.secrets + again.secrets,
        endpoints: result.endpoints + again.endpoints,
        settings: result.settings + again.settings,
        ssoSecrets: result.ssoSecrets + again.ssoSecrets,
        unbound: result.unbound + again.unbound,
      };
    }
    // Not `secrets`: the logger redacts fields of that name.
    const { secrets, ...rest } = result;
    logger.info({ signingSecrets: secrets, ...rest, primaryKey: secretBox.primaryKeyId }, 'secrets re-encrypted');
    return result;
  } finally {
    await db.destroy();
    await database.stop();
  }
}

export async function startHookline(config: Readonly<Config>, logger: Logger): Promise<Hookline> {
  // Checked first so a bad allow-list stops the process at start, not at the first delivery.
  const allow = parseAllowList(config.allowPrivateTargets);
  // Likewise missing master keys (with DATABASE_URL); against the embedded database one is made.
  const secretBox = await openSecretBox(config, { embedded: !config.databaseUrl });
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPgPort,
    ...embeddedLogs(logger),
  });
  if (database.embedded) logger.info({ dataDir: config.dataDir, port: Number(new URL(database.connectionString).port) }, 'embedded PostgreSQL ready');
  // A worker's own queries run on workerDb (below); this pool then only migrates and reads gauges.
  const db = connectDatabase({
    connectionString: database.connectionString,
    max: config.role === 'worker' ? 2 : config.dbPoolSize,
    preparedStatements: config.dbPreparedStatements,
  });
  const applied = await migrateDatabase(db, database.connectionString, { historyPartitionSeconds: config.historyPartitionSeconds });
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  try {
    await checkMasterKeys(db, secretBox);
    await loadSecretBinding(db, secretBox);
  } catch (err) {
    await db.destroy();
    await database.stop();
    throw err;
  }
  const metrics = createMetrics();
  registerQueueGauges(metrics, db);
  // Until re-encryption has bound every stored secret, old formats are read; a process learns that it has within seconds.
  const stopWatchingBinding = watchSecretBinding(db, secretBox, (err) => logger.warn({ err }, 'could not read whether stored secrets are bound'));

  let stopping = false;
  // While stopping, dropped connections are expected (a Ctrl-C also stops the embedded server).
  const onQueueError = (err: unknown) => (stopping ? logger.debug({ err }, 'queue error while stopping') : logger.error({ err }, 'queue error'));
  // pg-boss's own pools follow HOOKLINE_DB_POOL_SIZE too, so one setting bounds a process's connections.
  const bossPool = Math.max(2, Math.min(10, Math.ceil(config.dbPoolSize / 2)));
  const producer = await startBoss(database.connectionString, 'producer', { max: bossPool }, onQueueError);
  await ensureQueues(producer, config);

  const bootstrap = config.bootstrap ? await bootstrapIfEmpty(db, config.adminToken) : undefined;

  let workerBoss: PgBoss | undefined;
  let worker: RunningWorker | undefined;
  let api: RunningApi | undefined;
  let workerDb: Database | undefined;
  if (config.role !== 'api') {
    // The worker's statements run on a pool of their own, whose prepared statements are planned
    // once, generically (see GENERIC_PLANS); the api's keep PostgreSQL's choice of plan.
    workerDb = connectDatabase({
      connectionString: database.connectionString,
      max: config.dbPoolSize,
      applicationName: 'hookline-worker',
      preparedStatements: config.dbPreparedStatements,
      genericPlans: true,
    });
    workerBoss = await startBoss(
      database.connectionString,
      'worker',
      {
        max: bossPool,
        superviseIntervalSeconds: config.superviseIntervalSeconds,
        maintenanceIntervalSeconds: config.queueMaintenanceIntervalSeconds,
        preparedStatements: config.dbPreparedStatements,
      },
      onQueueError,
    );
    // Each role loads only its own code: the other's modules stayed resident in every process.
    const { startWorker } = await import('@hookline/worker');
    worker = await startWorker({ db: workerDb, boss: workerBoss, config, logger, connectionString: database.connectionString, metrics, secretBox });
    logger.info({ concurrency: config.deliveryConcurrency }, 'worker started');
  }
  if (config.role !== 'worker') {
    const portalKeys = await loadPortalKeyRing(db, config, secretBox);
    const fanOutWakeup = new Wakeup(db, FANOUT_WAKEUP_CHANNEL, (err) => logger.debug({ err }, 'could not wake the workers; they will poll'));
    const { startApi } = await import('@hookline/api');
    api = await startApi({ db, boss: producer, config, allow, portalKeys, metrics, secretBox, fanOutWakeup }, logger);
    logger.info({ port: api.port, portal: `http://localhost:${api.port}/portal/`, ...(api.admin ? { adminPort: api.admin.port } : {}) }, 'api listening');
  }

  // A worker without the api exposes its metrics on a port of its own, when one is set.
  const metricsServer = config.role === 'worker' && config.metricsPort !== undefined ? await serveMetrics(metrics, config.host, config.metricsPort) : undefined;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopWatchingBinding();
    stopped ??= (async () => {
      // The api stops accepting connections and the worker stops taking jobs at the same moment;
      // both then finish what is in flight, within the shutdown timeout.
      await Promise.all([api ? closeApiWithin(api, config.shutdownTimeoutMs) : undefined, worker?.stop({ timeoutMs: config.shutdownTimeoutMs })]);
      metricsServer?.close();
      if (workerBoss) await stopBoss(workerBoss, 10_000);
      await stopBoss(producer, 5_000);
      await workerDb?.destroy();
      await db.destroy();
      await database.stop();
    })();
    return stopped;
  };
  return {
    db,
    connectionString: database.connectionString,
    ...(api ? { api } : {}),
    ...(worker ? { worker } : {}),
    ...(bootstrap ? { bootstrap } : {}),
    stop,
  };
}

/** Closes the api, cutting the connections of requests still running after `timeoutMs`. */
async function closeApiWithin(api: RunningApi, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = api.close();
  const timedOut = await Promise.race([
    closed.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!timedOut) return;
  api.closeAllConnections();
  await closed;
}

/** A bare HTTP server answering GET /metrics, for worker processes (they serve no API). */
async function serveMetrics(metrics: ReturnType<typeof createMetrics>, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => {
        res.setHeader('content-type', metrics.registry.contentType);
        res.end(body);
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
