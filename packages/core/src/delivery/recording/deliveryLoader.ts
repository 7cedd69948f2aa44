import type { Database, DeliverJob } from '@hookline/db';
import type { SecretBox } from '../../secrets/secretBox.ts';
import { loadDeliveries, loadDelivery, type DeliveryContext } from '../attemptRecord.ts';

interface Request {
  job: DeliverJob;
  resolve: (ctx: DeliveryContext | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * Loads attempts' contexts in batches: the jobs of one fetch start together, so their loads are
 * requested in the same tick and made as one (two statements instead of two per job). If a batch
 * fails, each job is loaded alone, so one job's failure stays its own.
 */
export class DeliveryLoader {
  readonly #db: Database;
  readonly #box: SecretBox;
  #queued: Request[] = [];

  constructor(db: Database, box: SecretBox) {
    this.#db = db;
    this.#box = box;
  }

  load(job: DeliverJob): Promise<DeliveryContext | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#queued.length === 0) queueMicrotask(() => void this.#flush());
      this.#queued.push({ job, resolve, reject });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queued;
    this.#queued = [];
    let contexts: Array<DeliveryContext | undefined> | undefined;
    try {
      contexts = await loadDeliveries(
        this.#db,
        batch.map((r) => r.job),
        this.#box,
      );
    } catch {
      contexts = undefined;
    }
    if (contexts) {
      batch.forEach((r, i) => r.resolve(contexts[i]));
      return;
    }
    await Promise.all(batch.map((r) => loadDelivery(this.#db, r.job, this.#box).then(r.resolve, r.reject)));
  }
}
