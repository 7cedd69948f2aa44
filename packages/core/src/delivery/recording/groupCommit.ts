import { claimOf, deliveryAttemptRepo, type Database, type Job, type SucceededAttempt } from '@hookline/db';
import { finishDeliveriesInTransaction } from './settle.ts';

type Work = (trx: Database) => Promise<void>;
/** Attempts committed in one transaction at the most. */
const MAX_BATCH = 64;
/** Plain successes written by one statement at the most. */
const MAX_PLAIN = 256;
const endpointOf = (job: Job<unknown>): string => String((job.data as { endpointId?: string } | null)?.endpointId ?? '');
interface Pending {
  job: Job<unknown>;
  work: Work;
  /** Set when all `work` writes is this successful attempt: written with the others in one statement. */
  succeeded: SucceededAttempt | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of finished attempts. Attempts that finish while a commit runs are recorded
 * together in the next one: all plain successes and their jobs' fenced finishes in one
 * statement (no transaction: one round trip, which is most of the time a job holds its endpoint's
 * slot after the HTTP exchange); the other attempts in one transaction that runs their writes and
 * finishes their jobs in one fenced statement. Per attempt, that saves BEGIN, COMMIT, the
 * job's finish and (mostly) its writes, which with the loads were most of the round trips an attempt
 * made to the database.
 *
 * Each job's finish stays in the transaction of its writes, fenced to the claim it was fetched
 * with. If anything in a shared transaction fails (one claim lapsed, one attempt's writes failed),
 * it rolls back and every attempt of it is committed again alone, so one failure never loses or
 * fails another attempt's record.
 */
export class GroupCommit {
  readonly #db: Database;
  #pending: Pending[] = [];
  /** One commit at a time: concurrent ones could lock endpoint rows in crossing orders. */
  #flushing = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Runs `work` and finishes `job` in one transaction; resolves once committed. */
  commit(job: Job<unknown>, work: Work, succeeded?: SucceededAttempt): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ job, work, succeeded, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const taken = this.#take();
        // A job's finish names one queue: the jobs of each delivery lane are committed apart.
        for (const queue of new Set(taken.map((e) => e.job.name))) {
          const batch = taken.filter((e) => e.job.name === queue);
          const plain = batch.filter((e) => e.succeeded);
          const others = batch.filter((e) => !e.succeeded);
          if (plain.length > 0 && !(await this.#succeeded(queue, plain))) others.push(...plain);
          if (others.length > 1 && (await this.#together(queue, others))) continue;
          for (const entry of others) await this.#alone(entry);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * The next round: every waiting plain success (one statement for all of them) and at most
   * MAX_BATCH other attempts, in arrival order. A burst of failures (hanging endpoints timing out
   * together) is committed a batch per round, so successes that finish behind it wait for one
   * batch, not the whole burst. An endpoint's attempts keep their order (its health must end in
   * the latest outcome): one waits while an earlier one to its endpoint waits, and a success, which
   * a round writes first, waits for the next round if an earlier attempt to its endpoint is in this one.
   */
  #take(): Pending[] {
    const taken: Pending[] = [];
    const left: Pending[] = [];
    const waiting = new Set<string>();
    const inRound = new Set<string>();
    let plain = 0;
    let others = 0;
    for (const entry of this.#pending) {
      const endpoint = endpointOf(entry.job);
      const room = entry.succeeded ? plain < MAX_PLAIN && !inRound.has(endpoint) : others < MAX_BATCH;
      if (room && !waiting.has(endpoint)) {
        taken.push(entry);
        if (entry.succeeded) plain++;
        else {
          others++;
          inRound.add(endpoint);
        }
      } else {
        left.push(entry);
        waiting.add(endpoint);
      }
    }
    this.#pending = left;
    return taken;
  }

  /**
   * Plain successes (most attempts): their rows and their jobs' fenced finishes are one
   * statement, without a transaction around it. False (nothing written) if it failed, e.g. a claim lapsed.
   */
  async #succeeded(queue: string, batch: Pending[]): Promise<boolean> {
    try {
      await deliveryAttemptRepo.writeSucceededAttempts(
        this.#db,
        batch.map((e) => e.succeeded!),
        new Date(),
        {
          queue,
          jobs: batch.map(({ job }) => claimOf(job)),
        },
      );
    } catch {
      return false;
    }
    for (const { resolve } of batch) resolve();
    return true;
  }

  /** Commits the batch in one transaction; false (rolled back, nothing settled) if any part failed. */
  async #together(queue: string, batch: Pending[]): Promise<boolean> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        // Endpoint by endpoint, in order: each endpoint's rows (the endpoint, its statistics rows,
        // which every attempt writes) are locked together, and two workers' transactions lock them
        // in the same order, so they wait for each other instead of deadlocking.
        const endpoints = [...new Set(batch.map((e) => endpointOf(e.job)))].sort();
        for (const endpoint of endpoints) {
          const entries = batch.filter((e) => endpointOf(e.job) === endpoint);
          const succeeded = entries.flatMap((e) => (e.succeeded ? [e.succeeded] : []));
          await deliveryAttemptRepo.writeSucceededAttempts(trx, succeeded, new Date());
          for (const { work, succeeded: plain } of entries) if (!plain) await work(trx);
        }
        await finishDeliveriesInTransaction(
          queue,
          batch.map(({ job }) => job),
        )(trx);
      });
    } catch {
      return false;
    }
    for (const { resolve } of batch) resolve();
    return true;
  }

  async #alone({ job, work, resolve, reject }: Pending): Promise<void> {
    const settle = finishDeliveriesInTransaction(job.name, [job]);
    try {
      await this.#db.transaction().execute(async (trx) => {
        await work(trx);
        await settle(trx);
      });
      resolve();
    } catch (err) {
      reject(err);
    }
  }
}
