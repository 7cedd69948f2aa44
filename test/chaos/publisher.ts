import { setTimeout as sleep } from 'node:timers/promises';

export type PublishOutcome = 'pending' | 'accepted' | 'conflict' | 'rejected' | 'gave-up';

export interface PublishRecord {
  seq: number;
  eventId: string;
  /** Message id from the 2xx response. */
  msgId?: string;
  outcome: PublishOutcome;
  tries: number;
  /** When the request that got the 2xx was sent, and when its answer came. */
  acceptedRequestAt?: number;
  acceptedAt?: number;
  lastError?: string;
}

export interface PublisherOptions {
  baseUrl: string;
  apiKey: string;
  appId: string;
  eventType: string;
  messages: number;
  ratePerSecond: number;
  /** Makes eventIds and idempotency keys unique to this run. */
  runId: string;
  /** A message still not accepted after this long is given up (bounds the run). */
  giveUpAfterMs: number;
  requestTimeoutMs: number;
}

/** The payload each message carries, so a receiver can tell which publish it came from. */
export interface ChaosPayload {
  eventId: string;
  seq: number;
}

/**
 * Publishes messages at a steady rate, each with a unique eventId and idempotency key. A publish
 * that fails (connection refused or reset, timeout, 5xx, 409 while a claim is in progress, 429) is
 * sent again, same key and body, until it gets a 2xx: "accepted" is exactly the set of 2xx answers.
 */
export class Publisher {
  readonly #o: PublisherOptions;
  readonly records: PublishRecord[] = [];
  /** Messages whose first request has been sent. */
  started = 0;
  /** While set, publishing goes on past `messages` at the same rate, so that every kill happens under load. */
  holdOpen = true;
  #stopped = false;

  constructor(options: PublisherOptions) {
    this.#o = options;
  }

  /** Stops sending (an aborted run); messages not accepted yet stay pending. */
  stop(): void {
    this.#stopped = true;
  }

  /** Resolves once every message is accepted, refused or given up (and `holdOpen` is off). */
  async run(): Promise<void> {
    const t0 = Date.now();
    const tasks: Array<Promise<void>> = [];
    for (let seq = 0; (seq < this.#o.messages || this.holdOpen) && !this.#stopped; seq++) {
      const due = t0 + (seq * 1000) / this.#o.ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const record: PublishRecord = { seq, eventId: `evt-${this.#o.runId}-${seq}`, outcome: 'pending', tries: 0 };
      this.records.push(record);
      this.started++;
      tasks.push(this.#publish(record));
    }
    await Promise.all(tasks);
  }

  async #publish(record: PublishRecord): Promise<void> {
    const { baseUrl, apiKey, appId, eventType, runId, giveUpAfterMs, requestTimeoutMs } = this.#o;
    const payload: ChaosPayload = { eventId: record.eventId, seq: record.seq };
    const body = JSON.stringify({ eventType, eventId: record.eventId, payload });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': `chaos-${runId}-${record.seq}` };
    const deadline = Date.now() + giveUpAfterMs;
    let backoffMs = 100;
    while (!this.#stopped) {
      record.tries++;
      const sentAt = Date.now();
      let retryAfterMs = 0;
      try {
        const res = await fetch(`${baseUrl}/api/v1/app/${appId}/msg`, { method: 'POST', headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
        const text = await res.text();
        if (res.ok) {
          record.msgId = (JSON.parse(text) as { id: string }).id;
          record.outcome = 'accepted';
          record.acceptedRequestAt = sentAt;
          record.acceptedAt = Date.now();
          return;
        }
        record.lastError = `${res.status} ${text.slice(0, 300)}`;
        // The eventId exists, yet this key's publish never got its 2xx: the system accepted a
        // message without acknowledging it. Sending again cannot change that; it is reported.
        if (res.status === 409 && text.includes('eventId')) {
          record.outcome = 'conflict';
          return;
        }
        if (res.status === 429) retryAfterMs = Number(res.headers.get('retry-after') ?? 1) * 1000;
        else if (res.status !== 409 && res.status < 500) {
          record.outcome = 'rejected';
          return;
        }
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        record.lastError = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      }
      if (Date.now() > deadline) {
        record.outcome = 'gave-up';
        return;
      }
      await sleep(Math.max(retryAfterMs, backoffMs));
      backoffMs = Math.min(backoffMs * 2, 1000);
    }
  }
}
