import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEncryptionKeys, SecretBox, settingPlace } from '@hookline/core';
import { sessionAs } from '@hookline/test-support/console';
import { startTestHookline, TEST_ENCRYPTION_KEYS, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

let h: TestHookline;
let apiKey: string;
let tenantId: string;
let auth: { authorization: string };
let appId: string;
let otherAppId: string;
let endpointId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  ({ apiKey, tenantId } = await h.createTenant());
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'Paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Mine', uid: 'mine' }).expect(201)).body.id;
  otherAppId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Theirs', uid: 'theirs' }).expect(201)).body.id;
  endpointId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/hook' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

async function portalToken(body: object = {}, app = 'mine'): Promise<{ authorization: string }> {
  const res = await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(auth).send(body).expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

describe('app portal access', () => {
  it('returns a portal url with the token in its fragment, through the svix client', async () => {
    const out = await svixClient(h, apiKey).authentication.appPortalAccess('mine', {});
    expect(out.url).toBe(`${h.url}/portal/#token=${encodeURIComponent(out.token)}`);
    expect(out.token.split('.')).toHaveLength(3);
  });

  it('lets the token read its own application and manage its endpoints', async () => {
    const token = await portalToken();
    expect((await h.http.get('/api/v1/app/mine').set(token).expect(200)).body.id).toBe(appId);
    const list = await h.http.get(`/api/v1/app/${appId}/endpoint`).set(token).expect(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([endpointId]);
    const created = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(token)
      .send({ url: 'https://example.com/other', eventTypes: ['invoice.paid'] })
      .expect(201);
    expect(created.body.eventTypes).toEqual(['invoice.paid']);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/secret`).set(token).expect(200)).body.key).toMatch(/^whsec_/);
    // The event catalog is readable, for picking event types.
    expect((await h.http.get('/api/v1/event-type').set(token).expect(200)).body.data.map((e: { name: string }) => e.name)).toEqual(['invoice.paid']);
  });

  it('never reaches another application: 404, as for an unknown one', async () => {
    const token = await portalToken();
    for (const path of ['/api/v1/app/theirs', `/api/v1/app/${otherAppId}`, `/api/v1/app/${otherAppId}/endpoint`, `/api/v1/app/${otherAppId}/msg`]) {
      const res = await h.http.get(path).set(token);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Theirs');
    }
    await h.http.post(`/api/v1/app/${otherAppId}/endpoint`).set(token).send({ url: 'https://example.com/x' }).expect(404);
  });

  it('refuses what the capabilities do not allow, with 403', async () => {
    const readOnly = await portalToken({ readOnly: true });
    await h.http.get(`/api/v1/app/${appId}/endpoint`).set(readOnly).expect(200);
    const refused = await h.http.post(`/api/v1/app/${appId}/endpoint`).set(readOnly).send({ url: 'https://example.com/ro' }).expect(403);
    expect(refused.body).toEqual({ code: 'forbidden', detail: expect.stringContaining('ManageEndpoint') });
    await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/secret`).set(readOnly).expect(403);
    const viewSecret = await portalToken({ capabilities: ['ViewEndpointSecret'] });
    await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}/secret`).set(viewSecret).expect(200);
    await h.http.delete(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(viewSecret).expect(403);
    // Whatever its capabilities, a portal token cannot act as the vendor.
    const full = await portalToken();
    await h.http.post(`/api/v1/app/${appId}/msg`).set(full).send({ eventType: 'invoice.paid', payload: {} }).expect(403);
    await h.http.delete(`/api/v1/app/${appId}`).set(full).expect(403);
    await h.http.post('/api/v1/app').set(full).send({ name: 'x' }).expect(403);
    await h.http.post('/api/v1/auth/app-portal-access/mine').set(full).send({}).expect(403);
    await h.http.get('/admin/v1/tenants').set(full).expect(401);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint`).set(auth).expect(200)).body.data).toHaveLength(2);
  });

  it('rejects forged, tampered and expired tokens with 401', async () => {
    const { authorization } = await portalToken();
    const token = authorization.slice('Bearer '.length);
    const [head, body, sig] = token.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: otherAppId })).toString('base64url')}.${sig}`;
    await h.http
      .get(`/api/v1/app/${otherAppId}`)
      .set({ authorization: `Bearer ${tampered}` })
      .expect(401);
    const forged = await new SignJWT({ tid: 'org_x', cap: ['ViewBase'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(appId)
      .setIssuer('hookline')
      .setAudience('hookline-portal')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await h.http
      .get(`/api/v1/app/${appId}`)
      .set({ authorization: `Bearer ${forged}` })
      .expect(401);
    // Correctly signed (with the server's own key) but past its expiry.
    const setting = await h.hookline.db.selectFrom('setting').select('value').where('key', '=', 'portal_signing_key').executeTakeFirstOrThrow();
    // Stored encrypted with the master key, as every secret at rest.
    const key = Buffer.from(new SecretBox(parseEncryptionKeys(TEST_ENCRYPTION_KEYS)).decrypt(setting.value, settingPlace('portal_signing_key')), 'base64');
    const claims = { tid: JSON.parse(Buffer.from(body!, 'base64url').toString()).tid, cap: ['ViewBase'] };
    const sign = (exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(appId)
        .setIssuer('hookline')
        .setAudience('hookline-portal')
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(key);
    await h.http
      .get(`/api/v1/app/${appId}`)
      .set({ authorization: `Bearer ${await sign(Math.floor(Date.now() / 1000) + 60)}` })
      .expect(200);
    const expired = await h.http.get(`/api/v1/app/${appId}`).set({ authorization: `Bearer ${await sign(Math.floor(Date.now() / 1000) - 60)}` });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ code: 'authentication_failed', detail: 'Portal token expired' });
  });

  it('creates the application given inline when the path names none yet', async () => {
    const res = await h.http
      .post('/api/v1/auth/app-portal-access/new-customer')
      .set(auth)
      .send({ application: { name: 'New customer' } })
      .expect(200);
    const app = await h.http
      .get('/api/v1/app/new-customer')
      .set({ authorization: `Bearer ${res.body.token}` })
      .expect(200);
    expect(app.body.name).toBe('New customer');
    await h.http.post('/api/v1/auth/app-portal-access/nobody').set(auth).send({}).expect(404);
  });

  it('records who opened the portal as the customer (the console\'s "Open portal"), without the token', async () => {
    const developer = await sessionAs(h, tenantId, 'developer');
    const res = await h.http.post('/api/v1/auth/app-portal-access/mine').set(developer.headers).send({ expiry: 3600 }).expect(200);
    const owner = await sessionAs(h, tenantId, 'owner');
    const records = (await h.http.get(`/api/v1/audit-log?action=portalAccess.created&actor=${developer.personId}`).set(owner.headers).expect(200)).body.data;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      tenantId,
      actor: { kind: 'person', id: developer.personId },
      action: 'portalAccess.created',
      target: { kind: 'application', id: appId, appId },
      changes: { expirySeconds: { to: 3600 }, capabilities: { to: expect.any(Array) } },
    });
    expect(JSON.stringify(records)).not.toContain(res.body.token);
  });
});
