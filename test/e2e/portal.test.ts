import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@hookline/test-support/axe';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The portal in a real headless Chromium (Debian's, never a downloaded one) against a running
// Hookline: real database, real worker, real receivers on 127.0.0.1. Driven like a user would,
// by roles, labels and text. Screenshots of the main screens go to docs/screenshots/; axe checks
// every page and dialog it visits (no serious or critical violation).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let h: TestHookline;
let browser: Browser;
let receiver: Receiver;
let host: Server;
let hostUrl: string;
let hostPortalUrl = '';
let reactHostJs = '';
let auth: { authorization: string };
const contexts: BrowserContext[] = [];
/** What Chromium reported as blocked by the portal's Content-Security-Policy (none is expected). */
const cspViolations: string[] = [];
/** Another server a crafted link names as `?apiBase=`, answering CORS so a portal that called it would send the token. */
let elsewhere: Server;
const elsewhereRequests: { method: string; authorization: string | undefined }[] = [];
/** Status each receiver path answers with (default 200). */
const replies = new Map<string, number>();

beforeAll(async () => {
  // The vendor's pages first: their origin is the one allowed to frame the portal.
  host = await startHostPage();
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  elsewhere = createServer((req, res) => {
    elsewhereRequests.push({ method: req.method ?? '', authorization: req.headers.authorization });
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('content-type', 'application/json');
    res.end('{"data":[],"done":true,"iterator":null,"prevIterator":null}');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  [h, browser, receiver] = await Promise.all([
    // One retry an hour: a failed attempt stays failed until the user resends it.
    startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600', HOOKLINE_PORTAL_FRAME_ANCESTORS: `'self' ${hostUrl}` }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
    startReceiver((req) => {
      const status = replies.get(req.path) ?? 200;
      return { status, body: status < 300 ? 'thanks' : 'receiver is down' };
    }),
  ]);
  reactHostJs = await bundleReactHost();
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({
      name: 'invoice.paid',
      description: 'An invoice was paid',
      schemas: { 1: { type: 'object', properties: { invoiceId: { type: 'string' }, amount: { type: 'integer' } }, examples: [{ invoiceId: 'in_42', amount: 4200 }] } },
    })
    .expect(201);
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'customer.created', description: 'A customer signed up' }).expect(201);
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme Inc', uid: 'acme' }).expect(201);
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
  await new Promise((resolve) => (elsewhere ? elsewhere.close(resolve) : resolve(undefined)));
  await receiver?.close();
  await h?.stop();
});

/** test/e2e/fixtures/reactHost.tsx with React and @hookline/portal-react, as one script for the browser. */
async function bundleReactHost(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'hookline-react-host-'));
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: fileURLToPath(new URL('.', import.meta.url)),
      mode: 'production',
      define: { 'process.env.NODE_ENV': '"production"' },
      // Vitest sets NODE_ENV=test, which would otherwise compile JSX for React's development runtime.
      oxc: { jsx: { runtime: 'automatic', development: false } },
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: fileURLToPath(new URL('fixtures/reactHost.tsx', import.meta.url)), formats: ['iife'], name: 'ReactHost', fileName: () => 'react-host.js' },
      },
    });
    return await readFile(path.join(outDir, 'react-host.js'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * A vendor's pages on another origin (another port): `/` embeds the portal with the loader script,
 * `/react` with the React component.
 */
async function startHostPage(): Promise<Server> {
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  const page = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vendor dashboard</title></head>
<body style="margin:0;font-family:sans-serif">
  <header style="padding:16px;background:#111;color:#fff">Vendor dashboard</header>
  ${body}
</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/react-host.js') {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(reactHostJs);
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (req.url === '/react') {
      res.end(
        page(`<div id="root"></div>
  <script>window.PORTAL_URL = ${json(hostPortalUrl)};</script>
  <script src="/react-host.js"></script>`),
      );
      return;
    }
    res.end(
      page(`<div id="webhooks"></div>
  <script src="${h.url}/portal/embed.js"></script>
  <script>window.embedded = HooklinePortal.mount(document.getElementById('webhooks'), { url: ${json(hostPortalUrl)}, theme: { primaryColor: '#0f766e', fontFamily: 'Georgia, serif' } });</script>`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function portalUrl(body: object = {}): Promise<string> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send(body).expect(200);
  return res.body.url as string;
}

afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

async function newPage(width = 1100, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  // Chromium logs each CSP violation, of the page or of a frame in it, to the console.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.setDefaultTimeout(10_000);
  return page;
}

async function openPortal(body: object = {}): Promise<Page> {
  const page = await newPage();
  await page.goto(await portalUrl(body));
  await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
  return page;
}

async function createEndpointByApi(path: string): Promise<string> {
  const res = await h.http
    .post('/api/v1/app/acme/endpoint')
    .set(auth)
    .send({ url: `${receiver.url}${path}`, description: `Receiver ${path}`, eventTypes: ['invoice.paid'] })
    .expect(201);
  return res.body.id as string;
}

async function openEndpoint(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: `Open endpoint ${receiver.url}${path}` }).click();
  await page.getByRole('heading', { name: `${receiver.url}${path}`, level: 1 }).waitFor();
}

/** A full-page screenshot, or of one element (a dialog), under a fixed name. */
async function screenshot(target: Page | Locator, name: string): Promise<void> {
  const file = `${SCREENSHOTS}${name}.png`;
  if ('goto' in target) await target.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  else await target.screenshot({ path: file, animations: 'disabled' });
}

describe('customer portal in Chromium', () => {
  it('opens from app-portal-access, removes the token from the address bar and creates an endpoint', async () => {
    const page = await openPortal();
    expect(page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'No endpoints yet' }).waitFor();
    await page.getByText('Powered by Hookline').waitFor();
    await expectAccessible(page, 'empty endpoint list');
    await screenshot(page, 'portal-empty');

    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    await page.getByRole('heading', { name: 'Add endpoint', level: 1 }).waitFor();
    await page.getByLabel('Endpoint URL').fill(`${receiver.url}/created`);
    await page.getByLabel('Description').fill('Billing receiver');
    await page.getByLabel('invoice.paid').check();
    await expectAccessible(page, 'new endpoint form');
    await expectLabelledFocusOrder(page, 'Endpoint URL', 'Create endpoint');
    await screenshot(page, 'portal-new-endpoint');
    await page.getByRole('button', { name: 'Create endpoint' }).click();

    await page.getByRole('heading', { name: `${receiver.url}/created`, level: 1 }).waitFor();
    await expectAccessible(page, 'new endpoint page');
    const list = await h.http.get('/api/v1/app/acme/endpoint').set(auth).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ url: `${receiver.url}/created`, description: 'Billing receiver', eventTypes: ['invoice.paid'] })]);
  });

  it('sends a test event and shows the successful attempt in the log', async () => {
    await createEndpointByApi('/test');
    const page = await openPortal();
    await openEndpoint(page, '/test');
    await page.getByLabel('Event type to send').selectOption('invoice.paid');
    await page.getByRole('button', { name: 'Send example' }).click();
    await page.getByRole('status').filter({ hasText: 'HTTP 200' }).waitFor();
    const received = receiver.requests.filter((r) => r.path === '/test');
    expect(received.map((r) => JSON.parse(r.body))).toEqual([{ invoiceId: 'in_42', amount: 4200 }]);
    await expectAccessible(page, 'endpoint page with the test result');
    await screenshot(page, 'portal-endpoint');

    // The log: the endpoint's attempts, then the message with its attempt.
    await page.getByRole('button', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await page.getByLabel('Show').selectOption({ label: `Attempts to ${receiver.url}/test` });
    await page.getByRole('row').filter({ hasText: 'invoice.paid' }).filter({ hasText: 'HTTP 200' }).waitFor();
    await expectAccessible(page, 'logs');
    await screenshot(page, 'portal-logs');
    await page.getByLabel('Show').selectOption({ label: 'All messages' });
    await page
      .getByRole('button', { name: /^View message msg_/ })
      .first()
      .click();
    const message = page.getByRole('dialog', { name: 'Message invoice.paid' });
    await message.getByRole('row').filter({ hasText: 'HTTP 200' }).waitFor();
    await expectAccessible(page, 'message dialog');
    await message.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Event catalog' }).click();
    await page.getByRole('heading', { name: 'invoice.paid', level: 2 }).waitFor();
    await expectAccessible(page, 'event catalog');
    await screenshot(page, 'portal-event-catalog');
  });

  it('reveals and rotates the signing secret', async () => {
    const id = await createEndpointByApi('/rotate');
    const before = (await h.http.get(`/api/v1/app/acme/endpoint/${id}/secret`).set(auth).expect(200)).body.key as string;
    const page = await openPortal();
    await openEndpoint(page, '/rotate');
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    const shown = page.getByLabel('Signing secret', { exact: true }).and(page.locator('code'));
    await expect.poll(() => shown.textContent()).toBe(before);

    await page.getByLabel('Grace period (hours)').fill('2');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Secret rotated' }).waitFor();
    const after = (await h.http.get(`/api/v1/app/acme/endpoint/${id}/secret`).set(auth).expect(200)).body.key as string;
    expect(after).not.toBe(before);
    await expect.poll(() => shown.textContent()).toBe(after);
    await expectAccessible(page, 'revealed and rotated secret');
    await screenshot(page, 'portal-secret');
  });

  it('shows a failed attempt and resends it successfully', async () => {
    replies.set('/failing', 500);
    await createEndpointByApi('/failing');
    await h.http
      .post('/api/v1/app/acme/msg')
      .set(auth)
      .send({ eventType: 'invoice.paid', payload: { invoiceId: 'in_500', amount: 1 } })
      .expect(202);
    await expect.poll(async () => receiver.requests.some((r) => r.path === '/failing')).toBe(true);
    // The attempt is committed (with its statistics) once the application's series counts it.
    const failedAttempts = async () =>
      (await h.http.get('/api/v1/app/acme/stats/series').set(auth).expect(200)).body.data.reduce((n: number, b: { fail: number }) => n + b.fail, 0);
    await expect.poll(failedAttempts).toBeGreaterThan(0);

    const page = await openPortal();
    await openEndpoint(page, '/failing');
    const failed = page.getByRole('row').filter({ hasText: 'HTTP 500' });
    await failed.first().waitFor();
    // The chart reads the endpoint's series: today has failed attempts and none succeeded, with a p95.
    await page.getByRole('img', { name: /^Successful and failed attempts per day\..*: 0 succeeded, [1-9]\d* failed$/ }).waitFor();
    await page
      .getByTestId('p95')
      .filter({ hasText: /p95 latency: ≤ \d+ ms/ })
      .waitFor();
    await expectAccessible(page, 'endpoint page with a failed attempt, stats and recovery');
    await screenshot(page, 'portal-failed-attempt');

    replies.set('/failing', 200);
    await failed
      .first()
      .getByRole('button', { name: /^View attempt/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Attempt details' });
    await dialog.getByLabel('Response body').getByText('receiver is down').waitFor();
    await expectAccessible(page, 'attempt dialog');
    await screenshot(dialog, 'portal-attempt-detail');
    await dialog.getByRole('button', { name: 'Resend message' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Resent' }).waitFor();
    await expect.poll(() => receiver.requests.filter((r) => r.path === '/failing').length).toBe(2);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The log shows the manual attempt's success (reopened, so the check does not depend on when it refreshes).
    await page.getByRole('button', { name: '← All endpoints' }).click();
    await openEndpoint(page, '/failing');
    await page.getByRole('row').filter({ hasText: 'HTTP 200' }).first().waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'HTTP 500' }).count()).toBe(1);
    await screenshot(page, 'portal-endpoint-resent');
  });

  it('keeps the credential headers it cannot show when an endpoint is edited', async () => {
    const headers = { Authorization: 'Bearer e2e-credential', 'X-Api-Key': 'e2e-api-key', 'X-Team': 'acme' };
    const res = await h.http
      .post('/api/v1/app/acme/endpoint')
      .set(auth)
      .send({ url: `${receiver.url}/edited`, description: 'Before', headers })
      .expect(201);
    const page = await openPortal();
    await openEndpoint(page, '/edited');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit endpoint', level: 1 }).waitFor();
    await expectAccessible(page, 'edit endpoint form');
    await expectLabelledFocusOrder(page, 'Endpoint URL', 'Save changes');
    await page.getByLabel('Description').fill('After');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: `${receiver.url}/edited`, level: 1 }).waitFor();
    expect((await h.http.get(`/api/v1/app/acme/endpoint/${res.body.id}`).set(auth).expect(200)).body.description).toBe('After');
    const after = (await h.http.get(`/api/v1/app/acme/endpoint/${res.body.id}/headers`).set(auth).expect(200)).body;
    expect({ headers: after.headers, sensitive: [...after.sensitive].sort() }).toEqual({ headers: { 'X-Team': 'acme' }, sensitive: ['Authorization', 'X-Api-Key'] });
  });

  it('refuses a link whose apiBase names another server, and never sends it the token', async () => {
    const url = new URL(await portalUrl());
    url.search = `?apiBase=${encodeURIComponent(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`)}`;
    const page = await newPage();
    await page.goto(url.toString());
    await page.getByRole('heading', { name: 'Link not allowed' }).waitFor();
    await expectAccessible(page, 'link not allowed');
    await page.waitForTimeout(500);
    expect(elsewhereRequests).toEqual([]);
  });

  it('with a read-only token, offers no way to create or change an endpoint', async () => {
    await createEndpointByApi('/read-only');
    const page = await openPortal({ readOnly: true });
    await page.getByText('Read-only access').waitFor();
    await page.getByRole('list', { name: 'Endpoints' }).waitFor();
    await expectAccessible(page, 'read-only endpoint list');
    expect(await page.getByRole('button', { name: /add endpoint/i }).count()).toBe(0);
    await openEndpoint(page, '/read-only');
    for (const name of ['Edit', 'Delete', 'Disable endpoint', 'Rotate secret', 'Send example']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    await expectAccessible(page, 'read-only endpoint page');
    await screenshot(page, 'portal-read-only');
  });

  it('shows its brand: the settings\' logo, name, font and radius, the link\'s colours, no "powered by"; readable in the dark theme', async () => {
    const logo = `data:image/png;base64,${(await readFile(new URL('fixtures/brandLogo.png', import.meta.url))).toString('base64')}`;
    const brand = { name: 'Acme Cloud', primaryColor: '#1d4ed8', accentColor: '#1d4ed8', fontFamily: 'Georgia, serif', radius: 4, poweredBy: false };
    await h.http.patch('/console/v1/settings').set(auth).send({ portal: { logo, brand } }).expect(200);
    try {
      await createEndpointByApi('/branded');
      // The link's own colours win over the tenant's.
      const link = { brand: { primaryColor: '#0f766e', accentColor: '#b45309' } };
      const page = await openPortal(link);
      await page.getByRole('img', { name: 'Acme Cloud logo' }).waitFor();
      await page.getByText('Acme Cloud', { exact: true }).waitFor();
      await page.getByRole('list', { name: 'Endpoints' }).waitFor();
      const look = () =>
        page.evaluate(() => {
          const css = (el: Element | null) => (el ? getComputedStyle(el) : null);
          const root = getComputedStyle(document.documentElement);
          return {
            primary: root.getPropertyValue('--primary').trim(),
            accent: root.getPropertyValue('--accent').trim(),
            link: root.getPropertyValue('--link').trim(),
            button: css(document.querySelector('.btn.primary'))?.backgroundColor,
            tab: css(document.querySelector('.tab.active'))?.borderBottomColor,
            font: css(document.body)?.fontFamily,
            card: css(document.querySelector('.card'))?.borderRadius,
          };
        });
      expect(await look()).toMatchObject({
        primary: '#0f766e',
        accent: '#b45309',
        button: 'rgb(15, 118, 110)',
        tab: 'rgb(180, 83, 9)',
        font: 'Georgia, serif',
        card: '4px',
      });
      expect(await page.getByText('Powered by Hookline').count()).toBe(0);
      await expectAccessible(page, 'branded endpoint list');
      await screenshot(page, 'portal-branded');

      const dark = new URL(await portalUrl(link));
      dark.searchParams.set('darkMode', 'true');
      const darkPage = await newPage();
      await darkPage.goto(dark.toString());
      await darkPage.getByRole('img', { name: 'Acme Cloud logo' }).waitFor();
      await darkPage.getByRole('list', { name: 'Endpoints' }).waitFor();
      expect(await darkPage.locator('html').getAttribute('data-theme')).toBe('dark');
      // The amber accent is lightened for links and focus rings on the dark background.
      await expect.poll(async () => await darkPage.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--link').trim())).not.toBe('');
      const darkLink = await darkPage.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--link').trim());
      expect(darkLink).not.toBe('#b45309');
      await expectAccessible(darkPage, 'branded endpoint list, dark');
      await screenshot(darkPage, 'portal-branded-dark');
    } finally {
      await h.http
        .patch('/console/v1/settings')
        .set(auth)
        .send({ portal: { logo: null, brand: null } })
        .expect(200);
    }
  });

  it('embedded with the loader script in a page of another origin, follows its content height', async () => {
    const { page, iframe, frame } = await openHostPage('/');
    const src = new URL((await iframe.getAttribute('src')) ?? '');
    expect(src.searchParams.get('parentOrigin')).toBe(hostUrl);
    expect(src.searchParams.get('primaryColor')).toBe('#0f766e');
    expect(src.hash).toMatch(/^#token=/);
    await expectHeightFollowsContent(page, iframe, frame, 400);
    await screenshot(page, 'portal-embedded');

    // A resize message from any origin but the portal's is ignored.
    const current = await heightOf(iframe);
    await page.evaluate(() => window.postMessage({ type: 'hookline:portal:resize', height: 5 }, '*'));
    await page.waitForTimeout(200);
    expect(await heightOf(iframe)).toBe(current);
  });

  it('embedded with the React component, applies the theme and follows its content height', async () => {
    const { page, iframe, frame } = await openHostPage('/react');
    const src = new URL((await iframe.getAttribute('src')) ?? '');
    expect(Object.fromEntries(src.searchParams)).toEqual({ primaryColor: '#b45309', darkMode: 'true', fontFamily: 'Georgia, serif', parentOrigin: hostUrl });
    expect(src.hash).toMatch(/^#token=/);
    expect(await frame.locator('html').getAttribute('data-theme')).toBe('dark');
    await expectHeightFollowsContent(page, iframe, frame, 200);
    await screenshot(page, 'portal-embedded-react-dark');
  });
});

/**
 * Tabs from the field labelled `from` until the button `to` has focus: each stop must come after the
 * last in the page's order (no jumps back) and have a name a screen reader reads (label, aria-label, text).
 */
async function expectLabelledFocusOrder(page: Page, from: string, to: string): Promise<void> {
  await page.getByLabel(from, { exact: true }).focus();
  const stops: string[] = [];
  for (let i = 0; i < 80; i++) {
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null };
      const w = window as unknown as { lastStop?: Element };
      const forward = !w.lastStop || w.lastStop === el || (w.lastStop.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      w.lastStop = el;
      const byIds = (el.getAttribute('aria-labelledby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const name =
        (el.getAttribute('aria-label') ?? '') ||
        byIds.trim() ||
        [...(el.labels ?? [])]
          .map((l) => l.textContent)
          .join(' ')
          .trim() ||
        (['BUTTON', 'SUMMARY', 'A'].includes(el.tagName) ? (el.textContent ?? '').trim() : '') ||
        (el.getAttribute('title') ?? '');
      return { name, forward, tag: el.tagName };
    });
    expect(stop.forward, `focus went back to ${stop.tag} "${stop.name}" after ${stops.join(' → ')}`).toBe(true);
    expect(stop.name, `${stop.tag} after ${stops.at(-1)} has no label`).not.toBe('');
    stops.push(stop.name);
    if (stop.name === to) break;
    await page.keyboard.press('Tab');
  }
  expect(stops[0]).toBe(from);
  expect(stops.at(-1), stops.join(' → ')).toBe(to);
  await page.evaluate(() => delete (window as unknown as { lastStop?: Element }).lastStop);
}

async function openHostPage(pagePath: string): Promise<{ page: Page; iframe: Locator; frame: FrameLocator }> {
  hostPortalUrl = await portalUrl();
  const page = await newPage(1000, 700);
  await page.goto(`${hostUrl}${pagePath}`);
  const iframe = page.locator('iframe[title="Webhooks portal"]');
  const frame = page.frameLocator('iframe[title="Webhooks portal"]');
  await frame.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
  return { page, iframe, frame };
}

function heightOf(iframe: Locator): Promise<number> {
  return iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));
}

/** The iframe takes the height the portal reports, away from its initial one, and follows a reflow. */
async function expectHeightFollowsContent(page: Page, iframe: Locator, frame: FrameLocator, initial: number): Promise<void> {
  const contentHeight = () => frame.locator('body').evaluate((body) => Math.ceil(body.getBoundingClientRect().height));
  const fits = async () => Math.abs((await heightOf(iframe)) - (await contentHeight())) <= 1;
  await expect.poll(fits, { timeout: 10_000 }).toBe(true);
  const wide = await heightOf(iframe);
  expect(wide).not.toBe(initial);
  // Narrower, the content reflows taller and the iframe follows.
  await page.setViewportSize({ width: 375, height: 700 });
  await expect.poll(async () => (await heightOf(iframe)) > wide && (await fits()), { timeout: 10_000 }).toBe(true);
}
