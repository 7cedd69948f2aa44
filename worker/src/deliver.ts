import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  acquireSendSlot,
  cancelDelivery,
  completeDroppedDelivery,
  effectiveRetrySchedule,
  effectiveTimeoutMs,
  finishDeliveriesInTransaction,
  outgoingRequest,
  inSpan,
  mtlsRefOf,
  namedSignatureHeaders,
  postponeAttempt,
  recordAttempt,
  sendWithCredentials,
  SPAN_ATTRIBUTES,
  SpanKind,
  type AttemptResult,
  type Config,
  type DeliveryLoader,
  type GroupCommit,
  type Metrics,
  type OAuthTokens,
  type SendRequest,
  type SendResult,
  type Span,
  type Transformer,
} from '@hookline/core';
import type { Database, DeliverJob, Job, PgBoss } from '@hookline/db';
import { signatureHeaders } from '@hookline/signing';

export interface Sender {
  send(req: SendRequest): Promise<SendResult>;
}

/** What an attempt records: the response, or the network error as status 0, and the headers it was sent with. */
function toAttemptResult(result: SendResult): AttemptResult {
  const { requestHeaders, durationMs } = result;
  if (result.kind === 'error') return { statusCode: 0, response: result.error, durationMs, requestHeaders };
  // The status arrived but the body never did (trickled past the timeout, or too large): a failure.
  if (result.incomplete !== undefined) {
    return { statusCode: result.status, response: result.incomplete, durationMs, responseHeaders: result.headers, requestHeaders, failed: true };
  }
  return { statusCode: result.status, response: result.body, durationMs, responseHeaders: result.headers, requestHeaders };
}

type DeliverDeps = {
  db: Database;
  boss: PgBoss;
  config: Readonly<Config>;
  sender: Sender;
  logger: Logger;
  metrics: Metrics;
  loader: DeliveryLoader;
  commits: GroupCommit;
  transformer: Transformer;
  /** OAuth access tokens of the endpoints this worker delivers to. */
  tokens: OAuthTokens;
};
type JobLog = { [L in 'debug' | 'warn']: (obj: object, msg: string) => void };

/**
 * The log of one job: every line names its fields. Made as a child logger only once a line is
 * written at an enabled level: creating one per attempt (its bindings serialised and redacted) cost
 * more CPU than the attempt's queries in the bench, for lines mostly never written.
 */
function jobLog(parent: Logger, fields: object): JobLog {
  let child: Logger | undefined;
  const at = (level: 'debug' | 'warn') => (obj: object, msg: string) => {
    if (parent.isLevelEnabled(level)) (child ??= parent.child(fields))[level](obj, msg);
  };
  return { debug: at('debug'), warn: at('warn') };
}

/**
 * One delivery attempt: load, sign, POST, record, schedule the next attempt on failure. A failed
 * HTTP exchange is a recorded attempt, never a thrown error; only infrastructure failures throw,
 * so that pg-boss retries the job. Every log line of it names the message, endpoint and tenant;
 * its span continues the publish's trace (carried in the job).
 */
export async function deliver(deps: DeliverDeps, job: Job<DeliverJob>): Promise<void> {
  const { tenantId, msgId, endpointId, attempt } = job.data;
  const logger = jobLog(deps.logger, { tenantId, msgId, endpointId, attempt, jobId: job.id });
  return inSpan(
    'hookline.deliver',
    {
      kind: SpanKind.CLIENT,
      parent: job.data.trace,
      attributes: {
        [SPAN_ATTRIBUTES.tenantId]: tenantId,
        [SPAN_ATTRIBUTES.messageId]: msgId,
        [SPAN_ATTRIBUTES.endpointId]: endpointId,
        [SPAN_ATTRIBUTES.attempt]: attempt,
      },
    },
    (span) => attemptDelivery({ ...deps, logger }, job, span),
  );
}

async function attemptDelivery(deps: Omit<DeliverDeps, 'logger'> & { logger: JobLog }, job: Job<DeliverJob>, span: Span): Promise<void> {
  const { db, boss, config, sender, logger, metrics, commits } = deps;
  const ctx = await deps.loader.load(job.data);
  if (!ctx) {
    await completeDroppedDelivery(job.data, (work) => commits.commit(job, work));
    logger.debug({}, 'delivery dropped: the message, its payload or the endpoint is gone');
    return;
  }
  const { message, endpoint, secrets } = ctx;
  const permit = await acquireSendSlot(db, job.data, endpoint.id, ctx.throttleRate);
  if (permit.kind === 'later') {
    await postponeAttempt(db, boss, job.data, permit.at, finishDeliveriesInTransaction(job.name, [job]));
    logger.debug({ until: permit.at }, 'attempt postponed by the endpoint throttle');
    return;
  }
  if (permit.kind === 'wait') await sleep(permit.ms);
  // The endpoint's transformation (if any) runs before signing: the signature covers what is sent.
  const out = await outgoingRequest(deps.transformer, ctx);
  if (out.kind === 'cancel') {
    await cancelDelivery(job.data, (work) => commits.commit(job, work));
    metrics.deliveries.inc({ outcome: 'canceled' });
    logger.debug({}, 'delivery canceled by the endpoint transformation');
    return;
  }
  let result: SendResult;
  let sent = ctx;
  if (out.kind === 'failed') {
    result = { kind: 'error', status: 0, error: out.reason, blocked: false, durationMs: 0 };
  } else {
    const headers = {
      ...endpoint.headers,
      ...namedSignatureHeaders(signatureHeaders({ secrets, msgId: message.id, payload: out.body }), ctx.headerNames),
    };
    result = await sendWithCredentials((req) => sender.send(req), deps.tokens, ctx.credentials, {
      method: out.method,
      url: out.url,
      headers,
      body: out.body,
      timeoutMs: effectiveTimeoutMs(endpoint, config.deliveryTimeoutMs),
      mtls: mtlsRefOf(ctx),
    });
    // The attempt records the URL it was sent to (a transformation may have changed it).
    if (out.url !== endpoint.url) sent = { ...ctx, endpoint: { ...endpoint, url: out.url } };
  }
  // The attempt record (which tenants see) says only that the target was refused; where it pointed is for the operator.
  if (result.kind === 'error' && result.logDetail !== undefined) logger.warn({ refused: result.logDetail }, 'delivery refused by the SSRF guard');
  const outcome = await recordAttempt(
    boss,
    job.data,
    sent,
    toAttemptResult(result),
    {
      schedule: effectiveRetrySchedule(endpoint, ctx.retrySchedule, config.retrySchedule),
      autoDisableAfterSeconds: config.autoDisableAfterSeconds,
      payloadRetentionDays: config.payloadRetentionDays,
    },
    (work, succeeded) => commits.commit(job, work, succeeded),
  );
  metrics.deliveries.inc({ outcome: outcome.result });
  metrics.attemptDuration.observe({ outcome: outcome.result === 'succeeded' ? 'success' : 'failure' }, result.durationMs / 1000);
  if (outcome.disabled) metrics.endpointsDisabled.inc({ reason: outcome.disabled });
  span.setAttributes({ [SPAN_ATTRIBUTES.httpStatus]: result.status, [SPAN_ATTRIBUTES.outcome]: outcome.result });
  const log = { appId: message.appId, status: result.status, durationMs: Math.round(result.durationMs), ...outcome };
  if (outcome.disabled) logger.warn(log, 'endpoint disabled');
  else logger.debug(log, 'attempt recorded');
}
