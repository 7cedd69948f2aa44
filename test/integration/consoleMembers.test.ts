import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@hookline/db';
import { operatorInvite, sessionAs, TEST_PASSWORD } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startSmtpServer, unwrapped, type TestSmtpServer } from '@hookline/test-support/smtpServer';

// The team of a tenant (members, roles, invitations) over real HTTP, with invitations delivered to
// a real SMTP server on loopback.

let h: TestHookline;
let db: Database;
let smtp: TestSmtpServer;
const browser = () => ({ origin: h.url, 'x-hookline-csrf': '1' });

beforeAll(async () => {
  smtp = await startSmtpServer();
  h = await startTestHookline({ HOOKLINE_SMTP_URL: smtp.url, HOOKLINE_SMTP_FROM: 'Hookline <team@hookline.test>' });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
  await smtp?.close();
});

describe('members and invitations', () => {
  it('emails an invitation over SMTP (not to the inviter), and its link makes the invitee a member once', async () => {
    const { tenantId } = await h.createTenant('mailing');
    const admin = await sessionAs(h, tenantId, 'admin', 'admin@example.com');
    const res = await h.http.post('/console/v1/members/invites').set(admin.headers).send({ email: 'new.dev@example.com', role: 'developer' }).expect(201);
    expect(res.body).toMatchObject({ url: null, emailed: true });
    const mail = smtp.mails.find((m) => m.to.includes('new.dev@example.com'));
    expect(mail?.text).toContain('From: Hookline <team@hookline.test>');
    // The link, whole: quoted-printable may wrap long lines with a soft break.
    const link = /(http:\/\/\S+\/console\/invite#hki_[\w-]+)/.exec(unwrapped(mail!))?.[1];
    expect(link?.startsWith(`${h.url}/console/invite#`)).toBe(true);
    const token = new URL(link!).hash.slice(1);
    const short = await h.http.post('/console/v1/invites/accept').set(browser()).send({ token, password: 'short' }).expect(422);
    expect(short.body.detail[0]).toMatchObject({ loc: ['body', 'password'] });
    const joined = await h.http.post('/console/v1/invites/accept').set(browser()).send({ token, name: 'New Dev', password: TEST_PASSWORD }).expect(200);
    expect(joined.body).toMatchObject({ email: 'new.dev@example.com', name: 'New Dev', currentTenantId: tenantId, role: 'developer' });
    await h.http.post('/console/v1/invites/accept').set(browser()).send({ token, password: TEST_PASSWORD }).expect(404);
    const members = (await h.http.get('/console/v1/members').set(admin.headers).expect(200)).body.data as Array<{ email: string; role: string }>;
    expect(members.map((m) => `${m.email}:${m.role}`).sort()).toEqual(['admin@example.com:admin', 'new.dev@example.com:developer']);
    // Taking the link needs no sign-in, so the route walk of auditLog.test.ts does not reach it: joining is audited, by the joiner.
    const audit = (await h.http.get('/api/v1/audit-log?action=member.joined').set(admin.headers).expect(200)).body.data as Array<{
      actor: { id: string };
      target: { id: string };
    }>;
    const byNewDev = audit.filter((r) => r.actor.id === joined.body.id);
    expect(byNewDev).toHaveLength(1);
    expect(byNewDev[0]).toMatchObject({ actor: { kind: 'person' }, target: { id: joined.body.id } });
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('refuses an expired invitation, and one taken from another browser site', async () => {
    const { tenantId } = await h.createTenant('expiring');
    const token = await operatorInvite(h, tenantId, 'late@example.com', 'viewer');
    await h.http.post('/console/v1/invites/accept').set({ origin: 'https://evil.example', 'x-hookline-csrf': '1' }).send({ token, password: TEST_PASSWORD }).expect(403);
    await sql`UPDATE invite SET expires_at = now() - interval '1 second' WHERE tenant_id = ${tenantId}`.execute(db);
    const res = await h.http.post('/console/v1/invites/accept').set(browser()).send({ token, password: TEST_PASSWORD }).expect(404);
    expect(res.body.detail).toBe('This invitation does not exist, was used already or has expired');
  });

  it('keeps the last owner, and lets only owners manage owners', async () => {
    const { tenantId, apiKey } = await h.createTenant('owners');
    const owner = await sessionAs(h, tenantId, 'owner', 'owner@example.com');
    const admin = await sessionAs(h, tenantId, 'admin', 'admin2@example.com');
    const dev = await sessionAs(h, tenantId, 'developer', 'dev2@example.com');
    const path = (p: { personId: string }) => `/console/v1/members/${p.personId}`;
    expect((await h.http.patch(path(owner)).set(owner.headers).send({ role: 'admin' }).expect(409)).body.code).toBe('last_owner');
    await h.http.delete(path(owner)).set(owner.headers).expect(409);
    // Even the tenant's API key (its full power) cannot leave it without an owner.
    await h.http
      .delete(path(owner))
      .set({ authorization: `Bearer ${apiKey}` })
      .expect(409);
    await h.http.patch(path(owner)).set(admin.headers).send({ role: 'viewer' }).expect(403);
    await h.http.patch(path(dev)).set(admin.headers).send({ role: 'owner' }).expect(403);
    await h.http.post('/console/v1/members/invites').set(admin.headers).send({ email: 'boss@example.com', role: 'owner' }).expect(403);
    await h.http.patch(path(dev)).set(dev.headers).send({ role: 'admin' }).expect(403);
    expect((await h.http.patch(path(dev)).set(admin.headers).send({ role: 'viewer' }).expect(200)).body).toMatchObject({ role: 'viewer', email: 'dev2@example.com' });
    // The demoted developer's open session now has the viewer's powers.
    await h.http.post('/api/v1/app').set(dev.headers).send({ name: 'x' }).expect(403);
    await h.http.patch(path(admin)).set(owner.headers).send({ role: 'owner' }).expect(200);
    await h.http.patch(path(owner)).set(admin.headers).send({ role: 'developer' }).expect(200);
    await h.http.delete(path(dev)).set(admin.headers).expect(204);
    await h.http.get('/api/v1/app').set(dev.headers).expect(403);
    await h.http.patch(path(dev)).set(admin.headers).send({ role: 'viewer' }).expect(404);
  });

  it('previews an invitation without taking it: tenant, role, address and whether it has an account', async () => {
    const { tenantId } = await h.createTenant('Preview Co');
    const preview = (token: string) => h.http.post('/console/v1/invites/preview').send({ token });
    const fresh = await operatorInvite(h, tenantId, 'fresh@example.com', 'viewer');
    const before = (await preview(fresh).expect(200)).body;
    expect(before).toMatchObject({ tenantName: 'Preview Co', role: 'viewer', email: 'fresh@example.com', hasAccount: false });
    expect(new Date(before.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Previewing took nothing: the link still works, once.
    await h.http.post('/console/v1/invites/accept').set(browser()).send({ token: fresh, password: TEST_PASSWORD }).expect(200);
    await preview(fresh).expect(404);
    // The same address invited again has an account now: the page asks for its current password.
    const again = await operatorInvite(h, (await h.createTenant('Second Co')).tenantId, 'fresh@example.com', 'admin');
    expect((await preview(again).expect(200)).body).toMatchObject({ tenantName: 'Second Co', role: 'admin', hasAccount: true });
    await preview('hki_not-a-token').expect(404);
    await h.http.post('/console/v1/invites/preview').send({}).expect(422);
  });

  it('lists pending invitations to who may invite; resend voids the old link, revoke deletes the invitation; both audited', async () => {
    const { tenantId } = await h.createTenant('pending');
    const owner = await sessionAs(h, tenantId, 'owner', 'pending-owner@example.com');
    const admin = await sessionAs(h, tenantId, 'admin', 'pending-admin@example.com');
    const developer = await sessionAs(h, tenantId, 'developer', 'pending-dev@example.com');
    const preview = (token: string) => h.http.post('/console/v1/invites/preview').send({ token });
    const mailedTokens = (email: string) =>
      smtp.mails.filter((m) => m.to.includes(email)).map((m) => /\/console\/invite#(hki_[\w-]+)/.exec(unwrapped(m))?.[1] ?? 'no link');

    await h.http.post('/console/v1/members/invites').set(admin.headers).send({ email: 'pending-a@example.com', role: 'viewer' }).expect(201);
    await h.http.post('/console/v1/members/invites').set(owner.headers).send({ email: 'pending-b@example.com', role: 'owner' }).expect(201);
    const [firstLink] = mailedTokens('pending-a@example.com');
    await preview(firstLink!).expect(200);

    await h.http.get('/console/v1/members/invites').set(developer.headers).expect(403);
    const list = (await h.http.get('/console/v1/members/invites').set(admin.headers).expect(200)).body.data as Array<Record<string, unknown>>;
    expect(list).toHaveLength(2);
    const a = list.find((i) => i.email === 'pending-a@example.com')!;
    expect(a).toMatchObject({ role: 'viewer', invitedBy: { personId: admin.personId, email: 'pending-admin@example.com' } });
    expect(new Date(a.expiresAt as string).getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(JSON.stringify(list)).not.toContain('hki_');
    const b = list.find((i) => i.email === 'pending-b@example.com')!;

    // Resend: a new link by email, the old one void.
    const resent = await h.http
      .post(`/console/v1/members/invites/${a.id as string}/resend`)
      .set(admin.headers)
      .expect(200);
    expect(resent.body).toMatchObject({ url: null, emailed: true });
    const [, secondLink] = mailedTokens('pending-a@example.com');
    expect(secondLink).toMatch(/^hki_/);
    await preview(firstLink!).expect(404);
    await preview(secondLink!).expect(200);

    // Only an owner touches an owner's invitation; a developer none; an unknown id is a 404.
    await h.http
      .delete(`/console/v1/members/invites/${b.id as string}`)
      .set(admin.headers)
      .expect(403);
    await h.http
      .post(`/console/v1/members/invites/${b.id as string}/resend`)
      .set(admin.headers)
      .expect(403);
    await h.http
      .delete(`/console/v1/members/invites/${a.id as string}`)
      .set(developer.headers)
      .expect(403);
    await h.http.delete('/console/v1/members/invites/inv_unknown').set(admin.headers).expect(404);

    // Revoke: the invitation is gone and its link stops working.
    await h.http
      .delete(`/console/v1/members/invites/${a.id as string}`)
      .set(admin.headers)
      .expect(204);
    await h.http
      .delete(`/console/v1/members/invites/${a.id as string}`)
      .set(admin.headers)
      .expect(404);
    await preview(secondLink!).expect(404);
    await h.http.post('/console/v1/invites/accept').set(browser()).send({ token: secondLink, password: TEST_PASSWORD }).expect(404);
    await h.http
      .delete(`/console/v1/members/invites/${b.id as string}`)
      .set(owner.headers)
      .expect(204);
    expect((await h.http.get('/console/v1/members/invites').set(owner.headers).expect(200)).body.data).toEqual([]);

    const audit = (await h.http.get('/api/v1/audit-log').set(owner.headers).expect(200)).body.data as Array<{
      action: string;
      target: { id: string };
      actor: { id: string };
    }>;
    const about = (action: string) => audit.filter((r) => r.action === action).map((r) => `${r.target.id} by ${r.actor.id}`);
    expect(about('member.invite.resent')).toEqual([`${a.id as string} by ${admin.personId}`]);
    expect(about('member.invite.revoked').sort()).toEqual([`${a.id as string} by ${admin.personId}`, `${b.id as string} by ${owner.personId}`].sort());
    expect(JSON.stringify(audit)).not.toContain('hki_');
  });

  it('returns the link to the inviter when no SMTP server is configured', async () => {
    const plain = await startTestHookline();
    try {
      const { tenantId } = await plain.createTenant('no-smtp');
      const owner = await sessionAs(plain, tenantId, 'owner', 'solo@example.com');
      const res = await plain.http.post('/console/v1/members/invites').set(owner.headers).send({ email: 'friend@example.com', role: 'viewer' }).expect(201);
      expect(res.body).toMatchObject({ emailed: false, url: expect.stringMatching(new RegExp(`^${plain.url}/console/invite#hki_`)) });
      expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    } finally {
      await plain.stop();
    }
  });
});
