import { attemptRepo, enqueueDeliveries, fanOutRepo, type Database, type MessageToFanOut, type NewDelivery, type PendingFanOut, type PgBoss } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { failSpan, SPAN_ATTRIBUTES, SpanKind, startSpan, type Span, type TraceCarrier } from '../telemetry/tracing.ts';
import { splitByPayloadFilter } from './payloadFilter.ts';

/** A message as claimed to be fanned out: with its subscribed endpoints, read in the claim. */
type ClaimedMessage = MessageToFanOut & { trace?: TraceCarrier | null | undefined };

export interface FannedOut {
  tenantId: string;
  msgId: string;
  /** Endpoints it was sent to (0: the message is gone, or nothing subscribes to it). */
  endpoints: number;
  /** Those whose first attempt waits in the healthy lane (not failing): what a delivery loop can take at once. */
  healthy: string[];
}

/**
 * Creates one delivery (state row + first attempt job) per enabled endpoint that subscribes to each
 * message `claim` returns, in the transaction it claims them in: a crash leaves all of a batch's
 * deliveries or none, and a claim that rolls back comes back to be fanned out again, never twice.
 * An endpoint whose payload filter leaves a message out gets a canceled delivery (status 4) and no
 * job: the logs show the message as skipped there, and a resend still delivers it. A batch costs
 * the round trips of one message: the claim (with its reads), two writes. Each traced message
 * gets its own `hookline.fanout` span in its publish's trace, which its deliveries continue.
 * With `notify: false` the transaction does not NOTIFY the workers: the caller wakes them once it
 * has committed (a NOTIFY in a transaction serialises commits; see Wakeup).
 */
export async function fanOutMessages(
  db: Database,
  boss: PgBoss,
  claim: (trx: Database) => Promise<readonly ClaimedMessage[]>,
  { notify = true }: { notify?: boolean } = {},
): Promise<FannedOut[]> {
  const spans: Span[] = [];
  try {
    return await db.transaction().execute(async (trx) => {
      const messages = await claim(trx);
      if (messages.length === 0) return [];
      const now = new Date();
      const deliveries: NewDelivery[] = [];
      const deliverJobs: Parameters<typeof enqueueDeliveries>[2] = [];
      const fannedOut = messages.map((msg): FannedOut => {
        const { tenantId, msgId, trace: parent } = msg;
        let trace = {};
        let span: Span | undefined;
        if (parent) {
          ({ span, trace } = startSpan('hookline.fanout', {
            kind: SpanKind.CONSUMER,
            parent,
            attributes: { [SPAN_ATTRIBUTES.tenantId]: tenantId, [SPAN_ATTRIBUTES.messageId]: msgId },
          }));
          spans.push(span);
        }
        if (msg.appId === null) return { tenantId, msgId, endpoints: 0, healthy: [] };
        const { appId } = msg;
        const { matching: endpoints, skipped } = splitByPayloadFilter(msg.endpoints, msg.payload);
        for (const ep of skipped) {
          deliveries.push({ tenantId, appId, msgId, endpointId: ep.id, status: MESSAGE_STATUS.canceled, nextAttemptAt: null });
        }
        const healthy: string[] = [];
        for (const ep of endpoints) {
          // An endpoint already failing gets its attempts one at a time (see endpointGroupConcurrency).
          const failing = ep.failingSince !== null;
          deliveries.push({ tenantId, appId, msgId, endpointId: ep.id, status: MESSAGE_STATUS.pending, nextAttemptAt: now });
          deliverJobs.push({ data: { tenantId, msgId, endpointId: ep.id, attempt: 1, trigger: 0 as const, ...trace }, failing });
          if (!failing) healthy.push(ep.id);
        }
        span?.setAttribute(SPAN_ATTRIBUTES.endpoints, endpoints.length);
        return { tenantId, msgId, endpoints: endpoints.length, healthy: healthy.sort() };
      });
      await attemptRepo.insertManyDeliveries(trx, deliveries);
      await enqueueDeliveries(boss, trx, deliverJobs, { notify });
      return fannedOut;
    });
  } catch (err) {
    for (const span of spans) failSpan(span, err);
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Fans out pending messages, oldest first: up to `limit` in one statement (fanOutRepo.fanOutPendingAtOnce),
 * then, if it passed over any (traced ones, payload filters), up to `limit` more in a transaction
 * (see fanOutRepo.claimPendingFanOuts). It does not NOTIFY: once it returns, the caller wakes the
 * workers if deliveries were made.
 */
export async function fanOutPending(db: Database, boss: PgBoss, limit: number): Promise<FannedOut[]> {
  const { done, passedOver } = await fanOutRepo.fanOutPendingAtOnce(db, limit, MESSAGE_STATUS.pending);
  if (passedOver === 0) return done;
  return [...done, ...(await fanOutMessages(db, boss, (trx) => fanOutRepo.claimPendingFanOuts(trx, limit), { notify: false }))];
}

/** How long a message whose fan-out failed waits for its next try: 1 s after the first failure, doubling up to 5 minutes. */
export function fanOutRetryDelaySeconds(failures: number): number {
  return Math.min(2 ** Math.max(0, failures - 1), 300);
}

/**
 * fanOutPending one message at a time, for when a batch failed: each message's failure stays its
 * own. A message that fails is put off (fanOutRetryDelaySeconds) and reported to `onFailure`; the
 * others go on. Returns those fanned out. Throws only when it cannot claim at all. Like
 * fanOutPending, it leaves waking the workers to the caller.
 */
export async function fanOutPendingOneByOne(db: Database, boss: PgBoss, limit: number, onFailure: (message: PendingFanOut, err: unknown) => void): Promise<FannedOut[]> {
  const fanned: FannedOut[] = [];
  for (let i = 0; i < limit; i++) {
    let claimed: PendingFanOut | undefined;
    try {
      const done = await fanOutMessages(
        db,
        boss,
        async (trx) => {
          const rows = await fanOutRepo.claimPendingFanOuts(trx, 1);
          claimed = rows[0];
          return rows;
        },
        { notify: false },
      );
      if (done.length === 0) break;
      fanned.push(...done);
    } catch (err) {
      if (!claimed) throw err;
      await fanOutRepo.deferPendingFanOut(db, claimed.id, fanOutRetryDelaySeconds(claimed.attempts + 1));
      onFailure(claimed, err);
    }
  }
  return fanned;
}
