import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConsolePage, launchChromium, openConsoleAs, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's Overview and Applications pages in a real Chromium, over real deliveries to real
// loopback receivers: one answers 200, one 500 (failing now), one 410 (the worker disables it).
// A tenant retry schedule of an hour keeps the failed deliveries waiting, so the figures hold still.
// Every figure asserted is read from the API the page reads.

type Auth = Record<string, string>;
type Overview = {
  totals: { success: number; fail: number; successRate: number | null; latencyMs: { p50: number; p99: number } | null };
  backlog: { pending: number; retrying: number };
  failingEndpoints: { total: number; data: Array<{ id: string; url: string; appName: string }> };
  autoDisabledEndpoints: { total: number; data: Array<{ id: string; url: string; appName: string; reason: string }> };
};

let h: TestHookline;
let browser: Browser;
let ok: Receiver;
let failing: Receiver;
let gone: Receiver;
let tenantId: string;
let key: Auth;
const app = { billing: '', shipping: '' };
const ep = { ok: '', failing: '', gone: '' };
const tabs: ConsoleTab[] = [];

const overview = async (window: 'hour' | 'day' | 'week'): Promise<Overview> => (await h.http.get('/api/v1/stats/overview').query({ window }).set(key).expect(200)).body;
const publish = (appId: string, payload: object) => h.http.post(`/api/v1/app/${appId}/msg`).set(key).send({ eventType: 'order.updated', payload }).expect(202);

async function open(role: 'owner' | 'developer' | 'viewer', path: string, width?: number): ReturnType<typeof openConsoleAs> {
  const tab = await openConsoleAs(browser, h, tenantId, role, { path, ...(width ? { width, height: 740 } : {}) });
  tabs.push(tab);
  return tab;
}

/** The text of one figure of the overview (`data-figure`), as shown. */
const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).innerText();
/** expect.poll with room for a loaded machine (its default is 1 s). */
const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout });
/** A latency as the page shows it (the API's estimate is the upper edge of a histogram bucket). */
const latency = (ms: number) => (ms >= 1000 ? `≤ ${ms / 1000} s` : `≤ ${ms} ms`);
const percent = (rate: number) => `${Math.floor(rate * 1000 + 1e-6) / 10}%`;
/** The first cell of each row of a table named `name`. */
const firstCells = (page: Page, name: string) => page.getByRole('table', { name }).locator('tbody tr td:first-child').allInnerTexts();

beforeAll(async () => {
  [h, browser, ok, failing, gone] = await Promise.all([
    startTestHookline(),
    launchChromium(),
    startReceiver(),
    startReceiver(() => ({ status: 500, body: 'boom: upstream down' })),
    startReceiver(() => ({ status: 410 })),
  ]);
  const t = await h.createTenant('Acme');
  tenantId = t.tenantId;
  key = { authorization: `Bearer ${t.apiKey}` };
  await h.http
    .patch(`/admin/v1/tenants/${tenantId}`)
    .set({ authorization: `Bearer ${ADMIN_TOKEN}` })
    .send({ retrySchedule: [3600] })
    .expect(200);
  const createApp = async (name: string, uid: string) => (await h.http.post('/api/v1/app').set(key).send({ name, uid }).expect(201)).body.id as string;
  const createEndpoint = async (appId: string, url: string) => (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(key).send({ url }).expect(201)).body.id as string;
  app.billing = await createApp('Billing', 'billing');
  app.shipping = await createApp('Shipping', 'shipping');
  // Enough customers for a second page of the list (20 a page).
  for (let i = 1; i <= 20; i++) await createApp(`Customer ${String(i).padStart(2, '0')}`, `customer-${i}`);
  ep.ok = await createEndpoint(app.billing, ok.url);
  ep.failing = await createEndpoint(app.billing, failing.url);
  ep.gone = await createEndpoint(app.shipping, gone.url);

  for (let i = 0; i < 2; i++) await publish(app.billing, { order: i });
  await publish(app.shipping, { parcel: 1 });
  await waitUntil(
    async () => {
      const o = await overview('day');
      return o.totals.success === 2 && o.totals.fail === 3 && o.autoDisabledEndpoints.total === 1;
    },
    20_000,
    'two successes, three failures and the 410 endpoint disabled',
  );
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await h?.stop();
  await Promise.all([ok?.close(), failing?.close(), gone?.close()]);
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

describe('the receivers', () => {
  it('got signed deliveries that standardwebhooks verifies', async () => {
    const secret = (await h.http.get(`/api/v1/app/${app.billing}/endpoint/${ep.ok}/secret`).set(key).expect(200)).body.key as string;
    const [first] = await ok.waitFor(2);
    expect(new Webhook(secret).verify(first!.body, first!.headers as Record<string, string>)).toEqual({ order: expect.any(Number) });
  });
});

describe('the overview', () => {
  it('shows the figures, the failing and the disabled endpoints the API gives, for each window, and refreshes on its own', async () => {
    const { page } = await open('viewer', '/');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const day = await overview('day');
    expect(day.totals).toMatchObject({ success: 2, fail: 3, successRate: 0.4 });
    await poll(() => figure(page, 'success')).toMatch(/^2 /);
    expect(await figure(page, 'fail')).toMatch(/^3 /);
    expect(await figure(page, 'success-rate')).toBe(percent(day.totals.successRate!));
    expect(await figure(page, 'latency')).toBe(`${latency(day.totals.latencyMs!.p50)} / ${latency(day.totals.latencyMs!.p99)}`);
    expect(await figure(page, 'backlog')).toBe(`${day.backlog.pending} pending, ${day.backlog.retrying} retrying`);
    // The two failed deliveries to the 500 endpoint wait an hour for their retry.
    expect(day.backlog).toEqual({ pending: 0, retrying: 2 });

    // The chart's bars add up to the window's totals.
    const chart = (await page.getByRole('img', { name: /^Attempts per 3 hours/ }).getAttribute('aria-label'))!;
    const sum = (what: string) => [...chart.matchAll(new RegExp(`(\\d+) ${what}`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    expect({ success: sum('succeeded'), fail: sum('failed') }).toEqual({ success: 2, fail: 3 });

    expect(day.failingEndpoints.data.map((e) => e.id)).toEqual([ep.failing]);
    const failingRow = page.getByRole('table', { name: 'Endpoints failing now' }).locator('tbody tr');
    await poll(() => failingRow.allInnerTexts()).toHaveLength(1);
    const failingText = await failingRow.innerText();
    expect(failingText).toContain(failing.url);
    expect(failingText).toContain('Billing');
    expect(failingText).toContain('HTTP 500: boom: upstream down');
    // Its link is the Endpoints page's detail of that endpoint.
    expect(await failingRow.getByRole('link', { name: failing.url }).getAttribute('href')).toBe(`/console/endpoints/${app.billing}/${ep.failing}`);
    expect(day.autoDisabledEndpoints.data).toMatchObject([{ id: ep.gone, appName: 'Shipping', reason: 'gone' }]);
    const disabledText = await page.getByRole('table', { name: 'Endpoints disabled by Hookline' }).locator('tbody tr').innerText();
    expect(disabledText).toContain(gone.url);
    expect(disabledText).toContain('Shipping');
    expect(disabledText).toContain('410 Gone');
    // A viewer sees no control that changes anything: the window switch only reads.
    expect(await page.locator('main button').allInnerTexts()).toEqual(['Last hour', 'Last day', 'Last week']);
    await checkConsolePage(page, 'overview-day');

    await page.getByRole('button', { name: 'Last hour' }).click();
    await page.waitForURL(/\/console\/\?window=hour$/);
    await page.getByRole('img', { name: /^Attempts per 10 minutes/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Last hour' }).getAttribute('aria-pressed')).toBe('true');
    const hour = await overview('hour');
    expect(await figure(page, 'success-rate')).toBe(percent(hour.totals.successRate!));
    expect(await figure(page, 'success')).toBe(`${hour.totals.success} (${Number((hour.totals.success / 60).toPrecision(2))} per minute)`);
    await checkConsolePage(page, 'overview-hour');

    // A new success reaches the page without a reload (it refreshes every 15 s).
    await publish(app.billing, { order: 3 });
    await waitUntil(async () => (await overview('hour')).totals.success === 3, 20_000, 'the third success counted');
    await poll(() => figure(page, 'success'), 20_000).toMatch(/^3 /);
  });
});

describe('the applications', () => {
  it('lists every application with its endpoints and health, a page at a time, and searches them', async () => {
    const { page } = await open('owner', '/applications');
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    const first = (await h.http.get('/api/v1/app').query({ include: 'stats', limit: 20 }).set(key).expect(200)).body;
    const second = (await h.http.get('/api/v1/app').query({ include: 'stats', limit: 20, iterator: first.iterator }).set(key).expect(200)).body;
    const names = (page: { data: Array<{ name: string }> }) => page.data.map((a) => a.name);
    expect(names(first).length + names(second).length).toBe(22);
    await poll(() => firstCells(page, 'Applications')).toEqual(names(first));
    const billing = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Billing', exact: true }) });
    const stats = (first.data as Array<{ id: string; stats: { health: string } }>).find((a) => a.id === app.billing)!.stats;
    // One endpoint works, one fails now: some failing.
    expect(stats).toMatchObject({ endpoints: 2, failingEndpoints: 1, health: 'degraded' });
    expect(await billing.innerText()).toMatch(/billing\s+2 endpoints[\s\S]*Degraded/);
    await checkConsolePage(page, 'applications');

    await page.getByRole('button', { name: 'Next' }).click();
    await poll(() => firstCells(page, 'Applications')).toEqual(names(second));
    await page.getByText('Page 2').waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await poll(() => firstCells(page, 'Applications')).toEqual(names(first));

    await page.getByLabel('Search by name or UID').fill('SHIP');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/console\/applications\?search=SHIP$/);
    await poll(() => firstCells(page, 'Applications')).toEqual(['Shipping']);
    expect(await page.getByRole('row').filter({ hasText: 'Shipping' }).innerText()).toContain('Disabled');
    await page.getByLabel('Search by name or UID').fill('no such customer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: 'No application matches' }).waitFor();
  });

  it('creates an application, showing a refused uid on its field', async () => {
    const { page } = await open('developer', '/applications');
    await page.getByRole('button', { name: 'Create application' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create application' });
    await dialog.getByLabel('Name').fill('Initech');
    await dialog.getByLabel('UID (optional)').fill('not a uid!');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const uid = dialog.getByLabel('UID (optional)');
    await poll(() => uid.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.locator('.field-error').innerText()).toContain('may contain only letters, digits');
    await checkConsolePage(page, 'applications-create', { screenshot: false });
    await uid.fill('initech');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Initech', level: 1 }).waitFor();
    const created = (await h.http.get('/api/v1/app/initech').set(key).expect(200)).body;
    expect(created.name).toBe('Initech');
    expect(page.url()).toBe(`${h.url}/console/applications/${created.id}`);
    await page.getByRole('heading', { name: 'No endpoints yet' }).waitFor();
  });

  it('shows a viewer no control to create an application or open a portal, on a 375 px screen', async () => {
    const { page } = await open('viewer', `/applications/${app.billing}`, 375);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Its recent messages' }).waitFor();
    expect(await page.getByRole('button', { name: 'Open portal as this customer' }).count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: '← All applications' }).click();
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Applications' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create application' }).count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await checkConsolePage(page, 'applications-narrow');
  });

  it("shows an application's endpoints and recent messages, and opens its customer's portal in a new tab (audited)", async () => {
    const { page, context, person } = await open('developer', `/applications/${app.billing}`);
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    const endpoints = (await h.http.get(`/api/v1/app/${app.billing}/endpoint`).set(key).expect(200)).body.data as Array<{ url: string }>;
    expect(endpoints.map((e) => e.url).sort()).toEqual([ok.url, failing.url].sort());
    await poll(() => firstCells(page, 'Its endpoints')).toEqual(endpoints.map((e) => e.url));
    const messages = (await h.http.get('/api/v1/messages').query({ app: app.billing, limit: 10 }).set(key).expect(200)).body.data as Array<{ id: string }>;
    expect(messages.length).toBeGreaterThanOrEqual(2);
    const rows = page.getByRole('table', { name: 'Its recent messages' }).locator('tbody tr');
    await poll(() => rows.locator('td:nth-child(2)').allInnerTexts()).toEqual(messages.map((m) => m.id));
    // The oldest two went to both endpoints: one succeeded, one failed (waiting for its retry).
    expect(await rows.last().innerText()).toContain('1 succeeded, 1 pending');
    await checkConsolePage(page, 'application-detail');

    const [portal] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open portal as this customer' }).click()]);
    await portal.waitForURL((url) => url.pathname.startsWith('/portal'));
    expect(new URL(portal.url()).origin).toBe(h.url);
    await portal.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    // The portal is Billing's: it lists Billing's endpoints and no other application's.
    await portal.getByText(ok.url).first().waitFor();
    await portal.getByText(failing.url).first().waitFor();
    expect(await portal.getByText(gone.url).count()).toBe(0);

    const audit = (await h.http.get('/api/v1/audit-log').query({ action: 'portalAccess.created' }).set(key).expect(200)).body.data;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { kind: 'person', id: person.personId }, target: { kind: 'application', id: app.billing } });
  });
});
