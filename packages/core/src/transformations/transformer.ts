import { endpointTransformationRepo, type Database } from '@hookline/db';
import { CompiledTransformation, TransformationSyntaxError } from './sandbox.ts';
import { outcomeOf, webhookInputJson, type TransformOutcome, type WebhookInput } from './webhookShape.ts';

/** Compiled transformations kept per worker; the least recently used beyond this is released. */
const CACHE_SIZE = 256;

type Entry = { version: number; compiled: Promise<CompiledTransformation | TransformationSyntaxError> };

/**
 * The worker's transformations: compiled once per endpoint and code version (the row's updatedAt,
 * which the delivery load reads), then run for each attempt. Endpoints without an enabled
 * transformation never reach it (their load carries no version).
 */
export class Transformer {
  readonly #db: Database;
  readonly #cache = new Map<string, Entry>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Runs the endpoint's transformation at `version` on `webhook`. */
  async apply(key: { tenantId: string; endpointId: string }, version: Date, webhook: WebhookInput): Promise<TransformOutcome> {
    const compiled = await this.#compiled(key, version.getTime());
    if (compiled === undefined)
      return { kind: 'send', method: webhook.method, url: webhook.url, body: webhook.payloadJson, payload: undefined, eventType: webhook.eventType };
    if (compiled instanceof TransformationSyntaxError) return { kind: 'failed', reason: `transformation does not compile: ${compiled.message}` };
    const result = await compiled.run(webhookInputJson(webhook));
    // An isolate that ran out of memory is gone: the next attempt compiles afresh.
    if (!compiled.usable) this.#cache.delete(key.endpointId);
    return outcomeOf(result, webhook);
  }

  /** Releases every isolate (worker shutdown). */
  async close(): Promise<void> {
    const entries = [...this.#cache.values()];
    this.#cache.clear();
    for (const e of entries) {
      const c = await e.compiled;
      if (c instanceof CompiledTransformation) c.release();
    }
  }

  /** The compiled code at `version`, or the newer code if it changed since the load; undefined once disabled (sent as is). */
  async #compiled(key: { tenantId: string; endpointId: string }, version: number): Promise<CompiledTransformation | TransformationSyntaxError | undefined> {
    const hit = this.#cache.get(key.endpointId);
    if (hit && hit.version === version) {
      this.#cache.delete(key.endpointId); // re-inserted: most recently used last
      this.#cache.set(key.endpointId, hit);
      return hit.compiled;
    }
    const row = await endpointTransformationRepo.findEnabledCode(this.#db, key.tenantId, key.endpointId);
    if (!row) return undefined;
    const entry: Entry = {
      version: row.updatedAt.getTime(),
      compiled: CompiledTransformation.compile(row.code).catch((err: unknown) =>
        err instanceof TransformationSyntaxError ? err : new TransformationSyntaxError(String(err)),
      ),
    };
    if (hit) void hit.compiled.then((c) => c instanceof CompiledTransformation && c.release());
    this.#cache.delete(key.endpointId);
    this.#cache.set(key.endpointId, entry);
    this.#evict();
    return entry.compiled;
  }

  #evict(): void {
    while (this.#cache.size > CACHE_SIZE) {
      const [oldest, entry] = this.#cache.entries().next().value as [string, Entry];
      this.#cache.delete(oldest);
      void entry.compiled.then((c) => c instanceof CompiledTransformation && c.release());
    }
  }
}
