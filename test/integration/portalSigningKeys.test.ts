import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hookline/core';
import { startHookline, type Hookline } from '@hookline/server';
import { createTestDatabase } from '@hookline/test-support/database';
import { ADMIN_TOKEN, testEnv } from '@hookline/test-support/hookline';

// Portal signing keys with key ids (issue 17, 2j): every token names its key (`kid`); with
// HOOKLINE_PORTAL_SIGNING_KEYS="new:…,old:…" the first key signs and all verify, so a rotation
// signs nobody out while the old key stays listed; removed, its tokens stop working. Tokens
// without `kid` (issued before key ids) verify against the legacy key only.

const OLD = randomBytes(24).toString('base64');
const NEW = randomBytes(24).toString('base64');
const LEGACY = randomBytes(24).toString('base64');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let running: Hookline | undefined;
let http: ReturnType<typeof request>;
let tenantId: string;
let appId: string;
let auth: { authorization: string };

/** (Re)starts the api on this file's database with the given portal key settings. */
async function boot(env: Record<string, string>): Promise<void> {
  await running?.stop();
  running = await startHookline(loadConfig(testEnv(database.connectionString, { HOOKLINE_ROLE: 'api', ...env })), pino({ level: 'silent' }));
  http = request(`http://127.0.0.1:${running.api!.port}`);
}

async function portalToken(): Promise<string> {
  return (await http.post('/api/v1/auth/app-portal-access/customer').set(auth).send({}).expect(200)).body.token as string;
}

const status = async (token: string) => (await http.get('/api/v1/app/customer').set({ authorization: `Bearer ${token}` })).status;

/** A token as Hookline signed them before key ids: no `kid` in its header. */
const withoutKid = (secret: string) =>
  new SignJWT({ tid: tenantId, cap: ['ViewBase'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(appId)
    .setIssuer('hookline')
    .setAudience('hookline-portal')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

beforeAll(async () => {
  database = await createTestDatabase();
  await boot({});
  const tenant = await http.post('/admin/v1/tenants').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 't' }).expect(201);
  tenantId = tenant.body.id as string;
  const key = await http.post(`/admin/v1/tenants/${tenantId}/api-keys`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'k' }).expect(201);
  auth = { authorization: `Bearer ${key.body.key}` };
  appId = (await http.post('/api/v1/app').set(auth).send({ name: 'Customer', uid: 'customer' }).expect(201)).body.id as string;
});
afterAll(async () => {
  await running?.stop();
  await database?.drop();
});

describe('portal signing key rotation', () => {
  it('puts a key id on tokens signed with the generated key, the same after a restart', async () => {
    const first = await portalToken();
    const { kid } = decodeProtectedHeader(first);
    expect(kid).toMatch(/^g[0-9a-f]{16}$/);
    await boot({});
    expect(decodeProtectedHeader(await portalToken()).kid).toBe(kid);
    expect(await status(first)).toBe(200);
  });

  it('verifies tokens of the old key while it is listed after the new one, and not once it is removed', async () => {
    await boot({ HOOKLINE_PORTAL_SIGNING_KEYS: `old:${OLD}` });
    const old = await portalToken();
    expect(decodeProtectedHeader(old).kid).toBe('old');
    expect(await status(old)).toBe(200);

    await boot({ HOOKLINE_PORTAL_SIGNING_KEYS: `new:${NEW},old:${OLD}` });
    const fresh = await portalToken();
    expect(decodeProtectedHeader(fresh).kid).toBe('new');
    expect(await status(old)).toBe(200);
    expect(await status(fresh)).toBe(200);

    await boot({ HOOKLINE_PORTAL_SIGNING_KEYS: `new:${NEW}` });
    expect(await status(fresh)).toBe(200);
    const refused = await http
      .get('/api/v1/app/customer')
      .set({ authorization: `Bearer ${old}` })
      .expect(401);
    expect(refused.body).toEqual({ code: 'authentication_failed', detail: 'Portal token signed with an unknown key' });
  });

  it('verifies tokens without a key id against the legacy key only', async () => {
    await boot({ HOOKLINE_PORTAL_SIGNING_KEYS: `new:${NEW}`, HOOKLINE_PORTAL_SIGNING_KEY: LEGACY });
    expect(await status(await withoutKid(LEGACY))).toBe(200);
    // A listed key does not verify tokens without kid: it could not have signed them.
    expect(await status(await withoutKid(NEW))).toBe(401);
    expect(decodeProtectedHeader(await portalToken()).kid).toBe('new');

    // HOOKLINE_PORTAL_SIGNING_KEY alone keeps working, and its tokens now carry a key id.
    await boot({ HOOKLINE_PORTAL_SIGNING_KEY: LEGACY });
    const legacy = await portalToken();
    expect(decodeProtectedHeader(legacy).kid).toMatch(/^h[0-9a-f]{16}$/);
    expect(await status(legacy)).toBe(200);
    expect(await status(await withoutKid(LEGACY))).toBe(200);
    await boot({ HOOKLINE_PORTAL_SIGNING_KEYS: `new:${NEW}` });
    expect(await status(legacy)).toBe(401);
    expect(await status(await withoutKid(LEGACY))).toBe(401);
  });
});
