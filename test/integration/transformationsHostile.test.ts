import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { createTransformedEndpoint } from '@hookline/test-support/transformedEndpoint';

// Hostile transformation code, each on its own endpoint of one application, so every message fans
// out to all of them and to a plain endpoint beside them. Each hostile run is contained (a failed
// attempt with its reason, retried; or, for code that only looks around, a delivery showing it
// found nothing of the host), and the plain endpoint keeps receiving every message, signed and
// on time, while they run.

type Attempt = { response: string; status: number; responseStatusCode: number };

/** Code whose run must fail, and the reason its attempt must record. */
const FAILING: Record<string, { code: string; reason: RegExp }> = {
  loop: { code: 'function handler(w) { for (;;) {} }', reason: /^transformation failed: timed out after \d+ ms$/ },
  // Near the heap limit the collector runs hard, so the time limit may come first: either ends it.
  'memory bomb': {
    code: 'function handler(w) { const keep = []; for (;;) keep.push(new Array(1e6).fill(w.eventType)); }',
    reason: /^transformation failed: (out of memory|timed out after \d+ ms)/,
  },
  'array buffer bomb': { code: 'function handler(w) { const keep = []; for (;;) keep.push(new ArrayBuffer(1e8)); }', reason: /^transformation failed: out of memory/ },
  'string doubling': { code: 'function handler(w) { let s = "x"; for (;;) s += s; }', reason: /^transformation failed: out of memory/ },
  // Unwinding a blown stack can itself take longer than the time limit on a loaded machine: either way it is contained.
  'deep recursion': {
    code: 'function handler(w) { function f(n) { return f(n + 1) + 1; } return f(0); }',
    reason: /^transformation (threw: RangeError: Maximum call stack size exceeded|failed: timed out after \d+ ms)$/,
  },
  process: { code: 'function handler(w) { w.payload = process.env; return w; }', reason: /^transformation threw: ReferenceError: process is not defined$/ },
  require: {
    code: 'function handler(w) { require("child_process").execSync("id"); return w; }',
    reason: /^transformation threw: ReferenceError: require is not defined$/,
  },
  fetch: { code: 'function handler(w) { fetch("http://127.0.0.1/"); return w; }', reason: /^transformation threw: ReferenceError: fetch is not defined$/ },
  timers: { code: 'function handler(w) { setTimeout(() => {}, 1); return w; }', reason: /^transformation threw: ReferenceError: setTimeout is not defined$/ },
  'output too large': {
    code: 'function handler(w) { w.payload = "x".repeat(2 * 1024 * 1024); return w; }',
    reason: /^transformation failed: the handler's result is larger than 1048576 bytes$/,
  },
  'async handler': { code: 'async function handler(w) { return w; }', reason: /^transformation returned a bad shape .*method/ },
  'bad method': { code: 'function handler(w) { w.method = "GET"; return w; }', reason: /^transformation returned a bad shape .*method/ },
  'no handler': { code: 'function transform(w) { return w; }', reason: /^transformation threw: TypeError: the code must declare function handler\(webhook\)$/ },
};

/** Code that looks for the host; the delivery carries what it found. */
const LOOKING = `function handler(w) {
  const g = Function('return this')();
  const viaConstructor = ({}).constructor.constructor('return this')();
  Object.prototype.hooklinePolluted = true;
  JSON.hooklinePolluted = true;
  w.payload = {
    process: typeof g.process, require: typeof g.require, fetch: typeof g.fetch, setTimeout: typeof g.setTimeout,
    Buffer: typeof g.Buffer, sameGlobal: g === viaConstructor && g === globalThis,
    globals: Object.getOwnPropertyNames(globalThis).filter((k) => ['process', 'require', 'module', 'exports', 'global', 'Buffer', 'ivm', '__hooklineInput'].includes(k)),
  };
  return w;
}`;

let h: TestHookline;
let auth: { authorization: string };
let rx: Receiver;
let appId: string;
let plain: { id: string; secret: string };
const hostile = new Map<string, string>();
let looking: string;
/** Another endpoint's code, run in the same worker: it must see nothing of the looking one's pollution. */
const OBSERVER = `function handler(w) {
  w.payload = { objectPolluted: ({}).hooklinePolluted === undefined ? null : true, jsonPolluted: JSON.hooklinePolluted === undefined ? null : true };
  return w;
}`;
const MESSAGES = 6;

const at = (path: string) => rx.requests.filter((r) => r.path === path);

const endpoint = (path: string, code?: string) => createTransformedEndpoint(h, auth, appId, `${rx.url}${path}`, code);

async function attempts(endpointId: string): Promise<Attempt[]> {
  return (await h.http.get(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`).set(auth).query({ limit: 250 }).expect(200)).body.data;
}

beforeAll(async () => {
  // Failures are retried every second, five attempts in all: on a loaded machine a receiver's
  // answer may time out now and then, which the plain endpoint's retries absorb.
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '1,1,1,1', HOOKLINE_DELIVERY_TIMEOUT_MS: '10000' });
  const { apiKey } = await h.createTenant('hostile');
  auth = { authorization: `Bearer ${apiKey}` };
  rx = await startReceiver(() => ({ status: 200, body: 'ok' }));
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'hostile' }).expect(201)).body.id;
  for (const [name, { code }] of Object.entries(FAILING)) hostile.set(name, (await endpoint(`/${name.replaceAll(' ', '-')}`, code)).id);
  looking = (await endpoint('/looking', LOOKING)).id;
  await endpoint('/observer', OBSERVER);
  plain = await endpoint('/plain');
  for (let i = 0; i < MESSAGES; i++) {
    await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'hostile.test', payload: { n: i } })
      .expect(202);
  }
}, 60_000);
afterAll(async () => {
  await rx?.close();
  await h?.stop();
});

describe('hostile transformation code', () => {
  it('leaves the plain endpoint receiving every message, signed, while the hostile ones run', async () => {
    const ids = (path: string) => new Set(at(path).map((r) => r.headers['webhook-id']));
    await waitUntil(() => ids('/plain').size === MESSAGES, 30_000, 'every message at the plain endpoint');
    const ns = at('/plain').map((r) => (new Webhook(plain.secret).verify(r.body, r.headers as Record<string, string>) as { n: number }).n);
    expect([...new Set(ns)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each(Object.keys(FAILING))('contains %s: each attempt failed with its reason, retried, nothing sent', async (name) => {
    const id = hostile.get(name)!;
    await waitUntil(async () => (await attempts(id)).length >= MESSAGES * 2, 60_000, `${name}: twice as many attempts as messages`);
    const all = await attempts(id);
    for (const a of all) {
      expect(a.responseStatusCode).toBe(0);
      expect(a.status).toBe(2);
      expect(a.response).toMatch(FAILING[name]!.reason);
    }
    expect(at(`/${name.replaceAll(' ', '-')}`)).toHaveLength(0);
  });

  it('gives code looking for the host nothing of it, and keeps what it changes to its own sandbox', async () => {
    await waitUntil(() => new Set(at('/looking').map((r) => r.headers['webhook-id'])).size === MESSAGES, 30_000, 'every message at the looking endpoint').catch(
      async (err: unknown) => {
        throw new Error(`${String(err)}; its attempts: ${JSON.stringify((await attempts(looking)).map((a) => a.response))}`);
      },
    );
    for (const r of at('/looking')) {
      expect(JSON.parse(r.body)).toEqual({
        process: 'undefined',
        require: 'undefined',
        fetch: 'undefined',
        setTimeout: 'undefined',
        Buffer: 'undefined',
        sameGlobal: true,
        globals: [],
      });
    }
    // Its prototype pollution reached neither another endpoint's sandbox nor this process.
    await waitUntil(() => new Set(at('/observer').map((r) => r.headers['webhook-id'])).size === MESSAGES, 30_000, 'every message at the observer');
    for (const r of at('/observer')) expect(JSON.parse(r.body)).toEqual({ objectPolluted: null, jsonPolluted: null });
    // Nor did it reach this process's prototypes.
    expect((Object.prototype as Record<string, unknown>).hooklinePolluted).toBeUndefined();
    expect((JSON as unknown as Record<string, unknown>).hooklinePolluted).toBeUndefined();
  });
});
