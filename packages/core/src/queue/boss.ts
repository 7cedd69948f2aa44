import { PgBoss } from 'pg-boss';
import { BOSS_SCHEMA } from '@hookline/db';

/**
 * A pg-boss instance in Hookline's database. Producers (the api) need no maintenance or schedules;
 * workers run supervision and listen for NOTIFY so a published message is picked up at once.
 */
export function createBoss(
  connectionString: string,
  role: 'producer' | 'worker',
  options: { max?: number; superviseIntervalSeconds?: number; maintenanceIntervalSeconds?: number } = {},
): PgBoss {
  const worker = role === 'worker';
  const boss = new PgBoss({
    connectionString,
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
  });
  return boss;
}
