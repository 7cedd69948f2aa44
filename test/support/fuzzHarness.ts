import fc from 'fast-check';
import pg from 'pg';
import request, { type Response } from 'supertest';
import { expect } from 'vitest';
import { routes, type RouteDefinition } from '@hookline/api';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from './hookline.ts';
import { fromSchema, type JsonSchema, type Resolve } from './fuzzArbitraries.ts';

/**
 * The route fuzzer's harness: a Hookline (api role only, so no worker changes state behind the
 * test's back) with one tenant and a fixture of every kind of entity a path can name, a snapshot of
 * the whole database, and `fuzzRoute`, which sends generated requests and checks each answer.
 */

export type Aspect = 'body' | 'query' | 'path' | 'headers';

/** Runs per route and aspect; raise it for a deeper search: HOOKLINE_FUZZ_RUNS=500 pnpm exec vitest run test/integration/fuzz */
export const FUZZ_RUNS = Number(process.env.HOOKLINE_FUZZ_RUNS ?? 25);
/** Replays a reported failure: HOOKLINE_FUZZ_SEED=<seed from the report>. */
const FUZZ_SEED = process.env.HOOKLINE_FUZZ_SEED ? Number(process.env.HOOKLINE_FUZZ_SEED) : undefined;
/** Shrinking replays many requests; off unless asked for (HOOKLINE_FUZZ_SHRINK=1). */
const SHRINK = process.env.HOOKLINE_FUZZ_SHRINK === '1';

const STACK_FRAME = /\bat .*:\d+:\d+/;
// Request bookkeeping that any authenticated request may write: the rate limiter's state; and a
// poller consumer's position, which its GET moves by design (Svix's consumer poll).
const UNSNAPSHOTTED = ['hookline_migration', 'hookline_migration_lock', 'api_rate_limit', 'poller_consumer'];

export interface FuzzRequest {
  path: string;
  query?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
}

export interface FuzzTarget {
  h: TestHookline;
  tenantId: string;
  apiKey: string;
  /** An API key of the tenant that the admin routes' `:keyId` names (replaced when rotated or revoked). */
  victimKeyId: string;
  /** The fixture application's integration that `:integ_id` names (recreated when deleted). */
  integId: string;
  openapi: { paths: Record<string, Record<string, JsonSchema>>; components: { schemas: Record<string, JsonSchema> } };
  resolve: Resolve;
  db: pg.Client;
  snapshotSql: string;
  covered: Set<string>;
  stop(): Promise<void>;
}

/** The aspects of a route the fuzzer must cover. */
export function aspectsOf(route: RouteDefinition): Aspect[] {
  return [
    ...(route.body || route.method !== 'get' ? ['body' as const] : []),
    'query' as const,
    ...(route.path.includes(':') ? ['path' as const] : []),
    'headers' as const,
  ];
}

export const routeName = (route: RouteDefinition) => `${route.method.toUpperCase()} ${route.path}`;

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const { tenantId, apiKey } = await h.createTenant('fuzz');
  const openapi = (await h.http.get('/openapi.json').expect(200)).body as FuzzTarget['openapi'];
  const resolve: Resolve = (ref) => {
    const schema = openapi.components.schemas[ref.replace('#/components/schemas/', '')];
    if (!schema) throw new Error(`unresolved ${ref}`);
    return schema;
  };
  const db = new pg.Client({ connectionString: h.connectionString });
  await db.connect();
  const { rows } = await db.query<{ name: string }>(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'hookline' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`);
  const hashOf = (label: string, rowsSql: string) =>
    `SELECT '${label}' AS t, count(*) || ':' || md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS h FROM (${rowsSql}) s`;
  // Each row version (ctid, xmin) rather than its content: as strict (any write makes a new
  // version) and cheap, as no payload is read. api_key's content instead, as every authenticated
  // request touches its last_used_at on purpose.
  const parts = rows
    .map((r) => r.name)
    .filter((t) => !UNSNAPSHOTTED.includes(t))
    .map((t) => hashOf(t, t === 'api_key' ? `SELECT (to_jsonb(x) - 'last_used_at')::text AS r FROM api_key x` : `SELECT ctid::text || xmin::text AS r FROM "${t}"`));
  parts.push(hashOf('pgboss.job', 'SELECT tableoid::text || ctid::text || xmin::text AS r FROM pgboss.job'));
  const target: FuzzTarget = {
    h,
    tenantId,
    apiKey,
    victimKeyId: '',
    integId: '',
    openapi,
    resolve,
    db,
    covered: new Set(),
    snapshotSql: `SELECT json_object_agg(t, h ORDER BY t) AS snapshot FROM (${parts.join(' UNION ALL ')}) q`,
    async stop() {
      await db.end();
      await h.stop();
    },
  };
  await ensureFixture(target, true);
  return target;
}

const auth = (t: FuzzTarget) => ({ authorization: `Bearer ${t.apiKey}` });
// https: a fuzzed settings PATCH may turn the tenant's httpsOnly on, after which http:// fixtures are 422s.
const FIXTURE_URL = 'https://127.0.0.1:9/fuzz';

/** (Re)creates the entities the fixture paths name, after a request that may have changed them. */
async function ensureFixture(t: FuzzTarget, newVictimKey: boolean): Promise<void> {
  const http = t.h.http;
  const ok = (res: Response, label: string) => expect(res.status, `fixture: ${label}: ${res.text}`).toBeLessThan(300);
  ok(await http.put('/api/v1/event-type/fz.event').set(auth(t)).send({ description: 'fuzz', archived: false }), 'event type');
  ok(await http.put('/api/v1/app/fz-app').set(auth(t)).send({ name: 'fuzz', uid: 'fz-app' }), 'application');
  ok(await http.put('/api/v1/app/fz-app/endpoint/fz-ep').set(auth(t)).send({ url: FIXTURE_URL, uid: 'fz-ep' }), 'endpoint');
  const msg = await http
    .post('/api/v1/app/fz-app/msg')
    .set(auth(t))
    .send({ eventType: 'fz.event', eventId: 'fz-msg', payload: { fuzz: true } });
  if (msg.status !== 409) ok(msg, 'message');
  const integrations = await http.get('/api/v1/app/fz-app/integration').set(auth(t));
  ok(integrations, 'integrations');
  const integ = (integrations.body.data as Array<{ id: string }>)[0] ?? (await http.post('/api/v1/app/fz-app/integration').set(auth(t)).send({ name: 'fuzz' })).body;
  t.integId = (integ as { id: string }).id;
  const poller = await http
    .post('/api/v1/app/fz-app/poller')
    .set(auth(t))
    .send({ uid: 'fz-poll', eventTypes: ['fz.event'] });
  if (poller.status !== 409) ok(poller, 'poller');
  ok(await http.put('/api/v1/operational-webhook/endpoint/fz-op').set(auth(t)).send({ url: FIXTURE_URL, uid: 'fz-op' }), 'operational endpoint');
  if (newVictimKey) {
    const key = await http.post(`/admin/v1/tenants/${t.tenantId}/api-keys`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'victim' });
    ok(key, 'victim key');
    t.victimKeyId = key.body.id as string;
  }
}

/** The fixture's value for a path parameter; a route with a parameter the fuzzer does not know fails here. */
export function fixtureParam(t: FuzzTarget, route: RouteDefinition, name: string): string {
  switch (name) {
    case 'app':
      return 'fz-app';
    case 'endpoint':
      return route.path.startsWith('/api/v1/operational-webhook') ? 'fz-op' : 'fz-ep';
    case 'msg':
      return 'fz-msg';
    case 'attempt':
      return `atmpt_${'0'.repeat(27)}`;
    case 'name':
      return 'fz.event';
    case 'tenantId':
      return t.tenantId;
    case 'keyId':
      return t.victimKeyId;
    // No such person or session: the fuzzer's API key reaches member routes (404), and person routes not at all (401).
    case 'personId':
      return `psn_${'0'.repeat(27)}`;
    case 'sessionId':
      return `ses_${'0'.repeat(27)}`;
    case 'inviteId':
      return `inv_${'0'.repeat(27)}`;
    case 'sink':
      return 'fz-poll';
    // Any valid consumer id: a consumer is made by its first poll or seek.
    case 'consumer':
      return 'fz-consumer';
    // AutoConfig is not served (403 for every id): any id holds the error shape.
    case 'autoconfig':
      return 'auto_fuzz';
    // No such task: a 404 is the answer to hold to the error shape.
    case 'integ_id':
      return t.integId;
    case 'task_id':
      return `qtask_${'0'.repeat(27)}`;
    default:
      throw new Error(`the fuzzer has no fixture for :${name} in ${routeName(route)}: add one to fixtureParam in test/support/fuzzHarness.ts`);
  }
}

export const pathParams = (route: RouteDefinition) => [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** The route's path with fixture values, except `override` (a parameter name → a raw, encoded segment). */
export function fixturePath(t: FuzzTarget, route: RouteDefinition, override?: { name: string; segment: string }): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => (override?.name === name ? override.segment : encodeURIComponent(fixtureParam(t, route, name))));
}

function operation(t: FuzzTarget, route: RouteDefinition): JsonSchema {
  const op = t.openapi.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
  if (!op) throw new Error(`${routeName(route)} is missing from /openapi.json`);
  return op;
}

/** The route's JSON body schema from the OpenAPI document, if it takes one. */
export function bodySchema(t: FuzzTarget, route: RouteDefinition): JsonSchema | undefined {
  const body = operation(t, route).requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined;
  return body?.content?.['application/json']?.schema;
}

/**
 * A valid body for the route where it takes one (so that only another aspect is in question),
 * `{}` for other writes, none for a GET.
 */
export function validBody(t: FuzzTarget, route: RouteDefinition): fc.Arbitrary<string | undefined> {
  const schema = bodySchema(t, route);
  return schema ? fromSchema(schema, t.resolve).map((v) => JSON.stringify(v)) : fc.constant(route.method === 'get' ? undefined : '{}');
}

/** A vitest `it.each` table of the routes with this aspect, by name. */
export function routesWith(aspect: Aspect): Array<readonly [string, RouteDefinition]> {
  return routes.filter((r) => aspectsOf(r).includes(aspect)).map((r) => [routeName(r), r] as const);
}

/** Per fuzzed route and aspect: the runs' requests plus a fixture refresh after each write. */
export const FUZZ_TEST_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 2_000;

/** The route's parameters of one kind (`query` or `path`), by name, with their schemas. */
export function paramSchemas(t: FuzzTarget, route: RouteDefinition, where: 'query' | 'path'): Record<string, JsonSchema> {
  const params = (operation(t, route).parameters ?? []) as Array<{ name: string; in: string; schema: JsonSchema }>;
  return Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, p.schema]));
}

/** The credential a route expects: the tenant's API key, the operator token, or none. */
export function credentialFor(t: FuzzTarget, route: RouteDefinition): string | undefined {
  return route.auth === 'tenant' ? t.apiKey : route.auth === 'admin' ? ADMIN_TOKEN : undefined;
}

async function snapshot(t: FuzzTarget): Promise<Record<string, string>> {
  return (await t.db.query<{ snapshot: Record<string, string> }>(t.snapshotSql)).rows[0]!.snapshot;
}

async function send(t: FuzzTarget, route: RouteDefinition, req: FuzzRequest): Promise<Response> {
  const url = req.query === undefined ? req.path : `${req.path}?${req.query}`;
  let r = request(t.h.url)[route.method](url);
  const headers = req.headers ?? { 'content-type': 'application/json', ...(credentialFor(t, route) ? { authorization: `Bearer ${credentialFor(t, route)}` } : {}) };
  // An array is sent as repeated header lines (the type allows it only for Cookie).
  for (const [name, value] of Object.entries(headers)) r = r.set(name, value as string);
  // Bodies go out as the exact text generated, never re-serialised by the client.
  return req.body === undefined ? r : r.send(req.body);
}

/** What every answer must be: below 500, and on 4xx one of the two documented error shapes with no stack trace. */
export function expectWellFormed(res: Response, label: string): void {
  expect(res.status, `${label}\n→ ${res.status} ${res.text.slice(0, 500)}`).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.text, label).not.toMatch(STACK_FRAME);
  if (res.status === 422) {
    expect(Object.keys(res.body as object), label).toEqual(['detail']);
    const detail = (res.body as { detail: unknown[] }).detail;
    expect(detail.length, label).toBeGreaterThan(0);
    for (const d of detail) expect(d, label).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
  } else {
    expect(res.body, `${label}\n→ ${res.status} ${res.text.slice(0, 500)}`).toEqual({ code: expect.any(String), detail: expect.any(String) });
  }
}

const preview = (s: string | undefined, n = 300) => (s === undefined ? '' : s.length > n ? `${JSON.stringify(s.slice(0, n))}… (${s.length} chars)` : JSON.stringify(s));

/**
 * Sends `FUZZ_RUNS` generated requests to one route and checks each answer: never a 5xx, the error
 * shapes, and on every 4xx (and every GET) the database exactly as before. A success may change
 * state, so the fixture is restored and the snapshot retaken after it.
 */
export async function fuzzRoute(t: FuzzTarget, route: RouteDefinition, aspect: Aspect, requests: fc.Arbitrary<FuzzRequest>): Promise<void> {
  t.covered.add(`${routeName(route)} ${aspect}`);
  let before = await snapshot(t);
  await fc.assert(
    fc.asyncProperty(requests, async (req) => {
      const res = await send(t, route, req);
      const label = `${routeName(route)} [${aspect}] ${req.path}${req.query ? `?${preview(req.query, 200)}` : ''}\n  headers ${preview(JSON.stringify(req.headers ?? {}))}\n  body ${preview(req.body)}`;
      expectWellFormed(res, label);
      if (res.status >= 400) {
        expect(await snapshot(t), `state changed: ${label}\n→ ${res.status} ${res.text.slice(0, 300)}`).toEqual(before);
      } else if (route.method === 'get') {
        // A GET that shows a secret value (get-secret, header values) appends its audit record, and nothing else.
        const { audit_log: _after, ...after } = await snapshot(t);
        const { audit_log: _before, ...unchanged } = before;
        expect(after, `state changed: ${label}\n→ ${res.status} ${res.text.slice(0, 300)}`).toEqual(unchanged);
        before = await snapshot(t);
      } else {
        await ensureFixture(t, route.path.includes(':keyId'));
        before = await snapshot(t);
      }
    }),
    { numRuns: FUZZ_RUNS, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }), endOnFailure: !SHRINK },
  );
}

/** Fails for every route of the table that a fuzz file's aspects did not reach. */
export function expectAllCovered(t: FuzzTarget, aspects: readonly Aspect[]): void {
  const expected = routes.flatMap((route) =>
    aspectsOf(route)
      .filter((a) => aspects.includes(a))
      .map((a) => `${routeName(route)} ${a}`),
  );
  expect(expected.filter((e) => !t.covered.has(e))).toEqual([]);
  expect(expected.length).toBeGreaterThan(routes.length);
}

/** Nothing the fuzzer sent reached Object.prototype (the server runs in this process). */
export function expectNoPrototypePollution(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}
