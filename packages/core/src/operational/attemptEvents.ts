import { operationalRepo, type Database, type DeliverJob } from '@hookline/db';
import type { AttemptOutcome, DeliveryContext } from '../delivery/attemptOutcome.ts';
import { emitOperationalEvent, type AttemptRef, type OperationalEmitter } from './operationalEvents.ts';

type AttemptEventType = 'message.attempt.failing' | 'message.attempt.exhausted' | 'message.attempt.recovered';

/** As Svix: `message.attempt.failing` is sent when this attempt of a delivery fails and another is scheduled. */
export const FAILING_AFTER_ATTEMPTS = 4;

export interface RecordedAttempt {
  job: DeliverJob;
  ctx: DeliveryContext;
  outcome: AttemptOutcome;
  lastAttempt: AttemptRef;
  /** The retry schedule the attempt was recorded under. */
  schedule: readonly number[];
}

/**
 * The operational events one recorded attempt causes, published in the transaction that records
 * it (see recordAttempt):
 * - `message.attempt.failing`: the 4th scheduled attempt failed and a 5th is scheduled;
 * - `message.attempt.exhausted`: a scheduled attempt failed and none follows (the schedule is
 *   used up, or 410 Gone disabled the endpoint);
 * - `message.attempt.recovered`: a delivery that had been reported failing or exhausted succeeds
 *   (a later scheduled attempt, or a manual resend or recover);
 * - `endpoint.disabled` (`trigger: automatic`): this attempt disabled the endpoint.
 * Most attempts cause none and cost no query here.
 */
export async function emitAttemptEvents(trx: Database, emitter: OperationalEmitter, attempt: RecordedAttempt): Promise<void> {
  const { job, ctx, outcome } = attempt;
  const type = await attemptEventType(trx, attempt);
  if (type) {
    await emitOperationalEvent(trx, emitter, job.tenantId, {
      type,
      message: { id: ctx.message.id, eventId: ctx.message.eventId, appId: ctx.message.appId },
      endpointId: job.endpointId,
      lastAttempt: attempt.lastAttempt,
    });
  }
  if (outcome.disabled) {
    const failSince = await operationalRepo.findFailingSince(trx, job.tenantId, job.endpointId);
    await emitOperationalEvent(trx, emitter, job.tenantId, {
      type: 'endpoint.disabled',
      endpoint: { id: ctx.endpoint.id, uid: ctx.endpoint.uid, appId: ctx.endpoint.appId },
      trigger: 'automatic',
      failSince: failSince ?? null,
    });
  }
}

async function attemptEventType(trx: Database, { job, outcome, lastAttempt, schedule }: RecordedAttempt): Promise<AttemptEventType | undefined> {
  if (job.trigger === 0) {
    if (outcome.result === 'retrying') return job.attempt === FAILING_AFTER_ATTEMPTS ? 'message.attempt.failing' : undefined;
    if (outcome.result === 'exhausted') return 'message.attempt.exhausted';
    // A scheduled attempt after the 4th exists only because the 4th failed and was reported.
    return job.attempt > FAILING_AFTER_ATTEMPTS ? 'message.attempt.recovered' : undefined;
  }
  // A manual attempt reports nothing when it fails; when it succeeds, it ends a reported failure if
  // the schedule had reached the failing (or, with a shorter schedule, the exhausted) attempt and
  // nothing had succeeded before.
  if (outcome.result !== 'succeeded') return undefined;
  const history = await operationalRepo.deliveryHistory(trx, job, lastAttempt.id);
  const reported = history.attemptCount >= Math.min(FAILING_AFTER_ATTEMPTS, schedule.length + 1);
  return reported && !history.succeededBefore ? 'message.attempt.recovered' : undefined;
}
