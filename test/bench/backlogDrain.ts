import pg from 'pg';
import { benchEnv, startRole, type RunningRole } from './cluster.ts';
import { pick, publishBacklog, type BenchContext } from './scenario.ts';
import { sleep } from './stats.ts';
import { createBenchTenant, newSecret, type BenchTenant } from './tenant.ts';

/** Successful attempts recorded and the span between the first and the last (seconds). */
async function recorded(connectionString: string): Promise<{ attempts: number; spanSeconds: number }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number; span: number | null }>(
      'SELECT count(*)::int AS n, extract(epoch FROM max(created_at) - min(created_at))::float8 AS span FROM message_attempt WHERE status = 0',
    );
    return { attempts: rows[0]!.n, spanSeconds: rows[0]!.span ?? 0 };
  } finally {
    await client.end();
  }
}

export interface BacklogDrain {
  /** Scenario number and run label, for the log and the database name. */
  id: number;
  label: string;
  messages: number;
  /** The endpoints made (each with its signing secret). */
  endpoints: Array<{ url: string; secret: string }>;
  /** Extra environment of the api and the worker. */
  env?: Record<string, string>;
  /** Sets the endpoints up (through the API) before the backlog is published. */
  configure?(api: RunningRole, tenant: BenchTenant, app: string, ids: string[]): Promise<void>;
  /** Deliveries the receiver has accepted so far. */
  delivered(): number;
}

/** Endpoints at `base` + `/ep/<i>`, each with its own secret. */
export const benchEndpoints = (base: string, count: number): Array<{ url: string; secret: string }> =>
  Array.from({ length: count }, (_, i) => ({ url: `${base}/ep/${i}`, secret: newSecret() }));

/**
 * One drain: a backlog published with no worker running, then drained by one worker (fresh
 * database); deliveries/s over the span of the recorded successful attempts.
 */
export interface DrainResult {
  perSec: number;
  attempts: number;
  spanSeconds: number;
}

export async function drainBacklog(ctx: BenchContext, run: BacklogDrain): Promise<DrainResult> {
  const expected = run.messages * run.endpoints.length;
  const connectionString = await ctx.dbs.create(`drain_${run.id}_${run.label}`);
  const env = benchEnv(connectionString, run.env);
  let api: RunningRole | undefined;
  let worker: RunningRole | undefined;
  try {
    api = await startRole('api', env);
    const tenant = await createBenchTenant(api.url);
    const app = await tenant.createApp(run.label);
    const ids = await tenant.createEndpoints(app, run.endpoints);
    await run.configure?.(api, tenant, app, ids);
    ctx.log(`${run.id} ${run.label}: publishing ${run.messages} messages × ${run.endpoints.length} endpoints (no worker running)`);
    await publishBacklog(tenant, app, run.messages, `the ${run.label} backlog`);
    ctx.log(`${run.id} ${run.label}: one worker drains ${expected} deliveries`);
    worker = await startRole('worker', env);
    const deadline = Date.now() + pick(ctx, 300_000, 60_000);
    while (run.delivered() < expected && Date.now() < deadline) await sleep(250);
    const recordBy = Date.now() + 5000;
    while (Date.now() < recordBy && (await recorded(connectionString)).attempts < Math.min(expected, run.delivered())) await sleep(200);
    const r = await recorded(connectionString);
    return { perSec: r.attempts > 1 ? (r.attempts - 1) / r.spanSeconds : 0, ...r };
  } finally {
    await worker?.stop();
    await api?.stop();
  }
}

/**
 * A baseline drain and a variant drain, each split in two halves run in ABBA order, so that the
 * machine's drift over the run and whatever the server keeps from one drain to the next weigh on
 * both alike (docs/performance.md has what one drain each, in one order, read). `drain(side,
 * slice, messages)` makes one drain; deliveries/s are over the halves' summed spans.
 */
export async function alternateDrains<R extends DrainResult>(
  messages: number,
  drain: (side: 'baseline' | 'variant', slice: number, messages: number) => Promise<R>,
): Promise<{ baseline: R[]; variant: R[]; ratio: number }> {
  const half = Math.ceil(messages / 2);
  const baseline: R[] = [];
  const variant: R[] = [];
  baseline.push(await drain('baseline', 0, half));
  variant.push(await drain('variant', 0, half));
  variant.push(await drain('variant', 1, messages - half));
  baseline.push(await drain('baseline', 1, messages - half));
  const b = combinedDrains(baseline);
  return { baseline, variant, ratio: b.perSec > 0 ? combinedDrains(variant).perSec / b.perSec : 0 };
}

/** Several drains as one: attempts summed, deliveries/s over the summed spans. */
export function combinedDrains(parts: readonly DrainResult[]): DrainResult {
  const attempts = parts.reduce((n, p) => n + p.attempts, 0);
  const spanSeconds = parts.reduce((n, p) => n + p.spanSeconds, 0);
  const intervals = parts.reduce((n, p) => n + Math.max(0, p.attempts - 1), 0);
  return { attempts, spanSeconds, perSec: spanSeconds > 0 ? intervals / spanSeconds : 0 };
}
