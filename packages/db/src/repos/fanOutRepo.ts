import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { EndpointRow, MessageRow } from '../schema.ts';

// The reads of fanning out several messages at once: two statements, sent together (one round
// trip), however many messages. Fan-out made two statements per message, and the worker is bound
// by its round trips to PostgreSQL (each one a socket write and a context switch).

export interface MessageKey {
  tenantId: string;
  msgId: string;
}

export type SubscribedEndpoint = Pick<EndpointRow, 'id' | 'failingSince' | 'filter'>;

/** Several messages (those that exist) and, for each, its application's enabled endpoints that subscribe to it. */
export async function findMessagesToFanOut(db: Database, keys: readonly MessageKey[]): Promise<Array<MessageRow & { endpoints: SubscribedEndpoint[] }>> {
  if (keys.length === 0) return [];
  const tenants = keys.map((k) => k.tenantId);
  const ids = keys.map((k) => k.msgId);
  const [messages, endpoints] = await Promise.all([
    db.selectFrom('message').selectAll()
      .where((eb) => eb(eb.refTuple('tenantId', 'id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${tenants}::text[], ${ids}::text[]))`))
      .execute(),
    // The subscription rule of endpointRepo.findSubscribedEndpoints, with the message's columns
    // in place of its parameters (fanOutRepo.test.ts checks that both select the same endpoints).
    db.selectFrom('message as m')
      .innerJoin('endpoint as e', (j) => j.onRef('e.tenantId', '=', 'm.tenantId').onRef('e.appId', '=', 'm.appId'))
      .select(['m.id as msgId', 'e.id', 'e.failingSince', 'e.filter'])
      .where((eb) => eb(eb.refTuple('m.tenantId', 'm.id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${tenants}::text[], ${ids}::text[]))`))
      .where('e.disabled', '=', false)
      .where(sql<boolean>`(e.event_types IS NULL OR m.event_type = ANY(e.event_types))`)
      // An endpoint that names channels only receives messages on one of them (as in Svix).
      .where(sql<boolean>`(e.channels IS NULL OR (cardinality(m.channels) > 0 AND e.channels && m.channels))`)
      .orderBy('e.id')
      .execute(),
  ]);
  const byMessage = new Map<string, SubscribedEndpoint[]>();
  for (const { msgId, ...ep } of endpoints) {
    let list = byMessage.get(msgId);
    if (!list) byMessage.set(msgId, (list = []));
    list.push(ep);
  }
  return messages.map((m) => ({ ...m, endpoints: byMessage.get(m.id) ?? [] }));
}

// Pending fan-outs (see 0015_fanout_pending): publishing writes one row per message, workers claim
// them in batches.

/** A message waiting to be fanned out, as a worker claims it. */
export interface PendingFanOut extends MessageKey {
  id: number;
  /** Trace context of the publish, when tracing is on. */
  trace: Record<string, string> | null;
  /** Failed fan-outs of it so far. */
  attempts: number;
}

/**
 * The pending fan-out of the message a data-modifying CTE named `inserted` returns, as a CTE of
 * the same statement (see messageRepo's `alongside`): the message and its fan-out commit together
 * without a transaction. `trace` is JSON (`null` when untraced, stored as NULL). With `notify`,
 * the statement also NOTIFYs that channel, which commits with it (or with the caller's transaction).
 */
export function pendingFanOutOf(inserted: string, trace: string, notify?: string): RawBuilder<{ id: number }> {
  const m = sql.table(inserted);
  const woken = notify === undefined ? sql`` : sql`, LATERAL (SELECT pg_notify(${notify}, '')) woken`;
  return sql<{ id: number }>`
    INSERT INTO fanout_pending (tenant_id, msg_id, trace)
    SELECT ${m}.tenant_id, ${m}.id, NULLIF(${trace}::jsonb, 'null') FROM ${m}${woken}
    RETURNING id`;
}

/**
 * Takes up to `limit` pending fan-outs that are due, oldest first, out of the table, in the
 * caller's transaction: they are gone once it commits and back if it rolls back. Rows another
 * transaction holds are skipped, so workers never take the same message.
 */
export async function claimPendingFanOuts(trx: Database, limit: number): Promise<PendingFanOut[]> {
  const { rows } = await sql<PendingFanOut>`
    DELETE FROM fanout_pending WHERE id IN (
      SELECT id FROM fanout_pending WHERE available_at <= now() ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING id, tenant_id, msg_id, trace, attempts`.execute(trx);
  return rows.sort((a, b) => a.id - b.id);
}

/** Counts a failed fan-out and puts it off for `delaySeconds`. */
export async function deferPendingFanOut(db: Database, id: number, delaySeconds: number): Promise<void> {
  await sql`UPDATE fanout_pending SET attempts = attempts + 1, available_at = now() + make_interval(secs => ${delaySeconds})
    WHERE id = ${id}`.execute(db);
}

/** Pending fan-outs that are due, and how long the oldest has been (seconds), for the queue gauges. */
export async function pendingFanOutBacklog(db: Database): Promise<{ ready: number; oldest: number | null }> {
  const { rows } = await sql<{ ready: number; oldest: number | null }>`
    SELECT count(*)::int AS ready, extract(epoch FROM now() - min(available_at))::float8 AS oldest
    FROM fanout_pending WHERE available_at <= now()`.execute(db);
  return rows[0] ?? { ready: 0, oldest: null };
}
