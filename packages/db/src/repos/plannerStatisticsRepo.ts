import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { analyzeDeliveryJobTables } from '../queue/statistics.ts';

/**
 * Refreshes PostgreSQL's statistics of the tables a burst of deliveries fills: message,
 * message_delivery and pg-boss's tables of the delivery queues (analyzeDeliveryJobTables). Until autovacuum
 * gets to them (a minute or more; on a large table a burst may never reach its threshold), the
 * planner still sees them as they were: the bench found pg-boss's fetch sorting the whole backlog
 * (220 ms instead of a walk of its index) and a delivery update scanning all of message_delivery.
 * ANALYZE reads a sample of fixed size (30,000 rows by default), whatever the table's size.
 */
export async function analyzeDeliveryTables(db: Database): Promise<void> {
  await sql`ANALYZE message, message_delivery`.execute(db);
  await analyzeDeliveryJobTables(db);
}
