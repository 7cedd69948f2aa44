import { sql } from 'kysely';
import type { Database } from '../connect.ts';

/**
 * An endpoint's newest attempt, for a LATERAL join beside the endpoint (`endpointId`: its id
 * column, e.g. `e.id`): one descent of message_attempt_endpoint_idx per history partition. The
 * response is cut to its first `responseChars` characters (a list's preview; the detail has all).
 */
export function lastAttemptOf(db: Database, tenantId: string, endpointId: string, responseChars: number) {
  return db
    .selectFrom('messageAttempt as t')
    .select(['t.id', 't.msgId', 't.status', 't.responseStatusCode', 't.createdAt'])
    .select(sql<string>`left(t.response, ${sql.lit(Math.trunc(responseChars))})`.as('response'))
    .where('t.tenantId', '=', tenantId)
    .where('t.endpointId', '=', sql.ref<string>(endpointId))
    .orderBy('t.id', 'desc')
    .limit(1)
    .as('last');
}
