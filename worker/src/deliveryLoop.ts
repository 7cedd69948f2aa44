import type { Logger } from 'pino';
import { claimOf, endpointGroupConcurrency, fetchJobs, handBackJobs, heartbeatJobs, HEARTBEAT_SECONDS, JOBS, type DeliverJob, type Job, type PgBoss } from '@hookline/db';
import { Alarm } from './alarm.ts';

/** What a log line about one delivery job names: its tenant, message, endpoint and attempt. */
function jobFields(job: Job<DeliverJob>) {
  const { tenantId, msgId, endpointId, attempt } = job.data;
  return { jobId: job.id, tenantId, msgId, endpointId, attempt };
}

export interface DeliveryLoopOptions {
  /** Attempts in flight at once in this process. */
  capacity: number;
  /** Attempts one endpoint may have in flight across all workers. */
  perEndpoint: number;
  /** Longest wait between looks at the queue when nothing wakes the loop (due retries). */
  pollIntervalMs: number;
}

/** Groups jobs' claims by their queue (lane), for the queue calls that take one queue's jobs. */
function byLane(jobs: Iterable<Job<DeliverJob>>): Map<string, Array<{ id: string; retryCount: number }>> {
  const lanes = new Map<string, Array<{ id: string; retryCount: number }>>();
  for (const j of jobs) {
    const lane = lanes.get(j.name) ?? [];
    lane.push(claimOf(j));
    lanes.set(j.name, lane);
  }
  return lanes;
}

/**
 * The worker's delivery loop. Unlike a batch consumer, every job runs on its own: a receiver that
 * hangs until the timeout holds one slot, never a batch of healthy deliveries behind it. The queue
 * limits how many attempts one endpoint may have in flight across all workers (its group), so slow
 * endpoints cannot take the capacity healthy ones need. Jobs in hand are heartbeated; a job whose
 * handler throws (an infrastructure failure) is failed back to pg-boss to be retried.
 *
 * It takes jobs from both delivery lanes (DELIVERY_LANES): the healthy one at every look, the
 * failing one (whose fetch walks the attempts piled up behind failing endpoints) only when one of
 * its attempts finished here or a poll interval has passed since it last looked.
 */
export class DeliveryLoop {
  readonly #boss: PgBoss;
  readonly #logger: Logger;
  readonly #options: DeliveryLoopOptions;
  readonly #handle: (job: Job<DeliverJob>) => Promise<void>;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #held = new Map<string, Job<DeliverJob>>();
  /** Attempts in flight here per endpoint, in the healthy lane (whose limit is `perEndpoint`). */
  readonly #healthyPerEndpoint = new Map<string, number>();
  readonly #groups: ReturnType<typeof endpointGroupConcurrency>;
  #stopping = false;
  readonly #alarm: Alarm;
  #running: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  /** When the failing lane was last looked at (ms), and whether one of its attempts finished since. */
  #failingLookedAt = 0;
  #failingFreed = false;
  /** Whether the healthy lane may have attempts the last look did not see (see #run), and when it was last looked at (ms). */
  #healthyNews = true;
  #healthyLookedAt = 0;
  /** Endpoints whose attempt in the healthy lane finished, or which were given new ones, since the last look. */
  readonly #healthyTouched = new Set<string>();

  constructor(boss: PgBoss, logger: Logger, options: DeliveryLoopOptions, handle: (job: Job<DeliverJob>) => Promise<void>) {
    this.#boss = boss;
    this.#logger = logger;
    this.#options = options;
    this.#handle = handle;
    this.#groups = endpointGroupConcurrency(options.perEndpoint);
    this.#alarm = new Alarm(options.pollIntervalMs);
  }

  start(): void {
    this.#running = this.#run();
    this.#heartbeat = setInterval(() => void this.#touch(), (HEARTBEAT_SECONDS * 1000) / 2);
  }

  /** Look at the queue now (a NOTIFY announced new attempts). */
  wake(): void {
    this.#healthyNews = true;
    this.#alarm.wake();
  }

  /**
   * Attempts for these endpoints were enqueued in the healthy lane (by this worker's fan-out): the
   * loop looks unless each of them has its limit in flight here (see #run).
   */
  wakeFor(endpointIds: Iterable<string>): void {
    for (const id of endpointIds) this.#healthyTouched.add(id);
    this.#alarm.wake();
  }

  /**
   * Stops fetching at once, then waits up to `timeoutMs` for the attempts in flight (their results
   * are recorded). Attempts still running then are failed back to pg-boss, which hands them out
   * again right away; their late results cannot be recorded (the settle is fenced to this claim).
   * Returns how many were abandoned.
   */
  async stop(timeoutMs = Number.POSITIVE_INFINITY): Promise<{ abandoned: number }> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.#inFlight.values()]).then(() => true),
      ...(Number.isFinite(timeoutMs)
        ? [
            new Promise<false>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ]
        : []),
    ]);
    clearTimeout(timer);
    clearInterval(this.#heartbeat);
    const held = [...this.#held.values()];
    if (drained || held.length === 0) return { abandoned: 0 };
    this.#logger.warn({ jobs: held.length, deliveries: held.map(jobFields) }, 'shutdown timeout: abandoning deliveries in flight; they will be retried');
    for (const [lane, jobs] of byLane(held)) {
      await handBackJobs(this.#boss, lane, jobs, 'abandoned at shutdown').catch((err: unknown) =>
        this.#logger.error({ err }, 'could not hand back abandoned deliveries; they will be retried once their heartbeat lapses'),
      );
    }
    return { abandoned: held.length };
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * The healthy lane is looked at when something may have changed what it can hand out: a NOTIFY
   * announced new attempts, a poll interval passed since the last look (attempts come due:
   * throttled, scheduled, handed back), the last look filled every free slot, or an endpoint that
   * was given new attempts (wakeFor) or whose attempt finished is below its limit here. One at its
   * limit in this process is at it in all (this count is a floor of the queue's): the queue has
   * nothing for it, and a look that finds nothing walks the lane's whole backlog, the costliest
   * thing the database does (docs/performance.md). Decided here, after the last look's attempts
   * started, not when woken: a look still running may be taking the very slot a wake announced.
   */
  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#alarm.take(); // the fetches below see whatever woke the loop until now
      const look = this.#healthyNews || this.#pollDue(this.#healthyLookedAt) || [...this.#healthyTouched].some((id) => this.#below(id));
      this.#healthyNews = false;
      this.#healthyTouched.clear();
      if (look) this.#healthyLookedAt = Date.now();
      let full = look && (await this.#fetch(JOBS.deliver));
      if (full) this.#healthyNews = true;
      if (this.#failingFreed || this.#pollDue(this.#failingLookedAt)) {
        this.#failingFreed = false;
        this.#failingLookedAt = Date.now();
        full = (await this.#fetch(JOBS.deliverFailing)) || full;
      }
      // Woken during the fetch (a slot freed, a NOTIFY): look again; sleeping would leave freed
      // slots idle for a whole poll interval.
      if ((full || this.#alarm.woken) && !this.#stopping) continue;
      await this.#alarm.sleep();
    }
  }

  /** Whether a poll interval has passed since a lane was last looked at (`lookedAt`, ms). */
  #pollDue(lookedAt: number): boolean {
    return Date.now() - lookedAt >= this.#options.pollIntervalMs;
  }

  /** Whether an endpoint has fewer attempts in the healthy lane in flight here than its limit. */
  #below(endpointId: string): boolean {
    return (this.#healthyPerEndpoint.get(endpointId) ?? 0) < this.#options.perEndpoint;
  }

  /** Takes and starts as many of a lane's jobs as there are free slots (100 at most); true if it got that many. */
  async #fetch(lane: string): Promise<boolean> {
    const free = this.#options.capacity - this.#inFlight.size;
    if (free <= 0) return false;
    const want = Math.min(free, 100);
    try {
      const jobs = await fetchJobs<DeliverJob>(this.#boss, lane, want, this.#groups);
      for (const job of jobs) this.#start(job);
      return jobs.length === want;
    } catch (err) {
      this.#logger.error({ err, queue: lane }, 'fetching deliveries failed');
      return false;
    }
  }

  #start(job: Job<DeliverJob>): void {
    this.#held.set(job.id, job);
    const healthy = job.name === JOBS.deliver ? job.data.endpointId : undefined;
    if (healthy !== undefined) this.#healthyPerEndpoint.set(healthy, (this.#healthyPerEndpoint.get(healthy) ?? 0) + 1);
    const task = this.#handle(job)
      .catch(async (err: unknown) => {
        this.#logger.warn({ err, ...jobFields(job) }, 'delivery failed; it will be retried');
        await handBackJobs(this.#boss, job.name, [claimOf(job)], err instanceof Error ? err.message : String(err)).catch((failErr: unknown) =>
          this.#logger.error({ err: failErr, ...jobFields(job) }, 'could not fail job; it will expire and be retried'),
        );
      })
      .finally(() => {
        this.#inFlight.delete(job.id);
        this.#held.delete(job.id);
        if (healthy !== undefined) {
          const left = (this.#healthyPerEndpoint.get(healthy) ?? 1) - 1;
          if (left > 0) this.#healthyPerEndpoint.set(healthy, left);
          else this.#healthyPerEndpoint.delete(healthy);
          this.#healthyTouched.add(healthy);
        }
        if (job.name === JOBS.deliverFailing) this.#failingFreed = true;
        this.#alarm.wake();
      });
    this.#inFlight.set(job.id, task);
  }

  async #touch(): Promise<void> {
    for (const [lane, jobs] of byLane(this.#held.values())) {
      await heartbeatJobs(this.#boss, lane, jobs).catch((err: unknown) => this.#logger.warn({ err, queue: lane }, 'heartbeat failed'));
    }
  }
}
