import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@hookline/test-support/axe';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The portal in another language, in a real headless Chromium (Debian's) against a running
// Hookline: German chosen by `?lang=`, French by the browser's language, Arabic laid out right
// to left. Screenshots of the German and the Arabic portal go to docs/screenshots/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let h: TestHookline;
let browser: Browser;
let receiver: Receiver;
let auth: { authorization: string };
let endpointUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [h, browser, receiver] = await Promise.all([
    startTestHookline(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
    startReceiver(() => ({ status: 200, body: 'thanks' })),
  ]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'An invoice was paid' }).expect(201);
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme Inc', uid: 'acme' }).expect(201);
  endpointUrl = `${receiver.url}/hooks`;
  // A rate with a thousands separator: 12,500 in English, 12.500 in German.
  await h.http.post('/api/v1/app/acme/endpoint').set(auth).send({ url: endpointUrl, description: 'Billing', throttleRate: 12500 }).expect(201);
  await h.http
    .post('/api/v1/app/acme/msg')
    .set(auth)
    .send({ eventType: 'invoice.paid', payload: { invoiceId: 'in_7' } })
    .expect(202);
  // Delivered before any page opens, so every page shows one successful attempt.
  for (let waited = 0; receiver.requests.length === 0; waited += 100) {
    if (waited > 20_000) throw new Error('the message was not delivered');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await receiver?.close();
  await h?.stop();
});

/** A fresh portal link for acme, with `?lang=` when given (before the #token fragment). */
async function portalUrl(lang?: string, darkMode?: boolean): Promise<string> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200);
  const url = new URL(res.body.url as string);
  if (lang) url.searchParams.set('lang', lang);
  if (darkMode) url.searchParams.set('darkMode', 'true');
  return url.toString();
}

/** A page in a browser whose language is `locale` (what navigator.languages says). */
async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function box(page: Page, locator: ReturnType<Page['locator']>) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element not laid out');
  const width = page.viewportSize()?.width ?? 0;
  return { left: b.x, right: width - (b.x + b.width) };
}

describe('portal languages in Chromium', () => {
  it('speaks German with lang=de: German headings, German numbers and dates, no accessibility violations', async () => {
    const page = await newPage('en-US');
    await page.goto(await portalUrl('de'));
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, document.title])).toEqual(['de', 'ltr', 'Webhooks · Hookline-Portal']);
    await page.getByText('Die URLs, die Ihre Webhooks empfangen.').waitFor();
    await page.getByRole('button', { name: 'Endpoint hinzufügen' }).waitFor();
    // The success rate of the delivered message: a German percentage.
    await page.getByText('100 %').waitFor();

    await page.getByRole('button', { name: `Endpoint ${endpointUrl} öffnen` }).click();
    await page.getByRole('heading', { name: endpointUrl, level: 1 }).waitFor();
    await page.getByText('12.500 Nachrichten/s').waitFor();
    await page.getByRole('heading', { name: 'Signing Secret', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Zustellversuche der letzten 7 Tage', level: 2 }).waitFor();
    await page.getByRole('row').filter({ hasText: 'invoice.paid' }).filter({ hasText: 'HTTP 200' }).waitFor();
    await expectAccessible(page, 'German endpoint page');
    await page.screenshot({ path: `${SCREENSHOTS}portal-de.png`, fullPage: true, animations: 'disabled' });
    // The attempt's time, and how long ago it was, in German.
    await page.getByRole('button', { name: /^Versuch .* ansehen$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Details des Versuchs' });
    await dialog.getByText(/^vor \d+ (Sekunden|Minuten)$|^jetzt$/).waitFor();
    await dialog.getByRole('button', { name: 'Schließen' }).click();

    await page.getByRole('button', { name: 'Protokolle' }).click();
    await page.getByRole('heading', { name: 'Protokolle', level: 1 }).waitFor();
    // Intl's German medium date: "07.12.2026, 14:05:09".
    const time = await page.getByRole('row').filter({ hasText: 'invoice.paid' }).locator('td.nowrap').first().textContent();
    expect(time).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$/);
    await expectAccessible(page, 'German logs');
  });

  it('follows the browser language without lang, and English for a language it does not speak', async () => {
    const fr = await newPage('fr-FR');
    await fr.goto(await portalUrl());
    await fr.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    await fr.getByRole('button', { name: 'Ajouter un endpoint' }).waitFor();
    expect(await fr.evaluate(() => document.documentElement.lang)).toBe('fr');

    const ko = await newPage('ko-KR');
    await ko.goto(await portalUrl());
    await ko.getByRole('button', { name: 'Add endpoint' }).waitFor();
    expect(await ko.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('lays Arabic out right to left with lang=ar, with no accessibility violations', async () => {
    const en = await newPage();
    await en.goto(await portalUrl('en'));
    const enHeading = await box(en, en.getByRole('heading', { name: 'Endpoints', level: 1 }));
    const enButton = await box(en, en.getByRole('button', { name: 'Add endpoint' }));

    const page = await newPage('en-US');
    await page.goto(await portalUrl('ar', true));
    const heading = page.getByRole('heading', { name: 'نقاط النهاية', level: 1 });
    await heading.waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    const arHeading = await box(page, heading);
    const arButton = await box(page, page.getByRole('button', { name: 'إضافة نقطة نهاية' }));
    // Mirrored: in English the heading starts at the left and the button sits at the right; in Arabic the other way round.
    expect(enHeading.left).toBeLessThan(enHeading.right);
    expect(enButton.right).toBeLessThan(enButton.left);
    expect(arHeading.right).toBeLessThan(arHeading.left);
    expect(arButton.left).toBeLessThan(arButton.right);
    expect(Math.abs(arHeading.right - enHeading.left)).toBeLessThan(2);
    // The first tab is the rightmost one.
    const tabs = page.getByRole('navigation').getByRole('button');
    const first = await box(page, tabs.first());
    const last = await box(page, tabs.last());
    expect(first.right).toBeLessThan(last.right);
    await page.getByText('من 1').waitFor();
    await expectAccessible(page, 'Arabic endpoints');
    await page.screenshot({ path: `${SCREENSHOTS}portal-ar-dark.png`, fullPage: true, animations: 'disabled' });

    await page.getByRole('button', { name: `فتح نقطة النهاية ${endpointUrl}` }).click();
    await page.getByRole('heading', { name: 'سرّ التوقيع', level: 2 }).waitFor();
    await page.getByRole('row').filter({ hasText: 'invoice.paid' }).waitFor();
    await expectAccessible(page, 'Arabic endpoint page');
  });
});
