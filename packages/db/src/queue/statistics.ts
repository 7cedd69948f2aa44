import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { BOSS_SCHEMA } from './boss.ts';
import { jobTableOf } from './deliverJobRows.ts';
import { DELIVERY_LANES } from './jobs.ts';

/**
 * Refreshes the planner's statistics of the tables the delivery lanes' jobs live in (see
 * plannerStatisticsRepo.analyzeDeliveryTables, which calls it): without them pg-boss's fetch was
 * found sorting the whole backlog instead of walking its index.
 */
export async function analyzeDeliveryJobTables(db: Database): Promise<void> {
  // Both lanes usually share one table (see jobTableOf).
  const tables = new Set(await Promise.all(DELIVERY_LANES.map((queue) => jobTableOf(db, queue))));
  for (const table of tables) await sql`ANALYZE ${sql.table(`${BOSS_SCHEMA}.${table}`)}`.execute(db);
}
