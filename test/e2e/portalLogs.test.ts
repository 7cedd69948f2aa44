import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@hookline/test-support/axe';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Issue 25, items 4 and 5, in a real headless Chromium against a running Hookline: the logs of the
// whole application (each message's state per endpoint, filters, search by eventId, the headers an
// attempt was sent with) and replay-missing from the endpoint page, followed to completion.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let h: TestHookline;
let browser: Browser;
let receiver: Receiver;
let auth: { authorization: string };
let paidId: string;
const contexts: BrowserContext[] = [];

const url = (path: string) => `${receiver.url}${path}`;

beforeAll(async () => {
  [h, browser, receiver] = await Promise.all([
    startTestHookline(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
    startReceiver(() => ({ status: 200, body: 'ok' })),
  ]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  for (const name of ['invoice.paid', 'invoice.created']) await h.http.post('/api/v1/event-type').set(auth).send({ name, description: name }).expect(201);
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme Inc', uid: 'acme' }).expect(201);
  for (const path of ['/a', '/b'])
    await h.http
      .post('/api/v1/app/acme/endpoint')
      .set(auth)
      .send({ url: url(path), description: `Receiver ${path}` })
      .expect(201);
  paidId = (
    await h.http
      .post('/api/v1/app/acme/msg')
      .set(auth)
      .send({ eventType: 'invoice.paid', eventId: 'order-1001', payload: { invoiceId: 'in_1' } })
      .expect(202)
  ).body.id;
  await h.http
    .post('/api/v1/app/acme/msg')
    .set(auth)
    .send({ eventType: 'invoice.created', eventId: 'order-1002', payload: { invoiceId: 'in_2' } })
    .expect(202);
  // Both messages to both endpoints, before any page opens.
  await receiver.waitFor(4, 20_000);
  // An endpoint added afterwards: it never had either message, which replay-missing sends it.
  await h.http
    .post('/api/v1/app/acme/endpoint')
    .set(auth)
    .send({ url: url('/late'), description: 'Late receiver' })
    .expect(201);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await receiver?.close();
  await h?.stop();
});

async function openPortal(): Promise<Page> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(res.body.url as string);
  await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
  return page;
}

async function openLogs(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Logs' }).click();
  await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
}

const messageRows = (page: Page) => page.getByRole('row').filter({ has: page.getByRole('button', { name: /^View message msg_/ }) });

describe('portal logs and replays in Chromium', () => {
  it("lists every message with its delivery state per endpoint, filtered by event type and by endpoint's state", async () => {
    const page = await openPortal();
    await openLogs(page);
    await expect.poll(() => messageRows(page).count()).toBe(2);
    const paid = messageRows(page).filter({ hasText: 'order-1001' });
    const deliveries = paid.getByRole('list', { name: `Deliveries of ${paidId}` }).getByRole('listitem');
    await expect.poll(() => deliveries.count()).toBe(2);
    for (const path of ['/a', '/b'])
      await deliveries
        .filter({ hasText: url(path) })
        .filter({ hasText: 'Succeeded' })
        .waitFor();
    await expectAccessible(page, 'app-wide logs');
    await page.screenshot({ path: `${SCREENSHOTS}portal-app-logs.png`, fullPage: true, animations: 'disabled' });

    await page.getByLabel('Event type', { exact: true }).selectOption('invoice.created');
    await expect.poll(() => messageRows(page).count()).toBe(1);
    await messageRows(page).filter({ hasText: 'order-1002' }).waitFor();
    await page.getByLabel('Event type', { exact: true }).selectOption('');

    // An endpoint: its deliveries, where a state filters (none of them failed).
    expect(await page.getByLabel('Status', { exact: true }).count()).toBe(0);
    await page.getByLabel('Endpoint', { exact: true }).selectOption({ label: url('/b') });
    await expect.poll(() => messageRows(page).count()).toBe(2);
    await page.getByLabel('Status', { exact: true }).selectOption('fail');
    await page.getByRole('heading', { name: 'No messages match' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('success');
    await expect.poll(() => messageRows(page).count()).toBe(2);
    // The endpoint added after the messages had none of them.
    await page.getByLabel('Endpoint', { exact: true }).selectOption({ label: url('/late') });
    await page.getByRole('heading', { name: 'No messages match' }).waitFor();
    await expectAccessible(page, 'logs filtered by endpoint');
  });

  it('finds a message by its eventId, and shows the headers its attempt was sent with', async () => {
    const page = await openPortal();
    await openLogs(page);
    await page.getByLabel('Message id or eventId').fill('order-1001');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => messageRows(page).count()).toBe(1);
    await messageRows(page).filter({ hasText: paidId }).waitFor();
    await expectAccessible(page, 'search result');

    await page.getByLabel('Message id or eventId').fill('order-404');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'No message found' }).waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => messageRows(page).count()).toBe(2);

    await page.getByLabel('Message id or eventId').fill(paidId);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `View message ${paidId}` }).click();
    const message = page.getByRole('dialog', { name: 'Message invoice.paid' });
    await message
      .getByRole('row')
      .filter({ hasText: url('/a') })
      .getByRole('button', { name: /^View attempt / })
      .click();
    const detail = page.getByRole('dialog', { name: 'Attempt details' });
    const headers = detail.getByLabel('Request headers');
    await expect.poll(() => headers.textContent()).toContain(`webhook-id: ${paidId}`);
    const sent = (await headers.textContent()) ?? '';
    expect(sent).toMatch(/webhook-signature: v1,\S+/);
    expect(sent).toContain('content-type: application/json');
    // What the receiver got is what the portal shows.
    const received = receiver.requests.find((r) => r.path === '/a' && r.headers['webhook-id'] === paidId);
    expect(sent).toContain(`webhook-signature: ${String(received?.headers['webhook-signature'])}`);
    expect(sent).not.toMatch(/whsec_/);
    await expectAccessible(page, 'attempt detail');
    await detail.screenshot({ path: `${SCREENSHOTS}portal-attempt-headers.png`, animations: 'disabled' });
  });

  it('replays the missing messages to an endpoint and follows the task to completion', async () => {
    const page = await openPortal();
    await page.getByRole('button', { name: `Open endpoint ${url('/late')}` }).click();
    await page.getByRole('heading', { name: url('/late'), level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Replay messages' }).waitFor();
    await page.getByLabel('What to send').selectOption('missing');
    await expectAccessible(page, 'endpoint page with replay');
    await page.getByRole('button', { name: 'Start replay' }).click();
    await page.getByRole('status').filter({ hasText: 'Finished: 2 messages sent.' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}portal-replay-missing.png`, fullPage: true, animations: 'disabled' });
    await expectAccessible(page, 'replay finished');
    const late = await receiver.waitFor(6, 20_000);
    expect(
      late
        .filter((r) => r.path === '/late')
        .map((r) => JSON.parse(r.body))
        .sort((x, y) => String(x.invoiceId).localeCompare(String(y.invoiceId))),
    ).toEqual([{ invoiceId: 'in_1' }, { invoiceId: 'in_2' }]);
  });
});
