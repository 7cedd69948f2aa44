import { sql, type Insertable } from 'kysely';
import type { Database } from '../connect.ts';
import { claimedJobs, finishClaimedJobs, type AttemptClaims, type ClaimedJobs } from '../queue/claims.ts';
import type { EndpointAuthRow, EndpointRow, MessageAttemptTable, MessageRow, SignatureHeaderNames } from '../schema.ts';
import { StatementTemplate } from '../statementTemplate.ts';
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

interface DeliveryKeys extends Record<string, unknown> {
  tenantIds: string[];
  msgIds: string[];
  endpointIds: string[];
  lo: string;
  hi: string;
}

// The worker's hot statements are templates (see StatementTemplate): building them with Kysely on
// every batch was a tenth of the worker's CPU at 200 msg/s, and its garbage (docs/performance.md).
const deliveryStates = new StatementTemplate<DeliveryKeys, DeliveryState & { endpointId: string }>(['tenantIds', 'msgIds', 'endpointIds', 'lo', 'hi'], (db, v) =>
  db
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
        sql<[string, string, string]>`(SELECT * FROM unnest(${v.tenantIds}::text[], ${v.msgIds}::text[], ${v.endpointIds}::text[]))`,
      ),
    )
    .where('d.msgId', '>=', v.lo)
    .where('d.msgId', '<=', v.hi)
    .where('m.id', '>=', v.lo)
    .where('m.id', '<=', v.hi),
);

/** One query for several deliveries: each one's message, state, and tenant's and application's delivery settings. */
export async function findDeliveryStates(db: Database, keys: readonly DeliveryKey[]): Promise<Array<DeliveryState & { endpointId: string }>> {
  if (keys.length === 0) return [];
  // The keys' range on both partition keys (the where clauses below it): the generic plan then opens only the partitions it spans (idRange).
  const { lo, hi } = idRange(keys.map((k) => k.msgId));
  return deliveryStates.execute(db, { tenantIds: keys.map((k) => k.tenantId), msgIds: keys.map((k) => k.msgId), endpointIds: keys.map((k) => k.endpointId), lo, hi });
}

/** An endpoint's credentials row as the delivery loader reads it: `version` is its updatedAt, as text. */
export type LoadedEndpointAuth = Omit<EndpointAuthRow, 'updatedAt'> & { version: string };

export type LoadedEndpoint = EndpointRow & {
  liveSecrets: Array<{ id: string; secret: string }>;
  transformationVersion: Date | null;
  auth: LoadedEndpointAuth | null;
  mtlsVersion: Date | null;
};

const endpointsWithSecrets = new StatementTemplate<{ tenantIds: string[]; endpointIds: string[]; now: Date }, LoadedEndpoint>(
  ['tenantIds', 'endpointIds', 'now'],
  (db, v) =>
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
          .where((w) => w.or([w('s.expiresAt', 'is', null), w('s.expiresAt', '>', v.now)]))
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
      .where((eb) => eb(eb.refTuple('e.tenantId', 'e.id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${v.tenantIds}::text[], ${v.endpointIds}::text[]))`)),
);

/** Several endpoints with the secrets live at `now` (encrypted, with their row ids; current first, then newest first), in one query. */
export async function findEndpointsWithSecrets(db: Database, keys: ReadonlyArray<{ tenantId: string; endpointId: string }>, now: Date): Promise<LoadedEndpoint[]> {
  if (keys.length === 0) return [];
  return endpointsWithSecrets.execute(db, { tenantIds: keys.map((k) => k.tenantId), endpointIds: keys.map((k) => k.endpointId), now });
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

/** The attempts' rows, one array per column (each one parameter of insertAttemptRows). */
type AttemptColumns = { [K in (typeof ATTEMPT_COLUMN_KEYS)[number]]: Array<Insertable<MessageAttemptTable>[K] | null> };
const ATTEMPT_COLUMN_KEYS = [
  'id',
  'tenantId',
  'appId',
  'msgId',
  'endpointId',
  'url',
  'status',
  'responseStatusCode',
  'response',
  'responseDurationMs',
  'triggerType',
  'responseHeaders',
  'requestHeaders',
  'createdAt',
] as const;

function attemptColumns(rows: ReadonlyArray<Insertable<MessageAttemptTable>>): AttemptColumns {
  return Object.fromEntries(ATTEMPT_COLUMN_KEYS.map((key) => [key, rows.map((r) => r[key] ?? null)])) as AttemptColumns;
}

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
  const columns = attemptColumns(attempts);
  const values: SucceededValues = {
    ...columns,
    attemptCounts: attempts.map((a) => a.attemptCount),
    ...idRange(columns.msgId as string[]),
    at,
    jobCount: claims?.jobs.length ?? 0,
  };
  if (claims) await succeededWithClaims.execute(trx, { ...values, ...claimedJobs(claims) });
  else await succeeded.execute(trx, values);
}

type SucceededValues = AttemptColumns & { attemptCounts: number[]; lo: string; hi: string; at: Date; jobCount: number };
const SUCCEEDED_KEYS = [...ATTEMPT_COLUMN_KEYS, 'attemptCounts', 'lo', 'hi', 'at', 'jobCount'] as const;

const succeededStatement = (trx: Database, v: SucceededValues, claims: ClaimedJobs | undefined) =>
  trx
    .with('attempt', () => insertAttemptRows(v) as never)
    .with('delivery', (qb) =>
      qb
        .updateTable('messageDelivery as d')
        .from(
          sql<{
            tenantId: string;
            msgId: string;
            endpointId: string;
            attemptCount: number;
          }>`unnest(${v.tenantId}::text[], ${v.msgId}::text[], ${v.endpointId}::text[], ${v.attemptCounts}::int[])`.as(
            sql`i(tenant_id, msg_id, endpoint_id, attempt_count)`,
          ),
        )
        .set((eb) => ({ status: 0, attemptCount: eb.ref('i.attemptCount'), nextAttemptAt: null, updatedAt: v.at }))
        .whereRef('d.tenantId', '=', 'i.tenantId')
        .whereRef('d.msgId', '=', 'i.msgId')
        .whereRef('d.endpointId', '=', 'i.endpointId')
        // Only the partitions the batch spans are opened (idRange).
        .where('d.msgId', '>=', v.lo)
        .where('d.msgId', '<=', v.hi),
    )
    .with('health', (qb) =>
      qb
        .updateTable('endpoint')
        .set({ failingSince: null })
        .where((eb) => eb(eb.refTuple('tenantId', 'id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${v.tenantId}::text[], ${v.endpointId}::text[]))`))
        .where('failingSince', 'is not', null),
    )
    .with('finished', () => (claims ? finishClaimedJobs(claims) : sql<{ id: string }>`(SELECT NULL::uuid AS id WHERE false)`))
    // Data-modifying CTEs all run; failing here (the cast, at run time) rolls every one of them back.
    .selectNoFrom(
      sql<number>`CASE WHEN (SELECT count(*) FROM finished) = ${v.jobCount} THEN 1
      ELSE (${CLAIM_LAPSED_MARK}::text || ': ' || (SELECT count(*) FROM finished))::int END`.as('done'),
    );

const succeeded = new StatementTemplate<SucceededValues, { done: number }>(SUCCEEDED_KEYS, (trx, v) => succeededStatement(trx, v, undefined));
const succeededWithClaims = new StatementTemplate<SucceededValues & ClaimedJobs, { done: number }>([...SUCCEEDED_KEYS, 'queue', 'jobIds', 'jobClaims'], (trx, v) =>
  succeededStatement(trx, v, v),
);

/**
 * The attempts' rows as an INSERT from one array per column, as a parenthesised CTE: its text is
 * the same however many rows there are, so the statement is prepared once (a VALUES list made a
 * text per batch size, each planned again) and Kysely builds no node per value (a visible share
 * of the worker's CPU, docs/performance.md).
 */
function insertAttemptRows(c: AttemptColumns) {
  return sql`(INSERT INTO message_attempt (
      id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, created_at
    )
    SELECT id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, coalesce(created_at, now())
    FROM unnest(
      ${c.id}::text[], ${c.tenantId}::text[], ${c.appId}::text[], ${c.msgId}::text[],
      ${c.endpointId}::text[], ${c.url}::text[], ${c.status}::int[], ${c.responseStatusCode}::int[],
      ${c.response}::text[], ${c.responseDurationMs}::int[], ${c.triggerType}::int[],
      ${c.responseHeaders}::jsonb[], ${c.requestHeaders}::json[], ${c.createdAt}::timestamptz[]
    ) AS i(id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms,
      trigger_type, response_headers, request_headers, created_at))`;
}
