import pg from 'pg';

// PostgreSQL plans an unnamed statement on every execution. For Hookline's hot statements that
// costs more than running them (docs/performance.md), so the
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
 * A pg.Client class whose clients run hot statements as named ones (see above); one per pool, as
 * the names are counted per class. A pool takes it as its `Client` option. Only `query(text,
 * values)` calls (with or without a callback: Kysely's form and pg.Pool's) are touched. A named
 * statement whose plan went stale (0A000) is retried once unnamed and never named again; inside a
 * transaction that retry fails as the transaction already did, and the caller sees the error.
 */
export function preparingClient(session?: string): typeof pg.Client {
  const names = new StatementNames();
  return class PreparingClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      const query = this.query.bind(this) as Query;
      // `session` runs before the connection's first statement, which waits for it: pg 8 queues a
      // query sent while another runs (with a deprecation warning), pg 9 will not. Should the SET
      // fail, the connection keeps PostgreSQL's defaults: slower, not wrong.
      let sessionPending = session !== undefined;
      let sessionSet: Promise<void> | undefined;
      (this as unknown as { query: Query }).query = (text: unknown, values?: unknown, callback?: unknown) => {
        if (sessionPending) {
          sessionPending = false;
          const settled = () => {
            sessionSet = undefined;
          };
          sessionSet = (query(session) as Promise<unknown>).then(settled, settled);
        }
        if (!sessionSet) return run(text, values, callback);
        const after = sessionSet.then(() => run(text, values, callback));
        if (typeof callback !== 'function') return after;
        after.catch((err: unknown) => (callback as (e: unknown) => void)(err));
        return undefined;
      };
      const run = (text: unknown, values?: unknown, callback?: unknown): unknown => {
        // Only texts with parameters: pg sends one without as a simple query, which may hold several
        // statements (pg-boss's locked maintenance), and those cannot be prepared.
        const name =
          typeof text === 'string' && Array.isArray(values) && values.length > 0 && (callback === undefined || typeof callback === 'function')
            ? names.nameFor(text)
            : undefined;
        if (name === undefined) return query(text, values, callback);
        const unnamedAfterStalePlan = (err: unknown) => {
          if (!isStalePlan(err)) return false;
          names.forget(text as string);
          return true;
        };
        // pg.Pool's own query() (pg-boss's) passes a callback; Kysely awaits the promise.
        if (typeof callback === 'function') {
          return query({ name, text, values }, (err: unknown, res: unknown) =>
            err && unnamedAfterStalePlan(err) ? query(text, values, callback) : (callback as (e: unknown, r: unknown) => void)(err, res),
          );
        }
        return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
          if (!unnamedAfterStalePlan(err)) throw err;
          return query(text, values);
        });
      };
    }
  };
}

/**
 * The session setting (for preparingClient) that plans a connection's prepared statements once,
 * with a generic plan. A SET, not a startup option: PgBouncer refuses startup options it does not
 * track. Left to choose, PostgreSQL plans again on every run any statement whose generic plan looks
 * costlier than a custom one: the worker's batch statements, whose keys come in arrays
 * (`unnest($1::text[])`) that a custom plan knows to hold one element and a generic one guesses at
 * ten, were planned on every run, at several times their execution (docs/performance.md). Not for
 * the api: its list queries need plans made for their values (skewed applications, rare event
 * types; see listQueryPlans.test.ts).
 */
export const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';
