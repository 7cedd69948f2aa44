import pg from 'pg';
import { benchEnv, startRole, type RunningRole } from './cluster.ts';
import { startBenchReceiver } from './receiver.ts';
import { pick, publishBacklog, type BenchContext } from './scenario.ts';
import { sleep } from './stats.ts';
import { createBenchTenant, newSecret, type BenchTenant } from './tenant.ts';

// One drain, for scenarios that compare endpoints with a feature to plain ones in the same run: a
// backlog published while no worker runs, then drained by one worker, in a fresh database.

export const DRAIN_ENDPOINTS = 10;

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

export interface DrainOptions {
  /** The scenario's number, for the log. */
  scenario: number;
  /** Names the database and the log lines. */
  label: string;
  messages: number;
  /** Configures the endpoints (before publishing), through the API at `apiUrl`. */
  setUp?: (apiUrl: string, tenant: BenchTenant, app: string, endpointIds: string[]) => Promise<void>;
}

/** Deliveries/s of one worker draining `messages` × 10 endpoints; receivers verify every signature. */
export async function drainBacklog(ctx: BenchContext, options: DrainOptions): Promise<{ perSec: number; attempts: number; spanSeconds: number }> {
  const { scenario, label, messages } = options;
  const expected = messages * DRAIN_ENDPOINTS;
  const connectionString = await ctx.dbs.create(label);
  const receiver = await startBenchReceiver();
  const env = benchEnv(connectionString);
  let api: RunningRole | undefined;
  let worker: RunningRole | undefined;
  try {
    api = await startRole('api', env);
    const tenant = await createBenchTenant(api.url);
    const app = await tenant.createApp(label);
    const endpoints = Array.from({ length: DRAIN_ENDPOINTS }, (_, i) => ({ url: `${receiver.url}/ep/${i}`, secret: newSecret() }));
    for (const [i, ep] of endpoints.entries()) receiver.register(`/ep/${i}`, ep.secret);
    const ids = await tenant.createEndpoints(app, endpoints);
    await options.setUp?.(api.url, tenant, app, ids);
    ctx.log(`${scenario} ${label}: publishing ${messages} messages × ${DRAIN_ENDPOINTS} endpoints (no worker running)`);
    await publishBacklog(tenant, app, messages, `the ${label} backlog`);
    ctx.log(`${scenario} ${label}: one worker drains ${expected} deliveries`);
    worker = await startRole('worker', env);
    const deadline = Date.now() + pick(ctx, 300_000, 60_000);
    while (receiver.verified() < expected && Date.now() < deadline) await sleep(250);
    if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
    const recordBy = Date.now() + 5000;
    while (Date.now() < recordBy && (await recorded(connectionString)).attempts < Math.min(expected, receiver.verified())) await sleep(200);
    const r = await recorded(connectionString);
    return { perSec: r.attempts > 1 ? (r.attempts - 1) / r.spanSeconds : 0, ...r };
  } finally {
    await worker?.stop();
    await api?.stop();
    await receiver.close();
  }
}
