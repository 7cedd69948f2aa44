import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { benchEnv, sampleRss, startRole, type RunningRole } from '../cluster.ts';
import { runBossDrain } from '../children.ts';
import { runLoad, throughput } from '../load.ts';
import { startBenchReceiver } from '../receiver.ts';
import { assertClean, pick, publishBacklog, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round, sleep } from '../stats.ts';
import { createBenchTenant, newSecret, PUBLISH_BODY } from '../tenant.ts';

const ENDPOINTS = 10;
const RAW_CONCURRENCY = 50;
/** Scenario 7's targets: the processes' live heaps are ~50 MiB; the rest is the binary, code and collectable garbage. */
const MEMORY_TARGETS_MIB = { worker: 200, api: 160 };

/** Attempts recorded in the database and the span between the first and the last (seconds). */
async function recorded(connectionString: string): Promise<{ attempts: number; succeeded: number; spanSeconds: number }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number; ok: number; span: number | null }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 0)::int AS ok, extract(epoch FROM max(created_at) - min(created_at))::float8 AS span FROM message_attempt',
    );
    return { attempts: rows[0]!.n, succeeded: rows[0]!.ok, spanSeconds: rows[0]!.span ?? 0 };
  } finally {
    await client.end();
  }
}

/**
 * Scenarios 3 and 7: a backlog of messages to 10 endpoints, published while no worker runs, then
 * drained by one worker process: signed, verified and recorded deliveries per second, against the
 * rate at which pg-boss alone drains no-op jobs and a raw undici POST loop to the same receiver, in
 * the same run. The api's and the worker's peak RSS over the scenario is scenario 7.
 */
export async function deliveryScenario(ctx: BenchContext): Promise<ScenarioReport[]> {
  const messages = pick(ctx, 20_000, 500);
  const expected = messages * ENDPOINTS;
  const drainLimitMs = pick(ctx, 300_000, 20_000);
  const connectionString = await ctx.dbs.create('delivery');
  const receiver = await startBenchReceiver();
  const env = benchEnv(connectionString);
  let api: RunningRole | undefined;
  let worker: RunningRole | undefined;
  let apiRss, workerRss;
  let drain;
  try {
    api = await startRole('api', env);
    apiRss = sampleRss({ api: api.pid });
    const tenant = await createBenchTenant(api.url);
    const app = await tenant.createApp('delivery');
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({ url: `${receiver.url}/ep/${i}`, secret: newSecret() }));
    for (const [i, ep] of endpoints.entries()) receiver.register(`/ep/${i}`, ep.secret);
    await tenant.createEndpoints(app, endpoints);

    ctx.log(`3 publishing a backlog of ${messages} messages × ${ENDPOINTS} endpoints (no worker running)`);
    await publishBacklog(tenant, app, messages, 'the backlog');

    ctx.log(`3 one worker process drains ${expected} deliveries (at most ${drainLimitMs / 1000} s)`);
    worker = await startRole('worker', env);
    workerRss = sampleRss({ worker: worker.pid });
    const deadline = Date.now() + drainLimitMs;
    while (receiver.verified() < expected && Date.now() < deadline) await sleep(250);
    if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
    // Delivered is not done: wait (bounded) for the last attempts to be recorded.
    const recordBy = Date.now() + 5000;
    while (Date.now() < recordBy && (await recorded(connectionString)).attempts < Math.min(expected, receiver.verified())) await sleep(200);
    drain = await recorded(connectionString);
  } finally {
    workerRss?.stop();
    apiRss?.stop();
    await worker?.stop();
    await api?.stop();
  }

  // A fresh database of the same server: after the full run's 200,000 deliveries the shared job
  // table's statistics lag and pg-boss's own fetch slowed to ~650 jobs/s, a ceiling of nothing.
  ctx.log('3 baseline: pg-boss drains no-op jobs in a fresh database on the same server');
  const noop = await runBossDrain(await ctx.dbs.create('delivery_noop'), 20_000, pick(ctx, 120_000, 30_000));
  ctx.log(`3 baseline: raw undici POST loop, ${RAW_CONCURRENCY} connections, to the same receiver`);
  const secret = newSecret();
  receiver.register('/raw', secret);
  const body = PUBLISH_BODY.replace('__N__', '0');
  const at = new Date();
  const raw = await runLoad({
    url: `${receiver.url}/raw`,
    body,
    mode: 'closed',
    concurrency: RAW_CONCURRENCY,
    headers: {
      'webhook-id': 'msg_raw',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_raw', at, body),
    },
    warmupMs: 1000,
    durationMs: pick(ctx, 10_000, 3000),
  });
  await receiver.close();
  assertClean('raw undici POST loop', raw);

  const deliveriesPerSec = drain.attempts > 1 ? (drain.attempts - 1) / drain.spanSeconds : 0;
  const figures = { deliveriesPerSec, deliveries: drain.attempts, succeeded: drain.succeeded };
  const baseline = { pgBossNoopJobsPerSec: noop.perSecond, rawUndiciReqPerSec: throughput(raw) };
  const memory = { apiPeakRssMiB: apiRss.peak().api! / 2 ** 20, workerPeakRssMiB: workerRss ? workerRss.peak().worker! / 2 ** 20 : NaN };
  return [
    {
      id: 3,
      name: `delivery, backlog of ${messages} msgs × ${ENDPOINTS} endpoints, 1 worker`,
      figures,
      baseline,
      // Each ceiling's ratio is deliveries/s over that ceiling.
      ratio: { pgBossNoopJobsPerSec: deliveriesPerSec / noop.perSecond, rawUndiciReqPerSec: deliveriesPerSec / baseline.rawUndiciReqPerSec },
      targets: [
        { target: 'deliveries/s ≥ 25 % of the pg-boss no-op drain', met: deliveriesPerSec >= 0.25 * noop.perSecond },
        { target: `every delivery recorded (${expected})`, met: drain.attempts >= expected && drain.succeeded >= expected },
      ],
      notes: [`deliveries/s over the span of recorded attempts (first to last, fan-out included); ${round(drain.spanSeconds)} s`],
    },
    {
      id: 7,
      name: 'memory during scenario 3 (peak RSS)',
      figures: memory,
      baseline: {},
      ratio: {},
      targets: [
        { target: `worker peak RSS ≤ ${MEMORY_TARGETS_MIB.worker} MiB`, met: memory.workerPeakRssMiB <= MEMORY_TARGETS_MIB.worker },
        { target: `api peak RSS ≤ ${MEMORY_TARGETS_MIB.api} MiB`, met: memory.apiPeakRssMiB <= MEMORY_TARGETS_MIB.api },
      ],
      notes: ['sampled every 100 ms from /proc/<pid>/status; api from its start, worker from its start'],
    },
  ];
}
