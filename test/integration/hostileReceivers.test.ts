import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { floodingReceiver, healthyReceiver, redirectingReceiver, silentReceiver, tricklingReceiver, type CountingServer } from '@hookline/test-support/hostileReceivers';
import { memoryOf, resetPeakMemory, sampleRss } from '@hookline/test-support/memory';
import { spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';

// The worker runs as its own process so its memory can be read from /proc. It may reach only
// ::1, so every receiver it should talk to listens there; 127.0.0.1 stands for "private".
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
const MEMORY_GROWTH_BOUND = 64 * MIB;
const PER_CASE = 3;

let h: TestHookline;
let auth: { authorization: string };
let worker: HooklineProcess | undefined;
const servers: CountingServer[] = [];

beforeAll(async () => {
  // The api accepts loopback endpoints (as it would a name that resolved to a public address when
  // the endpoint was created); the worker alone applies the narrow allow-list at send time.
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'probe.sent', description: 'probe' }).expect(201);
});
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.close()));
  await h?.stop();
});

async function track<T extends CountingServer>(server: Promise<T>): Promise<T> {
  const s = await server;
  servers.push(s);
  return s;
}

async function endpointApp(url: string): Promise<string> {
  const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'hostile' }).expect(201);
  await h.http.post(`/api/v1/app/${app.body.id}/endpoint`).set(auth).send({ url }).expect(201);
  return app.body.id as string;
}

async function publish(appId: string): Promise<string> {
  const res = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .send({ eventType: 'probe.sent', payload: { probe: true } })
    .expect(202);
  return res.body.id as string;
}

type Attempt = { status: number; responseStatusCode: number; response: string };

async function attemptsOf(appId: string, msgId: string): Promise<Attempt[]> {
  const res = await h.http.get(`/api/v1/app/${appId}/attempt/msg/${msgId}`).set(auth).expect(200);
  return res.body.data as Attempt[];
}

/** Waits for the first recorded attempt of each message (the retry schedule puts the next an hour away). */
async function firstAttempts(appId: string, msgIds: string[]): Promise<Attempt[]> {
  const found = new Map<string, Attempt>();
  await waitUntil(
    async () => {
      for (const id of msgIds) {
        if (found.has(id)) continue;
        const [attempt] = await attemptsOf(appId, id);
        if (attempt) found.set(id, attempt);
      }
      return found.size === msgIds.length;
    },
    60_000,
    `attempts of ${msgIds.length} messages`,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${worker?.output()}`);
  });
  return msgIds.map((id) => found.get(id)!);
}

it('ends every hostile receiver in a recorded failed attempt, keeps the worker memory flat and reaches nothing the guard forbids', async () => {
  const healthy = await track(healthyReceiver('::1'));
  const trickle = await track(tricklingReceiver('::1', 200));
  const flood = await track(floodingReceiver('::1', GIB));
  const silent = await track(silentReceiver('::1'));
  const canary = await track(healthyReceiver('::1'));
  const to302 = await track(redirectingReceiver('::1', 302, 'http://169.254.169.254/latest/meta-data/'));
  const to307 = await track(redirectingReceiver('::1', 307, `${canary.url}/followed`));
  const privateTarget = await track(healthyReceiver('127.0.0.1'));

  const apps = {
    healthy: await endpointApp(`${healthy.url}/hook`),
    trickle: await endpointApp(`${trickle.url}/hook`),
    flood: await endpointApp(`${flood.url}/hook`),
    silent: await endpointApp(`${silent.url}/hook`),
    to302: await endpointApp(`${to302.url}/hook`),
    to307: await endpointApp(`${to307.url}/hook`),
    // `localhost` resolves to 127.0.0.1 only (see /etc/hosts), which the worker's list does not allow.
    byName: await endpointApp(`http://localhost:${privateTarget.port}/hook`),
  };

  worker = spawnHookline(
    [],
    testEnv(h.connectionString, {
      HOOKLINE_ROLE: 'worker',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: '::1/128',
      HOOKLINE_DELIVERY_TIMEOUT_MS: '2000',
      HOOKLINE_CONNECT_TIMEOUT_MS: '1000',
      HOOKLINE_RETRY_SCHEDULE: '3600',
      HOOKLINE_LOG_LEVEL: 'warn',
    }),
  );
  const pid = worker.child.pid!;

  // Warm up (connections, code paths, JIT) on a well-behaved receiver, then take the baseline.
  const warm = await firstAttempts(apps.healthy, await Promise.all([publish(apps.healthy), publish(apps.healthy)]));
  expect(warm.map((a) => [a.status, a.responseStatusCode])).toEqual([
    [0, 200],
    [0, 200],
  ]);
  const baseline = (await memoryOf(pid)).rss;
  const peakReset = await resetPeakMemory(pid);

  const sampler = sampleRss(pid);
  const msgs = {
    trickle: await Promise.all(Array.from({ length: PER_CASE }, () => publish(apps.trickle))),
    flood: await Promise.all(Array.from({ length: PER_CASE }, () => publish(apps.flood))),
    silent: [await publish(apps.silent)],
    to302: [await publish(apps.to302)],
    to307: [await publish(apps.to307)],
    byName: [await publish(apps.byName)],
  };
  const results = {
    trickle: await firstAttempts(apps.trickle, msgs.trickle),
    flood: await firstAttempts(apps.flood, msgs.flood),
    silent: await firstAttempts(apps.silent, msgs.silent),
    to302: await firstAttempts(apps.to302, msgs.to302),
    to307: await firstAttempts(apps.to307, msgs.to307),
    byName: await firstAttempts(apps.byName, msgs.byName),
  };
  const sampledPeak = await sampler.stop();
  const { hwm } = await memoryOf(pid);

  // Status line then a byte every 200 ms: the 200 arrived, the body never finished.
  for (const a of results.trickle) expect(a).toMatchObject({ status: 2, responseStatusCode: 200, response: 'timeout while reading the response body' });
  // A gigabyte body: the worker stops reading at its 1 MiB limit and hangs up.
  for (const a of results.flood) expect(a).toMatchObject({ status: 2, responseStatusCode: 200, response: 'response body larger than 1048576 bytes' });
  expect(flood.responses()).toBe(PER_CASE);
  expect(flood.maxSent()).toBeLessThan(64 * MIB);
  // Connected, never answered.
  expect(results.silent[0]).toMatchObject({ status: 2, responseStatusCode: 0, response: 'timeout' });
  expect(silent.connections()).toBeGreaterThan(0);
  // Redirects are recorded as they are and never followed: the canary the 307 points to got nothing.
  expect(results.to302[0]).toMatchObject({ status: 2, responseStatusCode: 302 });
  expect(results.to307[0]).toMatchObject({ status: 2, responseStatusCode: 307 });
  expect(canary.connections()).toBe(0);
  // A name resolving to a forbidden address is refused before connecting.
  expect(results.byName[0]).toMatchObject({ status: 2, responseStatusCode: 0 });
  expect(results.byName[0]!.response).toContain('blocked by SSRF guard');
  // …without saying where the name points (issue 17, 2h).
  expect(results.byName[0]!.response).not.toContain('127.0.0.1');
  expect(privateTarget.connections()).toBe(0);

  // Memory stays flat: the peak while all of this ran stays within a fixed bound of the baseline.
  const peak = peakReset ? Math.max(hwm, sampledPeak) : sampledPeak;
  expect(sampledPeak).toBeGreaterThan(0);
  expect(peak - baseline, `baseline ${baseline}, peak ${peak} (VmHWM reset: ${peakReset})`).toBeLessThan(MEMORY_GROWTH_BOUND);
}, 180_000);
