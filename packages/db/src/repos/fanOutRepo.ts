import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import { firstAttemptJobsOf, jobTableOf } from '../queue/deliverJobRows.ts';
import { deliveryLane } from '../queue/jobs.ts';
import type { EndpointRow, MessageRow } from '../schema.ts';

// The reads of fanning out: each message with its subscribed endpoints, in one statement however
// many messages (and, for pending fan-outs, in the statement that claims them). The worker is
// bound by its round trips to PostgreSQL (each one a socket write and a context switch).

export interface MessageKey {
  tenantId: string;
  msgId: string;
}

export type SubscribedEndpoint = Pick<EndpointRow, 'id' | 'failingSince' | 'filter'>;

/** A message with what fanning it out needs; `appId` null: the message is gone (deleted, expired). */
export interface MessageToFanOut extends MessageKey, Pick<MessageRow, 'eventType' | 'channels'> {
  appId: string | null;
  payload: string | null;
  endpoints: SubscribedEndpoint[];
}

/**
 * The subscription rule, as a condition on endpoint `e` and message `m`: an enabled endpoint of the
 * message's application that takes its event type and, if it names channels, one of the message's
 * (as in Svix). fanOutRepo.test.ts checks it against a plain reading of the rule.
 */
export function subscribes(e: string, m: string): RawBuilder<boolean> {
  const [ep, msg] = [sql.table(e), sql.table(m)];
  return sql<boolean>`${ep}.tenant_id = ${msg}.tenant_id AND ${ep}.app_id = ${msg}.app_id AND NOT ${ep}.disabled
    AND (${ep}.event_types IS NULL OR ${msg}.event_type = ANY(${ep}.event_types))
    AND (${ep}.channels IS NULL OR (cardinality(${msg}.channels) > 0 AND ${ep}.channels && ${msg}.channels))`;
}

/**
 * For each row of `keys` (a table expression with tenant_id and msg_id columns; `withClause` may
 * define it, as a data-modifying CTE must be at the top level), the columns of
 * MessageToFanOut: its message (NULLs if gone) and, as JSON, the endpoints that subscribe to it.
 */
function withMessageAndEndpoints(keys: RawBuilder<unknown>, withClause: RawBuilder<unknown> = sql``) {
  return sql`${withClause}
    SELECT k.*, m.app_id, m.event_type, m.channels, m.payload, (
      SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'failingSince', e.failing_since, 'filter', e.filter) ORDER BY e.id), '[]')
      FROM endpoint e WHERE ${subscribes('e', 'm')}
    ) AS endpoints
    FROM ${keys} k LEFT JOIN message m ON m.tenant_id = k.tenant_id AND m.id = k.msg_id`;
}

type EndpointJson = Omit<SubscribedEndpoint, 'failingSince'> & { failingSince: string | null };

function parsed<T extends { endpoints: SubscribedEndpoint[] }>(row: Omit<T, 'endpoints'> & { endpoints: EndpointJson[] }): T {
  return { ...row, endpoints: row.endpoints.map((e) => ({ ...e, failingSince: e.failingSince === null ? null : new Date(e.failingSince) })) } as unknown as T;
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
 * Up to `limit` pending fan-outs that are due, oldest first, locked, for a CTE: rows another
 * transaction holds are skipped, so workers never take the same message. The limit is written into
 * the text: the worker's statements are planned generically (GENERIC_PLANS), and a generic plan
 * that took a parameter's limit for a tenth of the table joined every message with its endpoints
 * to find a batch's (1 s a batch, against 14 ms, behind a backlog of 20,000).
 */
export function duePendingFanOuts(limit: number): RawBuilder<PendingFanOut> {
  return sql<PendingFanOut>`SELECT id, tenant_id, msg_id, trace, attempts FROM fanout_pending
    WHERE available_at <= now() ORDER BY id LIMIT ${sql.lit(Math.trunc(limit))} FOR UPDATE SKIP LOCKED`;
}

/**
 * Takes up to `limit` due pending fan-outs (duePendingFanOuts) out of the table, in the caller's
 * transaction: they are gone once it commits and back if it rolls back. Each comes with its
 * message and subscribed endpoints, read in the same statement.
 */
export async function claimPendingFanOuts(trx: Database, limit: number): Promise<Array<PendingFanOut & MessageToFanOut>> {
  const claim = sql`
    WITH due AS (${duePendingFanOuts(limit)}), claimed AS (
      DELETE FROM fanout_pending p USING due WHERE p.id = due.id
      RETURNING p.id, p.tenant_id, p.msg_id, p.trace, p.attempts
    )`;
  const { rows } = await sql<PendingFanOut & MessageToFanOut & { endpoints: EndpointJson[] }>`${withMessageAndEndpoints(sql`claimed`, claim)} ORDER BY k.id`.execute(trx);
  return rows.map((row) => parsed<PendingFanOut & MessageToFanOut>(row));
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

/** One message fanned out by fanOutPendingAtOnce: its endpoints, and those whose first attempt is in the healthy lane. */
export interface FannedOutRow extends MessageKey {
  endpoints: number;
  healthy: string[];
}

/**
 * Fans out up to `limit` pending messages, oldest first, in one statement, without a transaction
 * around it: it takes them out of fanout_pending and writes each subscribed endpoint's delivery and
 * first attempt (in its lane), all or nothing. A fan-out of one message per publish at 200 msg/s
 * otherwise paid five round trips (BEGIN, the claim, two inserts, COMMIT), each a wake-up of a
 * busy machine. It takes the messages JavaScript need not look at: untraced ones none of whose
 * endpoints has a payload filter (by far the most). Those it passes over (`passedOver`) stay
 * pending for fanOutMessages, as do the rows another worker holds. `pendingStatus` is a new
 * delivery's status (core's MESSAGE_STATUS.pending).
 */
export async function fanOutPendingAtOnce(db: Database, limit: number, pendingStatus: number): Promise<{ done: FannedOutRow[]; passedOver: number }> {
  const [healthy, failing] = await Promise.all([jobTableOf(db, deliveryLane(false).queue), jobTableOf(db, deliveryLane(true).queue)]);
  const key = `${limit}:${pendingStatus}:${healthy}:${failing}`;
  let compiled = fanOutAtOnceStatements.get(key);
  if (!compiled) {
    compiled = fanOutAtOnceStatement(limit, pendingStatus, healthy, failing).compile(db);
    fanOutAtOnceStatements.set(key, compiled);
  }
  const { rows } = await db.executeQuery<{ done: FannedOutRow[]; passedOver: number }>(CompiledQuery.raw(compiled.sql, [...compiled.parameters]));
  return rows[0]!;
}

// Its text has no values, only the batch size, the status and the job tables: compiled once per
// process (building it was a worker's largest share of Kysely's CPU at 200 msg/s).
const fanOutAtOnceStatements = new Map<string, CompiledQuery>();

function fanOutAtOnceStatement(limit: number, pendingStatus: number, healthy: string, failing: string) {
  return sql<{ done: FannedOutRow[]; passedOver: number }>`
    WITH candidates AS MATERIALIZED (${duePendingFanOuts(limit)}), plain AS MATERIALIZED (
      SELECT c.id, c.tenant_id, c.msg_id FROM candidates c
      WHERE c.trace IS NULL AND NOT EXISTS (
        SELECT 1 FROM message m JOIN endpoint e ON ${subscribes('e', 'm')}
        WHERE m.tenant_id = c.tenant_id AND m.id = c.msg_id AND e.filter IS NOT NULL)
    ), claimed AS (
      DELETE FROM fanout_pending p USING plain WHERE p.id = plain.id
    ), pairs AS MATERIALIZED (
      SELECT m.tenant_id, m.app_id, m.id AS msg_id, e.id AS endpoint_id, e.failing_since IS NOT NULL AS failing
      FROM plain JOIN message m ON m.tenant_id = plain.tenant_id AND m.id = plain.msg_id
      JOIN endpoint e ON ${subscribes('e', 'm')}
    ), deliveries AS (
      INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, next_attempt_at)
      SELECT tenant_id, app_id, msg_id, endpoint_id, ${sql.lit(pendingStatus)}, now() FROM pairs
      ON CONFLICT (msg_id, endpoint_id) DO NOTHING
    ), healthy_jobs AS (
      ${firstAttemptJobsOf('pairs', false, healthy)}
    ), failing_jobs AS (
      ${firstAttemptJobsOf('pairs', true, failing)}
    ), per_message AS (
      SELECT tenant_id, msg_id, count(*) AS endpoints,
        jsonb_agg(endpoint_id ORDER BY endpoint_id) FILTER (WHERE NOT failing) AS healthy
      FROM pairs GROUP BY tenant_id, msg_id
    )
    SELECT (
      SELECT coalesce(jsonb_agg(jsonb_build_object('tenantId', plain.tenant_id, 'msgId', plain.msg_id,
        'endpoints', coalesce(pm.endpoints, 0), 'healthy', coalesce(pm.healthy, '[]')) ORDER BY plain.id), '[]')
      FROM plain LEFT JOIN per_message pm ON pm.tenant_id = plain.tenant_id AND pm.msg_id = plain.msg_id
    ) AS done, (SELECT count(*) FROM candidates)::int - (SELECT count(*) FROM plain)::int AS passed_over`;
}

/**
 * Whether an enabled endpoint of the application would take a message of this event type and
 * channels (Svix's precheck): the subscription rule above, applied to a message not yet published.
 */
export async function anyEndpointSubscribes(db: Database, tenantId: string, appId: string, eventType: string, channels: readonly string[] | null): Promise<boolean> {
  // The would-be message as a one-row table `m`; built with the query builder so a tenant-scoped handle can run it.
  const message = sql<MessageRow>`(SELECT ${tenantId}::text AS tenant_id, ${appId}::text AS app_id, ${eventType}::text AS event_type, ${channels === null ? null : [...channels]}::text[] AS channels)`;
  const row = await db
    .selectFrom(['endpoint as e', message.as('m')])
    .select('e.id')
    .where(subscribes('e', 'm'))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
