import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Svix } from 'svix';
import { routes } from '@hookline/api';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Every route the installed official `svix` client calls on Svix's webhook surface must be served by
// Hookline's route table and listed in its OpenAPI document. The client's routes are not copied
// here: its API classes are walked and every method called, with a `fetch` that records the request
// (method and path) instead of sending it, so a newer client's routes are enumerated by themselves.

/** The client's surfaces of Svix's webhooks product, which Hookline serves (issue 23). */
const WEBHOOK_SURFACES = [
  'application',
  'authentication',
  'backgroundTask',
  'endpoint',
  'environment',
  'eventType',
  'health',
  'integration',
  'message',
  'messageAttempt',
  'operationalWebhook',
  'statistics',
];
/** Svix's other products, outside Hookline's scope (docs/api.md, "Differences from Svix"): Ingest, Stream, connectors, destinations, auto-configuration. */
const OTHER_PRODUCTS = ['autoconfigSubscription', 'connector', 'destination', 'ingest', 'streaming'];
/** Authentication's methods for Svix Stream's sinks and portal: part of Stream, not of webhooks. */
const isStreamAuth = (path: string) => /^\/api\/v1\/auth\/stream[-/]/.test(path);

interface ClientCall {
  method: string;
  /** The path template, parameters as `{}`. */
  path: string;
  /** Where in the client, e.g. `message.poller.poll`. */
  by: string;
}

/** The path parameters passed to every method: recognised in the recorded URL and turned back into `{}`. */
const param = (i: number) => `p${i}param`;

/** Walks the client's API classes (nested ones through their getters) and records each method's request. */
async function enumerateClient(): Promise<{ calls: ClientCall[]; surfaces: string[]; unreached: string[] }> {
  const calls: ClientCall[] = [];
  let current = '';
  const recordingFetch: typeof fetch = async (url, init) => {
    const path = new URL(url instanceof Request ? url.url : url).pathname.replace(/p\dparam/g, '{}');
    calls.push({ method: (init?.method ?? 'GET').toUpperCase(), path, by: current });
    throw new Error('recorded, not sent');
  };
  const svix = new Svix('testsk_route.coverage', { serverUrl: 'http://svix.invalid', fetch: recordingFetch, numRetries: 0 });
  const unreached: string[] = [];

  async function walk(api: object, name: string): Promise<void> {
    const proto = Object.getPrototypeOf(api) as object;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      if (d.get) {
        await walk((api as Record<string, object>)[key]!, `${name}.${key}`);
        continue;
      }
      if (typeof d.value !== 'function') continue;
      const fn = d.value as (...args: unknown[]) => Promise<unknown>;
      // Leading arguments are path parameters (strings), the rest bodies and options (objects): try
      // fewer strings until the method gets as far as its request.
      let reached = false;
      for (let strings = fn.length; strings >= 0 && !reached; strings--) {
        const args = Array.from({ length: fn.length }, (_, i) => (i < strings ? param(i) : {}));
        current = `${name}.${key}`;
        const before = calls.length;
        await fn.apply(api, args).catch(() => undefined);
        reached = calls.length > before;
      }
      if (!reached) unreached.push(`${name}.${key}`);
    }
  }

  const surfaces = Object.getOwnPropertyNames(Svix.prototype).filter((n) => n !== 'constructor');
  for (const s of surfaces.filter((x) => WEBHOOK_SURFACES.includes(x))) await walk((svix as unknown as Record<string, object>)[s]!, s);
  return { calls, surfaces, unreached };
}

const key = (c: { method: string; path: string }) => `${c.method} ${c.path}`;
/** A route table path (`/api/v1/app/:app`) as a template (`/api/v1/app/{}`); trailing slashes do not count. */
const templateOf = (path: string) =>
  path
    .replace(/:\w+/g, '{}')
    .replace(/\{\w*\}/g, '{}')
    .replace(/(.)\/$/, '$1');

let h: TestHookline;
let client: Awaited<ReturnType<typeof enumerateClient>>;
let svixRoutes: Map<string, string[]>;

beforeAll(async () => {
  client = await enumerateClient();
  svixRoutes = new Map();
  for (const c of client.calls) {
    if (isStreamAuth(c.path)) continue;
    const k = key({ method: c.method, path: templateOf(c.path) });
    const by = svixRoutes.get(k) ?? [];
    if (!by.includes(c.by)) by.push(c.by);
    svixRoutes.set(k, by);
  }
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
});
afterAll(async () => h?.stop());

describe("the installed svix client's routes", () => {
  it('are enumerated from the client itself: every surface classified, every method reached', () => {
    expect([...client.surfaces].sort()).toEqual([...WEBHOOK_SURFACES, ...OTHER_PRODUCTS].sort());
    expect(client.unreached).toEqual([]);
    // Svix 2.5's webhook surface: 75 methods on 73 distinct routes (application.getOrCreate and
    // endpoint.transformationPartialUpdate share a route with another method).
    const methods = new Set(client.calls.filter((c) => !isStreamAuth(c.path)).map((c) => c.by));
    expect(methods.size).toBeGreaterThanOrEqual(75);
    expect(svixRoutes.size).toBeGreaterThanOrEqual(73);
    expect(svixRoutes.get('POST /api/v1/app/{}/msg/expunge-all-contents')).toEqual(['message.expungeAllContents']);
    expect(svixRoutes.get('GET /api/v1/app/{}/poller/{}/consumer/{}')).toEqual(['message.poller.consumerPoll']);
  });

  it("are each served by Hookline's route table", () => {
    const served = new Set(routes.map((r) => key({ method: r.method.toUpperCase(), path: templateOf(r.path) })));
    const missing = [...svixRoutes].filter(([k]) => !served.has(k)).map(([k, by]) => `${k} (${by.join(', ')})`);
    if (missing.length > 0) console.log(`svix client routes Hookline does not serve (${missing.length}):\n  ${missing.join('\n  ')}`);
    expect(missing).toEqual([]);
  });

  it('are each listed in the OpenAPI document', async () => {
    const doc = (await h.http.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => key({ method: m.toUpperCase(), path: templateOf(path) }))));
    const missing = [...svixRoutes.keys()].filter((k) => !documented.has(k));
    if (missing.length > 0) console.log(`svix client routes missing from the OpenAPI document (${missing.length}):\n  ${missing.join('\n  ')}`);
    expect(missing).toEqual([]);
  });

  it('include the new ones, answered over HTTP: the ping, usage statistics, expunge-all-contents', async () => {
    // A route missing from the router would be a 404 whatever the credentials; these answer 204 and 401.
    await h.http.get('/api/v1/health/ping').expect(204);
    await h.http.post('/api/v1/stats/usage/app').send({}).expect(401);
    await h.http.put('/api/v1/stats/usage/event-types').expect(401);
    await h.http.post('/api/v1/app/app_x/msg/expunge-all-contents').expect(401);
  });
});
