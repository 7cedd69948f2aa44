import { BENCH_DELIVERY_TIMEOUT_MS, withApiAndWorker } from '../cluster.ts';
import { runLoad } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, endToEnd, pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import type { Summary } from '../stats.ts';
import { newSecret, PUBLISH_BODY } from '../tenant.ts';

const ENDPOINTS = 100;
const RATE = 10;

/**
 * One run: an application with 50 healthy endpoints, plus (when `hanging`) 50 more on another
 * receiver that never answers (each attempt ends at the delivery timeout); messages published at a
 * fixed rate; the healthy endpoints' end-to-end latency.
 */
async function run(ctx: BenchContext, hanging: boolean): Promise<Summary & { undelivered: number }> {
  const healthyReceiver = await startBenchReceiver({ recordArrivals: true });
  const hangingReceiver = await startBenchReceiver();
  try {
    return await withApiAndWorker(ctx.dbs, hanging ? 'isolation_hanging' : 'isolation_healthy', async ({ tenant }) => {
      const app = await tenant.createApp('isolation');
      const healthy = Array.from({ length: ENDPOINTS / 2 }, (_, i) => ({ path: `/ok/${i}`, url: `${healthyReceiver.url}/ok/${i}`, secret: newSecret() }));
      const hung = hanging ? Array.from({ length: ENDPOINTS / 2 }, (_, i) => ({ path: `/hang/${i}`, url: `${hangingReceiver.url}/hang/${i}`, secret: newSecret() })) : [];
      for (const ep of healthy) healthyReceiver.register(ep.path, ep.secret);
      for (const ep of hung) hangingReceiver.register(ep.path, ep.secret, { hang: true });
      await tenant.createEndpoints(
        app,
        [...healthy, ...hung].map(({ url, secret }) => ({ url, secret })),
      );
      ctx.log(`6 ${RATE} msg/s to ${healthy.length} healthy endpoints${hanging ? ` and ${hung.length} hanging ones` : ''}`);
      const load = await runLoad({
        url: tenant.publishUrl(app),
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        body: PUBLISH_BODY,
        mode: 'open',
        rate: RATE,
        warmupMs: pick(ctx, 2000, 1000),
        durationMs: pick(ctx, 30_000, 5000),
        captureIds: true,
      });
      assertClean('publishing', load);
      const e2e = await endToEnd(
        healthyReceiver,
        healthy.map((e) => e.path),
        load.accepted,
        pick(ctx, 60_000, 10_000),
      );
      if (hanging && hangingReceiver.verified() === 0) throw new Error('the hanging endpoints received nothing');
      return e2e;
    });
  } finally {
    await Promise.all([healthyReceiver.close(), hangingReceiver.close()]);
  }
}

/**
 * Scenario 6: isolation. The healthy endpoints' end-to-end p99 while half of 100 endpoints hang
 * until the delivery timeout, against the same run without the hanging ones.
 */
export async function isolationScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const unloaded = await run(ctx, false);
  const loaded = await run(ctx, true);
  return {
    id: 6,
    name: `isolation: 50 of ${ENDPOINTS} endpoints hang`,
    figures: { healthyP99Ms: loaded.p99, healthyP50Ms: loaded.p50, delivered: loaded.count, undelivered: loaded.undelivered },
    baseline: { healthyP99Ms: unloaded.p99, healthyP50Ms: unloaded.p50, delivered: unloaded.count, undelivered: unloaded.undelivered },
    ratio: { healthyP99Ms: loaded.p99 / unloaded.p99, healthyP50Ms: loaded.p50 / unloaded.p50 },
    targets: [{ target: 'healthy p99 ≤ 2 × the run without hanging endpoints', met: loaded.p99 <= 2 * unloaded.p99 && loaded.undelivered === 0 }],
    notes: [
      `${RATE} msg/s to one application; hanging endpoints hold each attempt for the ${BENCH_DELIVERY_TIMEOUT_MS} ms delivery timeout; baseline: the same run with only the 50 healthy endpoints`,
    ],
  };
}
