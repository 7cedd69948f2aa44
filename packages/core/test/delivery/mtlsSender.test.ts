import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, type CertificateAuthority, type Pem } from '@hookline/test-support/certificates';
import { startProxy, type TestProxy } from '@hookline/test-support/proxyServer';
import { startTlsReceiver, type TlsReceiver } from '@hookline/test-support/tlsReceiver';
import { createHttpSender, type HttpSender } from '../../src/delivery/httpClient.ts';
import type { TlsMaterial } from '../../src/delivery/mtlsAgents.ts';
import { parseAllowList } from '../../src/delivery/ssrfGuard.ts';

// The sender's mutual TLS agents against a real HTTPS receiver that demands a client certificate:
// directly and through the egress proxy (the tunnel to the vetted address, TLS with the
// endpoint inside it), one handshake for many requests, and new agents for new settings.

let serverCa: CertificateAuthority;
let client: Pem;
let rx: TlsReceiver;
let proxy: TestProxy;
const senders: HttpSender[] = [];
let settings: { version: Date; tls: TlsMaterial };

beforeAll(async () => {
  serverCa = await createCertificateAuthority('Sender Server CA');
  const clientCa = await createCertificateAuthority('Sender Client CA');
  client = await clientCa.issue({ client: true, commonName: 'sender-client' });
  rx = await startTlsReceiver(await serverCa.issue(), { clientCa: clientCa.cert });
  proxy = await startProxy();
  settings = { version: new Date(1), tls: { cert: client.cert, key: client.key, ca: serverCa.cert } };
});
afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  await proxy?.close();
  await rx?.close();
});

function sender(proxied: boolean): HttpSender {
  const s = createHttpSender({
    allow: parseAllowList('127.0.0.1/32'),
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    maxResponseBytes: 1024,
    mtls: async () => settings,
    ...(proxied ? { proxy: { url: new URL(proxy.url), noProxy: [] } } : {}),
  });
  senders.push(s);
  return s;
}

const mtls = (version: Date) => ({ tenantId: 't', endpointId: 'ep_1', version });

describe('mutual TLS in the sender', () => {
  it('presents the client certificate on one reused connection, and rebuilds for new settings', async () => {
    const s = sender(false);
    const before = rx.handshakes;
    for (let i = 0; i < 6; i++) {
      expect(await s.send({ url: `${rx.url}/direct`, headers: {}, body: '{}', mtls: mtls(settings.version) })).toMatchObject({ kind: 'response', status: 200 });
    }
    // Back to back, the request right after the first exchange may open a second connection
    // (seen under TLS 1.3 with client certificates); after that every request reuses one.
    expect(rx.handshakes - before).toBeLessThanOrEqual(2);
    expect(rx.requests.at(-1)!.clientName).toBe('sender-client');

    // Without the settings the same sender's shared agent neither trusts the CA nor has a certificate.
    expect(await s.send({ url: `${rx.url}/direct`, headers: {}, body: '{}' })).toMatchObject({
      kind: 'error',
      error: expect.stringMatching(/not signed by a trusted CA/),
    });

    // Settings without the client identity: a new agent, refused by the receiver.
    settings = { version: new Date(2), tls: { ca: serverCa.cert } };
    expect(await s.send({ url: `${rx.url}/direct`, headers: {}, body: '{}', mtls: mtls(settings.version) })).toMatchObject({
      kind: 'error',
      error: expect.stringMatching(/requires a client certificate/),
    });
    settings = { version: new Date(3), tls: { cert: client.cert, key: client.key, ca: serverCa.cert } };
  });

  it('goes through the egress proxy to the vetted address, with TLS and the client certificate inside the tunnel', async () => {
    const s = sender(true);
    const connects = proxy.connects.length;
    const port = new URL(rx.url).port;
    const result = await s.send({ url: `https://localhost:${port}/proxied`, headers: {}, body: '{}', mtls: mtls(settings.version) });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(proxy.connects.slice(connects)).toEqual([`127.0.0.1:${port}`]);
    expect(rx.requests.at(-1)).toMatchObject({ path: '/proxied', clientName: 'sender-client' });
  });
});
