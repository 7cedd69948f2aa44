import { notifyRepo, type Database } from '@hookline/db';

/**
 * Wakes the workers LISTENing on a channel, after the work it announces has committed. A NOTIFY
 * inside a transaction takes a database-wide lock at commit (PostgreSQL queues notifications in
 * commit order), so concurrent publishes that each NOTIFY commit one at a time: pgbench with 50
 * clients makes 16k single-row INSERTs/s, 4k with a pg_notify in each. Sent on its own after the
 * commit instead, at most one per channel is in flight per process, and every wake that arrives
 * meanwhile is answered by one more NOTIFY once it is done (the one in flight may have been sent
 * before their commits). A lost wake-up (a crash, a failed NOTIFY) only delays the work until
 * the workers' next poll.
 */
export class Wakeup {
  readonly #db: Database;
  readonly #channel: string;
  readonly #onError: (err: unknown) => void;
  readonly #sender: string;
  #inFlight = false;
  #again = false;

  /** `sender` is the NOTIFY's payload: a worker names itself, to ignore its own wake-ups (see listenForWakeups). */
  constructor(db: Database, channel: string, onError: (err: unknown) => void, sender = '') {
    this.#db = db;
    this.#channel = channel;
    this.#onError = onError;
    this.#sender = sender;
  }

  /** Call after the commit of the work to announce. */
  wake(): void {
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#inFlight = true;
    this.#again = false;
    notifyRepo
      .notify(this.#db, this.#channel, this.#sender)
      .catch(this.#onError)
      .finally(() => {
        this.#inFlight = false;
        if (this.#again) this.wake();
      });
  }
}
