import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConsolePage, launchChromium, openConsoleAs, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's Messages page in Chromium against a running Hookline: search by payload content,
// a message's detail with the headers its attempt was really sent with, and replaying a failed
// message (resend, and bulk replay since a time) once its receiver is fixed.

let h: TestHookline;
let browser: Browser;
let tenant: string;
let auth: { authorization: string };
const tabs: ConsoleTab[] = [];
// expect.poll waits 1 s by default: too short for a page loading on a busy machine.
const POLL = { timeout: 15_000 };
const receivers: Receiver[] = [];

beforeAll(async () => {
  // One retry a second after the first attempt: a failing message fails for good within seconds.
  [h, browser] = await Promise.all([startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '1' }), launchChromium()]);
  const created = await h.createTenant('Acme');
  tenant = created.tenantId;
  auth = { authorization: `Bearer ${created.apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'An invoice was paid' }).expect(201);
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  for (const r of receivers) await r.close().catch(() => {});
  await browser?.close();
  await h?.stop();
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

async function open(role: 'developer' | 'viewer', path: string): Promise<ConsoleTab> {
  const tab = await openConsoleAs(browser, h, tenant, role, { path });
  tabs.push(tab);
  return tab;
}

async function appWithEndpoint(name: string, receiver: Receiver): Promise<{ app: string; endpoint: string; secret: string }> {
  const app = await h.http.post('/api/v1/app').set(auth).send({ name }).expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  const secret = await h.http.get(`/api/v1/app/${app.body.id}/endpoint/${ep.body.id}/secret`).set(auth).expect(200);
  return { app: app.body.id as string, endpoint: ep.body.id as string, secret: secret.body.key as string };
}

async function publish(app: string, payload: Record<string, unknown>): Promise<string> {
  const res = await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'invoice.paid', payload }).expect(202);
  return res.body.id as string;
}

/** Polls the message's deliveries until each is in `status` (the worker delivers in the background). */
async function deliveriesIn(app: string, msg: string, status: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.http.get(`/api/v1/app/${app}/msg/${msg}/endpoint`).set(auth).expect(200);
    const statuses = (res.body.data as { status: number }[]).map((d) => d.status);
    if (statuses.length > 0 && statuses.every((s) => s === status)) return;
    if (Date.now() > deadline) throw new Error(`deliveries of ${msg}: ${JSON.stringify(statuses)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('console messages', () => {
  it('finds a message by payload content, refuses a payload that is not a JSON object, and shows the headers its attempt was sent with', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: 'thanks', headers: { 'x-receiver': 'ok' } }));
    receivers.push(receiver);
    const { app } = await appWithEndpoint('Billing', receiver);
    const payloads = ['in_41', 'in_42', 'in_43'].map((invoiceId, i) => ({ invoiceId, amount: 4100 + i * 100, customer: { id: `cus_${i}` } }));
    const ids: string[] = [];
    for (const p of payloads) ids.push(await publish(app, p));
    await receiver.waitFor(3);
    for (const id of ids) await deliveriesIn(app, id, 0);

    const { page } = await open('developer', '/messages');
    const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(3);
    // Newest first, as the API answers.
    expect(await rows.locator('td:first-child code').allTextContents()).toEqual([...ids].reverse());
    await expect.poll(() => rows.first().locator('td').nth(3).textContent(), POLL).toBe('1 succeeded');
    await checkConsolePage(page, 'messages');

    // Not JSON, then not an object: refused on the field, nothing searched.
    const payloadField = page.getByLabel('Payload contains');
    await payloadField.fill('{"invoiceId": }');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => payloadField.getAttribute('aria-invalid'), POLL).toBe('true');
    expect(await page.locator('.field-error').textContent()).toMatch(/^Not valid JSON/);
    await payloadField.fill('["in_42"]');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.field-error').textContent(), POLL).toMatch(/Enter a JSON object/);
    expect(new URL(page.url()).search).toBe('');

    await payloadField.fill('{"invoiceId": "in_42"}');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('payload'), POLL).toBe('{"invoiceId": "in_42"}');
    await expect.poll(() => rows.locator('td:first-child code').allTextContents(), POLL).toEqual([ids[1]]);
    expect(await payloadField.getAttribute('aria-invalid')).toBeNull();
    const api = await h.http.get('/api/v1/messages').query({ payload_contains: '{"invoiceId":"in_42"}' }).set(auth).expect(200);
    expect(api.body.data.map((m: { id: string }) => m.id)).toEqual([ids[1]]);
    await checkConsolePage(page, 'messages-filtered');

    // Its detail: the payload as published, the delivery, and the attempt's request and response.
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Message' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/messages/${app}/${ids[1]}`);
    expect(JSON.parse((await page.getByLabel('Payload', { exact: true }).textContent()) ?? '')).toEqual(payloads[1]);
    await page.getByRole('table', { name: 'Deliveries' }).getByText('Succeeded').waitFor();
    await checkConsolePage(page, 'message-detail');

    await page.getByRole('button', { name: /^View request and response of attempt/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Attempt' });
    const headersTable = dialog.getByRole('table', { name: 'Request headers' });
    await headersTable.waitFor();
    const shown = Object.fromEntries(
      await headersTable
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? ''])),
    ) as Record<string, string>;
    // What the page shows is what the receiver got.
    const got = receiver.requests.find((r) => r.headers['webhook-id'] === ids[1])!;
    expect(shown['webhook-id']).toBe(ids[1]);
    expect(shown['webhook-timestamp']).toBe(got.headers['webhook-timestamp']);
    expect(shown['webhook-signature']).toBe(got.headers['webhook-signature']);
    expect(shown['content-type']).toBe('application/json');
    const responseHeaders = await dialog.getByRole('table', { name: 'Response headers' }).textContent();
    expect(responseHeaders).toContain('x-receiver');
    expect(await dialog.getByText('HTTP 200', { exact: true }).count()).toBe(1);
    expect(await dialog.getByLabel('Response body').textContent()).toBe('thanks');
    await checkConsolePage(page, 'message-attempt');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A viewer sees the same message without any control that changes it.
    const viewer = await open('viewer', `/messages/${app}/${ids[1]}`);
    await viewer.page.getByRole('table', { name: 'Deliveries' }).getByText('Succeeded').waitFor();
    expect(await viewer.page.getByRole('button', { name: /Resend|Replay/ }).count()).toBe(0);
    expect(await viewer.page.getByRole('heading', { name: 'Replay failed messages' }).count()).toBe(0);
  });

  it('replays a failed message after its receiver is fixed: resend to the endpoint, and bulk replay since a time with its progress', async () => {
    let fixed = false;
    let secret = '';
    const verified: string[] = [];
    const receiver = await startReceiver((req) => {
      if (!fixed) return { status: 500, body: 'down' };
      // Only a correctly signed request is taken.
      try {
        const payload = new Webhook(secret).verify(req.body, req.headers as Record<string, string>) as { invoiceId: string };
        verified.push(payload.invoiceId);
        return { status: 204 };
      } catch {
        return { status: 401, body: 'bad signature' };
      }
    });
    receivers.push(receiver);
    const made = await appWithEndpoint('Shipping', receiver);
    secret = made.secret;
    const first = await publish(made.app, { invoiceId: 'in_500' });
    const second = await publish(made.app, { invoiceId: 'in_501' });
    await deliveriesIn(made.app, first, 2);
    await deliveriesIn(made.app, second, 2);

    const { page } = await open('developer', `/messages/${made.app}/${first}`);
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await deliveries.getByText('Failed').waitFor();
    const attempts = page.getByRole('table', { name: 'Attempts' }).locator('tbody tr');
    await expect.poll(() => attempts.count(), POLL).toBe(2);
    expect(await attempts.first().textContent()).toContain('HTTP 500');
    await checkConsolePage(page, 'message-failed');

    fixed = true;
    const before = receiver.requests.length;
    await page.getByRole('button', { name: `Resend to ${receiver.url}/hook` }).click();
    await receiver.waitFor(before + 1);
    expect(receiver.requests[before]!.headers['webhook-id']).toBe(first);
    expect(verified).toEqual(['in_500']);
    await page.getByRole('status').filter({ hasText: 'Resent to' }).waitFor();
    await deliveries.getByText('Succeeded').waitFor({ timeout: 15_000 });
    await expect.poll(() => attempts.count(), POLL).toBe(3);
    expect(await attempts.first().textContent()).toContain('HTTP 204');
    await deliveriesIn(made.app, first, 0, 1000);

    // The other failed message, by a bulk replay of the endpoint's failed messages since before it was published.
    await page.goto(`${h.url}/console/messages/${made.app}/${second}`);
    await deliveries.getByText('Failed').waitFor();
    await page.getByRole('button', { name: 'Replay failed messages' }).click();
    await page.getByRole('status').filter({ hasText: 'Replay started for 1 endpoint' }).waitFor();
    await receiver.waitFor(before + 2);
    await deliveries.getByText('Succeeded').waitFor({ timeout: 15_000 });
    await deliveriesIn(made.app, second, 0, 1000);
    // The message already resent was not failed any more, so it was not sent again.
    expect(verified).toEqual(['in_500', 'in_501']);
    // The task's progress, read from the background-task route until it finished.
    const progress = page.getByRole('list', { name: 'Replay progress' });
    await progress.getByText(`${receiver.url}/hook: finished, 1 message sent`).waitFor({ timeout: 15_000 });
    const taskId = await progress.locator('li').first().getAttribute('data-task');
    expect(taskId).toMatch(/^qtask_/);
    expect((await h.http.get(`/api/v1/background-task/${taskId}`).set(auth).expect(200)).body).toMatchObject({
      task: 'endpoint.bulk-replay',
      status: 'finished',
      data: { messagesSent: 1 },
    });
    await checkConsolePage(page, 'message-replayed');

    // Replaying all messages, whatever their outcome, sends both again.
    await page.getByLabel('Messages', { exact: true }).selectOption('all');
    await page.getByLabel('Endpoints', { exact: true }).selectOption({ label: `${receiver.url}/hook` });
    await page.getByRole('button', { name: 'Replay all messages' }).click();
    await progress.getByText(`${receiver.url}/hook: finished, 2 messages sent`).waitFor({ timeout: 15_000 });
    await receiver.waitFor(before + 4);
    expect(verified.slice(2).sort()).toEqual(['in_500', 'in_501']);
  });
});
