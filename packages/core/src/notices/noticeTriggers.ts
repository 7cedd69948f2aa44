import { enqueueNotices, noticeRepo, type Database, type DeliverJob, type NoticeJob, type NoticeKind, type NoticeTarget, type PgBoss } from '@hookline/db';

/** Attempts in the window below which a failure rate says nothing. */
export const MIN_RATE_SAMPLE = 5;
/** The part of the last response or error a notice job carries. */
const ERROR_EXCERPT = 300;

/** What decides a notice about one recorded attempt (see recordAttempt). */
export interface NoticedAttempt {
  job: DeliverJob;
  appId: string;
  at: Date;
  ok: boolean;
  /** The endpoint was failing when the attempt was loaded: a success then ends a failing spell. */
  wasFailing: boolean;
  /** For a failure: the endpoint's failingSince after it (the spell it belongs to). */
  failingSince: Date | undefined;
  /** This attempt disabled the endpoint. */
  disabled: boolean;
  statusCode: number;
  response: string;
}

/**
 * Decides, in the transaction that records an attempt, whether the customer is told of it, and
 * queues the notice there, so it exists if and only if the attempt does:
 * - `failing`: the failing spell reached the application's threshold (failures in a row, or a
 *   failure rate over a window of the per-minute statistics), once per spell and at most once per
 *   endpoint per `minIntervalMinutes` since its last notice;
 * - `disabled`: this attempt disabled the endpoint;
 * - `recovered`: a success ended a spell a failing or disabled notice reported.
 * Costs one indexed query per failed attempt (settings or not), one per success that ends a failing
 * spell, and none for other successes.
 */
export async function queueFailureNotices(trx: Database, boss: PgBoss, a: NoticedAttempt): Promise<void> {
  const { tenantId, endpointId } = a.job;
  const notice = async (kind: NoticeKind, targets: NoticeTarget[], consecutiveFailures?: number) => {
    const excerpt = a.response.slice(0, ERROR_EXCERPT);
    const jobs: NoticeJob[] = targets.map((target) => ({
      tenantId,
      appId: a.appId,
      endpointId,
      kind,
      target,
      at: a.at.toISOString(),
      ...(kind === 'recovered' ? {} : { lastError: { status: a.statusCode, response: excerpt } }),
      ...(consecutiveFailures ? { consecutiveFailures } : {}),
    }));
    await enqueueNotices(boss, trx, jobs);
  };
  if (a.ok) {
    if (!a.wasFailing) return;
    const spell = await noticeRepo.endFailingSpell(trx, tenantId, endpointId);
    if (!spell?.failingNoticed || !spell.events.includes('recovered')) return;
    if (await noticeRepo.claimNotice(trx, tenantId, endpointId, a.at, { limited: false, minIntervalMinutes: 0, failingNoticed: false })) {
      await notice('recovered', spell.targets);
    }
    return;
  }
  if (!a.failingSince) return;
  const count = await noticeRepo.countFailure(trx, { tenantId, appId: a.appId, endpointId }, a.failingSince);
  if (!count) return;
  if (a.disabled) {
    if (!count.events.includes('disabled')) return;
    if (await noticeRepo.claimNotice(trx, tenantId, endpointId, a.at, { limited: false, minIntervalMinutes: 0, failingNoticed: true })) {
      await notice('disabled', count.targets, count.consecutiveFailures);
    }
    return;
  }
  if (count.failingNoticed || !count.events.includes('failing') || count.targets.length === 0) return;
  if (!(await thresholdReached(trx, endpointId, a.at, count))) return;
  const claimed = await noticeRepo.claimNotice(trx, tenantId, endpointId, a.at, { limited: true, minIntervalMinutes: count.minIntervalMinutes, failingNoticed: true });
  if (claimed) await notice('failing', count.targets, count.consecutiveFailures);
}

async function thresholdReached(trx: Database, endpointId: string, at: Date, count: noticeRepo.FailureCount): Promise<boolean> {
  if (count.thresholdFailures !== null && count.consecutiveFailures >= count.thresholdFailures) return true;
  if (count.failureRatePercent === null || count.failureRateWindowMinutes === null) return false;
  // Minute buckets: the window starts at the top of its first minute.
  const since = new Date(Math.floor(at.getTime() / 60_000) * 60_000 - (count.failureRateWindowMinutes - 1) * 60_000);
  const { success, fail } = await noticeRepo.recentAttemptCounts(trx, endpointId, since);
  const total = success + fail;
  return total >= MIN_RATE_SAMPLE && fail * 100 >= count.failureRatePercent * total;
}
