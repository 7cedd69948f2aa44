import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../connect.ts';
import { BOSS_SCHEMA } from './boss.ts';
import { JOBS } from './jobs.ts';

/** Jobs ready to run in one queue, and the age in seconds of the oldest (null: none). */
export interface QueueBacklog {
  name: string;
  ready: number;
  oldest: number | null;
}

/** Ready jobs per queue (those with none are left out), read from pg-boss's table: the figures hold across every process. */
export async function readQueueBacklog(db: Database): Promise<QueueBacklog[]> {
  const { rows } = await sql<QueueBacklog>`
        SELECT name, count(*)::int AS ready, extract(epoch FROM now() - min(created_on))::float8 AS oldest
        FROM ${sql.table(`${BOSS_SCHEMA}.job`)}
        WHERE state IN ('created', 'retry') AND start_after <= now()
        GROUP BY name`.execute(db);
  return rows;
}

/** Whether the delivery queue exists and pg-boss's tables answer (readiness). */
export async function queueReachable(boss: PgBoss): Promise<boolean> {
  return Boolean(await boss.getQueue(JOBS.deliver));
}
