import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConsolePage, launchChromium, openConsoleAs, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's Endpoints and Audit log pages in a real Chromium against a running Hookline with
// real loopback receivers (one answering 500): the tenant-wide list filtered by state and host,
// an endpoint's detail (statistics, filters and throttle, enable/disable, secret rotation), the
// rotation's audit record, and a delivery after the rotation verified with the new secret only.

let h: TestHookline;
let browser: Browser;
let ok: Receiver;
let failing: Receiver;
let tenantId: string;
let key: { authorization: string };
let app: string;
let other: string;
const ep = { ok: '', failing: '', remote: '' };
const tabs: ConsoleTab[] = [];

const api = (path: string) => `/api/v1${path}`;
const publish = (appId: string, payload: object) =>
  h.http
    .post(api(`/app/${appId}/msg`))
    .set(key)
    .send({ eventType: 'invoice.paid', payload })
    .expect(202);
const secretOf = async (endpoint: string) =>
  (
    await h.http
      .get(api(`/app/${app}/endpoint/${endpoint}/secret`))
      .set(key)
      .expect(200)
  ).body.key as string;
const endpointOf = async (endpoint: string) =>
  (
    await h.http
      .get(api(`/app/${app}/endpoint/${endpoint}`))
      .set(key)
      .expect(200)
  ).body;
const searchIds = async (query: Record<string, string>) =>
  ((await h.http.get(api('/endpoints')).query(query).set(key).expect(200)).body.data as Array<{ id: string }>).map((e) => e.id).sort();

/** The URLs of the endpoint table's rows, as the page shows them. */
const shownUrls = async (page: Page) => (await page.locator('tbody tr td:first-child a').allTextContents()).sort();

beforeAll(async () => {
  [h, browser, ok, failing] = await Promise.all([startTestHookline(), launchChromium(), startReceiver(), startReceiver(() => ({ status: 500, body: 'receiver down' }))]);
  const tenant = await h.createTenant('Acme');
  tenantId = tenant.tenantId;
  key = { authorization: `Bearer ${tenant.apiKey}` };
  // Failed attempts wait an hour for their retry: the failing endpoint stays failing, not disabled.
  await h.http
    .patch(`/admin/v1/tenants/${tenantId}`)
    .set({ authorization: `Bearer ${ADMIN_TOKEN}` })
    .send({ retrySchedule: [3600] })
    .expect(200);
  for (const name of ['invoice.paid', 'invoice.voided']) await h.http.post(api('/event-type')).set(key).send({ name, description: name }).expect(201);
  app = (await h.http.post(api('/app')).set(key).send({ name: 'Billing' }).expect(201)).body.id;
  other = (await h.http.post(api('/app')).set(key).send({ name: 'Shipping' }).expect(201)).body.id;
  const create = async (appId: string, body: object) =>
    (
      await h.http
        .post(api(`/app/${appId}/endpoint`))
        .set(key)
        .send(body)
        .expect(201)
    ).body.id as string;
  ep.ok = await create(app, { url: `${ok.url}/hooks`, description: 'Books the invoices' });
  ep.failing = await create(app, { url: `${failing.url}/hooks` });
  // Another host, disabled: never attempted.
  ep.remote = await create(other, { url: 'https://hooks.example.com/in', disabled: true });
  await publish(app, { invoice: 1 });
  await ok.waitFor(1);
  await failing.waitFor(1);
  await waitUntil(async () => (await searchIds({ state: 'failing' })).length === 1, 10_000, 'the failing endpoint listed as failing');
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await h?.stop();
  await Promise.all([ok?.close(), failing?.close()]);
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

async function open(role: 'admin' | 'viewer', path: string) {
  const tab = await openConsoleAs(browser, h, tenantId, role, { path });
  tabs.push(tab);
  return tab;
}

describe('the Endpoints page', () => {
  it("lists every application's endpoints and filters them by failing state and by URL host, as the API does", async () => {
    const { page } = await open('admin', '/endpoints');
    await page.getByRole('heading', { level: 1, name: 'Endpoints' }).waitFor();
    await page.getByRole('link', { name: `${failing.url}/hooks` }).waitFor();
    expect(await shownUrls(page)).toEqual([`${failing.url}/hooks`, `${ok.url}/hooks`, 'https://hooks.example.com/in'].sort());
    const failingRow = page.getByRole('row').filter({ hasText: `${failing.url}/hooks` });
    await expect(failingRow.getByText('Failing', { exact: true }).textContent()).resolves.toBe('Failing');
    expect(await failingRow.textContent()).toContain('500');
    expect(await page.getByRole('row').filter({ hasText: 'hooks.example.com' }).textContent()).toContain('Shipping');
    await checkConsolePage(page, 'endpoints');

    await page.getByLabel('State').selectOption('failing');
    await page.waitForURL(/state=failing/);
    await page.getByRole('link', { name: `${ok.url}/hooks` }).waitFor({ state: 'detached' });
    expect(await shownUrls(page)).toEqual([`${failing.url}/hooks`]);
    expect(await searchIds({ state: 'failing' })).toEqual([ep.failing]);

    await page.getByLabel('State').selectOption('');
    await page.getByLabel('URL host').fill('hooks.example.com');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(/host=hooks.example.com/);
    await page.getByRole('link', { name: `${ok.url}/hooks` }).waitFor({ state: 'detached' });
    expect(await shownUrls(page)).toEqual(['https://hooks.example.com/in']);

    await page.getByLabel('URL host').fill('127.0.0.1');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('link', { name: 'https://hooks.example.com/in' }).waitFor({ state: 'detached' });
    expect(await shownUrls(page)).toEqual([`${failing.url}/hooks`, `${ok.url}/hooks`].sort());
    expect(await searchIds({ host: '127.0.0.1' })).toEqual([ep.ok, ep.failing].sort());

    // A host with a scheme is refused by the API: the message shows on the field.
    await page.getByLabel('URL host').fill('https://x.example');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('must be a host name or address').waitFor();
    expect(await page.getByLabel('URL host').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows an endpoint, saves its filters and throttle, disables it, rotates its secret; the rotation is in the audit log and the next delivery verifies with the new secret only', async () => {
    const { page, person } = await open('admin', '/endpoints');
    await page.getByRole('link', { name: `${ok.url}/hooks` }).click();
    await page.waitForURL(`**/console/endpoints/${app}/${ep.ok}`);
    await page.getByRole('heading', { level: 1, name: `${ok.url}/hooks` }).waitFor();
    // The statistics are the API's: one delivery, succeeded.
    const stats = (
      await h.http
        .get(api(`/app/${app}/endpoint/${ep.ok}/stats`))
        .set(key)
        .expect(200)
    ).body;
    expect(stats).toMatchObject({ success: 1, fail: 0 });
    await expect(page.getByTestId('stat-success').textContent()).resolves.toBe(String(stats.success));
    await expect(page.getByTestId('stat-fail').textContent()).resolves.toBe('0');
    await page.getByRole('img', { name: /Successful and failed attempts per day.*1 succeeded/ }).waitFor();
    await page.getByRole('row').filter({ hasText: 'No custom headers' }).or(page.getByText('No custom headers')).waitFor();
    await checkConsolePage(page, 'endpoint');

    // Filters and throttle: an unknown event type is refused, on its field.
    await page.getByLabel('Event types').fill('invoice.paid, no.such.type');
    await page.getByRole('button', { name: 'Save filters and throttle' }).click();
    await page.getByText('Unknown event type(s): no.such.type').waitFor();
    expect(await page.getByLabel('Event types').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Event types').fill('invoice.paid, invoice.voided');
    await page.getByLabel('Throttle (messages per second)').fill('5');
    await page.getByRole('button', { name: 'Save filters and throttle' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await endpointOf(ep.ok)).toMatchObject({ eventTypes: ['invoice.paid', 'invoice.voided'], throttleRate: 5, channels: null });

    // A header.
    await page.getByLabel('Header name').fill('X-Tenant');
    await page.getByLabel('Value').fill('acme');
    await page.getByRole('button', { name: 'Set header' }).click();
    await page.getByRole('row').filter({ hasText: 'X-Tenant' }).filter({ hasText: 'acme' }).waitFor();
    expect(
      (
        await h.http
          .get(api(`/app/${app}/endpoint/${ep.ok}/headers`))
          .set(key)
          .expect(200)
      ).body.headers,
    ).toEqual({ 'X-Tenant': 'acme' });

    // Disable, then enable again.
    await page.getByRole('button', { name: 'Disable endpoint' }).click();
    await page.getByRole('button', { name: 'Enable endpoint' }).waitFor();
    expect((await endpointOf(ep.ok)).disabled).toBe(true);
    await page.getByRole('button', { name: 'Enable endpoint' }).click();
    await page.getByRole('button', { name: 'Disable endpoint' }).waitFor();
    expect((await endpointOf(ep.ok)).disabled).toBe(false);

    // Rotate with no grace period: from now on only the new secret signs.
    const before = await secretOf(ep.ok);
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    await expect(page.getByTestId('signing-secret').textContent()).resolves.toBe(before);
    await page.getByLabel('Grace period (hours)').fill('0');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Secret rotated' }).waitFor();
    const after = await secretOf(ep.ok);
    expect(after).not.toBe(before);
    // The revealed secret is refreshed to the new one.
    await page.getByTestId('signing-secret').filter({ hasText: after }).waitFor();

    const payload = { invoice: 2, note: 'after rotation' };
    await publish(app, payload);
    const [, delivered] = await ok.waitFor(2);
    const headers = delivered!.headers as Record<string, string>;
    expect(new Webhook(after).verify(delivered!.body, headers)).toEqual(payload);
    expect(() => new Webhook(before).verify(delivered!.body, headers)).toThrow();
    expect(headers['x-tenant']).toBe('acme');
    await page.getByRole('button', { name: 'Remove X-Tenant' }).click();
    await page.getByText('No custom headers').waitFor();
    expect(
      (
        await h.http
          .get(api(`/app/${app}/endpoint/${ep.ok}/headers`))
          .set(key)
          .expect(200)
      ).body.headers,
    ).toEqual({});

    // The rotation's record, found through the Audit log page's filters.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'endpoint.secret.rotated' }).waitFor();
    await checkConsolePage(page, 'audit-log');
    await page.getByLabel('Action').selectOption('endpoint.secret.rotated');
    await page.getByLabel('Target id').fill(ep.ok);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'endpoint.updated' }).first().waitFor({ state: 'detached' });
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('admin person');

    const exportHref = await page.getByRole('link', { name: /Export filtered records/ }).getAttribute('href');
    expect(exportHref).toBe(`/api/v1/audit-log/export?action=endpoint.secret.rotated&target=${ep.ok}`);
    const exported = await page.evaluate(async (href) => (await fetch(href)).text(), exportHref!);
    const lines = exported
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: 'endpoint.secret.rotated', actor: { kind: 'person', id: person.personId }, target: { id: ep.ok, appId: app } });

    await rows
      .first()
      .getByRole('button', { name: /^Details/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Audit record' });
    await dialog.waitFor();
    await expect(dialog.getByTestId('record-action').textContent()).resolves.toBe('endpoint.secret.rotated');
    const actor = await dialog.getByTestId('record-actor').textContent();
    expect(actor).toContain('admin person');
    expect(actor).toContain('person');
    expect(actor).toContain(person.personId);
    expect(await dialog.textContent()).toContain(ep.ok);
    await checkConsolePage(page, 'audit-record');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows a viewer the endpoint with no control that changes it, and no secret', async () => {
    const { page } = await open('viewer', `/endpoints/${app}/${ep.failing}`);
    await page.getByRole('heading', { level: 1, name: `${failing.url}/hooks` }).waitFor();
    // Its deliveries wait for their retry (an hour away): sending, as the API (and Svix) counts them.
    const stats = (
      await h.http
        .get(api(`/app/${app}/endpoint/${ep.failing}/stats`))
        .set(key)
        .expect(200)
    ).body;
    expect(stats.success).toBe(0);
    expect(stats.sending).toBeGreaterThan(0);
    for (const k of ['success', 'fail', 'pending', 'sending', 'canceled']) await expect(page.getByTestId(`stat-${k}`).textContent()).resolves.toBe(String(stats[k]));
    await page.getByText('Your role does not include reading signing secrets.').waitFor();
    for (const name of ['Disable endpoint', 'Rotate secret', 'Reveal secret', 'Save filters and throttle', 'Set header']) {
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    }
    expect(await page.locator('main input, main select, main textarea').count()).toBe(0);
    await checkConsolePage(page, 'endpoint-viewer', { screenshot: false });
  });
});
