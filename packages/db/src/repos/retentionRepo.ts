import { sql } from 'kysely';
import type { Database } from '../connect.ts';

// Work in batches, so one maintenance run never holds long locks or builds one huge transaction.
// The size is written into the text (a literal, not a parameter), so that the worker's generic
// plans (GENERIC_PLANS) know how few rows a batch takes.
const BATCH = 5000;

/** Removes payloads whose retention has passed (the message row stays, its content is gone). */
export async function expirePayloads(db: Database, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await sql`
      UPDATE message SET payload = NULL
      WHERE id IN (SELECT id FROM message WHERE payload IS NOT NULL AND expires_at < ${now} LIMIT ${sql.lit(BATCH)})
    `.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Drops the payloads of one tenant's messages with ids in [fromId, beforeId) (created before its
 * own, shorter retention); the messages stay until their partition goes. Application by
 * application, so each is a range of message_app_idx (tenant_id, app_id, id) in the old partitions only.
 */
export async function expireTenantPayloads(db: Database, tenantId: string, range: { fromId: string | null; beforeId: string }): Promise<number> {
  const from = range.fromId === null ? sql`` : sql`AND m.id >= ${range.fromId}`;
  let total = 0;
  for (;;) {
    const res = await sql`
      UPDATE message SET payload = NULL
      WHERE id IN (
        SELECT old.id FROM application a
        CROSS JOIN LATERAL (
          SELECT m.id FROM message m
          WHERE m.tenant_id = a.tenant_id AND m.app_id = a.id AND m.id < ${range.beforeId} ${from} AND m.payload IS NOT NULL
        ) old
        WHERE a.tenant_id = ${tenantId}
        LIMIT ${sql.lit(BATCH)})
    `.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Deletes the eventId claims (message_event_id) of messages with ids below `beforeId`. Messages go
 * with their partitions (historyPartitionRepo.dropHistoryPartitionsBefore); this table is not
 * partitioned and holds a row only for a message published with an eventId, found by its msg_id index.
 */
export async function pruneEventIds(db: Database, beforeId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await sql`
      DELETE FROM message_event_id WHERE (app_id, event_id) IN (
        SELECT app_id, event_id FROM message_event_id WHERE msg_id < ${beforeId} LIMIT ${sql.lit(BATCH)})
    `.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Deletes the tombstones of endpoints deleted before `before` (deleted_endpoint, 0043): the start of
 * the oldest history left, so none of their deliveries remains for a list to show them beside.
 */
export async function pruneDeletedEndpoints(db: Database, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await sql`
      DELETE FROM deleted_endpoint WHERE id IN (SELECT id FROM deleted_endpoint WHERE deleted_at < ${before} LIMIT ${sql.lit(BATCH)})
    `.execute(db);
    const n = Number(res.numAffectedRows ?? 0n);
    total += n;
    if (n < BATCH) return total;
  }
}
