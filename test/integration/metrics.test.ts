import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';

let h: TestHookline;
let ok: Receiver;
let failing: Receiver;

beforeAll(async () => {
  h = await startTestHookline();
  ok = await startReceiver();
  failing = await startReceiver(() => ({ status: 500 }));
});
afterAll(async () => {
  await ok?.close();
  await failing?.close();
  await h?.stop();
});

/** The value of one sample line, e.g. `hookline_delivery_attempts_total{outcome="succeeded"}`. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

it('exposes Prometheus metrics with bounded labels', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'm' }).expect(201)).body.id;
  const goodEp = (
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(auth)
      .send({ url: `${ok.url}/m` })
      .expect(201)
  ).body.id;
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(auth)
    .send({ url: `${failing.url}/m` })
    .expect(201);
  for (let i = 0; i < 3; i++) await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', payload: { i } }).expect(202);
  await ok.waitFor(3);
  await failing.waitFor(3);

  let text = '';
  await waitUntil(
    async () => {
      const res = await h.http.get('/metrics').expect(200);
      text = res.text;
      return (
        (sample(text, 'hookline_delivery_attempts_total{outcome="succeeded"}') ?? 0) >= 3 &&
        (sample(text, 'hookline_delivery_attempts_total{outcome="retrying"}') ?? 0) >= 3
      );
    },
    15_000,
    'the attempts to be counted',
  );
  const res = await h.http.get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(sample(text, 'hookline_messages_published_total')).toBe(3);
  expect(sample(text, 'hookline_publish_duration_seconds_count')).toBe(3);
  expect(text).toMatch(/^hookline_attempt_duration_seconds_bucket\{le="[\d.+Inf]+",outcome="success"\} \d+$/m);
  expect(text).toMatch(/^hookline_queue_ready_jobs\{queue="deliver\.v1"\} \d+$/m);
  expect(text).toMatch(/^hookline_queue_oldest_ready_seconds\{queue="deliver\.v1"\} [\d.]+$/m);
  // No label ever names a tenant, application, endpoint or message.
  for (const id of [app, goodEp, 'org_', 'msg_', 'ep_']) expect(text).not.toContain(id);
});
