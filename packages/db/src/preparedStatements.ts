import type pg from 'pg';

// PostgreSQL plans an unnamed statement on every execution. For Hookline's hot statements that
// costs more than running them (publish's INSERT: ~0.4 ms to plan, ~0.1 ms to run), so the
// statements a process runs again and again are sent as named ones: parsed and planned once per
// connection. Bounded, as every name costs memory in each server process: a text is named only
// after it has run HOT_AFTER times (one-off and dynamic texts never are), and at most MAX_NAMED.

const HOT_AFTER = 3;
const MAX_NAMED = 256;

/** A prepared plan whose result columns changed (a migration ran under a running process). */
const isStalePlan = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((err as Error).message));

class StatementNames {
  readonly #runs = new Map<string, number>();
  readonly #names = new Map<string, string>();
  /** Texts never to name again (their plan went stale once). */
  readonly #unnamed = new Set<string>();
  /** Names are never reused: a connection may still hold a forgotten one. */
  #next = 0;

  /** The name to run this text under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.#names.get(text);
    if (name !== undefined || this.#names.size >= MAX_NAMED || this.#unnamed.has(text)) return name;
    const runs = (this.#runs.get(text) ?? 0) + 1;
    if (runs < HOT_AFTER) {
      // Counting stays bounded too: once full, the count restarts (rarely-run texts never get named).
      if (this.#runs.size >= MAX_NAMED * 8) this.#runs.clear();
      this.#runs.set(text, runs);
      return undefined;
    }
    this.#runs.delete(text);
    const named = `hl_${this.#next++}`;
    this.#names.set(text, named);
    return named;
  }

  forget(text: string): void {
    this.#names.delete(text);
    this.#unnamed.add(text);
  }
}

type Query = (...args: unknown[]) => unknown;

/**
 * Makes a pool's clients run hot statements as named ones (see above). Only `query(text, values)`
 * calls, the form Kysely uses, are touched. A named statement whose plan went stale (0A000) is
 * retried once unnamed and never named again; inside a transaction that retry fails as the
 * transaction already did, and the caller sees the error.
 */
export function prepareHotStatements(pool: pg.Pool): void {
  const names = new StatementNames();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof text === 'string' && Array.isArray(values) && callback === undefined ? names.nameFor(text) : undefined;
      if (name === undefined) return query(text, values, callback);
      return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
        if (!isStalePlan(err)) throw err;
        names.forget(text as string);
        return query(text, values);
      });
    };
  });
}
