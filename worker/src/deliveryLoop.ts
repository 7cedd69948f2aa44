import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { endpointGroupConcurrency, HEARTBEAT_SECONDS, JOBS, type DeliverJob } from '@hookline/core';

export interface DeliveryLoopOptions {
  /** Attempts in flight at once in this process. */
  capacity: number;
  /** Attempts one endpoint may have in flight across all workers. */
  perEndpoint: number;
  /** Longest wait between looks at the queue when nothing wakes the loop (due retries). */
  pollIntervalMs: number;
}

/**
 * The worker's delivery loop. Unlike a batch consumer, every job runs on its own: a receiver that
 * hangs until the timeout holds one slot, never a batch of healthy deliveries behind it. The queue
 * limits how many attempts one endpoint may have in flight across all workers (its group), so slow
 * endpoints cannot take the capacity healthy ones need. Jobs in hand are heartbeated; a job whose
 * handler throws (an infrastructure failure) is failed back to pg-boss to be retried.
 */
export class DeliveryLoop {
  readonly #boss: PgBoss;
  readonly #logger: Logger;
  readonly #options: DeliveryLoopOptions;
  readonly #handle: (job: Job<DeliverJob>) => Promise<void>;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #held = new Map<string, Job<DeliverJob>>();
  readonly #groups: ReturnType<typeof endpointGroupConcurrency>;
  #stopping = false;
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(boss: PgBoss, logger: Logger, options: DeliveryLoopOptions, handle: (job: Job<DeliverJob>) => Promise<void>) {
    this.#boss = boss;
    this.#logger = logger;
    this.#options = options;
    this.#handle = handle;
    this.#groups = endpointGroupConcurrency(options.perEndpoint);
  }

  start(): void {
    this.#running = this.#run();
    this.#heartbeat = setInterval(() => void this.#touch(), (HEARTBEAT_SECONDS * 1000) / 2);
  }

  /** Look at the queue now (a NOTIFY arrived, or a slot was freed). */
  wake(): void {
    this.#wake?.();
  }

  /** Stops fetching, then waits for the attempts in flight (their results are recorded). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    await Promise.allSettled([...this.#inFlight.values()]);
    clearInterval(this.#heartbeat);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const free = this.#options.capacity - this.#inFlight.size;
      let full = false;
      if (free > 0) {
        const want = Math.min(free, 100);
        try {
          const jobs = await this.#boss.fetch<DeliverJob>(JOBS.deliver, { batchSize: want, groupConcurrency: this.#groups });
          for (const job of jobs) this.#start(job);
          full = jobs.length === want;
        } catch (err) {
          this.#logger.error({ err }, 'fetching deliveries failed');
        }
      }
      if (full && !this.#stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#options.pollIntervalMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  #start(job: Job<DeliverJob>): void {
    this.#held.set(job.id, job);
    const task = this.#handle(job)
      .catch(async (err: unknown) => {
        this.#logger.warn({ err, jobId: job.id, msgId: job.data.msgId, endpointId: job.data.endpointId }, 'delivery failed; it will be retried');
        await this.#boss.fail(JOBS.deliver, { id: job.id, retryCount: job.retryCount }, { message: err instanceof Error ? err.message : String(err) })
          .catch((failErr: unknown) => this.#logger.error({ err: failErr, jobId: job.id }, 'could not fail job; it will expire and be retried'));
      })
      .finally(() => {
        this.#inFlight.delete(job.id);
        this.#held.delete(job.id);
        this.wake();
      });
    this.#inFlight.set(job.id, task);
  }

  async #touch(): Promise<void> {
    const jobs = [...this.#held.values()].map((j) => ({ id: j.id, retryCount: j.retryCount }));
    if (jobs.length === 0) return;
    await this.#boss.touch(JOBS.deliver, jobs).catch((err: unknown) => this.#logger.warn({ err }, 'heartbeat failed'));
  }
}
