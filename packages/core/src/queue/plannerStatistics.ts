import { plannerStatisticsRepo, type Database } from '@hookline/db';

export interface PlannerStatisticsOptions {
  /** New deliveries after which the statistics are first refreshed; the number doubles after each refresh. */
  firstAfter?: number;
  /** The most deliveries between two refreshes. */
  atMostEvery?: number;
  /** Shortest time between two refreshes by one process (ms). */
  minIntervalMs?: number;
  onError: (err: unknown) => void;
}

/**
 * Keeps the planner's statistics of the delivery tables current while they grow: a process
 * refreshes them (see plannerStatisticsRepo) once it has created 1,000 deliveries, again after
 * 2,000 more, 4,000 more and so on up to every million, at most every 10 s, in the background and
 * one at a time. PostgreSQL replans the statements that read a table once it is analyzed, so a
 * plan made for the table's first rows does not outlive them. With stale statistics a backlog of
 * 200,000 deliveries was drained at half the rate (`pnpm bench --only 3`).
 */
export class PlannerStatistics {
  readonly #db: Database;
  readonly #atMostEvery: number;
  readonly #minIntervalMs: number;
  readonly #onError: (err: unknown) => void;
  #every: number;
  #since = 0;
  #last = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;

  constructor(db: Database, { firstAfter = 1000, atMostEvery = 1_000_000, minIntervalMs = 10_000, onError }: PlannerStatisticsOptions) {
    this.#db = db;
    this.#every = firstAfter;
    this.#atMostEvery = atMostEvery;
    this.#minIntervalMs = minIntervalMs;
    this.#onError = onError;
  }

  /** Counts deliveries just created (committed); may start a refresh. */
  noteDeliveries(count: number): void {
    this.#since += count;
    if (this.#since < this.#every || this.#running || Date.now() - this.#last < this.#minIntervalMs) return;
    this.#since = 0;
    this.#every = Math.min(this.#every * 2, this.#atMostEvery);
    this.#last = Date.now();
    this.#running = this.#refresh()
      .catch(this.#onError)
      .finally(() => {
        this.#running = undefined;
      });
  }

  async #refresh(): Promise<void> {
    await plannerStatisticsRepo.analyzeDeliveryTables(this.#db);
  }

  /** Resolves once the refresh in progress, if any, is done. */
  async settled(): Promise<void> {
    await this.#running;
  }
}
