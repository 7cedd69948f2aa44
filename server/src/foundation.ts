import type { Logger } from 'pino';
import {
  bootstrapIfEmpty,
  checkMasterKeys,
  createMetrics,
  loadSecretBinding,
  openSecretBox,
  parseAllowList,
  registerQueueGauges,
  watchSecretBinding,
  type AllowList,
  type BootstrapResult,
  type Config,
  type Metrics,
  type SecretBox,
} from '@hookline/core';
import {
  connectDatabase,
  connectionSettingsOf,
  ensureQueues,
  migrateDatabase,
  resolveDatabase,
  startBoss,
  stopBoss,
  type Connection,
  type Database,
  type PgBoss,
  type PgPool,
} from '@hookline/db';

/**
 * What both the api and the worker stand on, opened once per process: the database (migrated),
 * the master keys, metrics, the producer's pg-boss and the first start's bootstrap. The standalone
 * server (startHookline) and library mode (createHookline) open it alike and add their roles.
 */
export interface Foundation {
  config: Readonly<Config>;
  logger: Logger;
  /** Where Hookline's own connections go (pg-boss, the worker's pool, LISTEN). */
  connection: Connection;
  /** The URL of that database; unset when a host's pool was handed in. */
  connectionString: string | undefined;
  /** The pool of api queries, gauges and migrations: Hookline's own, or over the host's pool. */
  db: Database;
  secretBox: SecretBox;
  allow: AllowList;
  metrics: Metrics;
  producer: PgBoss;
  /** Set when this start found an empty database and created the first tenant. */
  bootstrap: BootstrapResult | undefined;
  /** pg-boss's connections per instance, bounded by HOOKLINE_DB_POOL_SIZE. */
  bossPool: number;
  /** Logs a queue error; after `markStopping`, dropped connections are expected and logged at debug. */
  onQueueError: (err: unknown) => void;
  markStopping(): void;
  /** Closes what `openFoundation` opened (after the roles have stopped); a shared pool stays open. */
  close(): Promise<void>;
}

/**
 * The database the configuration names: DATABASE_URL, else the embedded PostgreSQL of the data
 * folder, whose own lines go to debug and what its start waits for or works around to warnings.
 */
export function resolveConfiguredDatabase(config: Readonly<Config>, logger: Logger) {
  return resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPgPort,
    onLog: (line: string) => logger.debug({ postgres: line }),
    onNotice: (message: string) => logger.warn(`embedded PostgreSQL: ${message}`),
  });
}

export async function openFoundation(config: Readonly<Config>, logger: Logger, options: { sharedPool?: PgPool; dbPoolMax: number }): Promise<Foundation> {
  // Checked first so a bad allow-list stops the process at start, not at the first delivery.
  const allow = parseAllowList(config.allowPrivateTargets);
  const { sharedPool } = options;
  // Likewise missing master keys (with a database of one's own); against the embedded database one is made.
  const secretBox = await openSecretBox(config, { embedded: !config.databaseUrl && !sharedPool });
  const database = sharedPool ? { connectionString: undefined, stop: async () => {}, embedded: false } : await resolveConfiguredDatabase(config, logger);
  if (database.embedded && database.connectionString) {
    logger.info({ dataDir: config.dataDir, port: Number(new URL(database.connectionString).port) }, 'embedded PostgreSQL ready');
  }
  const connection: Connection = sharedPool ? connectionSettingsOf(sharedPool) : database.connectionString!;
  const db = sharedPool
    ? connectDatabase({ sharedPool })
    : connectDatabase({ connectionString: database.connectionString!, max: options.dbPoolMax, preparedStatements: config.dbPreparedStatements });
  let stopWatchingBinding: (() => void) | undefined;
  let producer: PgBoss | undefined;
  let stopping = false;
  // While stopping, dropped connections are expected (a Ctrl-C also stops the embedded server).
  const onQueueError = (err: unknown) => (stopping ? logger.debug({ err }, 'queue error while stopping') : logger.error({ err }, 'queue error'));
  // pg-boss's own pools follow HOOKLINE_DB_POOL_SIZE too, so one setting bounds a process's connections.
  const bossPool = Math.max(2, Math.min(10, Math.ceil(config.dbPoolSize / 2)));
  try {
    const applied = await migrateDatabase(db, connection, {
      historyPartitionSeconds: config.historyPartitionSeconds,
      publishDefaults: { payloadRetentionDays: config.payloadRetentionDays, maxPayloadBytes: config.maxBodyBytes },
    });
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    await checkMasterKeys(db, secretBox);
    await loadSecretBinding(db, secretBox);
    const metrics = createMetrics();
    registerQueueGauges(metrics, db);
    // Until re-encryption has bound every stored secret, old formats are read; a process learns that it has within seconds.
    stopWatchingBinding = watchSecretBinding(db, secretBox, (err) => logger.warn({ err }, 'could not read whether stored secrets are bound'));
    producer = await startBoss(connection, 'producer', { max: bossPool }, onQueueError);
    await ensureQueues(producer, config);
    const bootstrap = config.bootstrap ? await bootstrapIfEmpty(db, config.adminToken) : undefined;
    const started = producer;
    const stopWatching = stopWatchingBinding;
    return {
      config,
      logger,
      connection,
      connectionString: database.connectionString,
      db,
      secretBox,
      allow,
      metrics,
      producer: started,
      bootstrap,
      bossPool,
      onQueueError,
      markStopping: () => {
        stopping = true;
        stopWatching();
      },
      close: async () => {
        stopping = true;
        stopWatching();
        await stopBoss(started, 5_000);
        await db.destroy();
        await database.stop();
      },
    };
  } catch (err) {
    stopping = true;
    stopWatchingBinding?.();
    if (producer) await stopBoss(producer, 0).catch(() => {});
    await db.destroy();
    await database.stop();
    throw err;
  }
}
