import pg from 'pg';
import { benchEnv, startRole, type RunningRole } from '../cluster.ts';
import { undici } from '../deps.ts';
import { startBenchReceiver } from '../receiver.ts';
import { pick, publishBacklog, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round, sleep } from '../stats.ts';
import { createBenchTenant, newSecret } from '../tenant.ts';

const ENDPOINTS = 10;
/** A small transformation of the kind a chat template does: reshape the payload around a text. */
const CODE = `function handler(webhook) {
  webhook.payload = { text: webhook.eventType + ': ' + JSON.stringify(webhook.payload).slice(0, 200), original: webhook.payload };
  return webhook;
}`;

/** Attempts recorded and the span between the first and the last (seconds). */
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

/** One drain: a backlog published with no worker running, then drained by one worker; deliveries/s. */
async function drain(ctx: BenchContext, label: string, transformed: boolean, messages: number): Promise<{ perSec: number; attempts: number; spanSeconds: number }> {
  const expected = messages * ENDPOINTS;
  const connectionString = await ctx.dbs.create(`transformations_${label}`);
  const receiver = await startBenchReceiver();
  const env = benchEnv(connectionString);
  let api: RunningRole | undefined;
  let worker: RunningRole | undefined;
  try {
    api = await startRole('api', env);
    const tenant = await createBenchTenant(api.url);
    const app = await tenant.createApp(label);
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({ url: `${receiver.url}/ep/${i}`, secret: newSecret() }));
    for (const [i, ep] of endpoints.entries()) receiver.register(`/ep/${i}`, ep.secret);
    const ids = await tenant.createEndpoints(app, endpoints);
    if (transformed) {
      for (const id of ids) {
        const res = await undici.request(`${api.url}/api/v1/app/${app}/endpoint/${id}/transformation`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code: CODE, enabled: true }),
        });
        await res.body.text();
        if (res.statusCode !== 204) throw new Error(`setting a transformation: ${res.statusCode}`);
      }
    }
    ctx.log(`11 ${label}: publishing ${messages} messages × ${ENDPOINTS} endpoints (no worker running)`);
    await publishBacklog(tenant, app, messages, `the ${label} backlog`);
    ctx.log(`11 ${label}: one worker drains ${expected} deliveries`);
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

/**
 * Scenario 11: deliveries/s of one worker draining a backlog to 10 endpoints that each have a
 * small transformation, against the same backlog to endpoints without one, in the same run
 * (fresh database each). Receivers verify every signature (over the transformed body).
 */
export async function transformationsScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const messages = pick(ctx, 5000, 300);
  const plain = await drain(ctx, 'plain', false, messages);
  const transformed = await drain(ctx, 'transformed', true, messages);
  const expected = messages * ENDPOINTS;
  const ratio = plain.perSec > 0 ? transformed.perSec / plain.perSec : 0;
  return {
    id: 11,
    name: `transformations, backlog of ${messages} msgs × ${ENDPOINTS} endpoints, 1 worker`,
    figures: { deliveriesPerSec: transformed.perSec, deliveries: transformed.attempts },
    baseline: { deliveriesPerSec: plain.perSec },
    ratio: { deliveriesPerSec: ratio },
    targets: [
      { target: 'deliveries/s with a transformation on every endpoint ≥ 0.5 × without', met: ratio >= 0.5 },
      { target: `every delivery made, both runs (${expected})`, met: plain.attempts >= expected && transformed.attempts >= expected },
    ],
    notes: [`over the span of recorded successful attempts: ${round(transformed.spanSeconds)} s transformed, ${round(plain.spanSeconds)} s plain`],
  };
}
