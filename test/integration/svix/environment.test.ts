import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.environment through the official client: a tenant's event types and settings exported in
// Svix's format and imported again, and the import of a file in the format Svix's own export
// writes (fixtures/svixEnvironmentExport.json: EnvironmentOut of svix-webhooks' OpenAPI, its
// settings as Svix's SettingsOut, a connector as Svix 2.x exports them).

const SVIX_EXPORT = JSON.parse(readFileSync(new URL('../fixtures/svixEnvironmentExport.json', import.meta.url), 'utf8')) as {
  eventTypes: Array<Record<string, unknown>>;
  settings: Record<string, unknown>;
};

let h: TestHookline;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
});
afterAll(async () => {
  await h?.stop();
});

async function tenant(name: string): Promise<{ svix: Svix; auth: { authorization: string }; tenantId: string }> {
  const { apiKey, tenantId } = await h.createTenant(name);
  return { svix: svixClient(h, apiKey), auth: { authorization: `Bearer ${apiKey}` }, tenantId };
}

const settingsOf = async (auth: { authorization: string }) => (await h.http.get('/console/v1/settings').set(auth).expect(200)).body;
const auditCount = async (tenantId: string) =>
  Number(
    (
      await h.hookline.db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('tenantId', '=', tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );
const eventTypeRows = (tenantId: string) => h.hookline.db.selectFrom('eventType').selectAll().where('tenantId', '=', tenantId).orderBy('name').execute();

describe('svix.environment.import of a file Svix exported', () => {
  it('creates the event types with their schemas, flags, groups, deprecation and archival, and the settings Hookline has', async () => {
    const t = await tenant('from-svix');
    // As a vendor would post the downloaded file: the raw JSON.
    await h.http.post('/api/v1/environment/import').set(t.auth).send(SVIX_EXPORT).expect(204);

    const paid = await t.svix.eventType.get('invoice.paid');
    expect(paid).toMatchObject({
      name: 'invoice.paid',
      description: 'An invoice was paid by a customer',
      archived: false,
      deprecated: false,
      groupName: 'invoices',
      featureFlags: null,
      schemas: (SVIX_EXPORT.eventTypes[0] as { schemas: unknown }).schemas,
    });
    expect(paid.schemas!['1']).toMatchObject({ required: ['invoiceId', 'amount'], examples: [{ invoiceId: 'inv_1', amount: 4200, currency: 'eur' }] });
    expect(await t.svix.eventType.get('invoice.refunded')).toMatchObject({
      deprecated: true,
      archived: false,
      featureFlags: ['refunds-beta', 'finance'],
      groupName: 'invoices',
    });
    expect(Object.keys((await t.svix.eventType.get('invoice.refunded')).schemas ?? {})).toEqual(['1', '2']);
    // An older export's single featureFlag; `schemas: {}` is no schema.
    expect(await t.svix.eventType.get('user.signup')).toMatchObject({ featureFlags: ['early-access'], schemas: null, groupName: null });
    // Archived in Svix, archived here: left out of lists, still readable.
    expect(await t.svix.eventType.get('legacy.sync')).toMatchObject({ archived: true, deprecated: true, description: 'Replaced by user.signup' });
    expect((await t.svix.eventType.list()).data.map((e) => e.name)).toEqual(['invoice.paid', 'invoice.refunded', 'user.signup']);

    // Svix's createdAt / updatedAt are not carried over: these are this installation's rows.
    const rows = await eventTypeRows(t.tenantId);
    expect(rows.map((r) => r.name)).toEqual(['invoice.paid', 'invoice.refunded', 'legacy.sync', 'user.signup']);
    expect(rows.every((r) => r.createdAt.getTime() > Date.parse('2026-01-01'))).toBe(true);

    const settings = await settingsOf(t.auth);
    expect(settings.portal).toEqual({
      theme: { primaryColor: '#3182CE', fontFamily: 'Open Sans' },
      frameAncestors: null,
      logo: 'https://www.example.com/static/logo.png',
      brand: null,
    });
    // Svix's other settings have no place here: ignored, nothing else changed.
    expect(settings.retrySchedule).toBeNull();
    expect(settings.retentionDays).toBeNull();
    const exported = await t.svix.environment.export();
    expect(Object.keys(exported.settings as object).sort()).toEqual(['customColor', 'customFontFamily', 'customLogoUrl', 'retentionDays', 'retrySchedule']);
  });

  it('is idempotent: the same file again changes nothing and writes no audit record', async () => {
    const t = await tenant('twice');
    const atStart = await auditCount(t.tenantId);
    await h.http.post('/api/v1/environment/import').set(t.auth).send(SVIX_EXPORT).expect(204);
    const rows = await eventTypeRows(t.tenantId);
    const records = await auditCount(t.tenantId);
    // Four event types and the settings, each one record.
    expect(records - atStart).toBe(5);
    await h.http.post('/api/v1/environment/import').set(t.auth).send(SVIX_EXPORT).expect(204);
    expect(await eventTypeRows(t.tenantId)).toEqual(rows);
    expect(await auditCount(t.tenantId)).toBe(records);
  });

  it('updates event types that exist (as Svix does), keeps those it does not name, and clears a setting given as null', async () => {
    const t = await tenant('conflict');
    await t.svix.eventType.create({ name: 'invoice.paid', description: 'mine', groupName: 'billing', featureFlags: ['old'] });
    await t.svix.eventType.create({ name: 'local.only', description: 'not in the file' });
    await h.http
      .patch('/console/v1/settings')
      .set(t.auth)
      .send({ retrySchedule: [5, 10], portal: { theme: { darkMode: true, primaryColor: '#000000' } } })
      .expect(200);

    await h.http.post('/api/v1/environment/import').set(t.auth).send(SVIX_EXPORT).expect(204);
    expect(await t.svix.eventType.get('invoice.paid')).toMatchObject({ description: 'An invoice was paid by a customer', groupName: 'invoices', featureFlags: null });
    expect(await t.svix.eventType.get('local.only')).toMatchObject({ description: 'not in the file', archived: false });
    const settings = await settingsOf(t.auth);
    // Svix's colour replaces the primary colour; the theme's other fields and the retry schedule stay.
    expect(settings.portal.theme).toEqual({ darkMode: true, primaryColor: '#3182CE', fontFamily: 'Open Sans' });
    expect(settings.retrySchedule).toEqual([5, 10]);

    await t.svix.environment.import({ settings: { customColor: null, customLogoUrl: null, retrySchedule: null } });
    const cleared = await settingsOf(t.auth);
    expect(cleared.portal).toMatchObject({ theme: { darkMode: true, fontFamily: 'Open Sans' }, logo: null });
    expect(cleared.retrySchedule).toBeNull();
  });
});

describe('svix.environment.export', () => {
  it("exports every event type (archived too, with schemas) and the settings in Svix's shape; another tenant imports it to the same state", async () => {
    const a = await tenant('exporter');
    await a.svix.eventType.create({
      name: 'order.created',
      description: 'An order',
      schemas: { 1: { type: 'object', properties: { id: { type: 'string' } } } },
      featureFlags: ['beta'],
      groupName: 'orders',
    });
    await a.svix.eventType.create({ name: 'order.voided', description: 'Gone', deprecated: true });
    await a.svix.eventType.delete('order.voided');
    await h.http
      .patch('/console/v1/settings')
      .set(a.auth)
      .send({ retrySchedule: [1, 60], retentionDays: 7, portal: { theme: { primaryColor: '#aa3300' } } })
      .expect(200);

    const before = Date.now();
    const out = await a.svix.environment.export();
    expect(out.version).toBe(1);
    expect(out.createdAt).toBeInstanceOf(Date);
    expect(out.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(out.connectors).toEqual([]);
    expect(out.settings).toEqual({ customColor: '#aa3300', customFontFamily: null, customLogoUrl: null, retrySchedule: [1, 60], retentionDays: 7 });
    expect(out.eventTypes.map((e) => [e.name, e.archived, e.deprecated])).toEqual([
      ['order.created', false, false],
      ['order.voided', true, true],
    ]);
    expect(out.eventTypes[0]).toMatchObject({ schemas: { 1: { type: 'object' } }, featureFlags: ['beta'], groupName: 'orders', description: 'An order' });

    // Another tenant sees none of it, and imports it through the client to the same state.
    const b = await tenant('importer');
    expect((await b.svix.environment.export()).eventTypes).toEqual([]);
    await b.svix.environment.import(out);
    const again = await b.svix.environment.export();
    const comparable = (env: typeof out) => ({ settings: env.settings, eventTypes: env.eventTypes.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest) });
    expect(comparable(again)).toEqual(comparable(out));
    expect((await a.svix.environment.export()).eventTypes.map((e) => e.name)).toEqual(['order.created', 'order.voided']);
  });
});

describe('bad input', () => {
  it('answers 422 with the field and changes nothing, however much of the file was good', async () => {
    const t = await tenant('bad');
    await t.svix.eventType.create({ name: 'kept', description: 'as it was' });
    const rows = await eventTypeRows(t.tenantId);
    const records = await auditCount(t.tenantId);
    const good = { name: 'new.one', description: 'fine' };
    const cases: Array<[object, Array<string | number>]> = [
      [{ eventTypes: [good, { name: 'kept', description: 'changed', schemas: { 1: 'not a schema' } }] }, ['body', 'eventTypes', 1, 'schemas', '1']],
      [{ eventTypes: [good, { name: 'bad name!', description: 'x' }] }, ['body', 'eventTypes', 1, 'name']],
      [{ eventTypes: [{ name: 'no.description' }] }, ['body', 'eventTypes', 0, 'description']],
      [{ eventTypes: 'all' }, ['body', 'eventTypes']],
      [{ eventTypes: [good], settings: { customColor: 'url(javascript:alert(1))' } }, ['body', 'settings', 'customColor']],
      [{ eventTypes: [good], settings: { customLogoUrl: 'http://insecure.example.com/logo.png' } }, ['body', 'settings', 'customLogoUrl']],
      [{ eventTypes: [good], settings: { retrySchedule: [-1] } }, ['body', 'settings', 'retrySchedule', 0]],
      [{ settings: 'dark' }, ['body', 'settings']],
    ];
    for (const [body, loc] of cases) {
      const res = await h.http.post('/api/v1/environment/import').set(t.auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(
        (res.body.detail as Array<{ loc: Array<string | number> }>).map((d) => d.loc),
        JSON.stringify(body),
      ).toContainEqual(loc);
    }
    // Past the installation's retention: checked before anything is written.
    const over = await h.http
      .post('/api/v1/environment/import')
      .set(t.auth)
      .send({ eventTypes: [good], settings: { retentionDays: 3650 } });
    expect(over.status).toBe(422);
    expect(over.body.detail[0].loc).toEqual(['body', 'settings', 'retentionDays']);

    expect(await eventTypeRows(t.tenantId)).toEqual(rows);
    expect(await auditCount(t.tenantId)).toBe(records);
    expect((await settingsOf(t.auth)).portal.theme).toBeNull();
    // The client refuses nothing itself: the server's 422 reaches it.
    expect((await apiError(t.svix.environment.import({ eventTypes: [{ name: '', description: 'x' }] }))).code).toBe(422);
  });

  it('takes an empty body as an empty import', async () => {
    const t = await tenant('empty');
    await h.http.post('/api/v1/environment/import').set(t.auth).expect(204);
    await t.svix.environment.import();
    expect((await t.svix.environment.export()).eventTypes).toEqual([]);
  });
});
