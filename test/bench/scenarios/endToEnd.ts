import { withApiAndWorker } from '../cluster.ts';
import { runLoad } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, endToEnd, pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { newSecret, PUBLISH_BODY } from '../tenant.ts';

const RATE = 200;

/**
 * Scenario 4: end-to-end latency, from the moment the publish call is accepted (its 202 reached
 * the client) to the moment the receiver has the signed request, at a fixed 200 messages/s to an
 * application with one endpoint; api and worker as separate processes.
 */
export async function endToEndScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const receiver = await startBenchReceiver({ recordArrivals: true });
  try {
    return await withApiAndWorker(ctx.dbs, 'e2e', async ({ tenant }) => {
      const app = await tenant.createApp('e2e');
      const secret = newSecret();
      receiver.register('/ep', secret);
      await tenant.createEndpoints(app, [{ url: `${receiver.url}/ep`, secret }]);
      ctx.log(`4 end-to-end latency at ${RATE} msg/s`);
      const load = await runLoad({
        url: tenant.publishUrl(app),
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        body: PUBLISH_BODY,
        mode: 'open',
        rate: RATE,
        warmupMs: pick(ctx, 3000, 1000),
        durationMs: pick(ctx, 30_000, 4000),
        captureIds: true,
      });
      assertClean('publishing', load);
      const e2e = await endToEnd(receiver, ['/ep'], load.accepted, pick(ctx, 60_000, 10_000));
      return {
        id: 4,
        name: `end-to-end latency at ${RATE} msg/s`,
        figures: { p50Ms: e2e.p50, p99Ms: e2e.p99, maxMs: e2e.max, delivered: e2e.count, undelivered: e2e.undelivered },
        baseline: {},
        ratio: {},
        targets: [{ target: 'p50 < 10 ms and p99 < 40 ms', met: e2e.p50 < 10 && e2e.p99 < 40 && e2e.undelivered === 0 }],
        notes: ['publish accepted (202 received by the client) → the receiver has the request; undelivered: not arrived by the end of the wait'],
      };
    });
  } finally {
    await receiver.close();
  }
}
