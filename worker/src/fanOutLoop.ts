import type { Logger } from 'pino';
import { fanOutPending, fanOutPendingOneByOne, FanOutSleepNotice, type FannedOut } from '@hookline/core';
import type { Database, PgBoss } from '@hookline/db';
import { Alarm } from './alarm.ts';

/**
 * Messages fanned out per transaction. Enough to keep up with thousands of publishes a second in
 * a few round trips; few enough that a batch to applications with a thousand endpoints each stays
 * a transaction of seconds, not minutes.
 */
export const FAN_OUT_BATCH = 25;

/**
 * The worker's fan-out loop: takes pending messages in batches (see fanOutPending) while there are
 * any, then sleeps until a publish wakes it (NOTIFY) or the poll interval passes. A batch that
 * fails is redone one message at a time, so a message that keeps failing is put off on its own.
 * Before it sleeps it says so (FanOutSleepNotice), so that hookline.publish wakes it at commit.
 */
export class FanOutLoop {
  readonly #deps: { db: Database; boss: PgBoss; logger: Logger };
  readonly #alarm: Alarm;
  readonly #onDeliveries: (count: number, healthy: ReadonlySet<string>) => void;
  readonly #sleepNotice: FanOutSleepNotice;
  #stopping = false;
  #running: Promise<void> | undefined;

  /**
   * `onDeliveries` runs, with their number and the endpoints given an attempt in the healthy lane,
   * once a batch that made deliveries has committed. The batch itself sends no NOTIFY
   * (fanOutPending), so this is what wakes the delivery loops: the worker's own at once, the
   * others' by a NOTIFY after the commit.
   */
  constructor(
    deps: { db: Database; boss: PgBoss; logger: Logger; worker: string },
    pollIntervalMs: number,
    onDeliveries: (count: number, healthy: ReadonlySet<string>) => void,
  ) {
    this.#deps = deps;
    this.#alarm = new Alarm(pollIntervalMs);
    this.#onDeliveries = onDeliveries;
    this.#sleepNotice = new FanOutSleepNotice(deps.db, deps.worker, pollIntervalMs, (err) =>
      deps.logger.debug({ err }, 'could not tell publishers whether the fan-out sleeps; the poll interval bounds the wait'),
    );
  }

  start(): void {
    this.#running = this.#run();
  }

  wake(): void {
    this.#alarm.wake();
  }

  /** Stops after the batch in hand (it commits or rolls back as a whole). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { db, boss, logger } = this.#deps;
    while (!this.#stopping) {
      this.#alarm.take();
      let full = false;
      try {
        const done = await fanOutPending(db, boss, FAN_OUT_BATCH);
        full = done.length >= FAN_OUT_BATCH;
        this.#fannedOut(done);
      } catch (err) {
        logger.debug({ err }, 'fan-out batch failed; fanning out one by one');
        try {
          const done = await fanOutPendingOneByOne(db, boss, FAN_OUT_BATCH, ({ tenantId, msgId, attempts }, failure) => {
            logger.warn({ err: failure, tenantId, msgId, attempts: attempts + 1 }, 'fan-out failed; it will be retried');
          });
          full = done.length > 0;
          this.#fannedOut(done);
        } catch (claimErr) {
          logger.error({ err: claimErr }, 'taking messages to fan out failed');
        }
      }
      // Only full batches withdraw the notice: a loop that found a few messages sleeps again at
      // once, and withdrawing and giving it anew cost two statements per wake-up at 200 msg/s.
      if (full) await this.#sleepNotice.busy();
      if ((full || this.#alarm.woken) && !this.#stopping) continue;
      if (!this.#stopping && (await this.#sleepNotice.sleeping())) continue;
      await this.#alarm.sleep();
    }
    await this.#sleepNotice.busy();
  }

  #fannedOut(done: readonly FannedOut[]): void {
    const deliveries = done.reduce((n, m) => n + m.endpoints, 0);
    if (deliveries > 0) this.#onDeliveries(deliveries, new Set(done.flatMap((m) => m.healthy)));
    if (this.#deps.logger.isLevelEnabled('debug')) for (const m of done) this.#deps.logger.debug(m, 'fanned out');
  }
}
