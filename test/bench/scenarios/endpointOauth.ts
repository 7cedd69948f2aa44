import { startOAuthServer, type TestOAuthServer } from '@hookline/test-support/oauthServer';
import type { RunningRole } from '../cluster.ts';
import { alternateDrains, benchEndpoints, combinedDrains, drainBacklog } from '../backlogDrain.ts';
import { undici } from '../deps.ts';
import { startBenchReceiver } from '../receiver.ts';
import { pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round } from '../stats.ts';
import type { BenchTenant } from '../tenant.ts';

const ENDPOINTS = 10;

const setOauth = (server: TestOAuthServer) =>
  async function setOauthClients(api: RunningRole, tenant: BenchTenant, app: string, ids: string[]): Promise<void> {
    for (const id of ids) {
      const res = await undici.request(`${api.url}/api/v1/app/${app}/endpoint/${id}/oauth`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          grantType: 'clientCredentials',
          authMethod: 'clientSecretBasic',
          tokenUrl: server.tokenUrl,
          clientId: server.basicClient.clientId,
          clientSecret: server.basicClient.clientSecret,
          scopes: [server.scope],
        }),
      });
      await res.body.text();
      if (res.statusCode !== 204) throw new Error(`setting an OAuth client: ${res.statusCode}`);
    }
  };

/** One drain to 10 endpoints, set up by `configure`; the receiver verifies every signature. */
async function drain(
  ctx: BenchContext,
  label: string,
  messages: number,
  configure?: (api: RunningRole, tenant: BenchTenant, app: string, ids: string[]) => Promise<void>,
) {
  const receiver = await startBenchReceiver();
  try {
    const endpoints = benchEndpoints(receiver.url, ENDPOINTS);
    for (const [i, ep] of endpoints.entries()) receiver.register(`/ep/${i}`, ep.secret);
    const result = await drainBacklog(ctx, { id: 12, label, messages, endpoints, delivered: () => receiver.verified(), configure });
    if (receiver.invalid() > 0) throw new Error(`the receiver rejected ${receiver.invalid()} requests whose signature did not verify`);
    return result;
  } finally {
    await receiver.close();
  }
}

/**
 * Scenario 12: deliveries/s of one worker draining a backlog to 10 endpoints that each have an
 * OAuth 2.0 client (tokens from a real oidc-provider on loopback, cached by the worker), against
 * the same backlog to plain endpoints, in the same run (fresh database each; two halves each,
 * alternating).
 */
export async function endpointOauthScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const messages = pick(ctx, 5000, 300);
  const server = await startOAuthServer();
  try {
    const runs = await alternateDrains(messages, (side, slice, n) =>
      side === 'baseline' ? drain(ctx, `oauth_plain_${slice}`, n) : drain(ctx, `oauth_bearer_${slice}`, n, setOauth(server)),
    );
    const plain = combinedDrains(runs.baseline);
    const withOauth = combinedDrains(runs.variant);
    const expected = messages * ENDPOINTS;
    const ratio = runs.ratio;
    const tokens = server.tokensIssued();
    return {
      id: 12,
      name: `OAuth endpoints, backlog of ${messages} msgs × ${ENDPOINTS} endpoints, 1 worker`,
      figures: { deliveriesPerSec: withOauth.perSec, deliveries: withOauth.attempts, tokenRequests: tokens },
      baseline: { deliveriesPerSec: plain.perSec },
      ratio: { deliveriesPerSec: ratio },
      targets: [
        { target: 'deliveries/s to OAuth endpoints (cached token) ≥ 0.9 × plain', met: ratio >= 0.9 },
        { target: `every delivery made, both runs (${expected})`, met: plain.attempts >= expected && withOauth.attempts >= expected },
        { target: `one token per endpoint and drain (${2 * ENDPOINTS})`, met: tokens === 2 * ENDPOINTS },
      ],
      notes: [`over the span of recorded successful attempts: ${round(withOauth.spanSeconds)} s with OAuth, ${round(plain.spanSeconds)} s plain`],
    };
  } finally {
    await server.stop();
  }
}
