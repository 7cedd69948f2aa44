import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCertificateAuthority } from '@hookline/test-support/certificates';
import { startTlsReceiver } from '@hookline/test-support/tlsReceiver';
import { alternateDrains, benchEndpoints, combinedDrains, drainBacklog, type DrainResult } from '../backlogDrain.ts';
import { undici } from '../deps.ts';
import { pick, type BenchContext, type ScenarioReport } from '../scenario.ts';
import { round } from '../stats.ts';

const ENDPOINTS = 4;
/** Per-endpoint concurrency of the worker: at most this many connections per endpoint are open at once. */
const ENDPOINT_CONCURRENCY = 16;

/**
 * Scenario 13: deliveries/s of one worker draining a backlog to HTTPS endpoints that demand a
 * client certificate (each endpoint with its own identity and CA bundle, so its own agent),
 * against the same backlog to plain HTTPS endpoints (the shared agent; the private CA trusted
 * through NODE_EXTRA_CA_CERTS), in the same run. The receivers count TLS handshakes: with
 * keep-alive they stay near one per open connection, not one per delivery. Two halves each,
 * alternating.
 */
export async function mutualTlsScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const messages = pick(ctx, 3000, 300);
  const [serverCa, clientCa] = await Promise.all([createCertificateAuthority('Bench Server CA'), createCertificateAuthority('Bench Client CA')]);
  const serverPem = await serverCa.issue();
  const client = await clientCa.issue({ client: true, commonName: 'hookline-bench' });
  const caDir = mkdtempSync(path.join(tmpdir(), 'hookline-bench-ca-'));
  const caFile = path.join(caDir, 'ca.pem');
  writeFileSync(caFile, serverCa.cert);
  const env = { HOOKLINE_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY) };

  type Run = DrainResult & { handshakes: number };
  const drain = async (mtls: boolean, slice: number, n: number): Promise<Run> => {
    const receiver = await startTlsReceiver(serverPem, mtls ? { clientCa: clientCa.cert } : {});
    try {
      const result = await drainBacklog(ctx, {
        id: 13,
        label: `${mtls ? 'mtls' : 'https'}_${slice}`,
        messages: n,
        endpoints: benchEndpoints(receiver.url, ENDPOINTS),
        env: mtls ? env : { ...env, NODE_EXTRA_CA_CERTS: caFile },
        delivered: () => receiver.requests.length,
        configure: async (api, tenant, app, ids) => {
          if (!mtls) return;
          for (const id of ids) {
            const res = await undici.request(`${api.url}/api/v1/app/${app}/endpoint/${id}/mtls`, {
              method: 'PUT',
              headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify({ identity: `${client.cert}\n${client.key}`, serverCaCert: serverCa.cert }),
            });
            await res.body.text();
            if (res.statusCode !== 204) throw new Error(`setting the mTLS configuration: ${res.statusCode}`);
          }
        },
      });
      if (mtls && receiver.requests.some((r) => r.clientName !== 'hookline-bench')) throw new Error('a delivery arrived without the client certificate');
      return { ...result, handshakes: receiver.handshakes };
    } finally {
      await receiver.close();
    }
  };
  const combined = (parts: Run[]): Run => ({ ...combinedDrains(parts), handshakes: parts.reduce((n, p) => n + p.handshakes, 0) });
  let runs: Awaited<ReturnType<typeof alternateDrains<Run>>>;
  try {
    runs = await alternateDrains(messages, (side, slice, n) => drain(side === 'variant', slice, n));
  } finally {
    rmSync(caDir, { recursive: true, force: true });
  }

  const expected = messages * ENDPOINTS;
  const https = combined(runs.baseline);
  const mtls = combined(runs.variant);
  const perDelivery = (r: { handshakes: number; attempts: number }) => (r.attempts > 0 ? r.handshakes / r.attempts : 0);
  const ratio = runs.ratio;
  return {
    id: 13,
    name: `mutual TLS, backlog of ${messages} msgs × ${ENDPOINTS} endpoints, 1 worker`,
    figures: { deliveriesPerSec: mtls.perSec, deliveries: mtls.attempts, handshakes: mtls.handshakes, handshakesPerDelivery: perDelivery(mtls) },
    baseline: { deliveriesPerSec: https.perSec, handshakes: https.handshakes, handshakesPerDelivery: perDelivery(https) },
    ratio: { deliveriesPerSec: ratio },
    targets: [
      { target: 'deliveries/s with mutual TLS ≥ 0.8 × plain HTTPS', met: ratio >= 0.8 },
      // Idle connections close after the keep-alive timeout (4 s), so a slow drain reconnects now and
      // then; reuse is judged against the shared agent under the same load, and far from one per delivery.
      {
        target: 'connections reused: handshakes per delivery with mutual TLS ≤ 1.5 × plain HTTPS and < 0.25',
        met: perDelivery(mtls) <= 1.5 * perDelivery(https) && perDelivery(mtls) < 0.25,
      },
      { target: `every delivery made, both runs (${expected})`, met: https.attempts >= expected && mtls.attempts >= expected },
    ],
    notes: [
      `handshakes per delivery: ${round(perDelivery(mtls))} mTLS, ${round(perDelivery(https))} plain HTTPS`,
      `over the span of recorded successful attempts: ${round(mtls.spanSeconds)} s mTLS, ${round(https.spanSeconds)} s plain HTTPS`,
    ],
  };
}
