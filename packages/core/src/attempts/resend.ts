import { attemptRepo, enqueueDeliveries, type Database, type PgBoss } from '@hookline/db';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { BadRequestError } from '../errors.ts';
import { getMessage } from '../messages/messages.ts';
import { MESSAGE_STATUS } from './attempts.ts';

/**
 * Svix's `v1.message-attempt.resend`: queues one manual attempt (trigger 1) of a message to an
 * endpoint, outside the retry schedule; the worker records it like any attempt, and a success
 * marks the delivery succeeded.
 *
 * Unlike svix-server, which answers 404 unless the message was first routed to the endpoint,
 * Hookline also resends to an endpoint the message never went to (e.g. one added since, or one
 * whose filters left it out): the delivery row the worker needs is created then, as `fail` with
 * nothing scheduled, so a failed resend does not read as pending forever. A delivery that the
 * endpoint's payload filter skipped (canceled) is replayed the same way: it turns `fail` until the
 * attempt succeeds.
 */
export async function resendMessage(
  db: Database,
  boss: PgBoss,
  tenantId: string,
  appIdOrUid: string,
  msgIdOrEventId: string,
  endpointIdOrUid: string,
  audit: AuditContext,
): Promise<void> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  if (msg.payload === null) {
    throw new BadRequestError('Unable to resend message. Payload is missing (probably expired).', 'missing_payload');
  }
  const ep = await getEndpoint(db, tenantId, msg.appId, endpointIdOrUid);
  const key = { tenantId, appId: msg.appId, msgId: msg.id, endpointId: ep.id };
  // The delivery row and the job commit together: a 202 means the attempt will be made.
  await db.transaction().execute(async (trx) => {
    await attemptRepo.insertDeliveries(trx, [{ ...key, status: MESSAGE_STATUS.fail, nextAttemptAt: null }]);
    const delivery = await attemptRepo.findDelivery(trx, tenantId, msg.id, ep.id);
    if (delivery?.status === MESSAGE_STATUS.canceled) await attemptRepo.updateDelivery(trx, key, { status: MESSAGE_STATUS.fail, nextAttemptAt: null });
    // `attempt` only numbers a manual job for logs: the schedule's count is not touched by it.
    const attempt = (delivery?.attemptCount ?? 0) + 1;
    await enqueueDeliveries(boss, trx, [{ data: { tenantId, msgId: msg.id, endpointId: ep.id, attempt, trigger: 1 } }]);
    await recordAudit(trx, audit, { action: 'message.resent', target: { kind: 'message', id: msg.id, appId: msg.appId }, changes: { endpoint: { to: ep.id } } });
  });
}
