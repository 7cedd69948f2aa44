import { PgBoss } from 'pg-boss';
import { connectionSettings, type Connection } from '../connect.ts';
import { GENERIC_PLANS, preparingClient } from '../preparedStatements.ts';

/** pg-boss's types, for code that holds an instance or a fetched job without knowing pg-boss. */
export type { Job, PgBoss } from 'pg-boss';

/** pg-boss's schema in Hookline's database; only this folder (the queue's door) names it. */
export const BOSS_SCHEMA = 'pgboss';

/**
 * A pg-boss instance in Hookline's database. Producers (the api) need no maintenance or schedules;
 * workers run supervision and listen for NOTIFY so a published message is picked up at once.
 * A worker's pool runs pg-boss's statements as prepared ones with generic plans, as the worker's own
 * pool does (connectDatabase): its fetch, run for every few deliveries, took 0.56 ms to plan and
 * 0.17 ms to run. pg-boss hands its options to pg.Pool, which takes the client class from them.
 */
export function createBoss(
  connection: Connection,
  role: 'producer' | 'worker',
  options: { max?: number; superviseIntervalSeconds?: number; maintenanceIntervalSeconds?: number; preparedStatements?: boolean } = {},
): PgBoss {
  const worker = role === 'worker';
  const prepared = worker && (options.preparedStatements ?? true);
  const pool = prepared ? { Client: preparingClient(GENERIC_PLANS) } : {};
  const boss = new PgBoss({
    ...connectionSettings(connection),
    schema: BOSS_SCHEMA,
    max: options.max ?? (worker ? 10 : 5),
    migrate: false,
    supervise: worker,
    // Supervision finds jobs whose worker died (no heartbeat); it runs on one instance at a time.
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    // Deletes finished jobs past their queue's retention, keeping pg-boss's table bounded.
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 300,
    schedule: worker,
    useListenNotify: worker,
    application_name: `hookline-${role}`,
    instanceName: `hookline-${role}`,
    ...pool,
  });
  return boss;
}

/** createBoss, started; its errors (a lost connection…) go to `onError`. */
export async function startBoss(
  connection: Connection,
  role: 'producer' | 'worker',
  options: Parameters<typeof createBoss>[2],
  onError: (err: unknown) => void,
): Promise<PgBoss> {
  const boss = createBoss(connection, role, options);
  boss.on('error', onError);
  await boss.start();
  return boss;
}

/** Stops an instance, waiting up to `timeoutMs` for the jobs its consumers hold (0: at once). */
export async function stopBoss(boss: PgBoss, timeoutMs: number): Promise<void> {
  await boss.stop(timeoutMs > 0 ? { graceful: true, timeout: timeoutMs } : { graceful: false });
}

/** Creates or upgrades pg-boss's schema (its own migrations), as part of migrateDatabase. */
export async function installQueueSchema(connection: Connection): Promise<void> {
  const boss = new PgBoss({ ...connectionSettings(connection), schema: BOSS_SCHEMA, supervise: false, schedule: false, registerInstance: false, max: 2 });
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false });
}
