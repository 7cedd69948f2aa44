import { fanOutSleepRepo, type Database } from '@hookline/db';

/**
 * Tells publishing transactions whether a worker's fan-out loop sleeps. hookline.publish NOTIFYs
 * at commit only while some worker has said so (0038), because a NOTIFY serialises commits: a
 * loop taking full batches looks again by itself and needs no wake-up. The notice is a lease of three poll
 * intervals, renewed while the loop sleeps, so a worker that dies asleep stops drawing NOTIFYs.
 */
export class FanOutSleepNotice {
  readonly #db: Database;
  readonly #worker: string;
  readonly #leaseMs: number;
  readonly #onError: (err: unknown) => void;
  /** When our notice ends, by this process's clock (0: none given). */
  #until = 0;

  constructor(db: Database, worker: string, pollIntervalMs: number, onError: (err: unknown) => void) {
    this.#db = db;
    this.#worker = worker;
    this.#leaseMs = 3 * pollIntervalMs;
    this.#onError = onError;
  }

  /**
   * Before the loop sleeps. True when the notice was just given or renewed: the loop must look
   * once more, since a publish that committed before the notice sent no wake-up.
   */
  async sleeping(): Promise<boolean> {
    const now = performance.now();
    if (this.#until - now > this.#leaseMs / 2) return false;
    try {
      await fanOutSleepRepo.markAsleep(this.#db, this.#worker, this.#leaseMs / 1000);
      this.#until = now + this.#leaseMs;
      return true;
    } catch (err) {
      this.#onError(err);
      return false; // the poll interval still bounds the wait
    }
  }

  /** When the loop takes full batches (or stops): publishes need not wake it. */
  async busy(): Promise<void> {
    if (this.#until === 0) return;
    this.#until = 0;
    await fanOutSleepRepo.markAwake(this.#db, this.#worker).catch(this.#onError);
  }
}
