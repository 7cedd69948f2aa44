import { sql, type Kysely } from 'kysely';

// Indexes for the vendor console's lists across every application of a tenant (GET /api/v1/messages,
// GET /api/v1/endpoints; docs/architecture.md, "Searching history"). packages/db/test/searchQueryPlans.test.ts
// EXPLAINs each filter over a partitioned history.
//
// - message (tenant_id, id): the tenant's messages newest first. message_app_idx leads with the
//   application, so without it a tenant-wide page would read other tenants' rows.
// - hookline_searchable_payload(payload): the payload (stored as text, the exact bytes signed) as
//   jsonb for `payload_contains` (`@>`), or NULL when its JSON text holds what jsonb refuses
//   (U+0000, a lone surrogate: both escaped in the text), so such a message is never found by
//   content instead of failing. Its GIN index is built per partition by maintenance, once the
//   partition is closed, never by a publish (payloadIndexRepo: it would cost every publish).
// - message_delivery (tenant_id, msg_id) WHERE status = 2: messages with a failed delivery, newest
//   first. Failed deliveries are rare and old ones are spread over all history; only a delivery
//   that fails for good is written to it.
// - message_event_id (tenant_id, event_id): an eventId without its application.
// - endpoint (tenant_id, id), and the failing and disabled endpoints apart (few, written only when
//   an endpoint's state changes).
//
// @migration-safe index-on-big-table: CREATE INDEX blocks writes to message and message_delivery
// (not reads) while it builds: seconds per million rows. Migrations run in one transaction, where
// CONCURRENTLY is not allowed. On a large database create them first by hand, per partition with
// CONCURRENTLY and attached to a parent index made ON ONLY (docs/operations.md, Upgrading, has the
// statements); IF NOT EXISTS then skips them here. Old processes run unchanged queries: nothing
// they read or write changes.

/**
 * An escape jsonb refuses, in JSON text: `\u0000`, or a surrogate's `\udXXX` (JSON.stringify and
 * jsonb's output escape a surrogate only when it is alone), after an even run of backslashes.
 */
const UNSTORABLE_ESCAPE = String.raw`(^|[^\\])(\\\\)*\\u(0000|[dD][89a-fA-F])`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION hookline_searchable_payload(payload text) RETURNS jsonb
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN CASE WHEN payload ~ ${sql.raw(`'${UNSTORABLE_ESCAPE}'`)} THEN NULL ELSE payload::jsonb END;

    CREATE INDEX IF NOT EXISTS message_tenant_idx ON message (tenant_id, id);
    CREATE INDEX IF NOT EXISTS message_delivery_failed_idx ON message_delivery (tenant_id, msg_id) WHERE status = 2;
    CREATE INDEX IF NOT EXISTS message_event_id_tenant_idx ON message_event_id (tenant_id, event_id);
    CREATE INDEX IF NOT EXISTS endpoint_tenant_idx ON endpoint (tenant_id, id);
    CREATE INDEX IF NOT EXISTS endpoint_failing_idx ON endpoint (tenant_id, id) WHERE failing_since IS NOT NULL AND NOT disabled;
    CREATE INDEX IF NOT EXISTS endpoint_disabled_idx ON endpoint (tenant_id, id) WHERE disabled;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS endpoint_disabled_idx, endpoint_failing_idx, endpoint_tenant_idx, message_event_id_tenant_idx,
      message_delivery_failed_idx, message_tenant_idx;
    -- CASCADE: with the payload indexes maintenance built on partitions.
    DROP FUNCTION IF EXISTS hookline_searchable_payload(text) CASCADE;
  `.execute(db);
}
