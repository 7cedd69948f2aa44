import pg from 'pg';
import { benchEnv, startRole, type RunningRole } from '../cluster.ts';
import { undici } from '../deps.ts';
import { runLoad, type LoadResult } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, pick, ratios, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round, summarize, type Summary } from '../stats.ts';
import { createBenchTenant, newSecret, PUBLISH_BODY, type BenchTenant } from '../tenant.ts';
import { seedHistory, dropOldestDay, type SeedShape } from './historySeed.ts';

const PUBLISH_RATE = 200;

function seedOption(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

interface Probe {
  publish: Summary;
  listAttempts: Summary;
}

/** Publish p99 at a fixed rate, then the endpoint's attempt list (newest 50) asked one after another. */
async function probe(ctx: BenchContext, api: RunningRole, tenant: BenchTenant, app: string, endpoint: string): Promise<Probe> {
  const load: LoadResult = await runLoad({
    url: tenant.publishUrl(app),
    headers: { authorization: `Bearer ${tenant.apiKey}` },
    body: PUBLISH_BODY,
    mode: 'open',
    rate: PUBLISH_RATE,
    warmupMs: pick(ctx, 3000, 1000),
    durationMs: pick(ctx, 20_000, 4000),
  });
  assertClean('publishing', load);
  const samples: number[] = [];
  const url = `${api.url}/api/v1/app/${app}/attempt/endpoint/${endpoint}?limit=50`;
  const rounds = pick(ctx, 600, 100);
  // Warm-up: every connection of the api's pool (20) plans a statement for its values on its first
  // five runs, before PostgreSQL settles on a cached plan; with 30 partitions to plan across, those
  // first runs are the slow ones, and steady state is what is measured.
  const warmup = 200;
  for (let i = 0; i < rounds + warmup; i++) {
    const t0 = performance.now();
    const res = await undici.request(url, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`list attempts: ${res.statusCode} ${body.slice(0, 300)}`);
    if (i >= warmup) samples.push(performance.now() - t0);
  }
  return { publish: summarize(load.latenciesMs), listAttempts: summarize(samples) };
}

/**
 * Scenario 9: history at scale. Publish p99 and the attempt-list p99 on an empty database, then the
 * same after 30 days of history (about 10 M attempts in the full run) were written into the
 * database's daily partitions; and what dropping the oldest day costs (time and WAL).
 */
export async function historyAtScaleScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const receiver = await startBenchReceiver();
  const connectionString = await ctx.dbs.create('history');
  const env = benchEnv(connectionString, { HOOKLINE_MESSAGE_RETENTION_DAYS: '45' });
  const client = new pg.Client({ connectionString });
  await client.connect();
  const roles = await Promise.all([startRole('api', env), startRole('worker', env)]);
  try {
    const [api] = roles;
    const tenant = await createBenchTenant(api.url);
    const apps: string[] = [];
    const endpoints: string[][] = [];
    for (let a = 0; a < 4; a++) {
      const app = await tenant.createApp(`history-${a}`);
      const eps = Array.from({ length: 5 }, (_, i) => ({ path: `/h/${a}/${i}`, url: `${receiver.url}/h/${a}/${i}`, secret: newSecret() }));
      for (const ep of eps) receiver.register(ep.path, ep.secret);
      apps.push(app);
      endpoints.push(await tenant.createEndpoints(app, eps));
    }
    const [app0] = apps as [string];
    const [ep0] = endpoints[0] as [string];

    ctx.log('9 history at scale: publish and attempt-list latency on an empty database');
    const empty = await probe(ctx, api, tenant, app0, ep0);

    // A smaller history for trying a change (BENCH_HISTORY_DAYS, BENCH_HISTORY_MESSAGES_PER_DAY); the full run's target still asks for 10 M attempts.
    const shape: SeedShape = {
      days: seedOption('BENCH_HISTORY_DAYS', pick(ctx, 30, 3)),
      messagesPerDay: seedOption('BENCH_HISTORY_MESSAGES_PER_DAY', pick(ctx, 111_200, 5_000)),
      attemptsPerMessage: 3,
      apps: apps.map((id, i) => ({ id, endpoints: endpoints[i]! })),
    };
    ctx.log(`9 writing ${shape.days} days of history: ${shape.days * shape.messagesPerDay * shape.attemptsPerMessage} attempts`);
    const seeded = await seedHistory(client, connectionString, shape, (m) => ctx.log(`9 ${m}`));

    ctx.log('9 publish and attempt-list latency with that history');
    const full = await probe(ctx, api, tenant, app0, ep0);

    // The processes stop first, so that the WAL measured is the drop's own (a worker writes some whenever it polls or runs its schedules).
    await Promise.all(roles.map((r) => r.stop()));
    ctx.log('9 dropping the oldest day');
    const drop = await dropOldestDay(client, connectionString);

    const figures = {
      attempts: seeded.attempts,
      partitionsWithHistory: seeded.days,
      seedSeconds: round(seeded.ms / 1000),
      historyGiB: round(seeded.bytes / 2 ** 30),
      publishP99Ms: full.publish.p99,
      listAttemptsP99Ms: full.listAttempts.p99,
      dropDayMs: round(drop.ms),
      dropDayWalKiB: round(drop.walBytes / 1024),
      dropDayRows: drop.attempts,
    };
    const baseline = { publishP99Ms: empty.publish.p99, listAttemptsP99Ms: empty.listAttempts.p99 };
    const ratio = ratios(figures, baseline);
    return {
      id: 9,
      name: 'history at scale (30 daily partitions)',
      figures,
      baseline,
      ratio,
      targets: [
        { target: 'dropping one day < 1 s and < 1 MB of WAL', met: drop.ms < 1000 && drop.walBytes < 1_000_000 },
        { target: 'publish p99 with history ≤ 1.2 × empty', met: ratio.publishP99Ms! <= 1.2 },
        { target: 'list-attempts p99 with history ≤ 1.2 × empty', met: ratio.listAttemptsP99Ms! <= 1.2 },
        ...(ctx.quick ? [] : [{ target: '≥ 10 M attempts across 30 daily partitions', met: seeded.attempts >= 10_000_000 && seeded.days >= 30 }]),
      ],
      notes: [
        `history: ${seeded.days} days × ${shape.messagesPerDay} messages × ${shape.attemptsPerMessage} attempts over ${apps.length} applications of 5 endpoints`,
        'baselines: the same probes on the empty database, before the history was written',
      ],
    };
  } finally {
    await Promise.all(roles.map((r) => r.stop()));
    await client.end();
    await receiver.close();
  }
}
