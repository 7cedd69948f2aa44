import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  // '' overrides the test default (loopback allowed): only public targets, as in production.
  h = await startTestHookline({ HOOKLINE_ALLOW_PRIVATE_TARGETS: '' });
  auth = { authorization: `Bearer ${(await h.createTenant('ssrf')).apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'ssrf' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

async function endpointUrls(): Promise<string[]> {
  const res = await h.http.get(`/api/v1/app/${appId}/endpoint?limit=250`).set(auth).expect(200);
  return res.body.data.map((e: { url: string }) => e.url);
}

/** Expects a 422 that names body.url once, with a message mentioning `mention`. */
function expectRefused(res: { status: number; body: { detail?: Array<{ loc: unknown[]; msg: string; type: string }> } }, mention: string): void {
  expect(res.status).toBe(422);
  expect(res.body.detail).toEqual([{ loc: ['body', 'url'], msg: expect.any(String), type: 'value_error' }]);
  expect(res.body.detail![0]!.msg).toContain(mention);
}

describe('endpoint URLs with private targets refused', () => {
  const refused: Array<[url: string, mention: string]> = [
    ['http://127.0.0.1:9/x', '127.0.0.1'],
    ['http://localhost:8080/', 'localhost'],
    ['http://LOCALHOST./', 'localhost'],
    ['http://api.localhost/', 'api.localhost'],
    ['http://[::1]/', '::1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://10.0.0.1/', '10.0.0.1'],
    ['http://192.168.1.10/', '192.168.1.10'],
    ['http://172.16.0.1/', '172.16.0.1'],
    ['http://100.64.0.1/', '100.64.0.1'],
    ['http://0.0.0.0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '127.0.0.1'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    // Other spellings of 127.0.0.1 that the URL parser normalises.
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
  ];

  for (const [url, mention] of refused) {
    it(`refuses ${url} with 422 at body.url`, async () => {
      expectRefused(await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url }), mention);
    });
  }

  it('created none of the refused endpoints', async () => {
    expect(await endpointUrls()).toEqual([]);
  });

  it('accepts a public hostname even when it cannot be resolved right now', async () => {
    const res = await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/hook' }).expect(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^ep_/), url: 'https://example.com/hook' });
    // A public IP literal needs no resolution at all.
    await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://93.184.215.14/hook' }).expect(201);
    // Newest first, as Svix lists endpoints.
    expect(await endpointUrls()).toEqual(['http://93.184.215.14/hook', 'https://example.com/hook']);
  });

  it('refuses an update to a loopback URL and keeps the old URL', async () => {
    const ep = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.org/before', description: 'keep me' }).expect(201)).body;
    for (const [url, mention] of [
      ['http://127.0.0.1:8080/after', '127.0.0.1'],
      ['http://localhost/after', 'localhost'],
      ['http://[::1]:80/after', '::1'],
    ]) {
      expectRefused(await h.http.put(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).send({ url }), mention!);
    }
    const after = await h.http.get(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).expect(200);
    expect(after.body).toMatchObject({ url: 'https://example.org/before', description: 'keep me', updatedAt: ep.updatedAt });
    // A public URL is accepted by the same update.
    const ok = await h.http.put(`/api/v1/app/${appId}/endpoint/${ep.id}`).set(auth).send({ url: 'https://example.org/after' }).expect(200);
    expect(ok.body.url).toBe('https://example.org/after');
  });
});
