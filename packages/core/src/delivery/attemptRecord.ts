import type { PgBoss } from 'pg-boss';
import { attemptRepo, endpointHealthRepo, endpointRepo, messageRepo, throttleRepo, type Database, type EndpointRow, type MessageRow } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { newId } from '../ids.ts';
import { emitAttemptEvents } from '../operational/attemptEvents.ts';
import { decryptHeaderValues } from '../secrets/headerValues.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { enqueueDeliveries, type DeliverJob } from '../queue/jobs.ts';
import { applyRetryAfter, parseRetryAfter } from './retryAfter.ts';
import { nextRetryDelaySeconds } from './retrySchedule.ts';

export interface DeliveryContext {
  message: MessageRow & { payload: string };
  /** The endpoint, its header values decrypted. */
  endpoint: EndpointRow;
  /** The live signing secrets, decrypted. */
  secrets: string[];
  /** The tenant's retry schedule, when it has its own. */
  retrySchedule: number[] | null;
  /** Messages per second for this endpoint (its own, else its application's); null: unlimited. */
  throttleRate: number | null;
}

/**
 * Loads what an attempt needs, or undefined when there is nothing to send: the message, endpoint
 * or payload is gone, the endpoint is disabled, or the attempt is no longer needed.
 */
export async function loadDelivery(db: Database, job: DeliverJob, box: SecretBox): Promise<DeliveryContext | undefined> {
  const [message, delivery] = await Promise.all([
    messageRepo.findMessageForDelivery(db, job.tenantId, job.msgId),
    attemptRepo.findDelivery(db, job.tenantId, job.msgId, job.endpointId),
  ]);
  if (!message || message.payload === null || !delivery) return undefined;
  // A scheduled retry is moot once this attempt was recorded (the job ran again after its result
  // committed) or once the delivery succeeded another way (a manual resend or a recover).
  if (job.trigger === 0 && (delivery.attemptCount >= job.attempt || delivery.status === MESSAGE_STATUS.success)) return undefined;
  const endpoint = await endpointRepo.findEndpoint(db, job.tenantId, message.appId, job.endpointId);
  if (!endpoint || endpoint.disabled) return undefined;
  const [secrets, settings] = await Promise.all([
    endpointRepo.listLiveSecrets(db, job.tenantId, endpoint.id),
    throttleRepo.findDeliverySettings(db, job.tenantId, message.appId),
  ]);
  return {
    message: { ...message, payload: message.payload },
    endpoint: { ...endpoint, headers: decryptHeaderValues(box, endpoint.headers) },
    secrets: secrets.map((s) => box.decrypt(s)),
    retrySchedule: settings?.retrySchedule ?? null,
    throttleRate: endpoint.throttleRate ?? settings?.appThrottleRate ?? null,
  };
}

export interface AttemptResult {
  /** HTTP status, or 0 when no response was received. */
  statusCode: number;
  /** Response body (truncated) or the network error. */
  response: string;
  durationMs: number;
  responseHeaders?: Record<string, string> | undefined;
  /** The exchange broke after the status arrived (body too large, or not finished in time): a failure whatever the status. */
  failed?: boolean;
}

export interface DeliveryPolicy {
  /** Delays in seconds between attempts (after the first). */
  schedule: readonly number[];
  /** An endpoint failing without a success for this long is disabled. */
  autoDisableAfterSeconds: number;
  /** How long the payload of an operational event the attempt causes is kept. */
  payloadRetentionDays: number;
}

export type AttemptOutcome = {
  result: 'succeeded' | 'retrying' | 'exhausted';
  /** Set when this attempt disabled the endpoint: it answered 410 Gone, or failed for too long. */
  disabled?: 'gone' | 'failing';
};

export const isSuccess = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

/**
 * Records a finished attempt and schedules the next one when it failed and the schedule allows.
 * `settle` completes the caller's job in the same transaction, so the attempt row, the delivery
 * state and the next job are written exactly once for one HTTP request. The endpoint's health is
 * updated too: a success clears its failing state; 410 Gone or failing for longer than the policy
 * allows disables it.
 */
export async function recordAttempt(
  db: Database,
  boss: PgBoss,
  job: DeliverJob,
  ctx: DeliveryContext,
  result: AttemptResult,
  policy: DeliveryPolicy,
  settle: (trx: Database) => Promise<void>,
): Promise<AttemptOutcome & { attemptId: string }> {
  const ok = isSuccess(result.statusCode) && result.failed !== true;
  const gone = result.statusCode === 410;
  const scheduled = ok || gone ? undefined : nextRetryDelaySeconds(policy.schedule, job.attempt);
  const retryAfter = parseRetryAfter(result.responseHeaders?.['retry-after']);
  const delay = scheduled === undefined ? undefined : applyRetryAfter(scheduled, result.statusCode, retryAfter);
  const now = new Date();
  const nextAt = delay === undefined ? null : new Date(now.getTime() + delay * 1000);
  let disabled: AttemptOutcome['disabled'];
  const attemptId = newId('atmpt');
  const outcome: AttemptOutcome['result'] = ok ? 'succeeded' : nextAt ? 'retrying' : 'exhausted';
  await db.transaction().execute(async (trx) => {
    await attemptRepo.insertAttempt(trx, {
      id: attemptId,
      createdAt: now,
      tenantId: job.tenantId,
      appId: ctx.message.appId,
      msgId: job.msgId,
      endpointId: job.endpointId,
      url: ctx.endpoint.url,
      status: ok ? MESSAGE_STATUS.success : MESSAGE_STATUS.fail,
      responseStatusCode: result.statusCode,
      response: result.response,
      responseDurationMs: Math.round(result.durationMs),
      responseHeaders: result.responseHeaders ? JSON.stringify(result.responseHeaders) : null,
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
      // A failing endpoint's retries run one at a time (see ENDPOINT_GROUP_CONCURRENCY).
      if (nextAt) await enqueueDeliveries(boss, trx, [{ data: { ...job, attempt: job.attempt + 1 }, startAfter: nextAt, failing: true }]);
    }
    if (ok) {
      await endpointHealthRepo.markEndpointHealthy(trx, job.tenantId, job.endpointId);
    } else {
      const since = await endpointHealthRepo.markEndpointFailing(trx, job.tenantId, job.endpointId, now);
      const tooLong = since !== undefined && now.getTime() - since.getTime() >= policy.autoDisableAfterSeconds * 1000;
      if ((gone || tooLong) && (await endpointHealthRepo.disableEndpoint(trx, job.tenantId, job.endpointId))) disabled = gone ? 'gone' : 'failing';
    }
    // Operational webhooks (failing, exhausted, recovered, endpoint.disabled) commit with the state they report.
    await emitAttemptEvents(trx, { boss, payloadRetentionDays: policy.payloadRetentionDays }, {
      job, ctx, schedule: policy.schedule, outcome: { result: outcome, ...(disabled ? { disabled } : {}) },
      lastAttempt: { id: attemptId, responseStatusCode: result.statusCode, timestamp: now },
    });
    await settle(trx);
  });
  return { result: outcome, attemptId, ...(disabled ? { disabled } : {}) };
}
