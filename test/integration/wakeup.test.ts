import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DELIVERY_WAKEUP_CHANNEL } from '@hookline/db';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Polling every 30 s: only the NOTIFY sent when a message is accepted can explain a prompt delivery.
const POLL_SECONDS = 30;

let h: TestHookline;
let receiver: Receiver;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_POLL_INTERVAL_SECONDS: String(POLL_SECONDS) });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

it('wakes the worker on publish instead of waiting for the next poll', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'w' }).expect(201)).body.id;
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/w` })
    .expect(201);
  // Let the workers settle into their idle poll before publishing.
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 3; i++) {
    const sent = Date.now();
    await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202);
    await receiver.waitFor(i + 1, (POLL_SECONDS * 1000) / 3);
    expect(receiver.requests[i]!.at - sent).toBeLessThan((POLL_SECONDS * 1000) / 3);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 60_000);

it('tells the other workers about the deliveries a fan-out made, once it has committed', async () => {
  // The fan-out's transaction sends no NOTIFY (it would serialise commits); the worker sends one
  // after it. Any worker LISTENing, not only the one that fanned out, must hear of the delivery.
  const listener = new pg.Client({ connectionString: h.connectionString });
  await listener.connect();
  try {
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${DELIVERY_WAKEUP_CHANNEL}`);
    const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'n' }).expect(201)).body.id;
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/n` })
      .expect(201);
    const before = receiver.requests.length;
    await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: {} }).expect(202);
    await receiver.waitFor(before + 1, 10_000);
    const deadline = Date.now() + 5000;
    while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toContain(DELIVERY_WAKEUP_CHANNEL);
  } finally {
    await listener.end();
  }
}, 30_000);
