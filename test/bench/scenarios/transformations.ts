import { alternateDrains, benchEndpoints, combinedDrains, drainBacklog } from '../backlogDrain.ts';
import { undici } from '../deps.ts';
import { startBenchReceiver } from '../receiver.ts';
import { pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round } from '../stats.ts';

const ENDPOINTS = 10;
/** A small transformation of the kind a chat template does: reshape the payload around a text. */
const CODE = `function handler(webhook) {
  webhook.payload = { text: webhook.eventType + ': ' + JSON.stringify(webhook.payload).slice(0, 200), original: webhook.payload };
  return webhook;
}`;

/** One drain to endpoints with or without the transformation; every signature is verified. */
async function drain(ctx: BenchContext, label: string, transformed: boolean, messages: number): Promise<{ perSec: number; attempts: number; spanSeconds: number }> {
  const receiver = await startBenchReceiver();
  try {
    const endpoints = benchEndpoints(receiver.url, ENDPOINTS);
    for (const [i, ep] of endpoints.entries()) receiver.register(`/ep/${i}`, ep.secret);
    const result = await drainBacklog(ctx, {
      id: 11,
      label,
      messages,
      endpoints,
      delivered: () => receiver.verified(),
      configure: async (api, tenant, app, ids) => {
        if (!transformed) return;
        for (const id of ids) {
          const res = await undici.request(`${api.url}/api/v1/app/${app}/endpoint/${id}/transformation`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ code: CODE, enabled: true }),
          });
          await res.body.text();
          if (res.statusCode !== 204) throw new Error(`setting a transformation: ${res.statusCode}`);
        }
      },
    });
    if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
    return result;
  } finally {
    await receiver.close();
  }
}

/**
 * Scenario 11: deliveries/s of one worker draining a backlog to 10 endpoints that each have a
 * small transformation, against the same backlog to endpoints without one, in the same run
 * (fresh database each; two halves each, alternating). Receivers verify every signature (over the transformed body).
 */
export async function transformationsScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const messages = pick(ctx, 5000, 300);
  const runs = await alternateDrains(messages, (side, slice, n) =>
    side === 'baseline' ? drain(ctx, `plain_${slice}`, false, n) : drain(ctx, `transformed_${slice}`, true, n),
  );
  const plain = combinedDrains(runs.baseline);
  const transformed = combinedDrains(runs.variant);
  const expected = messages * ENDPOINTS;
  const ratio = runs.ratio;
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
