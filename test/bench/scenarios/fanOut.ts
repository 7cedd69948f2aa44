import { withApiAndWorker } from '../cluster.ts';
import { alternateLoads, type LoadSpec } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { sleep, summarize, wallNow } from '../stats.ts';
import { newSecret, PUBLISH_BODY } from '../tenant.ts';

const MANY = 1000;
const RATE = 200;

/**
 * Scenario 5: fan-out. Publish p99 for an application with 1 endpoint and one with 1,000 (the same
 * open-loop rate, the api alone, so only the publish path is measured), and the time from publishing
 * one message to the 1,000-endpoint application until all 1,000 endpoints have it (worker running).
 */
export async function fanOutScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const receiver = await startBenchReceiver();
  try {
    return await withApiAndWorker(ctx.dbs, 'fanout', async ({ worker, tenant }) => {
      const [one, many] = [await tenant.createApp('one'), await tenant.createApp('many')];
      const make = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({ path: `/${prefix}/${i}`, url: `${receiver.url}/${prefix}/${i}`, secret: newSecret() }));
      const oneEps = make('one', 1);
      const manyEps = make('many', MANY);
      for (const ep of [...oneEps, ...manyEps]) receiver.register(ep.path, ep.secret);
      ctx.log(`5 creating ${MANY} endpoints`);
      await tenant.createEndpoints(
        one,
        oneEps.map(({ url, secret }) => ({ url, secret })),
      );
      await tenant.createEndpoints(
        many,
        manyEps.map(({ url, secret }) => ({ url, secret })),
      );

      ctx.log(`5 one message to ${MANY} endpoints`);
      const auth = { authorization: `Bearer ${tenant.apiKey}` };
      const sent = wallNow();
      await tenant.publishOne(many, PUBLISH_BODY.replace('"__N__"', '0'));
      const deadline = Date.now() + 120_000;
      while (receiver.pathsReached() < MANY && Date.now() < deadline) await sleep(20);
      const allReachedMs = wallNow() - sent;
      const reached = receiver.pathsReached();
      if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
      // The publish-latency runs measure the api alone: a stopped worker leaves their messages queued.
      await worker.stop();

      // The two applications' loads alternate in slices, as scenario 1's do (see alternateLoads).
      ctx.log(`5 publish latency at ${RATE} msg/s, 1 endpoint and ${MANY} endpoints, alternating`);
      const publish = (appId: string): LoadSpec => ({
        url: tenant.publishUrl(appId),
        headers: auth,
        body: PUBLISH_BODY,
        mode: 'open',
        rate: RATE,
        warmupMs: pick(ctx, 2000, 1000),
        durationMs: pick(ctx, 15_000, 3000),
      });
      const loads = await alternateLoads(pick(ctx, 4, 1), { one: publish(one), many: publish(many) });
      assertClean('publishing (1 endpoint)', loads.one);
      assertClean(`publishing (${MANY} endpoints)`, loads.many);
      const p1 = summarize(loads.one.latenciesMs);
      const pMany = summarize(loads.many.latenciesMs);
      return {
        id: 5,
        name: `fan-out: 1 vs ${MANY} endpoints`,
        figures: { publishP99Ms: pMany.p99, publishP50Ms: pMany.p50, allReceivedMs: reached === MANY ? allReachedMs : NaN, endpointsReached: reached },
        baseline: { publishP99Ms: p1.p99, publishP50Ms: p1.p50 },
        ratio: { publishP99Ms: pMany.p99 / p1.p99, publishP50Ms: pMany.p50 / p1.p50 },
        targets: [
          { target: `publish p99 with ${MANY} endpoints ≤ 1.5 × with 1`, met: pMany.p99 <= 1.5 * p1.p99 },
          { target: `all ${MANY} endpoints receive the message`, met: reached === MANY },
        ],
        notes: [
          `figures: the ${MANY}-endpoint application; baseline: the 1-endpoint one; publish at ${RATE} msg/s, api only`,
          'allReceivedMs: from the publish call until the last endpoint has the message',
        ],
      };
    });
  } finally {
    await receiver.close();
  }
}
