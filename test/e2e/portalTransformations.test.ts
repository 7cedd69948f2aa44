import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@hookline/test-support/axe';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startSmtpServer, type TestSmtpServer } from '@hookline/test-support/smtpServer';

// The portal's transformation editor and failure-notice settings in a real headless Chromium
// (Debian's) against a running Hookline: the editor's chunk loads only when it is opened, a
// template runs through the simulate route and is saved enabled; notice settings show the API's
// 422 on the field, and a test notice reaches a loopback "Slack" and a loopback SMTP server.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** The editor's lazy chunk, as Vite names it after its module. */
const EDITOR_CHUNK = /\/portal\/assets\/CodeMirrorEditor-[\w-]+\.js$/;

let h: TestHookline;
let browser: Browser;
let endpointReceiver: Receiver;
let chat: Receiver;
let smtp: TestSmtpServer;
let auth: { authorization: string };
let endpointId: string;
const contexts: BrowserContext[] = [];
/** What Chromium reported as blocked by the portal's Content-Security-Policy: none (CodeMirror's styles are a constructed sheet in its shadow root). */
const cspViolations: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  [h, browser, endpointReceiver, chat] = await Promise.all([
    startTestHookline({ HOOKLINE_SMTP_URL: smtp.url, HOOKLINE_SMTP_FROM: 'Notices <notices@hookline.test>' }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
    startReceiver(() => ({ status: 200, body: 'thanks' })),
    startReceiver(() => ({ status: 200, body: 'ok' })),
  ]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({
      name: 'invoice.paid',
      description: 'An invoice was paid',
      schemas: { 1: { type: 'object', properties: { invoiceId: { type: 'string' } }, examples: [{ invoiceId: 'in_42' }] } },
    })
    .expect(201);
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme Inc', uid: 'acme' }).expect(201);
  const ep = await h.http
    .post('/api/v1/app/acme/endpoint')
    .set(auth)
    .send({ url: `${endpointReceiver.url}/hooks`, description: 'Team chat', filterTypes: ['invoice.paid'] })
    .expect(201);
  endpointId = ep.body.id as string;
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await endpointReceiver?.close();
  await chat?.close();
  await smtp?.close();
  await h?.stop();
});

async function portalPage(params: Record<string, string> = {}): Promise<{ page: Page; scripts: string[] }> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200);
  const url = new URL(res.body.url as string);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const scripts: string[] = [];
  page.on('request', (req) => {
    if (req.resourceType() === 'script') scripts.push(new URL(req.url()).pathname);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  await page.goto(url.toString());
  await page.locator('h1').first().waitFor();
  return { page, scripts };
}

describe('portal transformations and notification settings in Chromium', () => {
  it('loads the editor only when opened, runs the Slack template on the example, saves it enabled; no accessibility violations', async () => {
    const { page, scripts } = await portalPage();
    await page.getByRole('button', { name: `Open endpoint ${endpointReceiver.url}/hooks` }).click();
    await page.getByRole('heading', { name: 'Transformation', level: 2 }).waitFor();
    await page.getByText('No code yet.').waitFor();
    expect(scripts.filter((s) => EDITOR_CHUNK.test(s))).toEqual([]);

    await page.getByRole('button', { name: 'Open the editor' }).click();
    const editor = page.getByRole('textbox', { name: 'Transformation code (JavaScript)' });
    await editor.waitFor();
    expect(scripts.filter((s) => EDITOR_CHUNK.test(s))).toHaveLength(1);

    await page.getByRole('button', { name: 'Use the Slack template' }).click();
    await page.getByText(/hooks\.slack\.com\/services/).waitFor();
    await expect.poll(() => editor.textContent()).toContain('function handler(webhook)');

    // Tab is not trapped: from the editor it moves on to the next control.
    await editor.click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('checkbox');

    // Run on the event type's example (no pasted payload): the simulate route answers with what would be sent.
    await page.getByRole('button', { name: 'Run' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Body sent' });
    await result.waitFor();
    expect(await result.textContent()).toContain(`${endpointReceiver.url}/hooks`);
    expect(await result.textContent()).toContain('*invoice.paid*');
    expect(await result.textContent()).toContain('in_42');

    // A pasted payload that throws in the handler: the reason is shown.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nfunction handler() { throw new Error("boom"); }');
    await page.getByLabel('Payload (JSON, optional)').fill('{"invoiceId": "in_7"}');
    await page.getByRole('button', { name: 'Run' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /The code failed: .*boom/ })
      .waitFor();

    // Back to the template, enabled and saved.
    await page.getByRole('button', { name: 'Use the Slack template' }).click();
    await page.getByRole('checkbox', { name: 'Run this transformation on every delivery to this endpoint' }).check();
    await page.getByRole('button', { name: 'Save transformation' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await h.http.get(`/api/v1/app/acme/endpoint/${endpointId}/transformation`).set(auth).expect(200);
    expect(saved.body.enabled).toBe(true);
    expect(saved.body.code).toContain("type: 'mrkdwn'");

    await expectAccessible(page, 'endpoint page with the transformation editor');
    await page.getByRole('region', { name: 'Transformation' }).screenshot({ path: `${SCREENSHOTS}portal-transformation.png`, animations: 'disabled' });
    expect(cspViolations).toEqual([]);
  });

  it("saves notification settings, shows the API's 422 on the email field, and sends a test notice to loopback Slack and SMTP; no accessibility violations", async () => {
    const { page } = await portalPage();
    await page.getByRole('navigation').getByRole('button', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Failure notifications', level: 1 }).waitFor();
    await expectAccessible(page, 'notification settings');

    const emails = page.getByLabel('Email addresses');
    await emails.fill('ops@customer.test\nnot-an-email');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => emails.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await emails.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(errorText).toMatch(/email/i);
    await expectAccessible(page, 'notification settings with a field error');

    await emails.fill('ops@customer.test');
    await page.getByLabel('Chat webhook URL (Slack, Discord or Microsoft Teams)').fill(`${chat.url}/services/T0/B0/secret-token`);
    await page.getByLabel('Chat service').selectOption('slack');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    // The stored URL comes back masked.
    await page.getByText(`Stored: ${chat.url}/… (hidden)`, { exact: false }).waitFor();
    const stored = await h.http.get('/api/v1/app/acme/notification-settings').set(auth).expect(200);
    expect(stored.body).toMatchObject({ emails: ['ops@customer.test'], chatKind: 'slack' });

    await page.getByRole('button', { name: 'Send a test notice' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Chat webhook (slack)' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('Email to ops@customer.test');
    expect(await outcome.textContent()).not.toContain('Failed');
    const [post] = await chat.waitFor(1);
    expect(post!.path).toBe('/services/T0/B0/secret-token');
    await expect.poll(() => smtp.mails.some((m) => m.to.includes('ops@customer.test'))).toBe(true);
    await expectAccessible(page, 'notification settings after a test notice');
    await page.screenshot({ path: `${SCREENSHOTS}portal-notifications.png`, fullPage: true, animations: 'disabled' });
    expect(cspViolations).toEqual([]);
  });

  it('lays the editor and the settings out right to left in Arabic, dark, with no accessibility violations', async () => {
    const { page } = await portalPage({ lang: 'ar', darkMode: 'true' });
    await page.getByRole('button', { name: `فتح نقطة النهاية ${endpointReceiver.url}/hooks` }).click();
    await page.getByRole('button', { name: 'فتح المحرر' }).click();
    const editor = page.getByRole('textbox', { name: 'شيفرة التحويل (JavaScript)' });
    await expect.poll(() => editor.textContent()).toContain('function handler(webhook)');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    // The syntax colours are the dark theme's tokens, which keep their contrast.
    await expectAccessible(page, 'Arabic dark endpoint page with the editor');
    await page.getByRole('region', { name: 'التحويل' }).screenshot({ path: `${SCREENSHOTS}portal-transformation-ar-dark.png`, animations: 'disabled' });
    await page.getByRole('navigation').getByRole('button', { name: 'الإشعارات' }).click();
    await page.getByRole('heading', { name: 'إشعارات الإخفاق', level: 1 }).waitFor();
    await expectAccessible(page, 'Arabic dark notification settings');
    expect(cspViolations).toEqual([]);
  });
});
