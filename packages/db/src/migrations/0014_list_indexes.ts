import { sql, type Kysely } from 'kysely';

// Indexes for the list queries that read a big table without one (packages/db/test/listQueryPlans.test.ts
// EXPLAINs every list at 1,000,000 attempts):
// - messages filtered by event type (`?event_types=` on the message list, the portal's filter, and
//   the attempt lists' event-type filter): without it a rare type scans the application's messages;
// - an endpoint's delivery counts by status (stats, the portal's chart): with `status` and the
//   `tenant_id` every scoped query filters on in the index, an index-only scan answers it instead
//   of a sequential scan of message_delivery. It replaces message_delivery_endpoint_idx (same key).
//
// @migration-safe index-on-big-table: CREATE INDEX blocks writes to message / message_delivery (not
// reads) while it builds: seconds at a million rows. Migrations run in one transaction, where
// CONCURRENTLY is not allowed; on a large database, create these indexes first by hand with
// `CREATE INDEX CONCURRENTLY` and the same names and definitions: IF NOT EXISTS then skips them
// here. Old processes run unchanged queries against either index set.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX IF NOT EXISTS message_app_event_type_idx ON message (app_id, event_type, id);
    CREATE INDEX IF NOT EXISTS message_delivery_endpoint_status_idx ON message_delivery (endpoint_id, msg_id) INCLUDE (tenant_id, status);
    DROP INDEX IF EXISTS message_delivery_endpoint_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX IF NOT EXISTS message_delivery_endpoint_idx ON message_delivery (endpoint_id, msg_id);
    DROP INDEX IF EXISTS message_delivery_endpoint_status_idx;
    DROP INDEX IF EXISTS message_app_event_type_idx;
  `.execute(db);
}
