import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Response } from 'supertest';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDefinition } from '@hookline/api';
import { AUDIT_ACTIONS, pruneAuditLog, runMaintenance } from '@hookline/core';
import { sessionAs, sessionCookieOf, TEST_PASSWORD, type ConsoleSession } from '@hookline/test-support/console';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { createCertificateAuthority } from '@hookline/test-support/certificates';

// The audit log against the route table: every mutating route (and every secret read) called with
// valid input must leave a record of its request, in its tenant's log, holding no secret value.
// A route added later is walked by itself; one this file has no valid input for fails the walk.
// Console routes (/console/v1/…) are called with an owner's session, the others with an API key.

type Auth = { authorization: string };
const admin: Auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Mutating routes that write no audit record, and why (docs/api.md says the same). */
const EXEMPT: Record<string, string> = {
  'v1.message.create': 'publishing is the data plane: messages are recorded as messages, not audited',
  'console.auth.sign-out': "signing out ends the person's own session, as signing in starts one: no change of the tenant's data",
  'console.me.switch-tenant': "which tenant a person's console shows is their own session's state, not the tenant's",
  'v1.message.precheck': 'a question (would a message reach an endpoint?): it changes nothing',
  'v1.environment.export': 'a read (a POST, as in Svix): it changes nothing',
  'v1.statistics.aggregate-app-stats': "a question (how many attempts?): its answer is a finished task's data; nothing of the tenant's changes",
  'v1.statistics.aggregate-event-types': "a question (which event types are subscribed?): its answer is a finished task's data; nothing of the tenant's changes",
  'v1.endpoint.transformation-simulate': 'a trial run of code on a payload: it sends and stores nothing',
};
/** Routes that refuse every caller, so have nothing to audit: AutoConfig is not enabled on a self-hosted server (docs/api.md). */
const NOT_ENABLED = new Set(['v1.autoconfig.create', 'v1.autoconfig.rotate']);
/** Logs out the portal token it is called with (an API key is refused): called with a fresh one. */
const LOGOUT = 'v1.authentication.logout';
/** GET routes that show a secret value, so reading is audited. */
const SECRET_READS = new Set([
  'v1.endpoint.get-secret',
  'v1.endpoint.get-headers',
  'v1.operational-webhook.endpoint.get-secret',
  'v1.operational-webhook.endpoint.get-headers',
  'v1.integration.get-key',
]);

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
/** Every secret value made during the run: none may appear in any audit record. */
const secrets: string[] = [];
const remember = <T extends string>(s: T): T => {
  if (s.length < 8) throw new Error(`not a secret: ${JSON.stringify(s)}`);
  secrets.push(s);
  return s;
};

/** Valid bodies, made fresh per call so that each secret in them is new. */
const AUDIT_CA = (await createCertificateAuthority('Audit CA')).cert;

const BODIES: Record<string, (values: Record<string, string>) => object> = {
  'admin.tenant.create': () => ({ name: 'audited tenant' }),
  'admin.tenant.patch': () => ({ name: 'renamed tenant', retrySchedule: [1, 2] }),
  'admin.apiKey.create': () => ({ name: 'audited key' }),
  'admin.apiKey.rotate': () => ({ gracePeriodSeconds: 0 }),
  'v1.application.create': () => ({ name: 'audited app' }),
  'v1.application.update': () => ({ name: 'audited app put' }),
  'v1.application.patch': () => ({ name: 'audited app patch' }),
  'v1.endpoint.create': () => ({ url: 'https://audit.example.com/create', secret: remember(newSecret()), headers: { 'x-created': remember(`hv-${randomUUID()}`) } }),
  'v1.endpoint.update': () => ({ url: 'https://audit.example.com/put', description: 'put' }),
  'v1.endpoint.patch': () => ({ description: 'patched', disabled: true }),
  'v1.endpoint.update-headers': () => ({ headers: { 'x-replaced': remember(`hv-${randomUUID()}`), authorization: remember(`Bearer ${randomUUID()}`) } }),
  'v1.endpoint.patch-headers': () => ({ headers: { 'x-patched': remember(`hv-${randomUUID()}`) } }),
  'v1.endpoint.rotate-secret': () => ({ key: remember(newSecret()) }),
  'v1.endpoint.recover': () => ({ since: new Date(Date.now() - 3600_000).toISOString() }),
  'v1.endpoint.bulk-replay': () => ({ since: new Date(Date.now() - 3600_000).toISOString() }),
  'v1.endpoint.replay-missing': () => ({ since: new Date(Date.now() - 3600_000).toISOString() }),
  'v1.event-type.import-openapi': () => ({
    spec: { openapi: '3.1.0', webhooks: { [`audit.imported.${randomUUID().slice(0, 8)}`]: { post: { description: 'imported' } } } },
  }),
  'v1.endpoint.send-example': () => ({ eventType: 'svix.ping' }),
  'v1.endpoint.patch-transformation': () => ({ code: 'function handler(w) { return w; }', enabled: true }),
  'v1.endpoint.update-oauth': () => ({
    grantType: 'clientCredentials',
    authMethod: 'clientSecretPost',
    tokenUrl: 'http://127.0.0.1:9/token',
    clientId: 'audited',
    clientSecret: remember(`cs-${randomUUID()}`),
    extraParams: { audience: remember(`aud-${randomUUID()}`) },
  }),
  'v1.endpoint.update-mtls-config': () => ({ serverCaCert: AUDIT_CA }),
  'v1.endpoint.update-basic-auth': () => ({ username: 'audited', password: remember(`pw-${randomUUID()}`) }),
  'v1.endpoint.transformation-simulate': () => ({ code: 'function handler(w) { return w; }', eventType: 'audit.event', payload: { audit: true } }),
  'v1.event-type.create': () => ({ name: `audit.created.${randomUUID().slice(0, 8)}`, description: 'created' }),
  'v1.event-type.update': () => ({ description: 'put' }),
  'v1.event-type.patch': () => ({ description: 'patched' }),
  'v1.message.create': () => ({ eventType: 'audit.event', payload: { audit: true } }),
  'v1.integration.create': () => ({ name: 'audited integration', featureFlags: ['beta'] }),
  'v1.integration.update': () => ({ name: 'renamed integration' }),
  'v1.notification-settings.update': () => ({
    emails: ['audited@customer.example.com'],
    chatWebhookUrl: remember(`http://127.0.0.1:9/services/${randomBytes(16).toString('hex')}`),
    chatKind: 'slack',
  }),
  'v1.environment.import': () => ({
    eventTypes: [{ name: `audit.env.${randomUUID().slice(0, 8)}`, description: 'imported' }],
    settings: { customColor: '#123456', displayName: 'ignored' },
  }),
  'v1.message.precheck': () => ({ eventType: 'audit.event' }),
  'v1.message.expunge-bulk': (values) => ({ ids: [values.msg] }),
  'v1.poller.create': () => ({ eventTypes: ['audit.event'] }),
  'v1.message.poller.consumer-seek': () => ({ after: new Date(Date.now() - 60_000).toISOString() }),
  'v1.statistics.aggregate-app-stats': () => ({ since: new Date(Date.now() - 3600_000).toISOString(), until: new Date().toISOString() }),
  'v1.authentication.app-portal-access': () => ({ sessionId: 'audit-session' }),
  'v1.authentication.expire-all': () => ({}),
  'v1.operational-webhook.endpoint.create': () => ({ url: 'https://audit.example.com/ops', secret: remember(newSecret()) }),
  'v1.operational-webhook.endpoint.update': () => ({ url: 'https://audit.example.com/ops-put' }),
  'v1.operational-webhook.endpoint.update-headers': () => ({ headers: { 'x-ops': remember(`hv-${randomUUID()}`) } }),
  'v1.operational-webhook.endpoint.rotate-secret': () => ({ key: remember(newSecret()) }),
  'admin.invite.create': () => ({ email: `op-invitee-${randomUUID().slice(0, 8)}@example.com`, role: 'viewer' }),
  'console.member.invite': () => ({ email: `invitee-${randomUUID().slice(0, 8)}@example.com`, role: 'developer' }),
  'console.member.change-role': () => ({ role: 'developer' }),
  'console.apiKey.create': () => ({ name: 'console key' }),
  'console.apiKey.rotate': () => ({ gracePeriodSeconds: 0 }),
  'console.settings.patch': () => ({ retrySchedule: [1, 2, 3], portal: { theme: { darkMode: true } } }),
  'console.sso.set': () => ({
    issuer: 'https://idp.example.com',
    clientId: 'audit',
    clientSecret: remember(`sso-${randomUUID()}`),
    allowedEmailDomains: ['example.com'],
    defaultRole: 'viewer',
    jitProvisioning: true,
  }),
  'console.me.change-password': () => ({ currentPassword: TEST_PASSWORD, newPassword: remember(`new password ${randomUUID()}`) }),
};

const totpCode = (secret: string) => new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();

let h: TestHookline;
let tenantA: { tenantId: string; key: Auth; keyId: string };

/** A tenant's objects that every path parameter can name; made fresh for each route, since some routes delete them. */
async function seed(t: { tenantId: string; key: Auth }): Promise<Record<string, string>> {
  const tag = randomUUID().slice(0, 8);
  const name = `audit.seed.${tag}`;
  await h.http.post('/api/v1/event-type').set(t.key).send({ name, description: 'seed' }).expect(201);
  const app = (
    await h.http
      .post('/api/v1/app')
      .set(t.key)
      .send({ name: 'seed', uid: `seed-${tag}` })
      .expect(201)
  ).body.id as string;
  const headers = { 'x-seed': remember(`hv-${randomUUID()}`) };
  const endpoint = (await h.http.post(`/api/v1/app/${app}/endpoint`).set(t.key).send({ url: 'https://audit.example.com/seed', headers }).expect(201)).body.id as string;
  // Mutual TLS settings to delete (deleting none is a no-op, and unaudited).
  await h.http.put(`/api/v1/app/${app}/endpoint/${endpoint}/mtls`).set(t.key).send({ serverCaCert: AUDIT_CA }).expect(204);
  const msg = (
    await h.http
      .post(`/api/v1/app/${app}/msg`)
      .set(t.key)
      .send({ eventType: name, payload: { seed: true } })
      .expect(202)
  ).body.id as string;
  const opEndpoint = (await h.http.post('/api/v1/operational-webhook/endpoint').set(t.key).send({ url: 'https://audit.example.com/seed-ops', headers }).expect(201)).body
    .id as string;
  const spare = await h.http.post(`/admin/v1/tenants/${t.tenantId}/api-keys`).set(admin).send({ name: 'spare' }).expect(201);
  remember(spare.body.key as string);
  // An attempt with a response body to expunge (the seed's endpoint is never reached in this test).
  const attempt = `atmpt_${randomUUID().replaceAll('-', '')}`;
  await h.hookline.db
    .insertInto('messageAttempt')
    .values({
      id: attempt,
      tenantId: t.tenantId,
      appId: app,
      msgId: msg,
      endpointId: endpoint,
      url: 'https://audit.example.com/seed',
      status: 0,
      responseStatusCode: 200,
      response: 'seed response',
      responseDurationMs: 1,
      triggerType: 0,
    })
    .execute();
  const integration = (await h.http.post(`/api/v1/app/${app}/integration`).set(t.key).send({ name: 'seed' }).expect(201)).body.id as string;
  const sink = (await h.http.post(`/api/v1/app/${app}/poller`).set(t.key).send({}).expect(201)).body.id as string;
  return { tenantId: t.tenantId, keyId: spare.body.id as string, app, endpoint, msg, name, opEndpoint, attempt, integ_id: integration, sink, consumer: 'audit-consumer' };
}

/** An owner's fresh session (some routes end it or change its password), a member to manage, and what each console route needs first. */
async function seedConsole(route: RouteDefinition, values: Record<string, string>): Promise<ConsoleSession> {
  const owner = await rememberSession(await sessionAs(h, tenantA.tenantId, 'owner'));
  values.personId = (await rememberSession(await sessionAs(h, tenantA.tenantId, 'viewer'))).personId;
  const second = await h.http
    .post('/console/v1/auth/sign-in')
    .set({ origin: h.url, 'x-hookline-csrf': '1' })
    .send({ email: owner.email, password: TEST_PASSWORD })
    .expect(200);
  remember(sessionCookieOf(second.headers['set-cookie']).split('=')[1]!);
  const sessions = (await h.http.get('/console/v1/me/sessions').set(owner.headers).expect(200)).body.data as Array<{ id: string; current: boolean }>;
  values.sessionId = sessions.find((s) => !s.current)!.id;
  const op = route.operationId;
  if (op.startsWith('console.member.invite.')) {
    const sent = await h.http.post('/console/v1/members/invites').set(owner.headers).send(BODIES['console.member.invite']!(values)).expect(201);
    if (sent.body.url) remember(new URL(sent.body.url as string).hash.slice(1));
    const pending = (await h.http.get('/console/v1/members/invites').set(owner.headers).expect(200)).body.data as Array<{ id: string }>;
    values.inviteId = pending[0]!.id;
  }
  if (op === 'console.sso.delete') await h.http.put('/console/v1/sso/config').set(owner.headers).send(BODIES['console.sso.set']!(values)).expect(200);
  if (op === 'console.me.totp.confirm' || op === 'console.me.totp.disable') {
    const secret = remember((await h.http.post('/console/v1/me/totp').set(owner.headers).expect(201)).body.secret as string);
    const codes = (
      await h.http
        .post('/console/v1/me/totp/confirm')
        .set(owner.headers)
        .send({ code: totpCode(secret) })
        .expect(200)
    ).body.recoveryCodes as string[];
    codes.forEach(remember);
    if (op === 'console.me.totp.confirm') {
      await h.http.post('/console/v1/me/totp/disable').set(owner.headers).send({ password: TEST_PASSWORD, code: codes[0] }).expect(204);
      const again = remember((await h.http.post('/console/v1/me/totp').set(owner.headers).expect(201)).body.secret as string);
      BODIES[op] = () => ({ code: totpCode(again) });
    } else BODIES[op] = () => ({ password: TEST_PASSWORD, code: codes[1] });
  }
  return owner;
}

/** A session's cookie value and row ids are secrets of the run too. */
async function rememberSession(s: ConsoleSession): Promise<ConsoleSession> {
  remember(s.headers.cookie.split('=')[1]!);
  const sessions = (await h.http.get('/console/v1/me/sessions').set(s.headers).expect(200)).body.data as Array<{ id: string }>;
  sessions.forEach((x) => remember(x.id));
  return s;
}

function pathOf(route: RouteDefinition, values: Record<string, string>): string {
  const operational = route.path.startsWith('/api/v1/operational-webhook');
  return route.path.replace(/:(\w+)/g, (_, p: string) => {
    const value = operational && p === 'endpoint' ? values.opEndpoint : values[p];
    if (value === undefined) throw new Error(`${route.operationId}: no value for :${p}; add one to seed`);
    return encodeURIComponent(value);
  });
}

const isConsole = (route: RouteDefinition) => route.path.startsWith('/console/');

async function call(route: RouteDefinition, values: Record<string, string>, requestId: string, session?: ConsoleSession): Promise<Response> {
  const portal = route.operationId === LOGOUT ? await portalTokenOf(values.app!) : undefined;
  let req = h.http[route.method](pathOf(route, values))
    .set(route.auth === 'admin' ? admin : session ? session.headers : (portal ?? tenantA.key))
    .set('x-request-id', requestId);
  if (route.body) {
    const body = BODIES[route.operationId];
    if (!body && !route.bodyOptional) throw new Error(`${route.operationId}: no valid body; add one to BODIES`);
    req = req.send(body ? body(values) : {});
  }
  return req;
}

async function portalTokenOf(app: string): Promise<Auth> {
  const token = (await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(tenantA.key).send({}).expect(200)).body.token as string;
  return { authorization: `Bearer ${remember(token)}` };
}

const recordsOf = (requestId: string) => h.hookline.db.selectFrom('auditLog').selectAll().where('requestId', '=', requestId).execute();

beforeAll(async () => {
  h = await startTestHookline();
  const a = await h.createTenant('audit-a');
  tenantA = { tenantId: a.tenantId, key: { authorization: `Bearer ${a.apiKey}` }, keyId: a.keyId };
  remember(a.apiKey);
  remember(TEST_PASSWORD);
  BODIES['console.me.switch-tenant'] = () => ({ tenantId: a.tenantId });
});
afterAll(async () => h?.stop());

describe('the audit log over the route table', () => {
  const mutating = routes.filter((r) => r.method !== 'get' && r.auth !== 'none' && !NOT_ENABLED.has(r.operationId));

  // Every console route signs people in afresh (scrypt each time): over a minute on a busy machine.
  it('writes a record for every mutating route (exemptions listed) and every secret read, in the tenant touched', async () => {
    expect(mutating.length).toBeGreaterThan(30);
    const walked = [...mutating, ...routes.filter((r) => SECRET_READS.has(r.operationId))];
    expect(walked.filter(isConsole).length, 'console routes walked with a session').toBeGreaterThan(15);
    const missing: string[] = [];
    for (const route of walked) {
      const values = await seed(tenantA);
      const session = isConsole(route) ? await seedConsole(route, values) : undefined;
      const requestId = `audit-${route.operationId}-${randomUUID()}`;
      const res = await call(route, values, requestId, session);
      expect(res.status, `${route.operationId}: ${res.text}`).toBeLessThan(300);
      for (const s of [res.body?.key, res.body?.token, res.body?.secret]) if (typeof s === 'string') remember(s);
      if (typeof res.body?.url === 'string' && res.body.url.includes('/console/invite#')) remember(new URL(res.body.url as string).hash.slice(1)); // an invitation's token
      for (const c of (res.body?.recoveryCodes as string[] | undefined) ?? []) remember(c);
      const cookie = res.headers['set-cookie'];
      const sessionToken = cookie && String(cookie).includes('hookline_session=') ? sessionCookieOf(cookie).split('=')[1] : undefined;
      if (sessionToken) remember(sessionToken); // a new session's (sign-out clears the cookie)
      for (const v of Object.values((res.body?.headers as Record<string, string> | undefined) ?? {})) remember(v);
      const records = await recordsOf(requestId);
      if (EXEMPT[route.operationId]) {
        expect(records, `${route.operationId} is exempt: ${EXEMPT[route.operationId]}`).toEqual([]);
        continue;
      }
      if (records.length === 0) missing.push(route.operationId);
      for (const r of records) {
        expect(AUDIT_ACTIONS, route.operationId).toContain(r.action);
        // The tenant touched: a new tenant's own id, else the one the route names or authenticates.
        expect(r.tenantId, route.operationId).toBe(route.operationId === 'admin.tenant.create' ? res.body.id : tenantA.tenantId);
        const portal = route.operationId === LOGOUT;
        expect(r.actorKind).toBe(route.auth === 'admin' ? 'operator' : session ? 'person' : portal ? 'portal' : 'apiKey');
        expect(r.actorId).toBe(route.auth === 'admin' ? 'operator' : session ? session.personId : portal ? values.app : tenantA.keyId);
        expect(r.clientAddress).toBeTruthy();
      }
    }
    expect(missing, 'mutating routes that wrote no audit record').toEqual([]);
  }, 300_000);

  it('holds none of the secrets made during the run (endpoint secrets, header values, API keys, portal tokens, passwords, invitation tokens, sessions, TOTP secrets and recovery codes)', async () => {
    // After the walk above: it created, rotated and read every kind of secret.
    expect(secrets.length).toBeGreaterThan(20);
    const rows = await h.hookline.db.selectFrom('auditLog').selectAll().execute();
    expect(rows.length).toBeGreaterThan(40);
    const text = JSON.stringify(rows);
    for (const s of secrets) expect(text.includes(s), `a secret (${s.slice(0, 8)}…) is in the audit log`).toBe(false);
  });

  it('names the fields that changed, with old and new values for plain fields only', async () => {
    const values = await seed(tenantA);
    const requestId = randomUUID();
    await h.http
      .patch(`/api/v1/app/${values.app}/endpoint/${values.endpoint}`)
      .set(tenantA.key)
      .set('x-request-id', requestId)
      .send({ description: 'after', channels: ['c1'] })
      .expect(200);
    const [record] = await recordsOf(requestId);
    expect(record?.action).toBe('endpoint.updated');
    expect(record?.targetId).toBe(values.endpoint);
    expect(record?.appId).toBe(values.app);
    expect(record?.changes).toEqual({ description: { from: '', to: 'after' }, channels: { from: null, to: ['c1'] } });
  });
});

describe('append-only storage', () => {
  it('refuses UPDATE, DELETE and TRUNCATE; only retention deletes', async () => {
    const { db } = h.hookline;
    const count = async () => Number((await db.selectFrom('auditLog').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);

    // Retention: nothing is old today; a year and a day on, everything is.
    expect(await pruneAuditLog(db, 365, new Date())).toBe(0);
    expect((await runMaintenance(db, { messageRetentionDays: 90, auditRetentionDays: 365 }, new Date())).auditRecordsPruned).toBe(0);
    expect(await pruneAuditLog(db, 365, new Date(Date.now() + 366 * 86_400_000))).toBe(before);
    expect(await count()).toBe(0);
  });
});
