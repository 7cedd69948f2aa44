import { benchEnv, startRole } from '../cluster.ts';
import { startBaselineServer } from '../children.ts';
import { alternateLoads, throughput, type LoadSpec } from '../load.ts';
import { assertClean, pick, ratios, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round, summarize } from '../stats.ts';
import { createBenchTenant, PUBLISH_BODY } from '../tenant.ts';

const CLIENTS = 50;
const FIXED_RATE = 500;

/**
 * Scenarios 1 and 2: publish throughput and latency with 50 closed-loop clients, and publish latency
 * at a fixed 500 messages/s (open loop), each against a bare Express 5 handler that commits one
 * transaction of two INSERTs in the same database. Only the api runs (no worker), as the baseline
 * has no consumer either; the application has no endpoints.
 */
export async function publishScenarios(ctx: BenchContext): Promise<ScenarioReport[]> {
  const connectionString = await ctx.dbs.create('publish');
  // Both sides' loads alternate in slices (alternateLoads): run a minute apart, the same code gave
  // ratios from 0.46 to 0.70.
  const slices = pick(ctx, 4, 1);
  const closed = (url: string, headers: Record<string, string> = {}): LoadSpec => ({
    url,
    headers,
    body: PUBLISH_BODY,
    mode: 'closed',
    concurrency: CLIENTS,
    warmupMs: 1000,
    durationMs: pick(ctx, 20_000, 3000),
  });
  const open = (url: string, headers: Record<string, string> = {}): LoadSpec => ({
    url,
    headers,
    body: PUBLISH_BODY,
    mode: 'open',
    rate: FIXED_RATE,
    warmupMs: 1000,
    durationMs: pick(ctx, 20_000, 3000),
  });

  ctx.log('1/2 baseline (bare Express 5 + BEGIN; 2 INSERTs; COMMIT) and Hookline api (POST /api/v1/app/{app}/msg), alternating');
  const baseline = await startBaselineServer(connectionString);
  const api = await startRole('api', benchEnv(connectionString));
  let baseClosed, baseOpen, hlClosed, hlOpen;
  try {
    const tenant = await createBenchTenant(api.url);
    const app = await tenant.createApp('publish');
    const auth = { authorization: `Bearer ${tenant.apiKey}` };
    ({ base: baseClosed, hookline: hlClosed } = await alternateLoads(slices, { base: closed(`${baseline.url}/msg`), hookline: closed(tenant.publishUrl(app), auth) }));
    assertClean('baseline (closed loop)', baseClosed);
    assertClean('publish (closed loop)', hlClosed);
    ({ base: baseOpen, hookline: hlOpen } = await alternateLoads(slices, { base: open(`${baseline.url}/msg`), hookline: open(tenant.publishUrl(app), auth) }));
    assertClean('baseline (500/s)', baseOpen);
    assertClean('publish (500/s)', hlOpen);
  } finally {
    await api.stop();
    await baseline.stop();
  }

  const b1 = summarize(baseClosed.latenciesMs);
  const h1 = summarize(hlClosed.latenciesMs);
  const s1Figures = { reqPerSec: throughput(hlClosed), p50Ms: h1.p50, p99Ms: h1.p99 };
  const s1Baseline = { reqPerSec: throughput(baseClosed), p50Ms: b1.p50, p99Ms: b1.p99 };
  const b2 = summarize(baseOpen.latenciesMs);
  const h2 = summarize(hlOpen.latenciesMs);
  const s2Figures = { p50Ms: h2.p50, p99Ms: h2.p99, maxMs: h2.max, dropped: hlOpen.dropped };
  const s2Baseline = { p50Ms: b2.p50, p99Ms: b2.p99, maxMs: b2.max, dropped: baseOpen.dropped };
  return [
    {
      id: 1,
      name: `publish, ${CLIENTS} concurrent clients`,
      figures: s1Figures,
      baseline: s1Baseline,
      ratio: ratios(s1Figures, s1Baseline),
      targets: [{ target: 'req/s ≥ 75 % of the baseline', met: s1Figures.reqPerSec >= 0.75 * s1Baseline.reqPerSec }],
      notes: [`${hlClosed.ok} messages in ${round(hlClosed.measuredMs / 1000)} s; baseline ${baseClosed.ok}`],
    },
    {
      id: 2,
      name: `publish latency at ${FIXED_RATE} msg/s (open loop)`,
      figures: s2Figures,
      baseline: s2Baseline,
      ratio: ratios({ p50Ms: h2.p50, p99Ms: h2.p99 }, s2Baseline),
      targets: [{ target: 'p99 < 25 ms', met: h2.p99 < 25 && hlOpen.dropped === 0 }],
      notes: [`${hlOpen.ok} messages; latency from each request's scheduled send time`],
    },
  ];
}
