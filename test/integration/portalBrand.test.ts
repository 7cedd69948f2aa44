import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionAs, type ConsoleSession } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The portal's brand: the tenant's (console Settings), a portal link's own over it, strict 422s on
// every field of both, the audit records, and what the portal reads (GET /api/v1/portal-branding).

let h: TestHookline;
beforeAll(async () => {
  h = await startTestHookline();
});
afterAll(async () => {
  await h?.stop();
});

interface Tenant {
  owner: ConsoleSession;
  key: { authorization: string };
  app: string;
}

async function tenant(name: string): Promise<Tenant> {
  const { tenantId, apiKey } = await h.createTenant(name);
  const key = { authorization: `Bearer ${apiKey}` };
  const app = (
    await h.http
      .post('/api/v1/app')
      .set(key)
      .send({ name: `${name}-app` })
      .expect(201)
  ).body.id as string;
  return { owner: await sessionAs(h, tenantId, 'owner'), key, app };
}

const BRAND = { name: 'Acme Webhooks', primaryColor: '#0f766e', accentColor: '#b45309', fontFamily: 'Georgia, serif', radius: 4, poweredBy: false };

// Each bad value with the words its 422 says; the same list for the settings and the link.
const BAD: Array<[string, unknown, string]> = [
  ['primaryColor', 'red', '#rrggbb'],
  ['primaryColor', '#abc', '#rrggbb'],
  ['primaryColor', 'rgb(1,2,3)', '#rrggbb'],
  ['primaryColor', '#0f766e;} body{display:none', '#rrggbb'],
  ['accentColor', '#12345g', '#rrggbb'],
  ['fontFamily', 'Inter; background:url(https://evil.example/x)', 'font-family'],
  ['fontFamily', 'url(https://evil.example/font.woff)', 'font-family'],
  ['fontFamily', 'x'.repeat(121), 'font-family'],
  ['radius', -1, '0 px'],
  ['radius', 25, '24 px'],
  ['radius', 2.5, 'whole pixels'],
  ['name', '', 'at least 1'],
  ['name', 'x'.repeat(81), 'at most 80'],
  ['name', '<script>', 'no control characters'],
  ['poweredBy', 'false', ''],
  ['background', '#ffffff', ''],
];

describe('the tenant brand', () => {
  it('round-trips through the settings, refuses each bad field with a 422 on that field, and is audited', async () => {
    const t = await tenant('brand-settings');
    const patch = (brand: unknown) => h.http.patch('/console/v1/settings').set(t.owner.headers).send({ portal: { brand } });
    for (const [field, value, words] of BAD) {
      const res = await patch({ [field]: value }).expect(422);
      expect(res.body.detail[0].loc, `${field}=${String(value)}`).toEqual(['body', 'portal', 'brand', ...(field === 'background' ? [] : [field])]);
      expect(res.body.detail[0].msg).toContain(words);
    }
    expect((await h.http.get('/console/v1/settings').set(t.owner.headers).expect(200)).body.portal.brand).toBeNull();

    expect((await patch(BRAND).expect(200)).body.portal.brand).toEqual(BRAND);
    await patch({ primaryColor: '#1d4ed8' }).expect(200); // replaces the whole brand
    const records = (await h.http.get('/api/v1/audit-log?action=tenant.settings.changed').set(t.owner.headers).expect(200)).body.data as Array<{
      changes: Record<string, unknown>;
    }>;
    expect(records.map((r) => r.changes.portalBrand)).toEqual(
      expect.arrayContaining([
        { from: null, to: BRAND },
        { from: BRAND, to: { primaryColor: '#1d4ed8' } },
      ]),
    );
  });
});

describe('a portal link’s brand', () => {
  it('wins over the tenant’s field by field, is audited with the link, and the portal reads the merge', async () => {
    const t = await tenant('brand-link');
    const logo = 'https://cdn.example.com/acme.png';
    await h.http
      .patch('/console/v1/settings')
      .set(t.owner.headers)
      .send({ portal: { brand: BRAND, logo } })
      .expect(200);
    const link = async (body: object) => {
      const token = (await h.http.post(`/api/v1/auth/app-portal-access/${t.app}`).set(t.key).send(body).expect(200)).body.token as string;
      return (
        await h.http
          .get('/api/v1/portal-branding')
          .set({ authorization: `Bearer ${token}` })
          .expect(200)
      ).body;
    };

    expect(await link({})).toEqual({ ...BRAND, logo });
    const own = { primaryColor: '#7c3aed', poweredBy: true, logo: 'https://cdn.example.com/customer.png', sessionId: 'brand' };
    const { sessionId: _, ...ownBrand } = own;
    expect(await link({ brand: ownBrand, sessionId: 'brand' })).toEqual({ ...BRAND, ...ownBrand });

    const records = (await h.http.get('/api/v1/audit-log?action=portalAccess.created').set(t.owner.headers).expect(200)).body.data as Array<{
      changes: Record<string, unknown>;
    }>;
    expect(records.map((r) => r.changes.brand)).toContainEqual({ to: ownBrand });

    // A tenant without a brand: Hookline's, with "powered by".
    const plain = await tenant('brand-none');
    const token = (await h.http.post(`/api/v1/auth/app-portal-access/${plain.app}`).set(plain.key).send({}).expect(200)).body.token as string;
    expect(
      (
        await h.http
          .get('/api/v1/portal-branding')
          .set({ authorization: `Bearer ${token}` })
          .expect(200)
      ).body,
    ).toEqual({
      logo: null,
      name: null,
      primaryColor: null,
      accentColor: null,
      fontFamily: null,
      radius: null,
      poweredBy: true,
    });
  });

  it('refuses each bad field with a 422 on that field, and a data: logo (it travels in the token)', async () => {
    const t = await tenant('brand-link-bad');
    const bad: Array<[string, unknown, string]> = [
      ...BAD,
      ['logo', 'data:image/png;base64,iVBORw0KGgo=', 'https URL'],
      ['logo', 'http://cdn.example.com/x.png', 'https URL'],
    ];
    for (const [field, value, words] of bad) {
      const res = await h.http
        .post(`/api/v1/auth/app-portal-access/${t.app}`)
        .set(t.key)
        .send({ brand: { [field]: value } })
        .expect(422);
      expect(res.body.detail[0].loc, `${field}=${String(value)}`).toEqual(['body', 'brand', ...(field === 'background' ? [] : [field])]);
      expect(res.body.detail[0].msg).toContain(words);
    }
  });
});
