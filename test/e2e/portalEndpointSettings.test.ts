import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@hookline/test-support/axe';
import { createCertificateAuthority, type Pem } from '@hookline/test-support/certificates';
import { TEST_DELIVERY_TIMEOUT_MS } from '@hookline/test-support/globalSetup';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The endpoint's delivery settings and credentials (OAuth, basic auth, mutual TLS) and the
// application's polling endpoints, set through the portal in a real Chromium against a running
// Hookline, and checked through the API. Nothing is delivered: the settings are what is tested.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Never resolves here: the API checks a token URL's shape and target, not that it answers.
const TOKEN_URL = 'https://auth.example.com/oauth/token';
const ENDPOINT_URL = 'https://hooks.example.com/in';

let h: TestHookline;
let browser: Browser;
let auth: { authorization: string };
let appId: string;
let endpointId: string;
let dir: string;
let client: Pem;
let stranger: Pem;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([
    startTestHookline(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
  ]);
  const ca = await createCertificateAuthority('Portal Test CA');
  [client, stranger] = await Promise.all([ca.issue({ commonName: 'acme-client', client: true }), ca.issue({ commonName: 'someone-else', client: true })]);
  dir = await mkdtemp(path.join(tmpdir(), 'portal-mtls-'));
  // A key of another certificate (a 422 on identity), and the right pair.
  await writeFile(path.join(dir, 'mismatched.pem'), `${client.cert}\n${stranger.key}`);
  await writeFile(path.join(dir, 'client.pem'), `${client.cert}\n${client.key}`);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'An invoice was paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme Inc', uid: 'acme' }).expect(201)).body.id as string;
  endpointId = (await h.http.post('/api/v1/app/acme/endpoint').set(auth).send({ url: ENDPOINT_URL, description: 'Billing' }).expect(201)).body.id as string;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh portal page for acme (in `lang`, dark when asked); returns it with the token its link carried. */
async function openPortal(options: { lang?: string; darkMode?: boolean } = {}): Promise<{ page: Page; token: string }> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200);
  const link = new URL(res.body.url as string);
  if (options.lang) link.searchParams.set('lang', options.lang);
  if (options.darkMode) link.searchParams.set('darkMode', 'true');
  const url = link.toString();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await page.locator('h1').first().waitFor();
  return { page, token: new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '' };
}

async function openEndpoint(page: Page): Promise<void> {
  await page.getByRole('button', { name: `Open endpoint ${ENDPOINT_URL}` }).click();
  await page.getByRole('heading', { name: ENDPOINT_URL, level: 1 }).waitFor();
}

const credential = (page: Page, title: string) => page.locator('section.credential', { has: page.getByRole('heading', { name: title, level: 3 }) });

/** The text an input points at with aria-describedby, once it is marked invalid. */
async function fieldError(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}

const api = (p: string) => h.http.get(`/api/v1/app/acme/endpoint/${endpointId}${p}`).set(auth);

describe('portal endpoint settings in Chromium', () => {
  it('saves the retry schedule and attempts, shows a timeout the installation refuses on its field, and shows them after reopening', async () => {
    const { page } = await openPortal();
    await openEndpoint(page);
    await page.getByRole('heading', { name: 'Delivery settings', level: 2 }).waitFor();
    await expectAccessible(page, 'endpoint page with settings');

    await page.getByLabel('Retry schedule (seconds)').fill('10, 60, 600');
    await page.getByLabel('Maximum attempts').fill('3');
    await page.getByRole('button', { name: 'Save delivery settings' }).click();
    await page.getByText('Delivery settings saved.').waitFor();
    const saved = (await api('').expect(200)).body;
    expect([saved.retrySchedule, saved.maxAttempts, saved.timeoutMs]).toEqual([[10, 60, 600], 3, null]);

    // Longer than the installation's delivery timeout: the API's 422 lands on the field.
    await page.getByLabel('Timeout (milliseconds)').fill(String(TEST_DELIVERY_TIMEOUT_MS + 2000));
    await page.getByRole('button', { name: 'Save delivery settings' }).click();
    expect(await fieldError(page, 'Timeout (milliseconds)')).toContain(`${TEST_DELIVERY_TIMEOUT_MS} ms`);
    await expectAccessible(page, 'delivery settings with a 422');
    expect((await api('').expect(200)).body.timeoutMs).toBeNull();

    // A new session (the token left the address bar, so a reload would sign out): the saved values.
    const again = (await openPortal()).page;
    await openEndpoint(again);
    expect(await again.getByLabel('Retry schedule (seconds)').inputValue()).toBe('10, 60, 600');
    expect(await again.getByLabel('Maximum attempts').inputValue()).toBe('3');
  });

  it('sets an OAuth client and basic auth without ever showing a secret, and removes one after confirming', async () => {
    const { page, token } = await openPortal();
    await openEndpoint(page);
    const oauth = credential(page, 'OAuth 2.0 client credentials');
    await oauth.getByText('Not set').waitFor();
    await oauth.getByLabel('Token URL').fill(TOKEN_URL);
    await oauth.getByLabel('Client ID').fill('hookline');
    await oauth.getByLabel('Client secret').fill('oauth-s3cret-value');
    await oauth.getByLabel('Scopes').fill('webhooks:write');
    await oauth.getByLabel('Extra token parameters').fill('audience=https://api.example.com');
    await oauth.getByRole('button', { name: 'Save OAuth client' }).click();
    await oauth.getByText('Set', { exact: true }).waitFor();
    expect(await oauth.getByLabel('Client secret').inputValue()).toBe('');
    expect(await oauth.getByLabel('Client secret').getAttribute('placeholder')).toMatch(/^Set/);
    expect((await api('/oauth').expect(200)).body).toMatchObject({
      tokenUrl: TOKEN_URL,
      clientId: 'hookline',
      authMethod: 'clientSecretBasic',
      grantType: 'clientCredentials',
      scopes: ['webhooks:write'],
      extraParams: { audience: 'https://api.example.com' },
    });

    const basic = credential(page, 'HTTP basic auth');
    await basic.getByLabel('Username').fill('hooks');
    await basic.getByLabel('Password').fill('basic-pa55word');
    await basic.getByRole('button', { name: 'Save basic auth' }).click();
    await basic.getByText('Set', { exact: true }).waitFor();
    expect((await api('/basic-auth').expect(200)).body).toEqual({ username: 'hooks' });
    await expectAccessible(page, 'credentials set');

    // Neither secret, nor the portal's own token, is anywhere in the page.
    const html = await page.content();
    for (const secret of ['oauth-s3cret-value', 'basic-pa55word', token]) expect(html).not.toContain(secret);

    await basic.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove basic auth?' });
    await dialog.waitFor();
    await expectAccessible(page, 'remove confirmation');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await basic.getByText('Not set').waitFor();
    await api('/basic-auth').expect(404);
    await api('/oauth').expect(200);
  });

  it('uploads a client certificate: a key of another certificate is a 422 on the field, the right pair is shown by subject', async () => {
    const { page } = await openPortal();
    await openEndpoint(page);
    const mtls = credential(page, 'Mutual TLS');
    await mtls.getByLabel('Upload certificate and key file').setInputFiles(path.join(dir, 'mismatched.pem'));
    await expect.poll(() => mtls.getByLabel('Client certificate and private key (PEM)').inputValue()).toContain('BEGIN CERTIFICATE');
    await mtls.getByRole('button', { name: 'Save mutual TLS' }).click();
    expect(await fieldError(page, 'Client certificate and private key (PEM)')).toMatch(/does not belong/);
    await expectAccessible(page, 'mTLS with a 422');
    await api('/mtls').expect(404);

    await mtls.getByLabel('Upload certificate and key file').setInputFiles(path.join(dir, 'client.pem'));
    await expect.poll(() => mtls.getByLabel('Client certificate and private key (PEM)').inputValue()).toContain(client.key.trim().split('\n')[1] ?? '');
    await mtls.getByRole('button', { name: 'Save mutual TLS' }).click();
    await mtls.getByText(/acme-client/).waitFor();
    // The key left the form once saved, and is never shown again.
    expect(await mtls.getByLabel('Client certificate and private key (PEM)').inputValue()).toBe('');
    expect(await page.content()).not.toContain(client.key.trim().split('\n')[1]);
    expect((await api('/mtls').expect(200)).body.clientCertificate.subject).toMatch(/acme-client/);
    await expectAccessible(page, 'mTLS set');
  });
});

describe('portal polling endpoints in Chromium', () => {
  it('creates a poller, shows its URL and a curl loop with a token placeholder, and deletes it after confirming', async () => {
    const { page, token } = await openPortal();
    await page.getByRole('button', { name: 'Polling endpoints' }).click();
    await page.getByRole('heading', { name: 'Polling endpoints', level: 1 }).waitFor();
    await page.getByText('No polling endpoints yet').waitFor();
    await expectAccessible(page, 'pollers, none yet');

    await page.getByLabel('Name in the URL (optional)').fill('poll_bad');
    await page.getByRole('button', { name: 'Create polling endpoint' }).click();
    expect(await fieldError(page, 'Name in the URL (optional)')).toContain('poll_');

    await page.getByLabel('Name in the URL (optional)').fill('invoices');
    await page.getByLabel('invoice.paid').check();
    await page.getByRole('button', { name: 'Create polling endpoint' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'invoices' }) });
    await card.waitFor();
    const [poller] = (await h.http.get('/api/v1/app/acme/poller').set(auth).expect(200)).body.data as { id: string; path: string; eventTypes: string[] }[];
    expect(poller?.eventTypes).toEqual(['invoice.paid']);
    const url = `${h.url}${poller?.path}`;
    expect(poller?.path).toBe(`/api/v1/app/${appId}/poller/${poller?.id}`);
    await card.getByText(url, { exact: true }).waitFor();

    await card.getByText('How to read it').click();
    const snippet = (await card.locator('pre').textContent()) ?? '';
    expect(snippet).toContain(`URL='${url}'`);
    expect(snippet).toContain('Bearer $TOKEN');
    expect(snippet).not.toContain(token);
    await expectAccessible(page, 'pollers with one');
    // The URL works as shown, with a token allowed to read the application.
    const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(first.status).toBe(200);
    // The first call, as the snippet's, gives no messages and the iterator to start from.
    const start = (await first.json()) as { data: unknown[]; iterator: unknown };
    expect(start.data).toEqual([]);
    expect(typeof start.iterator).toBe('string');

    await card.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the polling endpoint?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No polling endpoints yet').waitFor();
    expect((await h.http.get('/api/v1/app/acme/poller').set(auth).expect(200)).body.data).toEqual([]);
  });
});

describe('portal endpoint settings in Arabic, dark', () => {
  it('lays the settings and the pollers out right to left, translated, with no accessibility violations', async () => {
    const { page } = await openPortal({ lang: 'ar', darkMode: true });
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await page.getByRole('button', { name: `فتح نقطة النهاية ${ENDPOINT_URL}` }).click();
    await page.getByRole('heading', { name: 'إعدادات التسليم', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'المصادقة', level: 2 }).waitFor();
    await page.getByLabel('جدول إعادة المحاولة (بالثواني)').waitFor();
    await expectAccessible(page, 'Arabic dark endpoint settings');
    await page.getByRole('button', { name: 'نقاط الاستطلاع' }).click();
    await page.getByRole('heading', { name: 'نقاط الاستطلاع', level: 1 }).waitFor();
    await expectAccessible(page, 'Arabic dark pollers');
  });
});
