import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// A vendor's own page on another origin calling Hookline's API with a portal token, as the
// headless hooks do (docs/headless.md), in a real Chromium: the browser enforces CORS, so this is
// where an answer without the right headers fails. The console's cookie routes stay closed to it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let h: TestHookline;
let browser: Browser;
let vendorSite: Server;
let vendorOrigin: string;
let token: string;
let page: Page;

beforeAll(async () => {
  vendorSite = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>vendor</title>'));
  await new Promise<void>((resolve) => vendorSite.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: another host as well as another port.
  vendorOrigin = `http://localhost:${(vendorSite.address() as AddressInfo).port}`;
  [h, browser] = await Promise.all([
    startTestHookline(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] }),
  ]);
  const { apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme', uid: 'acme' }).expect(201);
  token = (await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200)).body.token as string;
  page = await (await browser.newContext()).newPage();
  await page.goto(`${vendorOrigin}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => vendorSite?.close(resolve));
  await h?.stop();
});

/** A fetch from the vendor's page: the status and body, or the browser's error when CORS refused it. */
const fetchFromVendorPage = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }) =>
  page.evaluate(
    async ([url, init]) => {
      try {
        const res = await fetch(url, init);
        return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
      } catch (err) {
        return { error: String(err) };
      }
    },
    [url, init] as const,
  );

describe('the API from another origin', () => {
  it('answers a portal token from a page on another origin: a GET, and a POST with JSON (preflighted)', async () => {
    const list = await fetchFromVendorPage(`${h.url}/api/v1/app/acme/endpoint`, { headers: { authorization: `Bearer ${token}` } });
    expect(list).toMatchObject({ status: 200 });
    expect(JSON.parse((list as { body: string }).body)).toMatchObject({ data: [], done: true });

    const created = await fetchFromVendorPage(`${h.url}/api/v1/app/acme/endpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'ep-1' },
      body: JSON.stringify({ url: 'https://example.com/hooks', description: 'from the vendor page' }),
    });
    expect(created).toMatchObject({ status: 201 });
    const bad = await fetchFromVendorPage(`${h.url}/api/v1/app/acme/endpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'not a url' }),
    });
    // The error body is readable too, so the hooks can show a 422 on its field.
    expect(bad).toMatchObject({ status: 422 });
    expect(JSON.parse((bad as { body: string }).body).detail[0].loc).toEqual(['body', 'url']);
  });

  it('adds no CORS headers to a request without Origin (a backend calling the API)', async () => {
    const res = await h.http.get('/api/v1/app/acme/endpoint').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("does not open the console's cookie routes to other origins", async () => {
    const res = await fetchFromVendorPage(`${h.url}/console/v1/api-keys`, {});
    expect(res).toMatchObject({ error: expect.stringContaining('Failed to fetch') });
  });
});
