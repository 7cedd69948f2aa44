import type { BenchDatabases } from './cluster.ts';
import { runLoad, type LoadResult } from './load.ts';
import type { BenchReceiver } from './receiver.ts';
import { summarize, type Summary } from './stats.ts';
import { PUBLISH_BODY, type BenchTenant } from './tenant.ts';

/** What a scenario gets: the run's mode, its PostgreSQL, and a progress log. */
export interface BenchContext {
  quick: boolean;
  dbs: BenchDatabases;
  log(message: string): void;
}

/** One scenario's entry in bench-report.json. `baseline` and `ratio` use the keys of `figures` they compare with. */
export interface ScenarioReport {
  id: number;
  name: string;
  figures: Record<string, number>;
  baseline: Record<string, number>;
  ratio: Record<string, number>;
  targets: Array<{ target: string; met: boolean }>;
  notes: string[];
}

/** Picks the full or the quick value of a parameter. */
export const pick = <T>(ctx: BenchContext, full: T, quick: T): T => (ctx.quick ? quick : full);

/** A load that had failures is an error of the run, not a figure: it stops the bench. */
export function assertClean(what: string, r: LoadResult): void {
  if (r.errors > 0 || r.ok === 0) {
    throw new Error(
      `${what}: ${r.errors} of ${r.requests} requests failed (statuses ${JSON.stringify(r.statuses)}${r.firstError ? `, first error: ${r.firstError}` : ''})`,
    );
  }
}

/**
 * End-to-end latency (publish accepted → receiver has the request) of every accepted message at
 * the given receiver paths, waiting (bounded) for the ones still on their way. Deliveries still
 * missing then are counted (a missed target, not an error); a forged signature is an error.
 */
export async function endToEnd(receiver: BenchReceiver, paths: string[], accepted: LoadResult['accepted'], waitMs: number): Promise<Summary & { undelivered: number }> {
  const deadline = Date.now() + waitMs;
  const missing = () => paths.reduce((n, p) => n + accepted.filter(([id]) => !receiver.arrivals(p).has(id)).length, 0);
  while (missing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
  const samples: number[] = [];
  for (const p of paths) {
    const arrivals = receiver.arrivals(p);
    for (const [id, at] of accepted) {
      const arrived = arrivals.get(id);
      if (arrived !== undefined) samples.push(arrived - at);
    }
  }
  return { ...summarize(samples), undelivered: missing() };
}

/** figure / baseline for every key the two share. */
export function ratios(figures: Record<string, number>, baseline: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.keys(figures)
      .filter((k) => k in baseline && baseline[k])
      .map((k) => [k, figures[k]! / baseline[k]!]),
  );
}

/** Publishes a backlog of `messages` messages to `app` with 50 clients (no worker running), every one accepted. */
export async function publishBacklog(tenant: BenchTenant, app: string, messages: number, label: string): Promise<void> {
  const backlog = await runLoad({
    url: tenant.publishUrl(app),
    headers: { authorization: `Bearer ${tenant.apiKey}` },
    body: PUBLISH_BODY,
    mode: 'closed',
    concurrency: 50,
    durationMs: 600_000,
    maxRequests: messages,
  });
  assertClean(`publishing ${label}`, backlog);
  if (backlog.ok !== messages) throw new Error(`published ${backlog.ok} of ${messages} messages`);
}
