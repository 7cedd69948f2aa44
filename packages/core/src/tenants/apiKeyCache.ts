import { listenForNotifications, tenantRepo, type ApiKeyRow, type Connection, type NotificationListener } from '@hookline/db';

interface Entry {
  row: ApiKeyRow;
  cachedAt: number;
}

export interface ApiKeyCacheOptions {
  /** Keys held at most; the oldest is dropped first. */
  maxEntries?: number;
  /** A key is looked up again after this long, even without a change (a safety net, not the mechanism). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * The live API keys this process has authenticated, by hash, so that a request costs no lookup of
 * its key (a publish's one round trip instead of two). Exact while it listens: every statement
 * that changes or removes keys NOTIFYs at its commit (migration 0047), and a NOTIFY, a lost
 * connection or a reconnect empties the cache; while not listening it holds nothing. A lookup
 * that started before such a change is not kept (see `generation`), and an entry past its key's
 * `expiresAt` is not used.
 */
export class ApiKeyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #generation = 0;
  #listener: NotificationListener | undefined;

  constructor(options: ApiKeyCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Starts listening for key changes on a connection of its own; the cache holds keys only while it listens. */
  listen(connection: Connection, onError?: (err: unknown) => void): this {
    this.#listener ??= listenForNotifications(
      connection,
      { [tenantRepo.API_KEY_CHANGES_CHANNEL]: () => this.forget() },
      { applicationName: 'hookline-api-keys', onListening: () => this.forget(), onLost: () => this.forget(), ...(onError ? { onError } : {}) },
    );
    return this;
  }

  /** Whether it hears key changes now (and so may hold keys). */
  get listening(): boolean {
    return this.#listener?.listening ?? false;
  }

  /** Keys held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The live key with this hash, when held. */
  get(keyHash: string): ApiKeyRow | undefined {
    const entry = this.#entries.get(keyHash);
    if (!entry) return undefined;
    const now = this.#now();
    if (!this.listening || now - entry.cachedAt > this.#maxAgeMs || (entry.row.expiresAt && entry.row.expiresAt.getTime() <= now)) {
      this.#entries.delete(keyHash);
      return undefined;
    }
    return entry.row;
  }

  /** Read before looking a key up; `set` keeps the key found only if nothing changed since. */
  get generation(): number {
    return this.#generation;
  }

  set(keyHash: string, row: ApiKeyRow, generation: number): void {
    if (generation !== this.#generation || !this.listening) return;
    this.#entries.delete(keyHash);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(keyHash, { row, cachedAt: this.#now() });
  }

  /** Notes the key's use as recorded (its last_used_at), so the held row does not ask for it again. */
  used(keyHash: string, at: Date): void {
    const entry = this.#entries.get(keyHash);
    if (entry) entry.row = { ...entry.row, lastUsedAt: at };
  }

  /** Drops every key held, and any lookup in flight: called on each key change. */
  forget(): void {
    this.#generation++;
    this.#entries.clear();
  }

  async close(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    this.forget();
    await listener?.close();
  }
}
