import { endpointTransformationRepo, type Database } from '@hookline/db';
import { CompiledTransformation, TransformationSyntaxError } from './sandbox.ts';
import { outcomeOf, webhookInputJson, type TransformOutcome, type WebhookInput } from './webhookShape.ts';

/** Compiled transformations kept per worker; the least recently used beyond this is released. */
const CACHE_SIZE = 256;

/**
 * One endpoint's compiled code at one version. `holders`: attempts that took it and have not
 * finished their run; an entry let go of (newer code, eviction, shutdown) is released after the last.
 */
interface Entry {
  version: number;
  compiled: Promise<CompiledTransformation | TransformationSyntaxError>;
  holders: number;
  dropped: boolean;
}

/**
 * The worker's transformations: compiled once per endpoint and code version (the row's updatedAt,
 * which the delivery load reads), then run for each attempt. Endpoints without an enabled
 * transformation never reach it (their load carries no version).
 */
export class Transformer {
  readonly #db: Database;
  readonly #cache = new Map<string, Entry>();
  readonly #cacheSize: number;

  constructor(db: Database, options: { cacheSize?: number } = {}) {
    this.#db = db;
    this.#cacheSize = options.cacheSize ?? CACHE_SIZE;
  }

  /** Runs the endpoint's transformation at `version` on `webhook`. */
  async apply(key: { tenantId: string; endpointId: string }, version: Date, webhook: WebhookInput): Promise<TransformOutcome> {
    const entry = await this.#take(key, version.getTime());
    if (entry === undefined)
      return { kind: 'send', method: webhook.method, url: webhook.url, body: webhook.payloadJson, payload: undefined, eventType: webhook.eventType };
    try {
      const compiled = await entry.compiled;
      if (compiled instanceof TransformationSyntaxError) return { kind: 'failed', reason: `transformation does not compile: ${compiled.message}` };
      const result = await compiled.run(webhookInputJson(webhook));
      // An isolate that ran out of memory is gone: the next attempt compiles afresh.
      if (!compiled.usable && this.#cache.get(key.endpointId) === entry) this.#cache.delete(key.endpointId);
      return outcomeOf(result, webhook);
    } finally {
      entry.holders--;
      if (entry.dropped && entry.holders === 0) release(entry);
    }
  }

  /** Releases every isolate (worker shutdown); those of runs in progress once they end. */
  async close(): Promise<void> {
    const entries = [...this.#cache.values()];
    this.#cache.clear();
    for (const e of entries) drop(e);
    await Promise.all(entries.map((e) => e.compiled));
  }

  /**
   * The entry of the code at `version`, or of the newer code if it changed since the load, taken
   * for one run (see Entry.holders); undefined once disabled (sent as is).
   */
  async #take(key: { tenantId: string; endpointId: string }, version: number): Promise<Entry | undefined> {
    const hit = this.#cache.get(key.endpointId);
    if (hit && hit.version === version) {
      this.#cache.delete(key.endpointId); // re-inserted: most recently used last
      this.#cache.set(key.endpointId, hit);
      hit.holders++;
      return hit;
    }
    const row = await endpointTransformationRepo.findEnabledCode(this.#db, key.tenantId, key.endpointId);
    if (!row) return undefined;
    const entry: Entry = {
      version: row.updatedAt.getTime(),
      compiled: CompiledTransformation.compile(row.code).catch((err: unknown) =>
        err instanceof TransformationSyntaxError ? err : new TransformationSyntaxError(String(err)),
      ),
      holders: 1,
      dropped: false,
    };
    // The entry in the cache now, which may be newer than `hit` (another attempt's lookup).
    const current = this.#cache.get(key.endpointId);
    if (current) drop(current);
    this.#cache.delete(key.endpointId);
    this.#cache.set(key.endpointId, entry);
    this.#evict();
    return entry;
  }

  #evict(): void {
    while (this.#cache.size > this.#cacheSize) {
      const [oldest, entry] = this.#cache.entries().next().value as [string, Entry];
      this.#cache.delete(oldest);
      drop(entry);
    }
  }
}

/** Lets go of an entry: released now, or by its last holder. */
function drop(entry: Entry): void {
  entry.dropped = true;
  if (entry.holders === 0) release(entry);
}

function release(entry: Entry): void {
  void entry.compiled.then((c) => c instanceof CompiledTransformation && c.release());
}
