import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { Svix } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookline, type HooklineLibrary } from '@hookline/server';
import { sessionCookieOf, TEST_PASSWORD } from '@hookline/test-support/console';
import { createTestDatabase } from '@hookline/test-support/database';
import { testEnv } from '@hookline/test-support/hookline';
import { REPO_ROOT } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Library mode: Hookline mounted at /webhooks in a vendor's own Express app, on the vendor's pg
// pool, with the worker in the same process. Everything is reached through the mount path.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let hookline: HooklineLibrary;
let server: Server;
let origin: string;
let receiver: Receiver;
let apiKey: string;

/** The test environment's settings, as createHookline options (the database comes from the pool). */
function librarySettings(): Record<string, string> {
  const { DATABASE_URL: _url, ...settings } = testEnv('postgres://unused');
  return { ...settings, HOOKLINE_BOOTSTRAP: 'true' };
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.connectionString, max: 5 });
  hookline = await createHookline({ pool, env: {}, settings: librarySettings(), logger: pino({ level: 'silent' }) });
  apiKey = hookline.bootstrap!.apiKey;

  const app = express();
  // The vendor trusts its proxy: Hookline, given no HOOKLINE_TRUST_PROXY, follows the host's setting.
  app.set('trust proxy', true);
  app.get('/hello', (_req, res) => res.json({ vendor: true }));
  app.use('/webhooks', hookline.router);
  app.use((_req, res) => res.status(404).send('vendor 404'));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver = await startReceiver();
  await hookline.worker.start();
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await hookline?.close();
  await receiver?.close();
  await pool?.end();
  await database?.drop();
});

describe('a Hookline mounted at /webhooks in a host app', () => {
  it('serves the tenant API to the official svix client under the mount, and the in-process worker delivers', async () => {
    const svix = new Svix(apiKey, { serverUrl: `${origin}/webhooks` });
    await svix.eventType.create({ name: 'invoice.paid', description: 'An invoice was paid' });
    const app = await svix.application.create({ name: 'Acme', uid: 'acme' });
    const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/hook` });
    const message = await svix.message.create('acme', { eventType: 'invoice.paid', payload: { invoice: 'in_1', amount: 4200 } });

    const [delivered] = await receiver.waitFor(1);
    expect(delivered!.headers['webhook-id']).toBe(message.id);
    const { key } = await svix.endpoint.getSecret(app.id, endpoint.id);
    const verified = new Webhook(key).verify(delivered!.body, delivered!.headers as Record<string, string>);
    expect(verified).toEqual({ invoice: 'in_1', amount: 4200 });
    expect((await svix.message.get(app.id, message.id)).eventType).toBe('invoice.paid');
  });

  it('leaves the host’s own routes alone and keeps the operator routes off the router', async () => {
    expect(await (await fetch(`${origin}/hello`)).json()).toEqual({ vendor: true });
    expect(await (await fetch(`${origin}/elsewhere`)).text()).toBe('vendor 404');
    // Under the mount, Hookline answers for itself.
    const missing = await fetch(`${origin}/webhooks/no-such-route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
    for (const path of ['/webhooks/admin/v1/tenants', '/webhooks/metrics']) expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    expect((await fetch(`${origin}/webhooks/health`)).status).toBe(200);
  });

  it('documents its paths relative to the mount', async () => {
    const doc = (await (await fetch(`${origin}/webhooks/openapi.json`)).json()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> };
    expect(doc.servers).toEqual([{ url: '/webhooks' }]);
    expect(doc.paths['/api/v1/app/{app}/msg']).toBeDefined();
    expect(doc.paths['/admin/v1/tenants']).toBeUndefined();
  });

  it('hands out portal links under the mount, follows the host’s trust proxy, and serves the portal there', async () => {
    const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const access = await fetch(`${origin}/webhooks/api/v1/auth/app-portal-access/acme`, { method: 'POST', headers: auth, body: '{}' });
    const { url, token } = (await access.json()) as { url: string; token: string };
    expect(url.startsWith(`${origin}/webhooks/portal/`)).toBe(true);
    // Behind the vendor's proxy (trusted by the vendor's app), links carry the scheme the client used.
    const proxied = await fetch(`${origin}/webhooks/api/v1/auth/app-portal-access/acme`, {
      method: 'POST',
      headers: { ...auth, 'x-forwarded-proto': 'https' },
      body: '{}',
    });
    expect(((await proxied.json()) as { url: string }).url.startsWith(`https://127.0.0.1:`)).toBe(true);

    const page = await fetch(url.split('#')[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<meta name="hookline-base-path" content="/webhooks">');
    const assets = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/webhooks/portal/'), asset).toBe(true);
      expect((await fetch(`${origin}${asset}`)).status, asset).toBe(200);
    }
    // The redirects stay under the mount.
    const bare = await fetch(`${origin}/webhooks/portal?primaryColor=red`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/webhooks/portal/?primaryColor=red']);
    const root = await fetch(`${origin}/webhooks/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/webhooks/portal/');
    // What the portal then calls: its API base is the page's origin plus the mount path.
    const endpoints = await fetch(`${origin}/webhooks/api/v1/app/acme/endpoint`, { headers: { authorization: `Bearer ${token}` } });
    expect(endpoints.status).toBe(200);
  });

  it('scopes the console’s session cookie to the mount', async () => {
    const res = await fetch(`${origin}/webhooks/console/v1/invites/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'x-hookline-csrf': '1' },
      body: JSON.stringify({ token: hookline.bootstrap!.ownerInviteToken, email: 'owner@example.com', name: 'Owner', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie();
    expect(setCookie.find((c) => c.startsWith('hookline_session='))).toMatch(/; Path=\/webhooks;/);
    const me = await fetch(`${origin}/webhooks/console/v1/me`, { headers: { cookie: sessionCookieOf(setCookie) } });
    expect(me.status).toBe(200);
  });
});

describe('closing', () => {
  it('stops what it opened and leaves the host’s pool open; the router then answers 503', async () => {
    await hookline.close();
    expect(hookline.worker.running).toBe(false);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const after = await fetch(`${origin}/webhooks/api/v1/app`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(after.status).toBe(503);
    await expect(hookline.worker.start()).rejects.toThrow(/closed/);
  });
});

describe('a host process', () => {
  it('configured from its environment alone, delivers, closes, and then exits by itself: close() leaves nothing open', async () => {
    const own = await createTestDatabase();
    try {
      const child = spawn(process.execPath, ['test/integration/fixtures/libraryHost.ts'], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...testEnv(own.connectionString, { HOOKLINE_BOOTSTRAP: 'true' }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | string>((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal ?? -1)));
      expect({ code, output }).toEqual({ code: 0, output: 'delivered {"ok":true}\nclosed\n' });
    } finally {
      await own.drop();
    }
  });
});
