import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { TEST_DELIVERY_TIMEOUT_MS } from '@hookline/test-support/globalSetup';
import { waitUntil } from '@hookline/test-support/process';

// An endpoint's own retrySchedule, timeoutMs and maxAttempts (Hookline extensions), over the
// installation's test settings: schedule 1,1,1 (four attempts) and a 3 s timeout.

let h: TestHookline;
let auth: { authorization: string };
let app: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startTestHookline();
  auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'settings' }).expect(201)).body.id as string;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

async function endpoint(body: Record<string, unknown>): Promise<Record<string, unknown> & { id: string }> {
  return (await h.http.post(`/api/v1/app/${app}/endpoint`).set(auth).send(body).expect(201)).body;
}

async function publish(): Promise<string> {
  return (
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(auth)
      .send({ eventType: 'x.y', payload: { at: Date.now() } })
      .expect(202)
  ).body.id as string;
}

/** The delivery of `msg` to endpoint `ep` once it is final (2: failed for good, 0: succeeded). */
async function finalDelivery(msg: string, ep: string): Promise<{ status: number }> {
  let found: { status: number } | undefined;
  await waitUntil(
    async () => {
      const d = await h.http.get(`/api/v1/app/${app}/msg/${msg}/endpoint`).set(auth).expect(200);
      found = (d.body.data as Array<{ id: string; status: number }>).find((x) => x.id === ep && (x.status === 0 || x.status === 2));
      return found !== undefined;
    },
    30_000,
    'the delivery to be final',
  );
  return found!;
}

async function attemptsOf(ep: string): Promise<Array<{ response: string; responseStatusCode: number; responseDurationMs: number }>> {
  return (await h.http.get(`/api/v1/app/${app}/attempt/endpoint/${ep}`).set(auth).expect(200)).body.data;
}

describe('delivery', () => {
  it('retries on the endpoint’s own schedule', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const ep = await endpoint({ url: `${r.url}/own`, retrySchedule: [1, 3] });
    expect(ep.retrySchedule).toEqual([1, 3]);
    const msg = await publish();
    expect((await finalDelivery(msg, ep.id)).status).toBe(2);
    // The installation's 1,1,1 would make four attempts a second apart.
    expect(r.requests).toHaveLength(3);
    const gaps = [r.requests[1]!.at - r.requests[0]!.at, r.requests[2]!.at - r.requests[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(700);
    expect(gaps[1]).toBeGreaterThanOrEqual(2300); // 3 s less the jitter (20 %)
  }, 60_000);

  it('is exhausted after the endpoint’s maxAttempts', async () => {
    const r = await receiver(() => ({ status: 503 }));
    const ep = await endpoint({ url: `${r.url}/max`, maxAttempts: 2 });
    const msg = await publish();
    expect((await finalDelivery(msg, ep.id)).status).toBe(2);
    // Longer than the next retry of the installation's schedule would have waited.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(r.requests).toHaveLength(2);
    expect(await attemptsOf(ep.id)).toHaveLength(2);
  }, 60_000);

  it('cuts a slow receiver at the endpoint’s timeout while another endpoint waits the installation’s', async () => {
    // Answers after 2 s: within the installation's 3 s, past the short endpoint's 1 s.
    const r = await receiver(() => ({ status: 200, delayMs: 2_000 }));
    const short = await endpoint({ url: `${r.url}/short`, timeoutMs: 1_000, maxAttempts: 1 });
    const patient = await endpoint({ url: `${r.url}/patient`, maxAttempts: 1 });
    const msg = await publish();
    expect((await finalDelivery(msg, short.id)).status).toBe(2);
    expect((await finalDelivery(msg, patient.id)).status).toBe(0);
    const [cut] = await attemptsOf(short.id);
    expect(cut).toMatchObject({ responseStatusCode: 0, response: 'timeout' });
    expect(cut!.responseDurationMs).toBeGreaterThanOrEqual(900);
    expect(cut!.responseDurationMs).toBeLessThan(1_900);
    const [waited] = await attemptsOf(patient.id);
    expect(waited).toMatchObject({ responseStatusCode: 200 });
    expect(waited!.responseDurationMs).toBeGreaterThanOrEqual(1_900);
  }, 60_000);
});

describe('input', () => {
  const unprocessable = async (send: Promise<{ status: number; body: { detail: Array<{ loc: string[] }> } }>, field: string) => {
    const res = await send;
    expect(res.status).toBe(422);
    expect(res.body.detail.some((d) => d.loc.includes(field))).toBe(true);
  };

  it('refuses values out of bounds with a 422 on the field, and changes nothing', async () => {
    const url = 'http://127.0.0.1:9/bounds';
    const create = (body: object) =>
      h.http
        .post(`/api/v1/app/${app}/endpoint`)
        .set(auth)
        .send({ url, ...body });
    await unprocessable(create({ timeoutMs: 999 }), 'timeoutMs');
    await unprocessable(create({ timeoutMs: TEST_DELIVERY_TIMEOUT_MS + 1 }), 'timeoutMs');
    await unprocessable(create({ timeoutMs: 1500.5 }), 'timeoutMs');
    await unprocessable(create({ maxAttempts: 0 }), 'maxAttempts');
    await unprocessable(create({ maxAttempts: 52 }), 'maxAttempts');
    await unprocessable(create({ retrySchedule: [] }), 'retrySchedule');
    await unprocessable(create({ retrySchedule: [-1] }), 'retrySchedule');
    await unprocessable(create({ retrySchedule: [1, 1], maxAttempts: 4 }), 'maxAttempts');
    const ep = await endpoint({ url, retrySchedule: [1], maxAttempts: 2 });
    const patch = (body: object) => h.http.patch(`/api/v1/app/${app}/endpoint/${ep.id}`).set(auth).send(body);
    await unprocessable(patch({ maxAttempts: 3 }), 'maxAttempts');
    await unprocessable(patch({ retrySchedule: [5, 5, 5], timeoutMs: 100 }), 'timeoutMs');
    const after = (await h.http.get(`/api/v1/app/${app}/endpoint/${ep.id}`).set(auth).expect(200)).body;
    expect(after).toMatchObject({ retrySchedule: [1], maxAttempts: 2, timeoutMs: null });
    // Without an own schedule, maxAttempts is capped at delivery by whichever schedule applies.
    expect((await patch({ retrySchedule: null, maxAttempts: 51 }).expect(200)).body).toMatchObject({ retrySchedule: null, maxAttempts: 51 });
  });

  it('PUT keeps what it leaves out and clears what it sets to null; PATCH changes only what it names', async () => {
    const url = 'http://127.0.0.1:9/semantics';
    const ep = await endpoint({ url, retrySchedule: [2, 4], timeoutMs: 2_000, maxAttempts: 3 });
    expect(ep).toMatchObject({ retrySchedule: [2, 4], timeoutMs: 2_000, maxAttempts: 3 });
    const path = `/api/v1/app/${app}/endpoint/${ep.id}`;
    // Svix's clients and the portal send PUT without Hookline's fields: they are kept.
    expect((await h.http.put(path).set(auth).send({ url, description: 'put' }).expect(200)).body).toMatchObject({
      description: 'put',
      retrySchedule: [2, 4],
      timeoutMs: 2_000,
      maxAttempts: 3,
    });
    expect((await h.http.patch(path).set(auth).send({ timeoutMs: null }).expect(200)).body).toMatchObject({ retrySchedule: [2, 4], timeoutMs: null, maxAttempts: 3 });
    expect((await h.http.patch(path).set(auth).send({ description: 'patched' }).expect(200)).body).toMatchObject({ retrySchedule: [2, 4], maxAttempts: 3 });
    expect((await h.http.put(path).set(auth).send({ url, retrySchedule: null, maxAttempts: null, timeoutMs: 1_000 }).expect(200)).body).toMatchObject({
      description: '',
      retrySchedule: null,
      timeoutMs: 1_000,
      maxAttempts: null,
    });
    // Each change is audited with its old and new values.
    const log = await h.http.get(`/api/v1/audit-log?action=endpoint.updated&target=${ep.id}`).set(auth).expect(200);
    const changes = (log.body.data as Array<{ changes?: Record<string, unknown> }>).map((e) => Object.keys(e.changes ?? {}));
    expect(changes.flat()).toEqual(expect.arrayContaining(['timeoutMs', 'retrySchedule', 'maxAttempts']));
  });
});
