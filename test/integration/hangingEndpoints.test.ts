import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { TEST_DELIVERY_TIMEOUT_MS } from '@hookline/test-support/globalSetup';

const HANGING = 50;
const MESSAGES = 20;

let h: TestHookline;
let healthy: Receiver;
let hanging: Server;
let hangingUrl: string;
let hangingRequests = 0;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_MAX_ENDPOINTS_PER_APP: String(HANGING + 1) }); // one application holds them all
  healthy = await startReceiver();
  // Accepts every request and never answers: each attempt ends only at the delivery timeout.
  hanging = createServer(() => {
    hangingRequests++;
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await healthy?.close();
  await h?.stop();
});

it('keeps delivering to a healthy endpoint promptly while 50 others hang until the timeout', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'iso' }).expect(201)).body.id as string;
  for (let i = 0; i < HANGING; i++)
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${hangingUrl}/hang/${i}` })
      .expect(201);
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${healthy.url}/ok` })
    .expect(201);

  const publishedAt = new Map<string, number>();
  for (let i = 0; i < MESSAGES; i++) {
    const res = await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202);
    publishedAt.set(res.body.id, Date.now());
    await new Promise((r) => setTimeout(r, 100));
  }
  await healthy.waitFor(MESSAGES, 20_000);
  // The hanging endpoints really were being tried (and held their connections) meanwhile.
  expect(hangingRequests).toBeGreaterThanOrEqual(HANGING);
  const lags = healthy.requests.map((r) => r.at - publishedAt.get(String(r.headers['webhook-id']))!);
  // Queued behind hanging attempts, a delivery would wait for their timeout; it never does.
  expect(Math.max(...lags)).toBeLessThan(TEST_DELIVERY_TIMEOUT_MS);
}, 60_000);
