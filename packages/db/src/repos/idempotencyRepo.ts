import type { Database } from '../connect.ts';
import type { IdempotencyKeyRow } from '../schema.ts';

export interface IdempotencyRef {
  tenantId: string;
  key: string;
  request: string;
}

/** Inserts an in-progress row; false when the key is already taken for this request. */
export async function insertIdempotencyKey(db: Database, ref: IdempotencyRef): Promise<boolean> {
  const row = await db
    .insertInto('idempotencyKey')
    .values(ref)
    .onConflict((oc) => oc.columns(['tenantId', 'key', 'request']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findIdempotencyKey(db: Database, ref: IdempotencyRef): Promise<IdempotencyKeyRow | undefined> {
  return db
    .selectFrom('idempotencyKey')
    .selectAll()
    .where('tenantId', '=', ref.tenantId)
    .where('key', '=', ref.key)
    .where('request', '=', ref.request)
    .executeTakeFirst();
}

/**
 * Takes over an in-progress row claimed before `staleBefore` (its owner went silent). The stale test
 * is in the UPDATE itself, so of concurrent takers only one matches; comparing to the `createdAt`
 * read earlier would never match, a JS Date holding milliseconds where PostgreSQL keeps microseconds.
 */
export async function reclaimIdempotencyKey(db: Database, ref: IdempotencyRef, staleBefore: Date): Promise<boolean> {
  const res = await db
    .updateTable('idempotencyKey')
    .set({ createdAt: new Date() })
    .where('tenantId', '=', ref.tenantId)
    .where('key', '=', ref.key)
    .where('request', '=', ref.request)
    .where('completedAt', 'is', null)
    .where('createdAt', '<', staleBefore)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function completeIdempotencyKey(db: Database, ref: IdempotencyRef, statusCode: number, responseBody: string | null): Promise<void> {
  await db
    .updateTable('idempotencyKey')
    .set({ statusCode, responseBody, completedAt: new Date() })
    .where('tenantId', '=', ref.tenantId)
    .where('key', '=', ref.key)
    .where('request', '=', ref.request)
    .execute();
}

export async function deleteIdempotencyKey(db: Database, ref: IdempotencyRef): Promise<void> {
  await db
    .deleteFrom('idempotencyKey')
    .where('tenantId', '=', ref.tenantId)
    .where('key', '=', ref.key)
    .where('request', '=', ref.request)
    .where('completedAt', 'is', null)
    .execute();
}

/** Removes keys older than `before` (they are replayed for at least the retention time). */
export async function pruneIdempotencyKeys(db: Database, before: Date): Promise<number> {
  const res = await db.deleteFrom('idempotencyKey').where('createdAt', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
