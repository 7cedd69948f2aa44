import { Webhook } from 'standardwebhooks';
import type { ReceivedRequest } from '@hookline/test-support/receiver';
import type { ProcessExit } from './cluster.ts';
import type { ChaosPayload, PublishRecord } from './publisher.ts';

export type ChaosEventKind = 'api' | 'worker' | 'postgres';

/** One SIGKILL (or PostgreSQL restart) and when the system was working again after it. */
export interface ChaosEvent {
  kind: ChaosEventKind;
  /** The kill (or the PostgreSQL stop). */
  at: number;
  /** The replacement process was spawned, or PostgreSQL was up again. */
  restartedAt: number;
  /** The kill, counted from the start of the run. */
  sinceStartMs?: number;
  /** From the kill to the first 2xx of a publish sent after it. */
  publishRecoveryMs?: number;
  /** From the kill to the first delivery that arrived after the restart. */
  deliveryRecoveryMs?: number;
}

export interface EndpointDeliveries {
  secret: string;
  requests: ReceivedRequest[];
}

export interface ChaosFigures {
  messages: number;
  endpoints: number;
  /** Publishes that got a 2xx. */
  accepted: number;
  /** Publishes answered 409 "eventId exists": stored, but never acknowledged to the publisher. */
  unacknowledged: number;
  gaveUp: number;
  rejected: number;
  /** Requests sent beyond one per message. */
  publishRetries: number;
  /** accepted × endpoints */
  expectedDeliveries: number;
  /** Distinct (accepted message, endpoint) pairs that reached their receiver. */
  delivered: number;
  missing: number;
  /** Requests received beyond the first per (message, endpoint). */
  duplicates: number;
  /** Requests received for a message whose publish never got a 2xx, or under another message id. */
  unaccepted: number;
  badSignatures: number;
  /** Requests received whose body was not what was published. */
  corruptBodies: number;
  events: ChaosEvent[];
  maxPublishRecoveryMs: number;
  maxDeliveryRecoveryMs: number;
  /** From the last accepted publish until every accepted message had reached every endpoint. */
  drainMs: number | undefined;
  /** Publishes without a 2xx, with the last answer or error each got. */
  notAccepted: Array<Pick<PublishRecord, 'eventId' | 'outcome' | 'tries' | 'lastError'>>;
  unexpectedExits: ProcessExit[];
  durationMs: number;
}

/** Works out the figures of a run from what the publisher got and what the receivers saw. */
export function computeFigures(input: {
  records: PublishRecord[];
  endpoints: EndpointDeliveries[];
  events: ChaosEvent[];
  unexpectedExits: ProcessExit[];
  startedAt: number;
}): ChaosFigures {
  const { records, endpoints, events } = input;
  const accepted = new Map(records.filter((r) => r.outcome === 'accepted').map((r) => [r.eventId, r]));
  const allRequests = endpoints.flatMap((e) => e.requests);

  let delivered = 0;
  let duplicates = 0;
  let unaccepted = 0;
  let badSignatures = 0;
  let corruptBodies = 0;
  let lastFirstArrival = 0;
  for (const endpoint of endpoints) {
    const verifier = new Webhook(endpoint.secret);
    const seen = new Map<string, number>();
    for (const req of endpoint.requests) {
      try {
        verifier.verify(req.body, req.headers as Record<string, string>);
      } catch {
        badSignatures++;
      }
      let payload: ChaosPayload | undefined;
      try {
        payload = JSON.parse(req.body) as ChaosPayload;
      } catch {
        corruptBodies++;
        continue;
      }
      const record = accepted.get(payload.eventId);
      if (!record || record.msgId !== req.headers['webhook-id']) {
        unaccepted++;
        continue;
      }
      if (payload.seq !== record.seq) corruptBodies++;
      if (seen.has(payload.eventId)) duplicates++;
      else {
        seen.set(payload.eventId, req.at);
        delivered++;
      }
    }
    for (const at of seen.values()) lastFirstArrival = Math.max(lastFirstArrival, at);
  }

  for (const event of events) {
    event.sinceStartMs = event.at - input.startedAt;
    const publish = records.filter((r) => r.acceptedAt !== undefined && r.acceptedRequestAt! >= event.at).reduce((min, r) => Math.min(min, r.acceptedAt!), Infinity);
    if (publish !== Infinity) event.publishRecoveryMs = publish - event.at;
    const delivery = allRequests.filter((r) => r.at >= event.restartedAt).reduce((min, r) => Math.min(min, r.at), Infinity);
    if (delivery !== Infinity) event.deliveryRecoveryMs = delivery - event.at;
  }
  const lastAccepted = Math.max(0, ...[...accepted.values()].map((r) => r.acceptedAt!));
  return {
    messages: records.length,
    endpoints: endpoints.length,
    accepted: accepted.size,
    unacknowledged: records.filter((r) => r.outcome === 'conflict').length,
    gaveUp: records.filter((r) => r.outcome === 'gave-up' || r.outcome === 'pending').length,
    rejected: records.filter((r) => r.outcome === 'rejected').length,
    publishRetries: records.reduce((n, r) => n + r.tries - 1, 0),
    expectedDeliveries: accepted.size * endpoints.length,
    delivered,
    missing: accepted.size * endpoints.length - delivered,
    duplicates,
    unaccepted,
    badSignatures,
    corruptBodies,
    events,
    maxPublishRecoveryMs: Math.max(0, ...events.map((e) => e.publishRecoveryMs ?? 0)),
    maxDeliveryRecoveryMs: Math.max(0, ...events.map((e) => e.deliveryRecoveryMs ?? 0)),
    drainMs: delivered < accepted.size * endpoints.length ? undefined : Math.max(0, lastFirstArrival - lastAccepted),
    notAccepted: records.filter((r) => r.outcome !== 'accepted').map(({ eventId, outcome, tries, lastError }) => ({ eventId, outcome, tries, lastError })),
    unexpectedExits: input.unexpectedExits,
    durationMs: Date.now() - input.startedAt,
  };
}

/** A plain-text report: the headline figures, then one line per kill or restart. */
export function formatFigures(f: ChaosFigures): string {
  const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  const rows: Array<[string, string | number]> = [
    ['messages published', f.messages],
    ['endpoints', f.endpoints],
    ['accepted (2xx)', f.accepted],
    ['publish retries', f.publishRetries],
    ['unacknowledged (409 eventId exists)', f.unacknowledged],
    ['given up / rejected', `${f.gaveUp} / ${f.rejected}`],
    ['expected deliveries (accepted × endpoints)', f.expectedDeliveries],
    ['delivered (unique message × endpoint)', f.delivered],
    ['missing', f.missing],
    ['duplicates', f.duplicates],
    ['received but never accepted', f.unaccepted],
    ['bad signatures / corrupt bodies', `${f.badSignatures} / ${f.corruptBodies}`],
    ['api kills / worker kills / PostgreSQL restarts', ['api', 'worker', 'postgres'].map((k) => f.events.filter((e) => e.kind === k).length).join(' / ')],
    ['max recovery: next accepted publish', s(f.maxPublishRecoveryMs)],
    ['max recovery: next delivery', s(f.maxDeliveryRecoveryMs)],
    ['drain after last accepted publish', s(f.drainMs)],
    ['unexpected process exits', f.unexpectedExits.length],
    ['duration', s(f.durationMs)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('', 'events (time since start, kind: recovery to the next accepted publish, the next delivery):');
  for (const e of f.events)
    lines.push(`  +${s(e.sinceStartMs).padStart(8)}  ${e.kind.padEnd(8)}  publish ${s(e.publishRecoveryMs)}, delivery ${s(e.deliveryRecoveryMs)}`);
  return lines.join('\n');
}
