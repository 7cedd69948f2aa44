import { withApiAndWorker } from '../cluster.ts';
import { runLoad } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, endToEnd, pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { newSecret, PUBLISH_BODY } from '../tenant.ts';

/** The rates measured, each with its scenario number and targets (ms). Scenario 4's p99 is issue 19's bound (25 ms), stricter than the first one (40). */
const POINTS = [
  { id: 4, rate: 200, p50Ms: 10, p99Ms: 25 },
  { id: 8, rate: 1000, p50Ms: undefined, p99Ms: 100 },
] as const;

type Point = (typeof POINTS)[number];

/**
 * Scenarios 4 and 8: end-to-end latency, from the moment the publish call is accepted (its 202
 * reached the client) to the moment the receiver has the signed request, at a fixed 200 and 1,000
 * messages/s to an application with one endpoint; api and worker as separate processes, on a fresh
 * database for each rate.
 */
export async function endToEndScenarios(ctx: BenchContext, ids: ReadonlySet<number> | undefined): Promise<ScenarioReport[]> {
  const reports: ScenarioReport[] = [];
  for (const point of POINTS) if (!ids || ids.has(point.id)) reports.push(await endToEndAt(ctx, point));
  return reports;
}

async function endToEndAt(ctx: BenchContext, point: Point): Promise<ScenarioReport> {
  const { id, rate } = point;
  const receiver = await startBenchReceiver({ recordArrivals: true });
  try {
    return await withApiAndWorker(ctx.dbs, `e2e_${rate}`, async ({ tenant }) => {
      const app = await tenant.createApp('e2e');
      const secret = newSecret();
      receiver.register('/ep', secret);
      await tenant.createEndpoints(app, [{ url: `${receiver.url}/ep`, secret }]);
      ctx.log(`${id} end-to-end latency at ${rate} msg/s`);
      const load = await runLoad({
        url: tenant.publishUrl(app),
        headers: { authorization: `Bearer ${tenant.apiKey}` },
        body: PUBLISH_BODY,
        mode: 'open',
        rate,
        warmupMs: pick(ctx, 3000, 1000),
        durationMs: pick(ctx, 30_000, 4000),
        captureIds: true,
      });
      assertClean('publishing', load);
      const e2e = await endToEnd(receiver, ['/ep'], load.accepted, pick(ctx, 60_000, 10_000));
      const p50Met = point.p50Ms === undefined || e2e.p50 < point.p50Ms;
      return {
        id,
        name: `end-to-end latency at ${rate} msg/s`,
        figures: { p50Ms: e2e.p50, p99Ms: e2e.p99, maxMs: e2e.max, delivered: e2e.count, undelivered: e2e.undelivered, publishDropped: load.dropped },
        baseline: {},
        ratio: {},
        targets: [
          {
            target: `${point.p50Ms === undefined ? '' : `p50 < ${point.p50Ms} ms and `}p99 < ${point.p99Ms} ms`,
            met: p50Met && e2e.p99 < point.p99Ms && e2e.undelivered === 0,
          },
        ],
        notes: [
          'publish accepted (202 received by the client) → the receiver has the request; undelivered: not arrived by the end of the wait; publishDropped: publishes the open-loop generator could not send on schedule',
        ],
      };
    });
  } finally {
    await receiver.close();
  }
}
