import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type TestProxy } from '@hookline/test-support/proxyServer';
import { noProxyMatcher } from '../../src/delivery/egressProxy.ts';
import { createHttpSender, type HttpSender, type SendResult } from '../../src/delivery/httpClient.ts';
import { parseAllowList } from '../../src/delivery/ssrfGuard.ts';

// HOOKLINE_EGRESS_PROXY: deliveries go through a real HTTP proxy by CONNECT, to the address the
// SSRF guard vetted; the proxy's own failures read as the proxy's, not the endpoint's.

let proxy: TestProxy;
let receiver: http.Server;
let receiverPort: number;
const received: string[] = [];
const senders: HttpSender[] = [];

beforeAll(async () => {
  proxy = await startProxy();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(`${req.headers.host} ${body}`);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  await proxy.close();
  await new Promise((resolve) => receiver.close(resolve));
});

function sender(allow: string, proxyUrl: string, noProxy: string[] = []): HttpSender {
  const s = createHttpSender({
    allow: parseAllowList(allow),
    timeoutMs: 3000,
    connectTimeoutMs: 1000,
    maxResponseBytes: 1024,
    proxy: { url: new URL(proxyUrl), noProxy },
  });
  senders.push(s);
  return s;
}
const post = (s: HttpSender, url: string): Promise<SendResult> => s.send({ url, headers: {}, body: '{"n":1}' });

describe('the egress proxy', () => {
  it('carries a delivery through a CONNECT tunnel to the address the guard resolved, with its credentials', async () => {
    proxy.requireCredentials('hook:line s3cret');
    const s = sender('127.0.0.1/32', `http://hook:${encodeURIComponent('line s3cret')}@127.0.0.1:${proxy.port}`);
    const before = proxy.connects.length;
    const result = await post(s, `http://localhost:${receiverPort}/hook`);
    expect(result).toMatchObject({ kind: 'response', status: 200, body: 'ok' });
    // The tunnel was asked for the vetted address, not the name; the request still names its host.
    expect(proxy.connects.slice(before)).toEqual([`127.0.0.1:${receiverPort}`]);
    expect(received.at(-1)).toBe(`localhost:${receiverPort} {"n":1}`);
    proxy.requireCredentials(undefined);
  });

  it('tells the proxy refusing (407) or being down apart from the endpoint failing', async () => {
    proxy.requireCredentials('someone:else');
    const refused = await post(sender('127.0.0.1/32', proxy.url), `http://127.0.0.1:${receiverPort}/hook`);
    expect(refused).toMatchObject({ kind: 'error', error: 'egress proxy: answered 407 Proxy Authentication Required to CONNECT: refused the tunnel', blocked: false });
    proxy.requireCredentials(undefined);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await post(sender('127.0.0.1/32', `http://127.0.0.1:${deadPort}`), `http://127.0.0.1:${receiverPort}/hook`);
    expect(down).toMatchObject({ kind: 'error', error: 'egress proxy: connection refused' });

    // The endpoint's own refusal, through a working proxy, is the endpoint's.
    const before = proxy.connects.length;
    const endpointDown = await post(sender('127.0.0.1/32', proxy.url), `http://127.0.0.1:${deadPort}/hook`);
    expect(endpointDown.kind).toBe('error');
    console.log('ENDPOINTDOWN', JSON.stringify(endpointDown));
    expect((endpointDown as { error: string }).error).not.toMatch(/^egress proxy: connection refused/);
    expect(proxy.connects.slice(before)).toEqual([`127.0.0.1:${deadPort}`]);
  });

  it('still applies the SSRF guard to the target: a refused one never reaches the proxy', async () => {
    const s = sender('10.0.0.0/8', proxy.url); // loopback not allowed
    const before = proxy.connects.length;
    const byName = await post(s, `http://localhost:${receiverPort}/hook`);
    const byAddress = await post(s, `http://127.0.0.1:${receiverPort}/hook`);
    expect(byName).toMatchObject({ kind: 'error', blocked: true });
    expect(byAddress).toMatchObject({ kind: 'error', blocked: true });
    expect(proxy.connects.length).toBe(before);
  });

  it('reaches the hosts of HOOKLINE_EGRESS_NO_PROXY directly', async () => {
    const s = sender('127.0.0.1/32', proxy.url, ['localhost']);
    const before = proxy.connects.length;
    expect(await post(s, `http://localhost:${receiverPort}/direct`)).toMatchObject({ kind: 'response', status: 200 });
    expect(proxy.connects.length).toBe(before);
  });
});

describe('noProxyMatcher', () => {
  it("follows NO_PROXY's rules: names with their subdomains, IPs, CIDRs, *", () => {
    const bypassesProxy = (host: string, list: string[]) => noProxyMatcher(list)(host);
    const list = ['internal.example', '.corp.test', '10.0.0.0/8', '192.168.1.7', 'fd00::/8'];
    expect(bypassesProxy('internal.example', list)).toBe(true);
    expect(bypassesProxy('api.internal.example', list)).toBe(true);
    expect(bypassesProxy('notinternal.example', list)).toBe(false);
    expect(bypassesProxy('corp.test', list)).toBe(true);
    expect(bypassesProxy('a.b.corp.test', list)).toBe(true);
    expect(bypassesProxy('10.2.3.4', list)).toBe(true);
    expect(bypassesProxy('11.2.3.4', list)).toBe(false);
    expect(bypassesProxy('192.168.1.7', list)).toBe(true);
    expect(bypassesProxy('fd12::1', list)).toBe(true);
    expect(bypassesProxy('hooks.customer.com', list)).toBe(false);
    expect(bypassesProxy('anything', ['*'])).toBe(true);
    expect(bypassesProxy('anything', [])).toBe(false);
  });
});
