import type { PgBoss } from 'pg-boss';
import { attemptRepo, endpointRepo, messageRepo, type Database, type EndpointRow, type MessageRow } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { newId } from '../ids.ts';
import { enqueueDeliveries, type DeliverJob } from '../queue/jobs.ts';
import { nextRetryDelaySeconds } from './retrySchedule.ts';

export interface DeliveryContext {
  message: MessageRow & { payload: string };
  endpoint: EndpointRow;
  secrets: string[];
}

/**
 * Loads what an attempt needs, or undefined when there is nothing to send: the message, endpoint
 * or payload is gone, the endpoint is disabled, or this attempt was already recorded (a job that
 * ran again after its result committed).
 */
export async function loadDelivery(db: Database, job: DeliverJob): Promise<DeliveryContext | undefined> {
  const [message, delivery] = await Promise.all([
    messageRepo.findMessageForDelivery(db, job.tenantId, job.msgId),
    attemptRepo.findDelivery(db, job.tenantId, job.msgId, job.endpointId),
  ]);
  if (!message || message.payload === null || !delivery) return undefined;
  if (job.trigger === 0 && delivery.attemptCount >= job.attempt) return undefined;
  const endpoint = await endpointRepo.findEndpoint(db, job.tenantId, message.appId, job.endpointId);
  if (!endpoint || endpoint.disabled) return undefined;
  const secrets = await endpointRepo.listLiveSecrets(db, job.tenantId, endpoint.id);
  return { message: { ...message, payload: message.payload }, endpoint, secrets };
}

export interface AttemptResult {
  /** HTTP status, or 0 when no response was received. */
  statusCode: number;
  /** Response body (truncated) or the network error. */
  response: string;
  durationMs: number;
}

export const isSuccess = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

/**
 * Records a finished attempt and schedules the next one when it failed and the schedule allows.
 * `settle` completes the caller's job in the same transaction, so the attempt row, the delivery
 * state and the next job are written exactly once for one HTTP request.
 */
export async function recordAttempt(
  db: Database,
  boss: PgBoss,
  job: DeliverJob,
  ctx: DeliveryContext,
  result: AttemptResult,
  schedule: readonly number[],
  settle: (trx: Database) => Promise<void>,
): Promise<'succeeded' | 'retrying' | 'exhausted'> {
  const ok = isSuccess(result.statusCode);
  const delay = ok ? undefined : nextRetryDelaySeconds(schedule, job.attempt);
  const nextAt = delay === undefined ? null : new Date(Date.now() + delay * 1000);
  await db.transaction().execute(async (trx) => {
    await attemptRepo.insertAttempt(trx, {
      id: newId('atmpt'),
      tenantId: job.tenantId,
      appId: ctx.message.appId,
      msgId: job.msgId,
      endpointId: job.endpointId,
      url: ctx.endpoint.url,
      status: ok ? MESSAGE_STATUS.success : MESSAGE_STATUS.fail,
      responseStatusCode: result.statusCode,
      response: result.response,
      responseDurationMs: Math.round(result.durationMs),
      triggerType: job.trigger,
    });
    const key = { tenantId: job.tenantId, msgId: job.msgId, endpointId: job.endpointId };
    if (job.trigger === 1) {
      // A manual resend only changes the outcome when it succeeds; the schedule goes on untouched.
      if (ok) await attemptRepo.updateDelivery(trx, key, { status: MESSAGE_STATUS.success, nextAttemptAt: null });
    } else {
      await attemptRepo.updateDelivery(trx, key, {
        status: ok ? MESSAGE_STATUS.success : nextAt ? MESSAGE_STATUS.pending : MESSAGE_STATUS.fail,
        attemptCount: job.attempt,
        nextAttemptAt: nextAt,
      });
      if (nextAt) await enqueueDeliveries(boss, trx, [{ data: { ...job, attempt: job.attempt + 1 }, startAfter: nextAt }]);
    }
    await settle(trx);
  });
  return ok ? 'succeeded' : nextAt ? 'retrying' : 'exhausted';
}
