import type { Logger } from 'pino';
import type { ApiApp } from '@hookline/api';
import { ConfigError, createLogger, LOG_REDACT_PATHS, type BootstrapResult, type Config, type Metrics } from '@hookline/core';
import { callPublishFunction, type KyselyExecutor, type PgPool, type PgQueryable } from '@hookline/db';
import { apiInputsOf } from './apiRole.ts';
import { openFoundation } from './foundation.ts';
import { libraryConfig, type LibraryConfigSource } from './libraryConfig.ts';
import { startWorkerRole, type WorkerRole } from './workerRole.ts';

// Library mode (docs/library-mode.md): Hookline inside the host application's own process, the
// same pieces as the standalone server (foundation.ts, apiRole.ts, workerRole.ts) without a listener.

export interface CreateHooklineOptions extends LibraryConfigSource {
  /**
   * The host's pg pool: the api's queries run on it, and close() leaves it open. Hookline still
   * opens connections of its own with the pool's settings (pg-boss, and the worker's pool and
   * LISTEN connection when the worker runs here).
   */
  pool?: PgPool | undefined;
  /** The host's pino logger; Hookline logs through a child of it, with its credential fields redacted. */
  logger?: Logger | undefined;
  /** Also serve the operator's routes (/admin/v1, /metrics) on the router. Default: not served. */
  operator?: boolean | undefined;
  /** The tenant `publish` uses when its input names none (a host with one tenant). */
  tenantId?: string | undefined;
}

/** What `publish` takes: the tenant, the application (id or uid) and the API's message fields. */
export interface PublishInput {
  /** Default: `createHookline`'s `tenantId`. */
  tenantId?: string;
  /** Application id or uid. */
  app: string;
  eventType: string;
  payload: unknown;
  eventId?: string;
  channels?: string[];
  tags?: string[];
  idempotencyKey?: string;
  /** Creates the application when `app` names none yet, as the API's `application` field does. */
  application?: { name: string; uid?: string };
}

export interface HooklineLibrary {
  /** An Express app to mount: `app.use('/webhooks', hookline.router)`. The tenant API, the portal, health. */
  router: ApiApp;
  /** The delivery worker, in this process (`start()`) or left to `hookline start --role worker` processes. */
  worker: {
    start(): Promise<void>;
    /** Stops taking jobs; deliveries in flight get HOOKLINE_SHUTDOWN_TIMEOUT_MS, then go back to the queue. */
    stop(): Promise<void>;
    readonly running: boolean;
  };
  /**
   * Publishes a message inside the caller's transaction (a pg client inside BEGIN, or a Kysely
   * `Transaction`), through the SQL function `hookline.publish`: it exists exactly when that
   * transaction commits, and the workers are woken then. Returns the message id.
   */
  publish(trx: PgQueryable | KyselyExecutor, input: PublishInput): Promise<string>;
  /** Stops the worker if it runs here, then closes what createHookline opened (never a pool handed in). */
  close(): Promise<void>;
  /** Prometheus metrics of this Hookline, for the host to expose where it likes. */
  metrics: Metrics['registry'];
  /** The settings in force. */
  config: Readonly<Config>;
  /** Set when this start found an empty database: the first tenant, its API key and the first owner's invitation. */
  bootstrap: BootstrapResult | undefined;
}

/**
 * Hookline as a library: migrates the database, then returns a router to mount, a worker to start
 * or leave to other processes, `publish` inside the host's transactions, and `close`.
 *
 * @example
 * const hookline = await createHookline({ pool, settings: { HOOKLINE_ENCRYPTION_KEYS: keys } });
 * app.use('/webhooks', hookline.router);
 * await hookline.worker.start();
 * await pool.query('BEGIN'); // … your INSERT, then:
 * await hookline.publish(client, { tenantId, app: 'acme', eventType: 'invoice.paid', payload });
 */
export async function createHookline(options: CreateHooklineOptions = {}): Promise<HooklineLibrary> {
  if (options.pool && options.databaseUrl) throw new ConfigError('createHookline: give either pool or databaseUrl, not both');
  const { config, trustProxyGiven } = libraryConfig(options);
  const logger = options.logger
    ? options.logger.child({ component: 'hookline' }, { redact: { paths: [...LOG_REDACT_PATHS], censor: '[Redacted]' } })
    : createLogger(config.logLevel);
  const foundation = await openFoundation(config, logger, { ...(options.pool ? { sharedPool: options.pool } : {}), dbPoolMax: config.dbPoolSize });
  let closed = false;
  let mounted: { app: ApiApp; close(): Promise<void> };
  try {
    const { createMountableApi } = await import('@hookline/api');
    mounted = createMountableApi(await apiInputsOf(foundation), logger, {
      operator: options.operator ?? false,
      inheritTrustProxy: !trustProxyGiven,
      available: () => !closed,
    });
  } catch (err) {
    await foundation.close();
    throw err;
  }

  let role: WorkerRole | undefined;
  let starting: Promise<void> | undefined;
  const stopWorker = async (): Promise<void> => {
    const pending = starting;
    starting = undefined;
    await pending?.catch(() => {});
    const running = role;
    role = undefined;
    await running?.stop(config.shutdownTimeoutMs);
  };

  let closing: Promise<void> | undefined;
  return {
    router: mounted.app,
    worker: {
      start: () => {
        if (closed) return Promise.reject(new Error('this Hookline is closed'));
        starting ??= startWorkerRole(foundation).then(
          (started) => {
            role = started;
          },
          (err: unknown) => {
            starting = undefined;
            throw err;
          },
        );
        return starting;
      },
      stop: stopWorker,
      get running() {
        return role !== undefined;
      },
    },
    publish: (trx, input) => {
      const { tenantId = options.tenantId, app, eventType, payload, ...rest } = input;
      if (!tenantId) return Promise.reject(new TypeError('publish: no tenantId given, and createHookline has no tenantId option'));
      return callPublishFunction(trx, { tenantId, app, eventType, payload, options: rest });
    },
    close: () => {
      closed = true;
      closing ??= (async () => {
        foundation.markStopping();
        await stopWorker();
        await mounted.close();
        await foundation.close();
      })();
      return closing;
    },
    metrics: foundation.metrics.registry,
    config,
    bootstrap: foundation.bootstrap,
  };
}
