import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// HOOKLINE_ENDPOINT_CONCURRENCY bounds the attempts one endpoint has in flight, whatever its
// backlog: what keeps a receiver that hangs from taking the worker's whole capacity (hangingEndpoints.test.ts
// shows the other side: healthy endpoints go on meanwhile). Counted at the receiver, not timed.

const PER_ENDPOINT = 3;
const MESSAGES = 12;

let h: TestHookline;
let server: Server;
let url: string;
let open = 0;
let mostOpen = 0;
let received = 0;
const held: ServerResponse[] = [];

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ENDPOINT_CONCURRENCY: String(PER_ENDPOINT) });
  // Holds every request until released, counting how many are open at once.
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received++;
    mostOpen = Math.max(mostOpen, ++open);
    res.on('close', () => {
      open--;
    });
    req.resume();
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await h?.stop();
});

it('has at most HOOKLINE_ENDPOINT_CONCURRENCY attempts in flight to one endpoint, and uses them all', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'conc' }).expect(201)).body.id as string;
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${url}/slow` })
    .expect(201);
  for (let i = 0; i < MESSAGES; i++) await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202);

  // The backlog is far larger than the limit: the limit's worth arrive, then no more while they are held.
  const deadline = Date.now() + 10_000;
  while (received < PER_ENDPOINT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500)); // room for any attempt beyond the limit to show up
  expect(received).toBe(PER_ENDPOINT);
  // Answered one by one, each answer frees one slot for the next attempt, never more at once.
  while (held.length > 0 && received < MESSAGES) {
    held.shift()!.writeHead(200).end('ok');
    const before = received;
    while (received === before && Date.now() < deadline + 20_000) await new Promise((r) => setTimeout(r, 20));
  }
  expect(mostOpen).toBe(PER_ENDPOINT);
  for (const res of held.splice(0)) res.writeHead(200).end('ok');
}, 60_000);
