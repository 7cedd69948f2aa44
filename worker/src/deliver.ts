import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireSendSlot, JOBS, loadDelivery, postponeAttempt, recordAttempt, type AttemptResult, type Config, type Metrics, type DeliverJob, type SendResult } from '@hookline/core';
import type { Database } from '@hookline/db';
import { signatureHeaders } from '@hookline/signing';
import { settleInTransaction } from './settle.ts';

export interface Sender {
  send(req: { url: string; headers: Record<string, string>; body: string }): Promise<SendResult>;
}

/** What an attempt records: the response, or the network error as status 0. */
function toAttemptResult(result: SendResult): AttemptResult {
  if (result.kind === 'error') return { statusCode: 0, response: result.error, durationMs: result.durationMs };
  return { statusCode: result.status, response: result.body, durationMs: result.durationMs, responseHeaders: result.headers };
}

/**
 * One delivery attempt: load, sign, POST, record, schedule the next attempt on failure. A failed
 * HTTP exchange is a recorded attempt, never a thrown error; only infrastructure failures throw,
 * so that pg-boss retries the job.
 */
export async function deliver(
  deps: { db: Database; boss: PgBoss; config: Readonly<Config>; sender: Sender; logger: Logger; metrics: Metrics },
  job: Job<DeliverJob>,
): Promise<void> {
  const { db, boss, config, sender, logger, metrics } = deps;
  const settle = settleInTransaction(boss, JOBS.deliver, job);
  const ctx = await loadDelivery(db, job.data);
  if (!ctx) {
    await db.transaction().execute(settle);
    return;
  }
  const { message, endpoint, secrets } = ctx;
  const permit = await acquireSendSlot(db, job.data, endpoint.id, ctx.throttleRate);
  if (permit.kind === 'later') {
    await postponeAttempt(db, boss, job.data, permit.at, settle);
    return;
  }
  if (permit.kind === 'wait') await sleep(permit.ms);
  const headers = {
    ...endpoint.headers,
    ...signatureHeaders({ secrets, msgId: message.id, payload: message.payload }),
  };
  const result = await sender.send({ url: endpoint.url, headers, body: message.payload });
  const outcome = await recordAttempt(db, boss, job.data, ctx, toAttemptResult(result), {
    schedule: ctx.retrySchedule ?? config.retrySchedule,
    autoDisableAfterSeconds: config.autoDisableAfterSeconds,
    payloadRetentionDays: config.payloadRetentionDays,
  }, settle);
  metrics.deliveries.inc({ outcome: outcome.result });
  metrics.attemptDuration.observe({ outcome: outcome.result === 'succeeded' ? 'success' : 'failure' }, result.durationMs / 1000);
  if (outcome.disabled) metrics.endpointsDisabled.inc({ reason: outcome.disabled });
  const log = { msgId: message.id, endpointId: endpoint.id, attempt: job.data.attempt, status: result.status, ...outcome };
  if (outcome.disabled) logger.warn(log, 'endpoint disabled');
  else logger.debug(log, 'attempt recorded');
}
