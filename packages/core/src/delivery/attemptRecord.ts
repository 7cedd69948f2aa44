import { deliveryAttemptRepo, endpointHealthRepo, enqueueDeliveries, type Database, type DeliverJob, type PgBoss, type SucceededAttempt } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { maintenanceAudit, recordAudit } from '../audit/auditLog.ts';
import { newId } from '../ids.ts';
import { queueFailureNotices } from '../notices/noticeTriggers.ts';
import { emitAttemptEvents, FAILING_AFTER_ATTEMPTS } from '../operational/attemptEvents.ts';
import { decryptHeaderValues } from '../secrets/headerValues.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { endpointSecretPlace } from '../secrets/secretPlaces.ts';
import { decryptCredentials } from './endpointCredentials.ts';
import { applyRetryAfter, parseRetryAfter } from './retryAfter.ts';
import { nextRetryDelaySeconds } from './retrySchedule.ts';
import { recordableHeaders } from './sentHeaders.ts';
import type { AttemptOutcome, DeliveryContext } from './attemptOutcome.ts';

export type { AttemptOutcome, DeliveryContext } from './attemptOutcome.ts';

/**
 * Loads what an attempt needs, or undefined when there is nothing to send: the message, endpoint
 * or payload is gone, the endpoint is disabled, or the attempt is no longer needed.
 */
export async function loadDelivery(db: Database, job: DeliverJob, box: SecretBox): Promise<DeliveryContext | undefined> {
  const [ctx] = await loadDeliveries(db, [job], box);
  return ctx;
}

/**
 * loadDelivery for several jobs in two statements run in parallel (one round trip), however many
 * jobs: the worker loads the jobs of one fetch together. Endpoints are read by id and checked to
 * belong to the message's application.
 */
export async function loadDeliveries(db: Database, jobs: readonly DeliverJob[], box: SecretBox): Promise<Array<DeliveryContext | undefined>> {
  const now = new Date();
  const [states, endpoints] = await Promise.all([deliveryAttemptRepo.findDeliveryStates(db, jobs), deliveryAttemptRepo.findEndpointsWithSecrets(db, jobs, now)]);
  const stateOf = new Map(states.map((s) => [`${s.tenantId}/${s.id}/${s.endpointId}`, s]));
  const endpointOf = new Map(endpoints.map((e) => [`${e.tenantId}/${e.id}`, e]));
  return jobs.map((job) => {
    const state = stateOf.get(`${job.tenantId}/${job.msgId}/${job.endpointId}`);
    if (!state || state.payload === null) return undefined;
    // A scheduled retry is moot once this attempt was recorded (the job ran again after its result
    // committed) or once the delivery succeeded another way (a manual resend or a recover).
    if (job.trigger === 0 && (state.deliveryAttemptCount >= job.attempt || state.deliveryStatus === MESSAGE_STATUS.success)) return undefined;
    const found = endpointOf.get(`${job.tenantId}/${job.endpointId}`);
    if (!found || found.appId !== state.appId || found.disabled) return undefined;
    const {
      deliveryStatus: _status,
      deliveryAttemptCount: _count,
      retrySchedule,
      appThrottleRate,
      tenantHeaderNames,
      tenantHttpsOnly,
      endpointId: _endpointId,
      ...message
    } = state;
    const { liveSecrets, transformationVersion, auth, mtlsVersion, ...endpoint } = found;
    return {
      message: { ...message, payload: state.payload },
      endpoint: { ...endpoint, headers: decryptHeaderValues(box, endpoint, endpoint.headers) },
      secrets: liveSecrets.map((s) => box.decrypt(s.secret, endpointSecretPlace({ id: s.id, tenantId: endpoint.tenantId }))),
      retrySchedule: retrySchedule ?? null,
      throttleRate: endpoint.throttleRate ?? appThrottleRate ?? null,
      headerNames: endpoint.signatureHeaderNames ?? tenantHeaderNames ?? 'webhook',
      httpsOnly: tenantHttpsOnly === true,
      transformationVersion,
      credentials: decryptCredentials(box, endpoint, auth),
      mtlsVersion,
    };
  });
}

export interface AttemptResult {
  /** HTTP status, or 0 when no response was received. */
  statusCode: number;
  /** Response body (truncated) or the network error. */
  response: string;
  durationMs: number;
  responseHeaders?: Record<string, string> | undefined;
  /** The headers the request was sent with; none when no request was made (the target was refused). */
  requestHeaders?: Readonly<Record<string, string>> | undefined;
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

export const isSuccess = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

/**
 * Runs `work` in a transaction that also completes the attempt's job, fenced to the claim it was
 * fetched with; the transaction rolls back if the claim lapsed. The transaction may be shared with
 * other attempts' records, so `work` must be safe to run again should it roll back. `succeeded`,
 * when given, is all `work` writes: the committer may write it together with other attempts'.
 */
export type AttemptCommit = (work: (trx: Database) => Promise<void>, succeeded?: SucceededAttempt) => Promise<void>;

/**
 * Records a finished attempt and schedules the next one when it failed and the schedule allows.
 * `commit` completes the caller's job in the same transaction, so the attempt row, the delivery
 * state and the next job are written exactly once for one HTTP request. The endpoint's health is
 * updated too: a success clears its failing state; 410 Gone or failing for longer than the policy
 * allows disables it.
 */
export async function recordAttempt(
  boss: PgBoss,
  job: DeliverJob,
  ctx: DeliveryContext,
  result: AttemptResult,
  policy: DeliveryPolicy,
  commit: AttemptCommit,
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
  const attempt = {
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
    requestHeaders: recordableHeaders(result.requestHeaders ?? {}),
    triggerType: job.trigger,
  };
  const manual = job.trigger === 1;
  // A scheduled success before any failure was reported writes only its rows (no event, no retry);
  // one to an endpoint that was failing ends its failing spell, which a failure notice may report.
  const wasFailing = ctx.endpoint.failingSince !== null;
  const quiet = ok && !manual && job.attempt <= FAILING_AFTER_ATTEMPTS && !wasFailing;
  await commit(
    async (trx) => {
      disabled = undefined; // a rolled-back run must not leave its outcome behind
      // The attempt row, the delivery's state and the endpoint's health in one statement.
      const since = await deliveryAttemptRepo.writeAttemptRows(trx, {
        attempt,
        // A manual resend only changes the outcome when it succeeds; the schedule goes on untouched.
        // A failure with a retry scheduled is Svix's `sending`; `pending` is a delivery not attempted yet.
        ...(manual
          ? ok
            ? { delivery: { status: MESSAGE_STATUS.success, nextAttemptAt: null } }
            : {}
          : {
              delivery: { status: ok ? MESSAGE_STATUS.success : nextAt ? MESSAGE_STATUS.sending : MESSAGE_STATUS.fail, attemptCount: job.attempt, nextAttemptAt: nextAt },
            }),
        health: ok ? { ok: true } : { ok: false, at: now },
      });
      // A failing endpoint's retries run one at a time (see ENDPOINT_GROUP_CONCURRENCY).
      if (!manual && nextAt) await enqueueDeliveries(boss, trx, [{ data: { ...job, attempt: job.attempt + 1 }, startAfter: nextAt, failing: true }]);
      if (!ok) {
        const tooLong = since !== undefined && now.getTime() - since.getTime() >= policy.autoDisableAfterSeconds * 1000;
        if ((gone || tooLong) && (await endpointHealthRepo.disableEndpoint(trx, job.tenantId, job.endpointId))) {
          disabled = gone ? 'gone' : 'failing';
          // Rare (once per endpoint until re-enabled), so auditing it costs the delivery path nothing measurable.
          await recordAudit(trx, maintenanceAudit(job.tenantId, 'delivery'), {
            action: 'endpoint.disabled',
            target: { kind: 'endpoint', id: job.endpointId, appId: ctx.endpoint.appId },
            changes: { disabled: { from: false, to: true }, reason: { to: disabled } },
          });
        }
      }
      // Operational webhooks (failing, exhausted, recovered, endpoint.disabled) commit with the state they report.
      await emitAttemptEvents(
        trx,
        { boss, payloadRetentionDays: policy.payloadRetentionDays },
        {
          job,
          ctx,
          schedule: policy.schedule,
          outcome: { result: outcome, ...(disabled ? { disabled } : {}) },
          lastAttempt: { id: attemptId, responseStatusCode: result.statusCode, timestamp: now },
        },
      );
      // Failure notices to the customer (failing, disabled, recovered) commit with the state they report.
      await queueFailureNotices(trx, boss, {
        job,
        appId: ctx.message.appId,
        at: now,
        ok,
        wasFailing,
        failingSince: since,
        disabled: disabled !== undefined,
        statusCode: result.statusCode,
        response: result.response,
      });
    },
    quiet ? { ...attempt, attemptCount: job.attempt } : undefined,
  );
  return { result: outcome, attemptId, ...(disabled ? { disabled } : {}) };
}
