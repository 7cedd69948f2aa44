import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDefinition } from '@hookline/api';
import { hasCapability, PORTAL_CAPABILITIES, ROLES, rolesFor, type PortalCapability, type Role } from '@hookline/core';
import { portalCapabilityFor } from '../../api/src/http/portalAuth.ts';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { sessionAs, TEST_PASSWORD, type ConsoleSession } from '@hookline/test-support/console';
import { createCertificateAuthority } from '@hookline/test-support/certificates';

// Every route of the router's own table, called with every credential that must not reach tenant
// B's data: none, a wrong or revoked one, tenant A's key, a portal token of another application,
// a portal token without the route's capability. A route added later is in the matrix by itself;
// one with a path parameter this file cannot fill fails the first test. A console session of each
// role meets every tenant route too, allowed or refused by the route table's own declaration.

type Auth = Record<string, string>;
type Values = Record<string, string>;

/** One tenant's objects: the values of every path parameter (by id and by uid), and what must never leak. */
interface Fixture {
  key: Auth;
  /** The endpoint's signing secret: what a viewer must never see. */
  secret: string;
  ids: Values;
  uids: Values;
  hidden: string[];
}

/** Plausible bodies, so a request gets past validation to the lookup that must fail. */
/** A real CA certificate: the mtls route checks the PEM it is given. */
const MATRIX_CA = (await createCertificateAuthority('Matrix CA')).cert;

const BODIES: Record<string, object> = {
  'admin.tenant.create': { name: 'matrix' },
  'admin.tenant.patch': { name: 'matrix' },
  'v1.application.create': { name: 'matrix-app' },
  'v1.application.update': { name: 'matrix-app' },
  'v1.application.patch': { name: 'matrix-app' },
  'v1.endpoint.create': { url: 'https://matrix.example.com/hook' },
  'v1.endpoint.update': { url: 'https://matrix.example.com/hook' },
  'v1.endpoint.patch': { description: 'matrix' },
  'v1.endpoint.update-headers': { headers: { 'x-matrix': '1' } },
  'v1.endpoint.patch-headers': { headers: { 'x-matrix': '1' } },
  'v1.endpoint.recover': { since: new Date(Date.now() - 3600_000).toISOString() },
  'v1.endpoint.bulk-replay': { since: new Date(Date.now() - 3600_000).toISOString() },
  'v1.endpoint.replay-missing': { since: new Date(Date.now() - 3600_000).toISOString() },
  'v1.event-type.import-openapi': { spec: { openapi: '3.1.0', webhooks: { 'matrix.imported': { post: { description: 'matrix' } } } } },
  'v1.endpoint.send-example': { eventType: 'matrix.event' },
  'v1.endpoint.patch-transformation': { code: 'function handler(w) { return w; }', enabled: true },
  'v1.endpoint.update-oauth': {
    grantType: 'clientCredentials',
    authMethod: 'clientSecretBasic',
    tokenUrl: 'http://127.0.0.1:9/token',
    clientId: 'matrix',
    clientSecret: 'matrix-secret',
  },
  'v1.endpoint.update-basic-auth': { username: 'matrix', password: 'matrix-password' },
  'v1.endpoint.update-mtls-config': { serverCaCert: MATRIX_CA },
  'v1.endpoint.transformation-simulate': { code: 'function handler(w) { return w; }', eventType: 'matrix.event', payload: { matrix: true } },
  'v1.event-type.create': { name: 'matrix.event', description: 'matrix' },
  'v1.event-type.update': { description: 'matrix' },
  'v1.event-type.patch': { description: 'matrix' },
  'v1.message.create': { eventType: 'matrix.event', payload: { matrix: true } },
  'v1.message.precheck': { eventType: 'matrix.event' },
  'v1.integration.create': { name: 'matrix-integration' },
  'v1.integration.update': { name: 'matrix-integration' },
  'v1.notification-settings.update': { emails: ['matrix@customer.example.com'] },
  'v1.environment.import': { eventTypes: [{ name: 'matrix.env', description: 'matrix' }], settings: { customColor: '#102030' } },
  'v1.poller.create': { eventTypes: ['matrix.event'] },
  'v1.message.poller.consumer-seek': { after: new Date(Date.now() - 3600_000).toISOString() },
  'v1.statistics.aggregate-app-stats': { since: new Date(Date.now() - 3600_000).toISOString(), until: new Date().toISOString() },
  'v1.operational-webhook.endpoint.create': { url: 'https://matrix.example.com/ops' },
  'v1.operational-webhook.endpoint.update': { url: 'https://matrix.example.com/ops' },
  'v1.operational-webhook.endpoint.update-headers': { headers: { 'x-matrix': '1' } },
  'admin.invite.create': { email: 'matrix-invitee@example.com', role: 'viewer' },
  'console.member.invite': { email: 'matrix-invitee@example.com', role: 'viewer' },
  'console.member.change-role': { role: 'viewer' },
  'console.sso.set': {
    issuer: 'https://idp.example.com',
    clientId: 'matrix',
    clientSecret: 'matrix-secret',
    allowedEmailDomains: ['example.com'],
    defaultRole: 'viewer',
    jitProvisioning: false,
  },
  'console.me.switch-tenant': { tenantId: 'org_matrix' },
  'console.settings.patch': { retentionDays: 30, portal: { theme: { darkMode: true } } },
  'console.me.change-password': { currentPassword: TEST_PASSWORD, newPassword: 'another long matrix password' },
  'console.me.totp.confirm': { code: '000000' },
  'console.me.totp.disable': { password: TEST_PASSWORD, code: '000000' },
  'console.auth.totp': { code: '000000' },
};

/** PUTs that create the caller's own object when the path names none of its own: a 2xx there is A's, not B's. */
const UPSERTS = new Set(['v1.application.update', 'v1.event-type.update', 'v1.operational-webhook.endpoint.update']);
/** Routes that refuse every console session with 403 whatever its role: logout ends only portal tokens, autoconfig is not enabled (docs/api.md). */
const REFUSED_TO_SESSIONS = new Set(['v1.authentication.logout', 'v1.autoconfig.create', 'v1.autoconfig.rotate']);
/** Ends the very token it is called with: called with a throwaway token, so the matrix's own stay valid. */
const LOGOUT = 'v1.authentication.logout';

let h: TestHookline;
let receiver: Receiver;
let a: Fixture;
let b: Fixture;
/** A third tenant, whose objects the role sessions of (f) act on. */
let c: Fixture;
let aOtherAppToken: Auth;
let aOtherApp: string;
let revokedKey: Auth;

const tenantRoutes = routes.filter((r) => r.auth === 'tenant');
const guardedRoutes = routes.filter((r) => r.auth !== 'none');
const hasParams = (r: RouteDefinition) => r.path.includes(':');
const isOperational = (r: RouteDefinition) => r.path.startsWith('/api/v1/operational-webhook');

function fillPath(route: RouteDefinition, values: Values): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = (isOperational(route) && name === 'endpoint' ? values.opEndpoint : undefined) ?? values[name];
    if (value === undefined) throw new Error(`${route.operationId}: the isolation matrix has no value for :${name}; add one to seedTenant`);
    return encodeURIComponent(value);
  });
}

function bodyFor(route: RouteDefinition): object | undefined {
  if (!route.body) return undefined;
  const body = BODIES[route.operationId] ?? (route.bodyOptional ? {} : undefined);
  if (!body) throw new Error(`${route.operationId}: the isolation matrix has no plausible body; add one to BODIES`);
  return body;
}

async function call(route: RouteDefinition, values: Values, auth?: Auth): Promise<Response> {
  let req = h.http[route.method](fillPath(route, values));
  if (auth) req = req.set(auth);
  const body = bodyFor(route);
  return body ? req.send(body) : req;
}

function expectNothingOf(f: Fixture, res: Response, label: string): void {
  expect(res.status, `${label}: ${res.text}`).toBeLessThan(500);
  for (const s of f.hidden) expect(res.text, `${label} leaks ${s}`).not.toContain(s);
}

function expectRefused(f: Fixture, res: Response, label: string, status: number, code: string): void {
  expect({ label, status: res.status, code: res.body?.code }).toEqual({ label, status, code });
  expectNothingOf(f, res, label);
}

async function portalToken(f: Fixture, app: string, capabilities?: PortalCapability[]): Promise<Auth> {
  const res = await h.http
    .post(`/api/v1/auth/app-portal-access/${app}`)
    .set(f.key)
    .send(capabilities ? { capabilities } : {})
    .expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

/** A tenant with one of everything a path can name, its message delivered so it has an attempt. */
async function seedTenant(label: string): Promise<Fixture> {
  const { tenantId, apiKey, keyId } = await h.createTenant(`matrix-tenant-${label}`);
  const key = { authorization: `Bearer ${apiKey}` };
  const eventType = `${label}.only.event`;
  await h.http
    .post('/api/v1/event-type')
    .set(key)
    .send({ name: eventType, description: `${label}-event-description` })
    .expect(201);
  const app = (
    await h.http
      .post('/api/v1/app')
      .set(key)
      .send({ name: `${label}-app-name`, uid: `${label}-app-uid` })
      .expect(201)
  ).body;
  const epUrl = `${receiver.url}/hook-${label}-secret-path`;
  const ep = (
    await h.http
      .post(`/api/v1/app/${app.id}/endpoint`)
      .set(key)
      .send({ url: epUrl, uid: `${label}-ep-uid`, description: `${label}-ep-description` })
      .expect(201)
  ).body;
  const secret = (await h.http.get(`/api/v1/app/${app.id}/endpoint/${ep.id}/secret`).set(key).expect(200)).body.key;
  const opUrl = `${receiver.url}/ops-${label}-secret-path`;
  const op = (await h.http.post('/api/v1/operational-webhook/endpoint').set(key).send({ url: opUrl }).expect(201)).body;
  const msg = (
    await h.http
      .post(`/api/v1/app/${app.id}/msg`)
      .set(key)
      .send({ eventType, eventId: `${label}-event-id`, payload: { secret: `${label}-payload-secret` } })
      .expect(202)
  ).body;
  let attempts: Array<{ id: string }> = [];
  for (let i = 0; i < 200 && attempts.length === 0; i++) {
    attempts = (await h.http.get(`/api/v1/app/${app.id}/attempt/msg/${msg.id}`).set(key).expect(200)).body.data;
    if (attempts.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  if (attempts.length === 0) throw new Error(`tenant ${label}: the message was not delivered`);
  // A background task, finished before the snapshot so its state stays put.
  const task = (
    await h.http
      .post(`/api/v1/app/${app.id}/endpoint/${ep.id}/replay-missing`)
      .set(key)
      .send({ since: new Date(Date.now() - 60_000).toISOString() })
      .expect(202)
  ).body;
  for (let i = 0; i < 200 && (await h.http.get(`/api/v1/background-task/${task.id}`).set(key).expect(200)).body.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const integ = (
    await h.http
      .post(`/api/v1/app/${app.id}/integration`)
      .set(key)
      .send({ name: `${label}-integration-name` })
      .expect(201)
  ).body as { id: string };
  const integKey = (await h.http.get(`/api/v1/app/${app.id}/integration/${integ.id}/key`).set(key).expect(200)).body.key as string;
  const poller = (
    await h.http
      .post(`/api/v1/app/${app.id}/poller`)
      .set(key)
      .send({ uid: `${label}-poll-uid` })
      .expect(201)
  ).body;
  const owner = await sessionAs(h, tenantId, 'owner', `${label}-owner@example.com`);
  await h.http
    .post('/console/v1/members/invites')
    .set(key)
    .send({ email: `${label}-invitee@example.com`, role: 'viewer' })
    .expect(201);
  const invite = (await h.http.get('/console/v1/members/invites').set(key).expect(200)).body.data[0] as { id: string };
  const ids = {
    tenantId,
    keyId,
    app: app.id,
    endpoint: ep.id,
    msg: msg.id,
    attempt: attempts[0]!.id,
    name: eventType,
    opEndpoint: op.id,
    personId: owner.personId,
    sessionId: 'ses_matrix',
    inviteId: invite.id,
    task_id: task.id as string,
    autoconfig: 'auto_matrix',
    integ_id: integ.id,
    sink: poller.id as string,
    consumer: `${label}-consumer`,
  };
  return {
    key,
    secret,
    ids,
    uids: { ...ids, app: app.uid, endpoint: ep.uid, msg: msg.eventId, sink: poller.uid },
    hidden: [
      tenantId,
      keyId,
      apiKey,
      task.id,
      app.id,
      app.uid,
      app.name,
      ep.id,
      ep.uid,
      epUrl,
      `${label}-ep-description`,
      secret,
      op.id,
      opUrl,
      msg.id,
      msg.eventId,
      `${label}-payload-secret`,
      `${label}-invitee@example.com`,
      attempts[0]!.id,
      `${label}-event-description`,
      `matrix-tenant-${label}`,
      owner.personId,
      owner.email,
      integ.id,
      `${label}-integration-name`,
      integKey,
      poller.id,
      poller.uid,
    ],
  };
}

/** A statistics bucket that counted nothing. */
function isEmptyBucket(x: unknown): boolean {
  const b = x as { success?: unknown; fail?: unknown; latencyHistogram?: unknown } | null;
  return typeof b === 'object' && b !== null && Array.isArray(b.latencyHistogram) && b.success === 0 && b.fail === 0;
}

/** What tenant B sees of its own objects through every GET route: must be the same after the matrix. */
async function snapshotOf(f: Fixture): Promise<unknown[]> {
  const out: unknown[] = [];
  // The audit log grows with this very snapshot (its secret reads are audited): checked apart, in the last test.
  // The operator's usage lists every tenant, which A's and C's calls change (B's own row included:
  // its storage estimate is its share of all history): B's objects are the rest of the snapshot.
  for (const route of guardedRoutes.filter((r) => r.method === 'get' && !r.path.includes('/audit-log') && r.operationId !== 'admin.tenant.usage')) {
    const res = await call(route, f.ids, route.auth === 'admin' ? { authorization: `Bearer ${ADMIN_TOKEN}` } : f.key);
    // Key use is recorded (at most once a minute), and statistics series default to a window
    // ending now (their `since`, `until` and buckets' `start` move with the clock, and a bucket's
    // place in the window with the hour): not changes of B's data. Only buckets with counts are kept.
    // A consumer poll's iterator, once caught up, is the settle line, which moves with the clock too.
    const moving = new Set(['lastUsedAt', 'since', 'until', 'start', ...(route.operationId === 'v1.message.poller.consumer-poll' ? ['iterator'] : [])]);
    const stable = (k: string, v: unknown) => (moving.has(k) ? undefined : Array.isArray(v) ? v.filter((x) => !isEmptyBucket(x)) : v);
    out.push([route.operationId, res.status, JSON.parse(JSON.stringify(res.body, stable))]);
  }
  return out;
}

let before: unknown[];

beforeAll(async () => {
  h = await startTestHookline();
  receiver = await startReceiver();
  a = await seedTenant('a');
  b = await seedTenant('b');
  c = await seedTenant('c');
  const otherApp = (await h.http.post('/api/v1/app').set(a.key).send({ name: 'a-other-app', uid: 'a-other-app' }).expect(201)).body;
  aOtherApp = otherApp.id;
  aOtherAppToken = await portalToken(a, otherApp.id);
  const extra = await h.http
    .post(`/admin/v1/tenants/${b.ids.tenantId}/api-keys`)
    .set({ authorization: `Bearer ${ADMIN_TOKEN}` })
    .send({ name: 'revoked' })
    .expect(201);
  await h.http
    .delete(`/admin/v1/tenants/${b.ids.tenantId}/api-keys/${extra.body.id}`)
    .set({ authorization: `Bearer ${ADMIN_TOKEN}` })
    .expect(204);
  revokedKey = { authorization: `Bearer ${extra.body.key}` };
  before = await snapshotOf(b);
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

describe('isolation matrix over every route', () => {
  it('can fill every path parameter and body of every route', () => {
    expect(tenantRoutes.length).toBeGreaterThan(40);
    for (const route of guardedRoutes) {
      expect(() => fillPath(route, b.ids), route.operationId).not.toThrow();
      expect(() => bodyFor(route), route.operationId).not.toThrow();
    }
  });

  it('(a, b) refuses no credential, a wrong key, a revoked key and a forged token with 401', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ4Iiwic3ViIjoieCJ9.c2lnbmF0dXJlLW9mLW5vYm9keQ';
    const wrong: Array<[string, Auth | undefined]> = [
      ['no credential', undefined],
      ['unknown key', { authorization: 'Bearer hk_unknownunknownunknownunknownunknownunknown00' }],
      ['revoked key', revokedKey],
      ['forged portal token', { authorization: `Bearer ${forged}` }],
    ];
    for (const route of guardedRoutes) {
      const creds = route.auth === 'admin' ? [...wrong, ['a tenant key on the operator API', a.key] as [string, Auth]] : wrong;
      for (const [label, auth] of creds) {
        expectRefused(b, await call(route, b.ids, auth), `${route.operationId} with ${label}`, 401, 'authentication_failed');
      }
    }
  });

  it("(c) gives tenant A a 404 for every one of B's ids and uids, with nothing of B in the body", async () => {
    for (const route of tenantRoutes.filter((r) => !hasParams(r))) expectNothingOf(b, await call(route, b.ids, a.key), `${route.operationId} as A`);
    const variants = [
      ['ids', b.ids],
      ['uids', b.uids],
    ] as const;
    const cases = (upserts: boolean) =>
      variants.flatMap(([variant, values]) =>
        tenantRoutes.filter((r) => hasParams(r) && UPSERTS.has(r.operationId) === upserts).map((route) => ({ variant, values, route })),
      );
    // Upserts go last: they may create A's own object under a name B also uses.
    for (const { variant, values, route } of [...cases(false), ...cases(true)]) {
      const label = `${route.operationId} as A on B's ${variant}`;
      const res = await call(route, values, a.key);
      if (UPSERTS.has(route.operationId) && res.status < 300) expectNothingOf(b, res, label);
      else expectRefused(b, res, label, 404, 'not_found');
    }
  });

  it("(d) keeps a portal token of another application out of B's and of its own tenant's applications", async () => {
    for (const [whose, f] of [
      ['B', b],
      ['its own tenant', a],
    ] as const) {
      for (const route of tenantRoutes) {
        const label = `${route.operationId} with another app's token on ${whose}'s objects`;
        const res = await call(route, f.ids, route.operationId === LOGOUT ? await portalToken(a, aOtherApp) : aOtherAppToken);
        if (!portalCapabilityFor(route)) expectRefused(b, res, label, 403, 'forbidden');
        else if (route.path.includes(':app')) expectRefused(b, res, label, 404, 'not_found');
        // The event catalog is tenant-wide and readable by the tenant's portals, but never B's.
        else expectNothingOf(b, res, label);
      }
    }
  });

  it("(e) refuses a portal token of the right application that lacks the route's capability with 403", async () => {
    const tokens = new Map<string, Auth>();
    for (const route of tenantRoutes) {
      const needed = portalCapabilityFor(route);
      if (needed === 'ViewBase') continue; // every token has it
      const caps = needed ? PORTAL_CAPABILITIES.filter((c) => !hasCapability([c], needed)) : [...PORTAL_CAPABILITIES];
      const tokenKey = caps.join(',');
      if (!tokens.has(tokenKey)) tokens.set(tokenKey, await portalToken(b, b.ids.app!, caps));
      const res = await call(route, b.ids, tokens.get(tokenKey));
      expect({ route: route.operationId, status: res.status, code: res.body?.code }).toEqual({ route: route.operationId, status: 403, code: 'forbidden' });
    }
    expect(tokens.size).toBeGreaterThan(2);
  });

  it('(f) lets a session of each role call exactly the tenant routes its role may (else 403), and never shows a viewer a secret', async () => {
    const sessions = new Map<Role, ConsoleSession>();
    for (const role of ROLES) sessions.set(role, await sessionAs(h, c.ids.tenantId!, role));
    // Member routes act on the viewer; the least powerful go first, so the powerful ones' deletions come last.
    const values = { ...c.ids, personId: sessions.get('viewer')!.personId };
    let refused = 0;
    for (const role of [...ROLES].reverse()) {
      for (const route of tenantRoutes) {
        const label = `${route.operationId} as ${role}`;
        const res = await call(route, values, sessions.get(role)!.headers);
        if (REFUSED_TO_SESSIONS.has(route.operationId)) {
          // 404 where an earlier route of the walk deleted the application.
          expect({ label, refused: [403, 404].includes(res.status) }, res.text).toEqual({ label, refused: true });
        } else if (rolesFor(route.access!).includes(role)) {
          expect({ label, status: res.status < 500 && res.status !== 403 && res.status !== 401 }, res.text).toEqual({ label, status: true });
        } else {
          expect({ label, status: res.status, code: res.body?.code }).toEqual({ label, status: 403, code: 'forbidden' });
          refused += 1;
        }
        if (role === 'viewer') expect(res.text, `${label} shows the secret`).not.toContain(c.secret);
        // Nothing of B through a session of another tenant.
        expectNothingOf(b, res, label);
      }
    }
    expect(refused).toBeGreaterThan(tenantRoutes.length / 2);
  });

  it('leaves everything of B as it was', async () => {
    expect(await snapshotOf(b)).toEqual(before);
    // B's audit log holds only what B's own key, the operator and B's own members did (a member's
    // password or second factor is recorded in each of their tenants): nothing of the matrix's calls as A.
    const actors = await h.hookline.db.selectFrom('auditLog').select(['actorId', 'actorKind']).distinct().where('tenantId', '=', b.ids.tenantId!).execute();
    const members = (await h.hookline.db.selectFrom('membership').select('personId').where('tenantId', '=', b.ids.tenantId!).execute()).map((m) => m.personId);
    for (const actor of actors) expect([b.ids.keyId, 'operator', ...members], `${actor.actorKind} ${actor.actorId} in B's audit log`).toContain(actor.actorId);
    expect(actors.map((r) => r.actorId)).toContain(b.ids.keyId);
  });
});
