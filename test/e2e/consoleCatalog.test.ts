import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '@hookline/test-support/console';
import { checkConsolePage, launchChromium, openConsole, openConsoleAs, signInWithPassword, waitForShell, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's event catalog and operator pages in a real Chromium against a running Hookline:
// an event type written in the page (live schema and example checks, then what the API holds),
// its lifecycle, a viewer's read-only view; the operator's usage figures against the API, and a
// new tenant whose owner joins through the link the page shows.

let h: TestHookline;
let browser: Browser;
let receiver: Receiver;
let tenantId: string;
let auth: { authorization: string };
let endpointId: string;
/** Messages this file published: what the operator's usage must count once fan-out has. */
let published = 0;
const tabs: ConsoleTab[] = [];
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const SCHEMA = { type: 'object', properties: { invoiceId: { type: 'string' }, amount: { type: 'integer', minimum: 0 } }, required: ['invoiceId', 'amount'] };
const EXAMPLE = { invoiceId: 'in_42', amount: 4200 };

beforeAll(async () => {
  [h, browser, receiver] = await Promise.all([startTestHookline(), launchChromium(), startReceiver()]);
  const tenant = await h.createTenant('Acme Catalog');
  tenantId = tenant.tenantId;
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'customer.created', description: 'A customer signed up', groupName: 'Customers' }).expect(201);
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Billing app', uid: 'billing' }).expect(201);
  endpointId = (
    await h.http
      .post('/api/v1/app/billing/endpoint')
      .set(auth)
      .send({ url: `${receiver.url}/hooks` })
      .expect(201)
  ).body.id as string;
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await receiver?.close();
  await h?.stop();
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

const eventType = async (name: string) => (await h.http.get(`/api/v1/event-type/${name}`).set(auth).expect(200)).body as Record<string, unknown>;

/** The problems listed under a JSON field (the element its aria-describedby names last). */
const problemsOf = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ').pop()!)!.textContent);

describe('event catalog', () => {
  it('creates an event type with a schema checked as typed, saves it, deprecates and archives it', async () => {
    const tab = await openConsoleAs(browser, h, tenantId, 'developer', { path: '/event-catalog' });
    tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { name: 'Event catalog', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'customer.created' });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['customer.created', 'A customer signed up', 'Customers', 'None', 'Active']);
    await checkConsolePage(page, 'event-catalog');

    await page.getByRole('link', { name: 'New event type' }).click();
    await page.getByRole('heading', { name: 'New event type', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('invoice.paid');
    await page.getByLabel('Description').fill('An invoice was paid');
    const schema = page.getByLabel('Schema', { exact: true });
    const examples = page.getByLabel('Examples', { exact: true });

    // Live: not JSON, then JSON that is no JSON Schema.
    await schema.fill('{"type": "object",');
    expect(await problemsOf(page, 'Schema')).toMatch(/^Not valid JSON: .*\(line 1, column \d+\)/);
    expect(await schema.getAttribute('aria-invalid')).toBe('true');
    await schema.fill('{"type": "strnig"}');
    expect(await problemsOf(page, 'Schema')).toContain('Not a valid JSON Schema: /type: must be one of null, boolean, object, array, number, integer, string');
    // An example that does not match the (now valid) schema.
    await schema.fill(JSON.stringify(SCHEMA, null, 2));
    expect(await problemsOf(page, 'Schema')).toBe('');
    expect(await schema.getAttribute('aria-invalid')).toBeNull();
    await examples.fill('[{"invoiceId": 42}]');
    const exampleProblems = await problemsOf(page, 'Examples');
    expect(exampleProblems).toContain('Example 1 does not match the schema: /invoiceId: must be string (is integer)');
    expect(exampleProblems).toContain('Example 1 does not match the schema: /amount: is required');
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkConsolePage(page, 'event-catalog-editor-invalid');
    // A draft with problems is not sent.
    const writes: string[] = [];
    page.on('request', (r) => void (r.method() !== 'GET' && writes.push(`${r.method()} ${r.url()}`)));
    await page.getByRole('button', { name: 'Create event type' }).click();
    await page.waitForTimeout(300);
    expect(writes).toEqual([]);

    // The API's own 422 lands on its field.
    await examples.fill(JSON.stringify([EXAMPLE]));
    expect(await problemsOf(page, 'Examples')).toBe('');
    await page.getByLabel('Group').fill('Billing');
    await page.getByLabel('Feature flags').fill('beta program');
    await page.getByRole('button', { name: 'Create event type' }).click();
    await page.getByText('may contain only letters, digits and - _ .').waitFor();
    await h.http.get('/api/v1/event-type/invoice.paid').set(auth).expect(404);

    await page.getByLabel('Feature flags').fill('beta, billing-v2');
    await page.getByRole('button', { name: 'Create event type' }).click();
    await page.getByRole('heading', { name: 'invoice.paid', level: 1 }).waitFor();
    // The dot is escaped in the address: the server takes a last segment with a dot for a file.
    expect(new URL(page.url()).pathname).toBe('/console/event-catalog/invoice%2Epaid');
    expect(await eventType('invoice.paid')).toMatchObject({
      description: 'An invoice was paid',
      groupName: 'Billing',
      featureFlags: ['beta', 'billing-v2'],
      archived: false,
      deprecated: false,
      schemas: { 1: { ...SCHEMA, examples: [EXAMPLE] } },
    });
    // The editor shows what the API holds: the schema without its examples, the examples apart.
    expect(JSON.parse(await schema.inputValue())).toEqual(SCHEMA);
    expect(JSON.parse(await examples.inputValue())).toEqual([EXAMPLE]);

    await page.getByLabel('Description').fill('An invoice was paid in full');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await eventType('invoice.paid')).description).toBe('An invoice was paid in full');

    // The saved schema is the catalog's: a message of this type reaches a real receiver, signed.
    await h.http.post('/api/v1/app/billing/msg').set(auth).send({ eventType: 'invoice.paid', payload: EXAMPLE }).expect(202);
    published += 1;
    const [delivered] = await receiver.waitFor(1);
    const secret = (await h.http.get(`/api/v1/app/billing/endpoint/${endpointId}/secret`).set(auth).expect(200)).body.key as string;
    expect(new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).toEqual(EXAMPLE);

    await page.getByRole('button', { name: 'Deprecate', exact: true }).click();
    await page.getByRole('button', { name: 'Undeprecate', exact: true }).waitFor();
    await page.locator('.page-header').getByText('Deprecated').waitFor();
    expect((await eventType('invoice.paid')).deprecated).toBe(true);

    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Archive invoice.paid?' });
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('button', { name: 'Unarchive', exact: true }).waitFor();
    expect(await eventType('invoice.paid')).toMatchObject({ archived: true, deprecated: true, description: 'An invoice was paid in full' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkConsolePage(page, 'event-catalog-editor');

    // Archived: gone from the list until asked for.
    await page.getByRole('link', { name: '← Event catalog' }).click();
    await page.getByRole('heading', { name: 'Event catalog', level: 1 }).waitFor();
    await row.waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'invoice.paid' }).count()).toBe(0);
    await page.getByLabel('Show archived event types').check();
    const archived = page.getByRole('row').filter({ hasText: 'invoice.paid' });
    await archived.waitFor();
    expect(await archived.getByRole('cell').allTextContents()).toEqual([
      'invoice.paid',
      'An invoice was paid in full',
      'Billing',
      'betabilling-v2',
      'DeprecatedArchived',
    ]);

    await archived.getByRole('link', { name: 'invoice.paid' }).click();
    await page.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await page.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    expect((await eventType('invoice.paid')).archived).toBe(false);
  });

  it('imports event types from an OpenAPI document: a bad one is refused, a dry-run preview, then the import', async () => {
    const tab = await openConsoleAs(browser, h, tenantId, 'developer', { path: '/event-catalog' });
    tabs.push(tab);
    const { page } = tab;
    await page.getByRole('link', { name: 'Import from OpenAPI' }).click();
    await page.getByRole('heading', { name: 'Import from OpenAPI', level: 1 }).waitFor();
    const doc = page.getByLabel('OpenAPI document (JSON or YAML)');

    // Not an OpenAPI 3 document: the API's 422 shows, nothing changes.
    await doc.fill('swagger: "2.0"');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be an OpenAPI 3.x document' }).waitFor();

    // A YAML document, uploaded as a file: one webhook new, one that changes customer.created.
    const yaml = [
      'openapi: 3.1.0',
      'info: {title: Shop, version: "1"}',
      'webhooks:',
      '  customer.created:',
      '    post:',
      '      description: A customer signed up (imported)',
      '      x-svix-group-name: Customers',
      '  refund.issued:',
      '    post:',
      '      summary: A refund was issued',
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema: {$ref: "#/components/schemas/Refund"}',
      'components:',
      '  schemas:',
      '    Refund: {type: object, properties: {refundId: {type: string}}, required: [refundId]}',
    ].join('\n');
    await page.getByLabel('Or upload a file').setInputFiles({ name: 'shop.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    await expect.poll(() => doc.inputValue()).toBe(yaml);
    const writes: string[] = [];
    page.on('request', (r) => void (r.method() !== 'GET' && writes.push(`${r.method()} ${new URL(r.url()).pathname}`)));
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const planned = page.getByRole('table', { name: 'Event types to import' });
    await planned.waitFor();
    const rows = planned.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getByRole('cell').allTextContents()).toEqual(['customer.created', 'Changed', 'A customer signed up (imported)', 'None']);
    expect(await rows.nth(1).getByRole('cell').allTextContents()).toEqual(['refund.issued', 'New', 'A refund was issued', 'Yes']);
    // The preview was a dry run: nothing created yet.
    await h.http.get('/api/v1/event-type/refund.issued').set(auth).expect(404);
    await checkConsolePage(page, 'event-catalog-import');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const done = page.getByRole('status').filter({ hasText: 'Imported: 2 event types' });
    await done.waitFor();
    expect(writes).toEqual(['POST /api/v1/event-type/import/openapi', 'POST /api/v1/event-type/import/openapi']);
    expect(await eventType('refund.issued')).toMatchObject({
      description: 'A refund was issued',
      schemas: { 1: { type: 'object', properties: { refundId: { type: 'string' } }, required: ['refundId'] } },
    });
    expect(await eventType('customer.created')).toMatchObject({ description: 'A customer signed up (imported)', groupName: 'Customers' });
    await done.getByRole('link', { name: 'Back to the catalog' }).click();
    await page.getByRole('row').filter({ hasText: 'refund.issued' }).waitFor();
  });

  it('shows a viewer the catalog and the schema, with no control that changes anything', async () => {
    await h.http
      .put('/api/v1/event-type/order.shipped')
      .set(auth)
      .send({ description: 'An order left', schemas: { 1: SCHEMA } })
      .expect(201);
    const tab = await openConsoleAs(browser, h, tenantId, 'viewer', { path: '/event-catalog/order%2Eshipped' });
    tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { name: 'order.shipped', level: 1 }).waitFor();
    expect(JSON.parse((await page.getByLabel('Schemas of order.shipped').textContent())!)).toEqual({ 1: SCHEMA });
    expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('main').getByRole('textbox').count()).toBe(0);
    await checkConsolePage(page, 'event-catalog-viewer');
    await page.getByRole('link', { name: '← Event catalog' }).click();
    await page.getByRole('row').filter({ hasText: 'order.shipped' }).waitFor();
    expect(await page.getByRole('link', { name: 'New event type' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Import from OpenAPI' }).count()).toBe(0);
  });
});

/** As the page formats it (powers of 1024). */
function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
}

interface Usage {
  id: string;
  applications: number;
  endpoints: number;
  messages: { total: number; perDay: Array<{ day: string; messages: number }> };
  storage: { bytesEstimate: number; share: number };
}

describe('operator', () => {
  it('shows each tenant’s usage as the API counts it, creates a tenant, and its owner joins with the link', async () => {
    // Usage to show: two messages today (and the first test's, when it ran).
    for (const id of ['c_1', 'c_2']) {
      await h.http.post('/api/v1/app/billing/msg').set(auth).send({ eventType: 'customer.created', payload: { id } }).expect(202);
      published += 1;
    }
    // Usage counts messages at fan-out, which the worker does a moment after the 202.
    const usageOf = async () => ((await h.http.get('/admin/v1/tenants/usage').set(admin).expect(200)).body.data as Usage[]).find((t) => t.id === tenantId)!;
    await expect.poll(async () => (await usageOf()).messages.total, { timeout: 15_000 }).toBe(published);
    const acme = await usageOf();
    expect(acme).toMatchObject({ applications: 1, endpoints: 1 });

    const tab = await openConsole(browser, h, { path: '/operator' });
    tabs.push(tab);
    const { page, context } = tab;
    await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
    // The storage estimate moves as the history's partitions grow, so it is compared with the answer the page itself got.
    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/admin/v1/tenants/usage');
    await page.getByRole('button', { name: 'Sign in as operator' }).click();
    await page.getByRole('heading', { name: 'Operator', level: 1 }).waitFor();
    const shown = ((await (await answered).json()) as { data: Usage[] }).data.find((t) => t.id === tenantId)!;
    expect(shown).toMatchObject({ applications: acme.applications, endpoints: acme.endpoints, messages: acme.messages, storage: { share: acme.storage.share } });
    expect(shown.storage.bytesEstimate).toBeGreaterThan(0);
    const row = page.locator(`tr[data-tenant="${tenantId}"]`);
    const cell = (what: string) => row.locator(`td[data-usage="${what}"]`);
    await row.waitFor();
    expect(await cell('applications').textContent()).toBe(`Applications: ${acme.applications}`);
    expect(await cell('endpoints').textContent()).toBe(`Endpoints: ${acme.endpoints}`);
    expect(await cell('messages').textContent()).toMatch(new RegExp(`^Messages: ${acme.messages.total}Per day`));
    expect(await cell('storage').textContent()).toBe(`Storage: ${bytes(shown.storage.bytesEstimate)} (${(acme.storage.share * 100).toFixed(1)} % of messages kept)`);
    await cell('messages').locator('summary').click();
    const today = acme.messages.perDay.at(-1)!;
    expect(await cell('messages').getByRole('row').filter({ hasText: today.day }).getByRole('cell').allTextContents()).toEqual([today.day, String(today.messages)]);
    expect(today.messages).toBe(acme.messages.total);
    await cell('messages').locator('summary').click();
    await checkConsolePage(page, 'operator');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    await page.getByLabel('Tenant name').fill('Initech');
    await page.getByLabel("First owner's email").fill('peter@initech.example');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Created Initech' });
    await created.waitFor();
    const link = (await created.locator('code.secret').textContent())!;
    const tenants = (await h.http.get('/admin/v1/tenants').set(admin).expect(200)).body.data as Array<{ id: string; name: string }>;
    const initech = tenants.find((t) => t.name === 'Initech')!;
    expect(await created.textContent()).toContain(`(${initech.id})`);
    expect(link).toMatch(new RegExp(`^${h.url}/console/invite#hki_`));
    await created.getByRole('button', { name: 'Copy invitation link' }).click();
    await created.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // The new tenant joins the usage table.
    await page.locator(`tr[data-tenant="${initech.id}"]`).waitFor();
    await checkConsolePage(page, 'operator-tenant-created');

    // The link works: the owner joins, and signs in again with their password.
    const invitee = await openConsole(browser, h, { path: `/invite${new URL(link).hash}` });
    tabs.push(invitee);
    await invitee.page.getByRole('heading', { name: 'Join your team', level: 1 }).waitFor();
    await invitee.page.getByLabel('Your name').fill('Peter Owner');
    await invitee.page.getByLabel('Password').fill(TEST_PASSWORD);
    await invitee.page.getByRole('button', { name: 'Join and sign in' }).click();
    await waitForShell(invitee.page);
    const later = await openConsole(browser, h);
    tabs.push(later);
    await signInWithPassword(later.page, 'peter@initech.example');
    await waitForShell(later.page);
    await later.page.getByText('Initech', { exact: true }).first().waitFor();
    const me = await later.page.evaluate(async () => (await (await fetch('/console/v1/me')).json()) as { currentTenantId: string; role: string });
    expect(me).toMatchObject({ currentTenantId: initech.id, role: 'owner' });
    // Single use: the same link no longer lets anyone in.
    await h.http
      .post('/console/v1/invites/accept')
      .set({ origin: h.url, 'x-hookline-csrf': '1' })
      .send({ token: new URL(link).hash.slice(1), name: 'Someone', password: TEST_PASSWORD })
      .expect((res) => expect(res.status).toBeGreaterThanOrEqual(400));
  });
});
