import { describe, it, expect, afterAll } from 'vitest';
import http from 'node:http';
import type net from 'node:net';
import { createHttpSender } from '../../src/delivery/httpClient.ts';
import type { HttpSender, SendResult } from '../../src/delivery/httpClient.ts';
import { parseAllowList } from '../../src/delivery/ssrfGuard.ts';

type TestServer = {
  port: number;
  url: (path?: string) => string;
  /** TCP connections accepted so far. */
  connections: () => number;
  requests: () => number;
  close: () => Promise<void>;
};

const servers: TestServer[] = [];
const senders: HttpSender[] = [];

async function startServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<TestServer> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let requests = 0;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', () => {
    requests++;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address() as net.AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const testServer: TestServer = {
    port: address.port,
    url: (path = '/') => `http://${hostPart}:${address.port}${path}`,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

function sender(allow: string, overrides: { timeoutMs?: number; maxResponseBytes?: number } = {}): HttpSender {
  const s = createHttpSender({
    allow: parseAllowList(allow),
    timeoutMs: overrides.timeoutMs ?? 2_000,
    connectTimeoutMs: 1_000,
    maxResponseBytes: overrides.maxResponseBytes ?? 20 * 1024,
  });
  senders.push(s);
  return s;
}

function expectResponse(result: SendResult): Extract<SendResult, { kind: 'response' }> {
  if (result.kind !== 'response') throw new Error(`expected a response, got error: ${result.error}`);
  return result;
}

function expectError(result: SendResult): Extract<SendResult, { kind: 'error' }> {
  if (result.kind !== 'error') throw new Error(`expected an error, got status ${result.status}`);
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.close()));
});

describe('createHttpSender', () => {
  const loopback = sender('127.0.0.1/32,::1/128');

  it('POSTs the body with our headers and returns the echoed 200 response', async () => {
    const server = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('x-reply', 'yes');
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
      });
    });
    const result = expectResponse(
      await loopback.send({
        url: server.url('/hook?a=1#frag'),
        headers: {
          'webhook-id': 'msg_1',
          'Content-Type': 'text/plain',
          'X-Custom': 'v',
          Host: 'evil.example',
          'Transfer-Encoding': 'chunked',
        },
        body: '{"hello":"world"}',
      }),
    );
    expect(result.status).toBe(200);
    expect(result.bodyEncoding).toBe('utf8');
    expect(result.truncated).toBe(false);
    expect(result.headers['x-reply']).toBe('yes');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const echoed = JSON.parse(result.body) as { method: string; url: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('POST');
    expect(echoed.url).toBe('/hook?a=1');
    expect(echoed.body).toBe('{"hello":"world"}');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.headers['user-agent']).toBe('Hookline/1.0');
    expect(echoed.headers['webhook-id']).toBe('msg_1');
    expect(echoed.headers['x-custom']).toBe('v');
    expect(echoed.headers['host']).toBe(`127.0.0.1:${server.port}`);
    expect(echoed.headers['transfer-encoding']).toBeUndefined();
    expect(echoed.headers['content-length']).toBe('17');
  });

  it('reuses the keep-alive connection for consecutive sends', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    for (let i = 0; i < 3; i++) {
      expect(expectResponse(await loopback.send({ url: server.url(), headers: {}, body: '{}' })).status).toBe(200);
      // undici's pool marks the client free again on a later tick; a same-tick send may open a second socket.
      await sleep(5);
    }
    expect(server.requests()).toBe(3);
    expect(server.connections()).toBe(1);
  });

  it('records a 500 as a response', async () => {
    const server = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const result = expectResponse(await loopback.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result.status).toBe(500);
    expect(result.body).toBe('boom');
  });

  it('does not follow redirects: a 302 is returned and the Location target receives nothing', async () => {
    const target = await startServer((_req, res) => res.end('should not be reached'));
    const redirector = await startServer((_req, res) => {
      res.writeHead(302, { location: target.url('/elsewhere') });
      res.end();
    });
    const result = expectResponse(await loopback.send({ url: redirector.url(), headers: {}, body: '{}' }));
    expect(result.status).toBe(302);
    expect(result.headers['location']).toBe(target.url('/elsewhere'));
    await sleep(100);
    expect(target.connections()).toBe(0);
  });

  it('returns connection refused as an error value', async () => {
    const closed = await startServer((_req, res) => res.end());
    const port = closed.port;
    await closed.close();
    const result = expectError(await loopback.send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}' }));
    expect(result).toMatchObject({ status: 0, error: 'connection refused', blocked: false });
  });

  it('times out a server that never answers, within about timeoutMs', async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const s = sender('127.0.0.1/32', { timeoutMs: 500 });
    const started = Date.now();
    const result = expectError(await s.send({ url: server.url(), headers: {}, body: '{}' }));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 0, error: 'timeout', blocked: false });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
  });

  it("takes a request's own timeout over the sender's, on the shared agent", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const s = sender('127.0.0.1/32', { timeoutMs: 5_000 });
    const started = Date.now();
    const result = expectError(await s.send({ url: server.url(), headers: {}, body: '{}', timeoutMs: 500 }));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 0, error: 'timeout', blocked: false });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('bounds the body read of a server trickling 1 byte every 100 ms forever', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    });
    // 1.5 s, not less: on a loaded machine the headers (sent with the first byte) can take most of 500 ms.
    const s = sender('127.0.0.1/32', { timeoutMs: 1_500 });
    const started = Date.now();
    const result = await s.send({ url: server.url(), headers: {}, body: '{}' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3_500);
    // Headers arrived, so the status is recorded; the body is partial.
    const response = expectResponse(result);
    expect(response.status).toBe(200);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBeLessThanOrEqual(20);
    // The body never finished: the exchange failed although a 200 arrived.
    expect(response.incomplete).toBe('timeout while reading the response body');
  });

  it('reads at most maxResponseBytes of a 50 MB response and returns quickly', async () => {
    const total = 50 * 1024 * 1024;
    let sent = 0;
    const server = await startServer((_req, res) => {
      res.on('error', () => {});
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const s = sender('127.0.0.1/32', { timeoutMs: 5_000, maxResponseBytes: 20 * 1024 });
    const started = Date.now();
    const result = expectResponse(await s.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.status).toBe(200);
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBeLessThanOrEqual(20 * 1024);
    expect(result.body.length).toBeGreaterThan(0);
    expect(result.incomplete).toBe('response body larger than 1048576 bytes');
    await sleep(50);
    expect(sent).toBeLessThan(total);
  });

  it('reads a body over the kept size but under the read limit to its end: complete, kept part truncated', async () => {
    const server = await startServer((_req, res) => res.end('y'.repeat(200 * 1024)));
    const s = sender('127.0.0.1/32', { maxResponseBytes: 1024 });
    const result = expectResponse(await s.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result.status).toBe(200);
    expect(result.body).toBe('y'.repeat(1024));
    expect(result.truncated).toBe(true);
    expect(result.incomplete).toBeUndefined();
  });

  it('marks an exactly-at-the-cap body as not truncated', async () => {
    const server = await startServer((_req, res) => res.end('x'.repeat(100)));
    const s = sender('127.0.0.1/32', { maxResponseBytes: 100 });
    const result = expectResponse(await s.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result.body).toBe('x'.repeat(100));
    expect(result.incomplete).toBeUndefined();
    expect(result.truncated).toBe(false);
  });

  it('does not split a multi-byte character when truncating', async () => {
    const server = await startServer((_req, res) => res.end('é'.repeat(100)));
    const s = sender('127.0.0.1/32', { maxResponseBytes: 11 });
    const result = expectResponse(await s.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result).toMatchObject({ bodyEncoding: 'utf8', body: 'é'.repeat(5), truncated: true });
  });

  it('returns a non-UTF-8 body as base64', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    const server = await startServer((_req, res) => res.end(bytes));
    const result = expectResponse(await loopback.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result.bodyEncoding).toBe('base64');
    expect(Buffer.from(result.body, 'base64')).toEqual(bytes);
    expect(result.truncated).toBe(false);
  });

  it('works over IPv6 loopback when ::1 is allowed', async () => {
    const server = await startServer((_req, res) => res.end('v6'), '::1');
    const result = expectResponse(await loopback.send({ url: server.url(), headers: {}, body: '{}' }));
    expect(result.body).toBe('v6');
  });

  it('rejects non-http(s) URLs without throwing', async () => {
    const result = expectError(await loopback.send({ url: 'ftp://127.0.0.1/x', headers: {}, body: '{}' }));
    expect(result).toMatchObject({ status: 0, blocked: false });
    expect(result.error).toMatch(/scheme ftp/);
    expect(expectError(await loopback.send({ url: 'not a url', headers: {}, body: '{}' })).error).toBe('invalid URL');
  });

  it('returns invalid header values as an error value', async () => {
    const server = await startServer((_req, res) => res.end());
    const result = expectError(await loopback.send({ url: server.url(), headers: { 'x-bad': 'a\r\nb' }, body: '{}' }));
    expect(result.error).toMatch(/^invalid request/);
    expect(server.connections()).toBe(0);
  });

  describe('SSRF guard (loopback not allowed)', () => {
    const publicOnly = sender('');

    it('blocks an IP-literal loopback URL before connecting', async () => {
      const server = await startServer((_req, res) => res.end('reached'));
      const result = expectError(await publicOnly.send({ url: server.url(), headers: {}, body: '{}' }));
      expect(result.blocked).toBe(true);
      expect(result.error).toBe('blocked by SSRF guard: a loopback address (127.0.0.1) is not allowed');
      await sleep(50);
      expect(server.connections()).toBe(0);
    });

    it('blocks IPv4-mapped and IPv6 loopback literals', async () => {
      for (const url of ['http://[::ffff:127.0.0.1]:1/', 'http://[::1]:1/', 'http://[::ffff:7f00:1]/']) {
        expect(expectError(await publicOnly.send({ url, headers: {}, body: '{}' })).blocked).toBe(true);
      }
    });

    it('blocks http://localhost:<port> in the guarded lookup and the server gets no connection', async () => {
      const server = await startServer((_req, res) => res.end('reached'));
      const result = expectError(await publicOnly.send({ url: `http://localhost:${server.port}/`, headers: {}, body: '{}' }));
      expect(result.blocked).toBe(true);
      expect(result.error).toMatch(/^blocked by SSRF guard: localhost/);
      await sleep(50);
      expect(server.connections()).toBe(0);
    });

    it('blocks a hostname by its resolved address (only ::1 allowed, localhost → 127.0.0.1)', async () => {
      const server = await startServer((_req, res) => res.end('reached'));
      const v6Only = sender('::1/128');
      const result = expectError(await v6Only.send({ url: `http://localhost:${server.port}/`, headers: {}, body: '{}' }));
      expect(result).toMatchObject({
        blocked: true,
        error: 'blocked by SSRF guard: localhost resolves to an address that is not allowed',
        logDetail: 'localhost resolved to a loopback address (127.0.0.1)',
      });
      await sleep(50);
      expect(server.connections()).toBe(0);
    });

    it('the same localhost URL is delivered when everything is allowed', async () => {
      const server = await startServer((_req, res) => res.end('reached'));
      const all = sender('true');
      const result = expectResponse(await all.send({ url: `http://localhost:${server.port}/`, headers: {}, body: '{}' }));
      expect(result.body).toBe('reached');
      expect(server.connections()).toBe(1);
    });
  });
});
