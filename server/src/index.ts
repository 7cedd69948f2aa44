import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { RunningApi } from '@hookline/api';
import {
  checkMasterKeys,
  createMetrics,
  loadSecretBinding,
  openSecretBox,
  reencryptSecrets,
  type BootstrapResult,
  type Config,
  type ReencryptResult,
} from '@hookline/core';
import { connectDatabase, ensureQueues, migrateDatabase, startBoss, stopBoss, type Database } from '@hookline/db';
import type { RunningWorker } from '@hookline/worker';
import { apiInputsOf } from './apiRole.ts';
import { openFoundation, resolveConfiguredDatabase } from './foundation.ts';
import { startWorkerRole, type WorkerRole } from './workerRole.ts';

export { EmbeddedPostgresError } from '@hookline/db';
export { createHookline, type CreateHooklineOptions, type HooklineLibrary, type PublishInput } from './library.ts';

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

export async function migrate(config: Readonly<Config>, logger: Logger): Promise<void> {
  const database = await resolveConfiguredDatabase(config, logger);
  const db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  try {
    const applied = await migrateDatabase(db, database.connectionString, {
      historyPartitionSeconds: config.historyPartitionSeconds,
      publishDefaults: { payloadRetentionDays: config.payloadRetentionDays, maxPayloadBytes: config.maxBodyBytes },
    });
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
  const database = await resolveConfiguredDatabase(config, logger);
  const db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  try {
    await migrateDatabase(db, database.connectionString, {
      historyPartitionSeconds: config.historyPartitionSeconds,
      publishDefaults: { payloadRetentionDays: config.payloadRetentionDays, maxPayloadBytes: config.maxBodyBytes },
    });
    await checkMasterKeys(db, secretBox);
    await loadSecretBinding(db, secretBox);
    let result = await reencryptSecrets(db, secretBox);
    if (result.done && !result.bound) {
      const again = await reencryptSecrets(db, secretBox);
      result = {
        ...again,
        secrets: result.secrets + again.secrets,
        endpoints: result.endpoints + again.endpoints,
        endpointCredentials: result.endpointCredentials + again.endpointCredentials,
        integrationKeys: result.integrationKeys + again.integrationKeys,
        mtlsKeys: result.mtlsKeys + again.mtlsKeys,
        noticeChatUrls: result.noticeChatUrls + again.noticeChatUrls,
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
  // A worker's own queries run on its pool (workerRole.ts); this one then only migrates and reads gauges.
  const foundation = await openFoundation(config, logger, { dbPoolMax: config.role === 'worker' ? 2 : config.dbPoolSize });
  const { db } = foundation;

  let workerRole: WorkerRole | undefined;
  let api: RunningApi | undefined;
  try {
    if (config.role !== 'api') workerRole = await startWorkerRole(foundation);
    if (config.role !== 'worker') {
      const { startApi } = await import('@hookline/api');
      api = await startApi(await apiInputsOf(foundation), logger);
      logger.info(
        { port: api.port, portal: `${config.tls ? 'https' : 'http'}://localhost:${api.port}/portal/`, ...(api.admin ? { adminPort: api.admin.port } : {}) },
        'api listening',
      );
    }
  } catch (err) {
    foundation.markStopping();
    await workerRole?.stop(0);
    await foundation.close();
    throw err;
  }

  // A worker without the api exposes its metrics on a port of its own, when one is set.
  const metricsServer =
    config.role === 'worker' && config.metricsPort !== undefined ? await serveMetrics(foundation.metrics, config.host, config.metricsPort) : undefined;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    foundation.markStopping();
    stopped ??= (async () => {
      // The api stops accepting connections and the worker stops taking jobs at the same moment;
      // both then finish what is in flight, within the shutdown timeout.
      await Promise.all([api ? closeApiWithin(api, config.shutdownTimeoutMs) : undefined, workerRole?.stop(config.shutdownTimeoutMs)]);
      metricsServer?.close();
      await foundation.close();
    })();
    return stopped;
  };
  return {
    db,
    connectionString: foundation.connectionString!,
    ...(api ? { api } : {}),
    ...(workerRole ? { worker: workerRole.worker } : {}),
    ...(foundation.bootstrap ? { bootstrap: foundation.bootstrap } : {}),
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
