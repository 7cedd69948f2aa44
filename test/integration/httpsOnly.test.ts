import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '@hookline/test-support/certificates';
import { startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { createTransformedEndpoint } from '@hookline/test-support/transformedEndpoint';

// A tenant's httpsOnly setting: http:// endpoint URLs refused (422) while it is on, existing ones
// reported, none delivered to. The api runs here; the worker is its own process that trusts the
// test's CA through NODE_EXTRA_CA_CERTS, as an operator's would.

let h: TestHookline;
let worker: HooklineProcess;
let dir: string;
let https: Server;
let httpsUrl: string;
const httpsRequests: string[] = [];
let plain: Receiver;

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  const server = await ca.issue();
  dir = await mkdtemp(path.join(tmpdir(), 'hookline-https-only-'));
  await writeFile(path.join(dir, 'ca.pem'), ca.cert);
  https = createServer({ cert: server.cert, key: server.key }, (req, res) => {
    req.resume();
    req.on('end', () => {
      httpsRequests.push(req.url ?? '');
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  plain = await startReceiver();
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  worker = spawnHookline(
    [],
    testEnv(h.connectionString, { HOOKLINE_ROLE: 'worker', HOOKLINE_LOG_LEVEL: 'info', NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'), HOOKLINE_RETRY_SCHEDULE: '1' }),
  );
  await waitUntil(() => worker.output().includes('worker started') || worker.child.exitCode !== null, 60_000, 'the worker');
  expect(worker.child.exitCode).toBeNull();
}, 120_000);
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await plain?.close();
  await new Promise((resolve) => https?.close(resolve));
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Attempt = { url: string; response: string; responseStatusCode: number };

async function attemptsOf(auth: { authorization: string }, app: string, ep: string, count: number): Promise<Attempt[]> {
  let data: Attempt[] = [];
  await waitUntil(
    async () => {
      data = (await h.http.get(`/api/v1/app/${app}/attempt/endpoint/${ep}`).set(auth).expect(200)).body.data;
      return data.length >= count;
    },
    30_000,
    `${count} attempt(s) to ${ep}`,
  );
  return data;
}

describe('httpsOnly', () => {
  it('refuses http:// endpoint URLs while on, reports the existing ones, and lets https:// deliver', async () => {
    const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'tls' }).expect(201)).body.id as string;
    const settings = await h.http.get('/console/v1/settings').set(auth).expect(200);
    expect(settings.body).toMatchObject({ httpsOnly: false, httpEndpoints: { count: 0, data: [] } });

    const old = (
      await h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url: `${plain.url}/old` })
        .expect(201)
    ).body.id as string;
    const secure = (
      await h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url: `${httpsUrl}/secure` })
        .expect(201)
    ).body.id as string;

    const on = await h.http.patch('/console/v1/settings').set(auth).send({ httpsOnly: true }).expect(200);
    expect(on.body.httpsOnly).toBe(true);
    expect(on.body.httpEndpoints).toEqual({ count: 1, data: [{ appId: app, endpointId: old, url: `${plain.url}/old`, operational: false }] });
    expect((await h.http.get('/console/v1/settings').set(auth).expect(200)).body.httpEndpoints.count).toBe(1);

    // Every door that writes an endpoint URL refuses http://, with a 422 on url, and changes nothing.
    const refused = [
      await h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url: `${plain.url}/new` }),
      await h.http
        .put(`/api/v1/app/${app}/endpoint/${secure}`)
        .set(auth)
        .send({ url: `${plain.url}/put` }),
      await h.http
        .patch(`/api/v1/app/${app}/endpoint/${secure}`)
        .set(auth)
        .send({ url: `HTTP://127.0.0.1:${plain.port}/patch` }),
      await h.http
        .post('/api/v1/operational-webhook/endpoint')
        .set(auth)
        .send({ url: `${plain.url}/ops` }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['body', 'url']);
      expect(res.body.detail[0].msg).toMatch(/https:\/\//);
    }
    expect((await h.http.get(`/api/v1/app/${app}/endpoint/${secure}`).set(auth).expect(200)).body.url).toBe(`${httpsUrl}/secure`);
    // Anything else about an existing http:// endpoint can still change (so it can be fixed or described).
    await h.http.patch(`/api/v1/app/${app}/endpoint/${old}`).set(auth).send({ description: 'to move' }).expect(200);

    // https:// delivers (the worker trusts the test CA); the old http:// endpoint gets a failed attempt instead of a request.
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'x.y', payload: { n: 1 } })
      .expect(202);
    const [delivered] = await attemptsOf(auth, app, secure, 1);
    expect(delivered).toMatchObject({ responseStatusCode: 200, url: `${httpsUrl}/secure` });
    expect(httpsRequests).toContain('/secure');
    const refusedAttempts = await attemptsOf(auth, app, old, 2);
    for (const a of refusedAttempts) expect(a).toMatchObject({ responseStatusCode: 0, response: expect.stringMatching(/only https:\/\//) });
    expect(plain.requests).toHaveLength(0);

    // Off again: http:// is accepted and delivered to.
    const off = await h.http.patch('/console/v1/settings').set(auth).send({ httpsOnly: false }).expect(200);
    expect(off.body.httpsOnly).toBe(false);
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${plain.url}/again` })
      .expect(201);
    expect((await h.http.get('/console/v1/settings').set(auth).expect(200)).body.httpEndpoints.count).toBe(2);
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'x.y', payload: { n: 2 } })
      .expect(202);
    await plain.waitFor(2, 30_000);
    expect(plain.requests.map((r) => r.path).sort()).toEqual(['/again', '/old']);
  }, 90_000);

  it('does not send to an http:// URL a transformation rewrote', async () => {
    const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
    const on = await h.http.patch('/console/v1/settings').set(auth).send({ httpsOnly: true }).expect(200);
    // Another tenant's http:// endpoints (the test above made some) are not this one's.
    expect(on.body.httpEndpoints).toEqual({ count: 0, data: [] });
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'rewrite' }).expect(201)).body.id as string;
    const before = plain.requests.length;
    const code = `function handler(w) { w.url = ${JSON.stringify(`${plain.url}/rewritten`)}; return w; }`;
    const { id } = await createTransformedEndpoint(h, auth, app, `${httpsUrl}/rewrite`, code);
    await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: {} }).expect(202);
    const [first] = await attemptsOf(auth, app, id, 1);
    expect(first).toMatchObject({ responseStatusCode: 0, response: expect.stringMatching(/only https:\/\//) });
    expect(plain.requests.length).toBe(before);
    expect(httpsRequests).not.toContain('/rewrite');
  }, 60_000);
});
