import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { sessionAs, type ConsoleSession } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// A tenant's own settings through the console API (/console/v1/settings) over real HTTP, and that
// they take effect: the worker's retry schedule, maintenance's payload expiry, the portal's links and CSP.

const FRAME_ANCESTORS = "'self' https://app.example.com https://*.example.org";
let h: TestHookline;
let db: Database;
let failing: Receiver;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_PORTAL_FRAME_ANCESTORS: FRAME_ANCESTORS });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  failing = await startReceiver(() => ({ status: 500 }));
});
afterAll(async () => {
  await failing?.close();
  await db?.destroy();
  await h?.stop();
});

async function ownerOf(name: string): Promise<{ tenantId: string; apiKey: string; owner: ConsoleSession }> {
  const { tenantId, apiKey } = await h.createTenant(name);
  return { tenantId, apiKey, owner: await sessionAs(h, tenantId, 'owner') };
}

const settings = async (s: ConsoleSession) => (await h.http.get('/console/v1/settings').set(s.headers).expect(200)).body;

describe('settings', () => {
  it("starts at the installation's values, round-trips a change, and null returns a field to the installation's", async () => {
    const { owner } = await ownerOf('round-trip');
    expect(await settings(owner)).toEqual({
      retrySchedule: null,
      retentionDays: null,
      signatureHeaderNames: 'webhook',
      portal: { theme: null, frameAncestors: null, logo: null, brand: null },
      httpsOnly: false,
      httpEndpoints: { count: 0, data: [] },
      installation: { retrySchedule: [1, 1, 1], messageRetentionDays: 90, payloadRetentionDays: 90, portalFrameAncestors: FRAME_ANCESTORS },
    });
    const patch = {
      retrySchedule: [10, 60, 600],
      retentionDays: 30,
      portal: { theme: { primaryColor: '#6d28d9', darkMode: true, fontFamily: 'Inter, sans-serif' }, frameAncestors: 'https://app.example.com  https://*.example.org' },
    };
    const changed = await h.http.patch('/console/v1/settings').set(owner.headers).send(patch).expect(200);
    const expected = { ...patch, portal: { ...patch.portal, frameAncestors: 'https://app.example.com https://*.example.org' } };
    expect(changed.body).toMatchObject(expected);
    expect(await settings(owner)).toMatchObject(expected);
    // A field left out stays; null is the installation's again.
    await h.http
      .patch('/console/v1/settings')
      .set(owner.headers)
      .send({ retentionDays: null, portal: { theme: null } })
      .expect(200);
    expect(await settings(owner)).toMatchObject({
      retrySchedule: [10, 60, 600],
      retentionDays: null,
      portal: { theme: null, frameAncestors: expected.portal.frameAncestors },
    });
  });

  it('keeps a portal logo (https URL or small data:image URL), refuses others with a clear 422, audits it, and gives it to the portal', async () => {
    const { owner, apiKey } = await ownerOf('logo');
    const patchLogo = (logo: unknown) => h.http.patch('/console/v1/settings').set(owner.headers).send({ portal: { logo } });
    // A 1x1 PNG.
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const tooBig = `data:image/png;base64,${'A'.repeat(Math.ceil((48 * 1024 + 1) / 3) * 4)}`;
    const bad: Array<[unknown, string]> = [
      ['http://cdn.example.com/logo.png', 'https URL'],
      ['javascript:alert(1)', 'https URL'],
      ['not a url', 'https URL'],
      ['https://user:pw@cdn.example.com/logo.png', 'user name or password'],
      ['data:image/svg+xml;base64,PHN2Zy8+', 'image type must be one of'],
      ['data:text/html;base64,PGgxPg==', 'image type must be one of'],
      ['data:image/png,rawbytes', 'base64'],
      ['data:image/png;base64,', 'empty'],
      [tooBig, 'at most 49152 bytes'],
      [`https://cdn.example.com/${'a'.repeat(2100)}`, 'at most 2048'],
      [42, ''],
    ];
    for (const [logo, words] of bad) {
      const res = await patchLogo(logo).expect(422);
      expect(res.body.detail[0], String(logo).slice(0, 60)).toMatchObject({ loc: ['body', 'portal', 'logo'] });
      expect(res.body.detail[0].msg).toContain(words);
    }
    expect((await settings(owner)).portal.logo).toBeNull();

    await patchLogo('https://cdn.example.com/logo.png').expect(200);
    expect((await settings(owner)).portal.logo).toBe('https://cdn.example.com/logo.png');
    await patchLogo(png).expect(200);
    expect((await settings(owner)).portal.logo).toBe(png);

    // The portal reads it with its own token (ViewBase), and nothing else of the settings.
    const app = (
      await h.http
        .post('/api/v1/app')
        .set({ authorization: `Bearer ${apiKey}` })
        .send({ name: 'logo-app' })
        .expect(201)
    ).body.id as string;
    const access = await h.http
      .post(`/api/v1/auth/app-portal-access/${app}`)
      .set({ authorization: `Bearer ${apiKey}` })
      .send({})
      .expect(200);
    const portal = { authorization: `Bearer ${access.body.token as string}` };
    expect((await h.http.get('/api/v1/portal-branding').set(portal).expect(200)).body).toMatchObject({ logo: png });
    await h.http.get('/console/v1/settings').set(portal).expect(403);
    const other = await ownerOf('logo-other');
    expect((await h.http.get('/api/v1/portal-branding').set(other.owner.headers).expect(200)).body).toMatchObject({ logo: null });

    // Audited as the URL, or a data: URL's type and size (never the image itself).
    const records = (await h.http.get('/api/v1/audit-log?action=tenant.settings.changed').set(owner.headers).expect(200)).body.data as Array<{
      changes: Record<string, unknown>;
    }>;
    const logoChanges = records.map((r) => r.changes.portalLogo).filter(Boolean);
    expect(logoChanges).toEqual(
      expect.arrayContaining([
        { from: null, to: 'https://cdn.example.com/logo.png' },
        { from: 'https://cdn.example.com/logo.png', to: 'image/png image, 70 bytes' },
      ]),
    );
    expect(JSON.stringify(records)).not.toContain('iVBORw0KGgo');

    await patchLogo(null).expect(200);
    expect((await h.http.get('/api/v1/portal-branding').set(portal).expect(200)).body).toMatchObject({ logo: null });
  });

  it('refuses bad input with 422 and changes nothing, even when other fields were good', async () => {
    const { owner } = await ownerOf('bad-input');
    await h.http
      .patch('/console/v1/settings')
      .set(owner.headers)
      .send({ retrySchedule: [5], retentionDays: 7 })
      .expect(200);
    const before = await settings(owner);
    const bad: unknown[] = [
      { retrySchedule: [] },
      { retrySchedule: [-1] },
      { retrySchedule: [1.5] },
      { retrySchedule: [30 * 86400 + 1] },
      { retrySchedule: Array(51).fill(1) },
      { retrySchedule: '5,300' },
      { retentionDays: 0 },
      { retentionDays: 2.5 },
      { retrySchedule: [60], retentionDays: 91 }, // over the installation's 90 days
      { portal: { theme: { primaryColor: 'red;} body{display:none' } } },
      { portal: { theme: { fontFamily: 'x'.repeat(121) } } },
      { portal: { theme: { background: 'red' } } },
      { portal: { frameAncestors: 'https://evil.example' } }, // not among the installation's
      { portal: { frameAncestors: "'none' https://app.example.com" } },
      { portal: { frameAncestors: 'https://app.example.com;script-src *' } },
      { retryschedule: [60] },
      { httpsOnly: 'true' },
      { httpsOnly: null },
      [],
    ];
    for (const body of bad) {
      const res = await h.http
        .patch('/console/v1/settings')
        .set(owner.headers)
        .send(body as object);
      expect({ body, status: res.status, detail: Array.isArray(res.body.detail) }).toEqual({ body, status: 422, detail: true });
    }
    expect(await settings(owner)).toEqual(before);
  });

  it('is for owners and admins (and the tenant API key); developers and viewers get 403', async () => {
    const { tenantId, apiKey, owner } = await ownerOf('roles');
    for (const role of ['developer', 'viewer'] as const) {
      const person = await sessionAs(h, tenantId, role);
      expect((await h.http.get('/console/v1/settings').set(person.headers).expect(403)).body.code).toBe('forbidden');
      await h.http.patch('/console/v1/settings').set(person.headers).send({ retentionDays: 1 }).expect(403);
    }
    const admin = await sessionAs(h, tenantId, 'admin');
    await h.http.patch('/console/v1/settings').set(admin.headers).send({ retentionDays: 3 }).expect(200);
    await h.http
      .patch('/console/v1/settings')
      .set({ authorization: `Bearer ${apiKey}` })
      .send({ retentionDays: 4 })
      .expect(200);
    expect((await settings(owner)).retentionDays).toBe(4);
  });

  it("keeps tenants apart: a change of one tenant's settings is not another's", async () => {
    const a = await ownerOf('iso-a');
    const b = await ownerOf('iso-b');
    const bBefore = await settings(b.owner);
    await h.http
      .patch('/console/v1/settings')
      .set(a.owner.headers)
      .send({ retrySchedule: [2], retentionDays: 2, portal: { theme: { darkMode: true } } })
      .expect(200);
    await h.http
      .patch('/console/v1/settings')
      .set({ authorization: `Bearer ${a.apiKey}` })
      .send({ portal: { frameAncestors: "'self'" } })
      .expect(200);
    expect(await settings(b.owner)).toEqual(bBefore);
    const rows = await sql<{ id: string; retrySchedule: number[] | null }>`SELECT id, retry_schedule FROM tenant WHERE id IN (${a.tenantId}, ${b.tenantId})`.execute(db);
    expect(Object.fromEntries(rows.rows.map((r) => [r.id, r.retrySchedule]))).toEqual({ [a.tenantId]: [2], [b.tenantId]: null });
  });
});

describe('settings take effect', () => {
  async function publishToFailing(apiKey: string): Promise<{ app: string; msg: string }> {
    const key = { authorization: `Bearer ${apiKey}` };
    const app = (await h.http.post('/api/v1/app').set(key).send({ name: 'app' }).expect(201)).body.id as string;
    await h.http
      .post(`/api/v1/app/${app}/endpoint`)
      .set(key)
      .send({ url: `${failing.url}/${app}` })
      .expect(201);
    const msg = (
      await h.http
        .post(`/api/v1/app/${app}/msg`)
        .set(key)
        .send({ eventType: 'x.y', payload: { secret: `payload-of-${app}` } })
        .expect(202)
    ).body.id as string;
    return { app, msg };
  }

  it("schedules a tenant's next attempt by its own retry schedule (the installation retries after 1 s)", async () => {
    const own = await ownerOf('schedule-own');
    const other = await ownerOf('schedule-default');
    await h.http
      .patch('/console/v1/settings')
      .set(own.owner.headers)
      .send({ retrySchedule: [300, 600] })
      .expect(200);
    const nextAttempt = async (apiKey: string) => {
      const { app, msg } = await publishToFailing(apiKey);
      const sentAt = Date.now();
      const key = { authorization: `Bearer ${apiKey}` };
      for (let i = 0; i < 200; i++) {
        // The failed attempt and the delivery's next attempt time are written together.
        const attempts = (await h.http.get(`/api/v1/app/${app}/attempt/msg/${msg}`).set(key).expect(200)).body.data;
        if (attempts.length === 1) {
          const dest = (await h.http.get(`/api/v1/app/${app}/msg/${msg}/endpoint`).set(key).expect(200)).body.data[0];
          return new Date(dest.nextAttempt).getTime() - sentAt;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no failed first attempt');
    };
    // 300 s ± 20 % jitter after the first attempt (which came within seconds of the publish).
    const ownDelay = await nextAttempt(own.apiKey);
    expect(ownDelay).toBeGreaterThan(240_000 - 10_000);
    expect(ownDelay).toBeLessThan(360_000 + 10_000);
    const otherDelay = await nextAttempt(other.apiKey);
    expect(otherDelay).toBeLessThan(10_000);
  });

  it("expires a tenant's payloads after its own retention, and only that tenant's; the messages stay", async () => {
    const own = await ownerOf('retention-own');
    const other = await ownerOf('retention-default');
    await h.http.patch('/console/v1/settings').set(own.owner.headers).send({ retentionDays: 1 }).expect(200);
    const mine = await publishToFailing(own.apiKey);
    const theirs = await publishToFailing(other.apiKey);
    const payloadOf = async (msg: string) => {
      const { payload } = (await sql<{ payload: string | null }>`SELECT payload FROM message WHERE id = ${msg}`.execute(db)).rows[0]!;
      return { payload: payload === null ? null : JSON.parse(payload) };
    };
    const mark = async () =>
      (await sql<{ mark: string | null }>`SELECT retention_cleared_before AS mark FROM tenant WHERE id = ${own.tenantId}`.execute(db)).rows[0]!.mark;
    // Half a day on: nothing is past a day yet; the tenant's mark (all below it cleared) is set.
    await runMaintenance(db, { messageRetentionDays: 90 }, new Date(Date.now() + 0.5 * 86_400_000));
    expect(await payloadOf(mine.msg)).toEqual({ payload: { secret: `payload-of-${mine.app}` } });
    const first = await mark();
    expect(first! < mine.msg).toBe(true);
    // A day and a bit on: the message passed the cutoff since the mark, so its payload goes; the mark moves up.
    const later = new Date(Date.now() + 1.1 * 86_400_000);
    expect((await runMaintenance(db, { messageRetentionDays: 90 }, later)).payloadsExpired).toBeGreaterThanOrEqual(1);
    expect(await payloadOf(mine.msg)).toEqual({ payload: null });
    expect((await mark())! > mine.msg).toBe(true);
    expect((await runMaintenance(db, { messageRetentionDays: 90 }, later)).payloadsExpired).toBe(0);
    expect(await payloadOf(theirs.msg)).toEqual({ payload: { secret: `payload-of-${theirs.app}` } });
    // The message itself is still listed (its partition goes at the installation's retention).
    await h.http
      .get(`/api/v1/app/${mine.app}/msg/${mine.msg}`)
      .set({ authorization: `Bearer ${own.apiKey}` })
      .expect(200);
  });

  it("adds the tenant's theme to its portal links, and serves its links' page with its narrower frame-ancestors", async () => {
    const own = await ownerOf('portal-own');
    const key = { authorization: `Bearer ${own.apiKey}` };
    const app = (await h.http.post('/api/v1/app').set(key).send({ name: 'portal app' }).expect(201)).body.id as string;
    const plain = (await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(key).send({}).expect(200)).body.url as string;
    expect(plain).toBe(`${h.url}/portal/#token=${plain.split('#token=')[1]}`);

    await h.http
      .patch('/console/v1/settings')
      .set(own.owner.headers)
      .send({ portal: { theme: { primaryColor: '#6d28d9', darkMode: true }, frameAncestors: 'https://app.example.com' } })
      .expect(200);
    const url = new URL((await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(key).send({}).expect(200)).body.url as string);
    expect(Object.fromEntries(url.searchParams)).toEqual({ primaryColor: '#6d28d9', darkMode: 'true', tenant: own.tenantId });
    expect(url.hash).toMatch(/^#token=/);

    const csp = async (search: string) => (await h.http.get(`/portal/${search}`).expect(200)).headers['content-security-policy'] as string;
    expect(await csp(url.search)).toMatch(/; frame-ancestors https:\/\/app\.example\.com$/);
    // Without the tenant, or with one that has none of its own, the installation's.
    expect(await csp('')).toContain(`; frame-ancestors ${FRAME_ANCESTORS}`);
    expect(await csp('?tenant=org_nosuchtenant')).toContain(`; frame-ancestors ${FRAME_ANCESTORS}`);
  });
});
