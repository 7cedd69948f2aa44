import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@hookline/db';
import { browserHeaders, operatorInvite, sessionAs, sessionCookieOf, TEST_PASSWORD } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Console sessions over real HTTP: expiry, revocation, password change, and a person in two tenants
// who sees only the one the session has selected.

let h: TestHookline;
let db: Database;

beforeAll(async () => {
  h = await startTestHookline();
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

const signIn = async (email: string, password = TEST_PASSWORD) => {
  const res = await h.http.post('/console/v1/auth/sign-in').set({ origin: h.url, 'x-hookline-csrf': '1' }).send({ email, password }).expect(200);
  return browserHeaders(h, sessionCookieOf(res.headers['set-cookie']));
};

describe('console sessions', () => {
  it('gives 401 for a session past its idle or absolute expiry', async () => {
    const { tenantId } = await h.createTenant('expiry');
    const person = await sessionAs(h, tenantId, 'developer', 'expiry@example.com');
    const idle = await signIn('expiry@example.com');
    const absolute = await signIn('expiry@example.com');
    await h.http.get('/api/v1/app').set(idle).expect(200);
    const sessions = (await h.http.get('/console/v1/me/sessions').set(person.headers).expect(200)).body.data as Array<{ id: string; current: boolean }>;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    // Time passes: the rows say what the clock would.
    const [idleId, absoluteId] = [sessions[1]!.id, sessions[0]!.id];
    await sql`UPDATE person_session SET idle_expires_at = now() - interval '1 second' WHERE id = ${idleId}`.execute(db);
    await sql`UPDATE person_session SET expires_at = now() - interval '1 second' WHERE id = ${absoluteId}`.execute(db);
    for (const headers of [idle, absolute]) {
      const res = await h.http.get('/api/v1/app').set(headers).expect(401);
      expect(res.body).toEqual({ code: 'authentication_failed', detail: 'Not signed in, or the session has ended' });
    }
    await h.http.get('/api/v1/app').set(person.headers).expect(200);
  });

  it('lists and revokes your own sessions (401 after), and no one else’s', async () => {
    const { tenantId } = await h.createTenant('revoke');
    const me = await sessionAs(h, tenantId, 'viewer', 'revoke@example.com');
    const other = await signIn('revoke@example.com');
    const stranger = await sessionAs(h, tenantId, 'owner', 'stranger@example.com');
    const mine = (await h.http.get('/console/v1/me/sessions').set(me.headers).expect(200)).body.data as Array<{ id: string; current: boolean }>;
    const otherId = mine.find((s) => !s.current)!.id;
    await h.http.delete(`/console/v1/me/sessions/${otherId}`).set(stranger.headers).expect(404);
    await h.http.delete(`/console/v1/me/sessions/${otherId}`).set(me.headers).expect(204);
    await h.http.get('/console/v1/me').set(other).expect(401);
    const out = await h.http.post('/console/v1/auth/sign-out').set(me.headers).expect(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^hookline_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    await h.http.get('/console/v1/me').set(me.headers).expect(401);
    await h.http.get('/console/v1/me').set(stranger.headers).expect(200);
  });

  it('ends every session at a password change and starts a new one for the caller', async () => {
    const { tenantId } = await h.createTenant('password');
    const me = await sessionAs(h, tenantId, 'admin', 'password@example.com');
    const laptop = await signIn('password@example.com');
    const short = await h.http.post('/console/v1/me/password').set(me.headers).send({ currentPassword: TEST_PASSWORD, newPassword: 'too short' }).expect(422);
    expect(short.body.detail[0]).toMatchObject({ loc: ['body', 'newPassword'], msg: 'must be at least 12 characters' });
    await h.http.post('/console/v1/me/password').set(me.headers).send({ currentPassword: 'not my password!', newPassword: 'a brand new password' }).expect(401);
    const changed = await h.http
      .post('/console/v1/me/password')
      .set(me.headers)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' })
      .expect(204);
    const fresh = browserHeaders(h, sessionCookieOf(changed.headers['set-cookie']));
    await h.http.get('/console/v1/me').set(me.headers).expect(401);
    await h.http.get('/console/v1/me').set(laptop).expect(401);
    await h.http.get('/console/v1/me').set(fresh).expect(200);
    await h.http
      .post('/console/v1/auth/sign-in')
      .set({ origin: h.url, 'x-hookline-csrf': '1' })
      .send({ email: 'password@example.com', password: TEST_PASSWORD })
      .expect(401);
    await signIn('password@example.com', 'a brand new password');
  });

  it('shows a person in tenants A and B only the tenant the session has selected', async () => {
    const a = await h.createTenant('tenant-a');
    const b = await h.createTenant('tenant-b');
    const c = await h.createTenant('tenant-c');
    for (const [t, name] of [
      [a, 'only-in-a'],
      [b, 'only-in-b'],
    ] as const) {
      await h.http
        .post('/api/v1/app')
        .set({ authorization: `Bearer ${t.apiKey}` })
        .send({ name, uid: name })
        .expect(201);
    }
    const person = await sessionAs(h, a.tenantId, 'viewer', 'two-tenants@example.com');
    // The second invitation to an address with an account needs its current password.
    const token = await operatorInvite(h, b.tenantId, 'two-tenants@example.com', 'developer');
    const browser = { origin: h.url, 'x-hookline-csrf': '1' };
    await h.http.post('/console/v1/invites/accept').set(browser).send({ token, password: 'an attacker password' }).expect(401);
    await h.http.post('/console/v1/invites/accept').set(browser).send({ token, password: TEST_PASSWORD }).expect(200);

    const me = (await h.http.get('/console/v1/me').set(person.headers).expect(200)).body;
    expect(me).toMatchObject({ currentTenantId: a.tenantId, role: 'viewer' });
    expect(new Set(me.tenants.map((t: { id: string; role: string }) => `${t.id}:${t.role}`))).toEqual(new Set([`${a.tenantId}:viewer`, `${b.tenantId}:developer`]));
    const names = async () => ((await h.http.get('/api/v1/app').set(person.headers).expect(200)).body.data as Array<{ name: string }>).map((x) => x.name);
    expect(await names()).toEqual(['only-in-a']);
    await h.http.get('/api/v1/app/only-in-b').set(person.headers).expect(404);
    // Viewer in A: no writes there; developer in B after the switch.
    await h.http.post('/api/v1/app').set(person.headers).send({ name: 'nope' }).expect(403);
    const switched = await h.http.post('/console/v1/me/tenant').set(person.headers).send({ tenantId: b.tenantId }).expect(200);
    expect(switched.body).toMatchObject({ currentTenantId: b.tenantId, role: 'developer' });
    expect(await names()).toEqual(['only-in-b']);
    await h.http.post('/api/v1/app').set(person.headers).send({ name: 'made-in-b' }).expect(201);
    await h.http.post('/console/v1/me/tenant').set(person.headers).send({ tenantId: c.tenantId }).expect(404);
    expect(await names()).toEqual(['only-in-b', 'made-in-b']);
  });

  it('refuses person routes to API keys, and stores no session id in the clear', async () => {
    const t = await h.createTenant('keys');
    await h.http
      .get('/console/v1/me')
      .set({ authorization: `Bearer ${t.apiKey}` })
      .expect(401);
    const person = await sessionAs(h, t.tenantId, 'owner', 'stored@example.com');
    const token = person.headers.cookie.split('=')[1]!;
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM person_session WHERE token_hash = ${token} OR id = ${token}`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
