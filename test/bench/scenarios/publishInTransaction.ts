import { runScript } from '../children.ts';
import { benchEnv, startRole } from '../cluster.ts';
import { alternateLoads, throughput, type LoadSpec } from '../load.ts';
import { assertClean, pick, ratios, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round, summarize } from '../stats.ts';
import { createBenchTenant, PUBLISH_BODY } from '../tenant.ts';
import { waitUntil } from '@hookline/test-support/process';

const CLIENTS = 50;

/**
 * Scenario 10: what publishing inside the vendor's transaction costs the vendor. One vendor app
 * (test/bench/vendorTransactionServer.ts) answers 50 closed-loop clients with a transaction of
 * one INSERT of its own, alone or followed by hookline.publish; the two alternate in slices in
 * the same run. No worker runs (as in scenario 1): the cost measured is the vendor's.
 */
export async function publishInTransactionScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const connectionString = await ctx.dbs.create('publish_in_transaction');
  // The tenant and its application, made through the operator API of an api process that then stops.
  const api = await startRole('api', benchEnv(connectionString));
  let tenantId: string;
  let app: string;
  try {
    const tenant = await createBenchTenant(api.url);
    app = await tenant.createApp('vendor');
    tenantId = tenant.tenantId;
  } finally {
    await api.stop();
  }

  ctx.log('10 vendor transaction: INSERT alone vs INSERT + hookline.publish, alternating');
  const vendor = runScript('vendorTransactionServer.ts', { DATABASE_URL: connectionString, TENANT_ID: tenantId, APP: app });
  let port = 0;
  await waitUntil(
    () => {
      if (vendor.output().includes('Error')) throw new Error(`the vendor server failed:\n${vendor.output()}`);
      port = Number(/listening (\d+)/.exec(vendor.output())?.[1] ?? 0);
      return port > 0;
    },
    30_000,
    'the vendor server',
  );
  const closed = (route: string): LoadSpec => ({
    url: `http://127.0.0.1:${port}${route}`,
    body: PUBLISH_BODY,
    mode: 'closed',
    concurrency: CLIENTS,
    warmupMs: 1000,
    durationMs: pick(ctx, 20_000, 4000),
  });
  let insert, withPublish;
  try {
    ({ insert, withPublish } = await alternateLoads(pick(ctx, 4, 2), { insert: closed('/insert'), withPublish: closed('/insert-publish') }));
    assertClean('INSERT alone', insert);
    assertClean('INSERT + hookline.publish', withPublish);
  } finally {
    await vendor.stop();
  }

  const b = summarize(insert.latenciesMs);
  const h = summarize(withPublish.latenciesMs);
  const figures = { reqPerSec: throughput(withPublish), p50Ms: h.p50, p99Ms: h.p99 };
  const baseline = { reqPerSec: throughput(insert), p50Ms: b.p50, p99Ms: b.p99 };
  const ratio = ratios(figures, baseline);
  return {
    id: 10,
    name: `publish in the vendor's transaction, ${CLIENTS} clients`,
    figures,
    baseline,
    ratio,
    targets: [
      { target: 'p50 ≤ 1.3 × the INSERT alone', met: ratio.p50Ms! <= 1.3 },
      { target: 'p99 ≤ 1.3 × the INSERT alone', met: ratio.p99Ms! <= 1.3 },
      { target: 'req/s ≥ 0.7 × the INSERT alone', met: ratio.reqPerSec! >= 0.7 },
    ],
    notes: [`${withPublish.ok} transactions with a publish in ${round(withPublish.measuredMs / 1000)} s; ${insert.ok} without`],
  };
}
