import { sql, type Insertable } from 'kysely';
import type { Database } from '../connect.ts';
import { finishFetchedJobs, type AttemptClaims } from '../queue/claims.ts';
import type { EndpointAuthRow, EndpointRow, MessageAttemptTable, MessageRow, SignatureHeaderNames } from '../schema.ts';
import { idRange } from './idRange.ts';

// The statements of one delivery attempt, each a single round trip: the worker's throughput per
// endpoint is bounded by the round trips an attempt makes (its in-flight attempts are capped), and
// on a busy machine every statement also costs a socket write and a context switch.

/** The message of a delivery with the delivery's state and the delivery settings of its tenant and application. */
export type DeliveryState = MessageRow & {
  deliveryStatus: number;
  deliveryAttemptCount: number;
  retrySchedule: number[] | null;
  appThrottleRate: number | null;
  tenantHeaderNames: SignatureHeaderNames | null;
  tenantHttpsOnly: boolean | null;
};

export interface DeliveryKey {
  tenantId: string;
  msgId: string;
  endpointId: string;
}

/** One query for several deliveries: each one's message, state, and tenant's and application's delivery settings. */
export async function findDeliveryStates(db: Database, keys: readonly DeliveryKey[]): Promise<Array<DeliveryState & { endpointId: string }>> {
  if (keys.length === 0) return [];
  // The keys' range on both partition keys (the where clauses below it): the generic plan then opens only the partitions it spans (idRange).
  const { lo, hi } = idRange(keys.map((k) => k.msgId));
  return db
    .selectFrom('message as m')
    .innerJoin('messageDelivery as d', (j) => j.onRef('d.tenantId', '=', 'm.tenantId').onRef('d.msgId', '=', 'm.id'))
    .leftJoin('application as a', (j) => j.onRef('a.tenantId', '=', 'm.tenantId').onRef('a.id', '=', 'm.appId'))
    .leftJoin('tenant as t', 't.id', 'a.tenantId')
    .selectAll('m')
    .select([
      'd.endpointId as endpointId',
      'd.status as deliveryStatus',
      'd.attemptCount as deliveryAttemptCount',
      't.retrySchedule as retrySchedule',
      'a.throttleRate as appThrottleRate',
      't.signatureHeaderNames as tenantHeaderNames',
      't.httpsOnly as tenantHttpsOnly',
    ])
    .where((eb) =>
      eb(
        eb.refTuple('d.tenantId', 'd.msgId', 'd.endpointId'),
        'in',
        sql<
          [string, string, string]
        >`(SELECT * FROM unnest(${keys.map((k) => k.tenantId)}::text[], ${keys.map((k) => k.msgId)}::text[], ${keys.map((k) => k.endpointId)}::text[]))`,
      ),
    )
    .where('d.msgId', '>=', lo)
    .where('d.msgId', '<=', hi)
    .where('m.id', '>=', lo)
    .where('m.id', '<=', hi)
    .execute();
}

/** Several endpoints with the secrets live at `now` (encrypted, with their row ids; current first, then newest first), in one query. */
/** An endpoint's credentials row as the delivery loader reads it: `version` is its updatedAt, as text. */
export type LoadedEndpointAuth = Omit<EndpointAuthRow, 'updatedAt'> & { version: string };

export async function findEndpointsWithSecrets(
  db: Database,
  keys: ReadonlyArray<{ tenantId: string; endpointId: string }>,
  now: Date,
): Promise<
  Array<
    EndpointRow & { liveSecrets: Array<{ id: string; secret: string }>; transformationVersion: Date | null; auth: LoadedEndpointAuth | null; mtlsVersion: Date | null }
  >
> {
  if (keys.length === 0) return [];
  return (
    db
      .selectFrom('endpoint as e')
      .selectAll('e')
      .select((eb) =>
        eb
          .selectFrom('endpointSecret as s')
          .select(
            sql<
              Array<{ id: string; secret: string }>
            >`coalesce(json_agg(json_build_object('id', s.id, 'secret', s.secret) ORDER BY s.expires_at IS NULL DESC, s.created_at DESC, s.id DESC), '[]')`.as('secrets'),
          )
          .whereRef('s.tenantId', '=', 'e.tenantId')
          .whereRef('s.endpointId', '=', 'e.id')
          .where((w) => w.or([w('s.expiresAt', 'is', null), w('s.expiresAt', '>', now)]))
          .$asScalar()
          .$notNull()
          .as('liveSecrets'),
      )
      // The enabled transformation's version (a primary-key probe; null for endpoints without one):
      // the worker fetches the code itself only when its cache lacks this version.
      .select((eb) =>
        eb
          .selectFrom('endpointTransformation as t')
          .select('t.updatedAt')
          .whereRef('t.endpointId', '=', 'e.id')
          .whereRef('t.tenantId', '=', 'e.tenantId')
          .where('t.enabled', '=', true)
          .where('t.code', 'is not', null)
          .$asScalar()
          .as('transformationVersion'),
      )
      // The endpoint's credentials (a primary-key probe; null for most endpoints).
      .select((eb) =>
        eb
          .selectFrom('endpointAuth as a')
          .select(
            sql<LoadedEndpointAuth>`json_build_object('endpointId', a.endpoint_id, 'tenantId', a.tenant_id, 'oauth', a.oauth, 'oauthClientSecret', a.oauth_client_secret, 'basicUsername', a.basic_username, 'basicPassword', a.basic_password, 'version', a.updated_at::text)`.as(
              'auth',
            ),
          )
          .whereRef('a.endpointId', '=', 'e.id')
          .whereRef('a.tenantId', '=', 'e.tenantId')
          .$asScalar()
          .as('auth'),
      )
      // Likewise the mutual TLS settings' version: the worker reads them only for a TLS agent it lacks.
      .select((eb) =>
        eb
          .selectFrom('endpointMtls as m')
          .select('m.updatedAt')
          .whereRef('m.endpointId', '=', 'e.id')
          .whereRef('m.tenantId', '=', 'e.tenantId')
          .$asScalar()
          .as('mtlsVersion'),
      )
      .where((eb) =>
        eb(
          eb.refTuple('e.tenantId', 'e.id'),
          'in',
          sql<[string, string]>`(SELECT * FROM unnest(${keys.map((k) => k.tenantId)}::text[], ${keys.map((k) => k.endpointId)}::text[]))`,
        ),
      )
      .execute()
  );
}

export interface AttemptRows {
  attempt: Insertable<MessageAttemptTable>;
  /** The delivery's new state; omitted: the delivery row is left as it is. */
  delivery?: { status: number; attemptCount?: number; nextAttemptAt: Date | null };
  /** A success clears the endpoint's failing state; a failure starts it at `at` unless it is already failing. */
  health: { ok: true } | { ok: false; at: Date };
}

/**
 * Writes a finished attempt in one statement (data-modifying CTEs): its row, the delivery's state
 * and the endpoint's health. Returns since when the endpoint fails (undefined after a success, or
 * when the endpoint is gone).
 */
export async function writeAttemptRows(trx: Database, rows: AttemptRows): Promise<Date | undefined> {
  const { attempt, delivery, health } = rows;
  const key = { tenantId: attempt.tenantId, msgId: attempt.msgId, endpointId: attempt.endpointId };
  const row = await trx
    .with('attempt', (qb) => qb.insertInto('messageAttempt').values(attempt))
    .with('delivery', (qb) =>
      qb
        .updateTable('messageDelivery')
        .set({
          status: delivery?.status ?? 0,
          nextAttemptAt: delivery?.nextAttemptAt ?? null,
          updatedAt: new Date(),
          ...(delivery?.attemptCount === undefined ? {} : { attemptCount: delivery.attemptCount }),
        })
        .where('tenantId', '=', key.tenantId)
        .where('msgId', '=', key.msgId)
        .where('endpointId', '=', key.endpointId)
        .$if(delivery === undefined, (q) => q.where(sql.lit(false))),
    )
    .with('health', (qb) =>
      qb
        .updateTable('endpoint')
        // A success writes only when the endpoint was failing (no dead tuple per attempt).
        .set({ failingSince: health.ok ? null : sql<Date>`coalesce(failing_since, ${health.at})` })
        .where('tenantId', '=', key.tenantId)
        .where('id', '=', key.endpointId)
        .$if(health.ok, (q) => q.where('failingSince', 'is not', null))
        .returning('failingSince'),
    )
    .selectFrom('health')
    .select('failingSince')
    .executeTakeFirst();
  return health.ok ? undefined : (row?.failingSince ?? undefined);
}

/** A successful scheduled attempt that writes nothing beyond its rows (no event, no retry). */
export type SucceededAttempt = Insertable<MessageAttemptTable> & { attemptCount: number };

export type { AttemptClaims };

/** Raised by PostgreSQL (as a failed cast) when a claim of writeSucceededAttempts lapsed; nothing was written. */
export const CLAIM_LAPSED_MARK = 'hookline: claim lapsed';

/**
 * Writes several successful attempts in one statement: their rows, their deliveries (succeeded
 * at that attempt) and their endpoints' health (no longer failing). Same effect as
 * writeAttemptRows for each, for the worker's group commit.
 *
 * With `claims`, the same statement also finishes the attempts' jobs (finishFetchedJobs), fenced to
 * the claims they were fetched with as boss.complete is: one round trip and atomic on its own,
 * without BEGIN and COMMIT. If any job is no longer held as claimed (it expired and went to
 * another worker), the statement fails and writes nothing.
 */
export async function writeSucceededAttempts(trx: Database, attempts: SucceededAttempt[], at: Date, claims?: AttemptClaims): Promise<void> {
  if (attempts.length === 0) return;
  const rows = attempts.map(({ attemptCount: _count, ...row }) => row);
  const tenants = attempts.map((a) => a.tenantId);
  const msgs = attempts.map((a) => a.msgId);
  const endpoints = attempts.map((a) => a.endpointId);
  const counts = attempts.map((a) => a.attemptCount);
  const { lo, hi } = idRange(msgs);
  await trx
    .with('attempt', () => insertAttemptRows(rows) as never)
    .with('delivery', (qb) =>
      qb
        .updateTable('messageDelivery as d')
        .from(
          sql<{
            tenantId: string;
            msgId: string;
            endpointId: string;
            attemptCount: number;
          }>`unnest(${tenants}::text[], ${msgs}::text[], ${endpoints}::text[], ${counts}::int[])`.as(sql`i(tenant_id, msg_id, endpoint_id, attempt_count)`),
        )
        .set((eb) => ({ status: 0, attemptCount: eb.ref('i.attemptCount'), nextAttemptAt: null, updatedAt: at }))
        .whereRef('d.tenantId', '=', 'i.tenantId')
        .whereRef('d.msgId', '=', 'i.msgId')
        .whereRef('d.endpointId', '=', 'i.endpointId')
        // Only the partitions the batch spans are opened (idRange).
        .where('d.msgId', '>=', lo)
        .where('d.msgId', '<=', hi),
    )
    .with('health', (qb) =>
      qb
        .updateTable('endpoint')
        .set({ failingSince: null })
        .where((eb) => eb(eb.refTuple('tenantId', 'id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${tenants}::text[], ${endpoints}::text[]))`))
        .where('failingSince', 'is not', null),
    )
    .with('finished', () => (claims ? finishFetchedJobs(claims) : sql<{ id: string }>`(SELECT NULL::uuid AS id WHERE false)`))
    // Data-modifying CTEs all run; failing here (the cast, at run time) rolls every one of them back.
    .selectNoFrom(
      sql<number>`CASE WHEN (SELECT count(*) FROM finished) = ${claims?.jobs.length ?? 0} THEN 1
      ELSE (${CLAIM_LAPSED_MARK}::text || ': ' || (SELECT count(*) FROM finished))::int END`.as('done'),
    )
    .execute();
}

/**
 * The attempts' rows as an INSERT from one array per column, as a parenthesised CTE: its text is
 * the same however many rows there are, so the statement is prepared once (a VALUES list made a
 * text per batch size, each planned again) and Kysely builds no node per value (a visible share
 * of the worker's CPU, docs/performance.md).
 */
function insertAttemptRows(rows: ReadonlyArray<Insertable<MessageAttemptTable>>) {
  const column = <K extends keyof Insertable<MessageAttemptTable>>(key: K) => rows.map((r) => r[key] ?? null);
  return sql`(INSERT INTO message_attempt (
      id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, created_at
    )
    SELECT id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, coalesce(created_at, now())
    FROM unnest(
      ${column('id')}::text[], ${column('tenantId')}::text[], ${column('appId')}::text[], ${column('msgId')}::text[],
      ${column('endpointId')}::text[], ${column('url')}::text[], ${column('status')}::int[], ${column('responseStatusCode')}::int[],
      ${column('response')}::text[], ${column('responseDurationMs')}::int[], ${column('triggerType')}::int[],
      ${column('responseHeaders')}::jsonb[], ${column('requestHeaders')}::json[], ${column('createdAt')}::timestamptz[]
    ) AS i(id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, created_at))`;
}
