import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.eventType.importOpenapi through the official client: event types from an OpenAPI document's
// webhooks, with their request bodies' $refs resolved into JSON Schemas.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
});
afterAll(async () => {
  await h?.stop();
});

const ADDRESS = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

/** An OpenAPI 3.1 document with two webhooks: schemas by $ref (nested, and a request body by $ref), extensions, an example. */
const document = () => ({
  openapi: '3.1.0',
  info: { title: 'Shop', version: '1.0.0' },
  webhooks: {
    'order.created': {
      post: {
        summary: 'An order was placed',
        'x-svix-group-name': 'orders',
        'x-svix-feature-flags': ['beta'],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' }, example: { id: 'ord_1', shipTo: { city: 'Lyon' } } } } },
      },
    },
    'customer.deleted': {
      post: { description: 'A customer was removed', deprecated: true, requestBody: { $ref: '#/components/requestBodies/Customer' } },
    },
  },
  components: {
    schemas: {
      Order: { type: 'object', properties: { id: { type: 'string' }, shipTo: { $ref: '#/components/schemas/Address' } }, required: ['id'] },
      Address: ADDRESS,
      Customer: { type: 'object', properties: { id: { type: 'string' } } },
    },
    requestBodies: { Customer: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Customer' } } } } },
  },
});

const ORDER_SCHEMA = {
  1: { type: 'object', properties: { id: { type: 'string' }, shipTo: ADDRESS }, required: ['id'], examples: [{ id: 'ord_1', shipTo: { city: 'Lyon' } }] },
};

describe('svix.eventType.importOpenapi', () => {
  it('previews with dryRun, then creates; a repeat changes nothing; a changed document updates', async () => {
    const preview = await svix.eventType.importOpenapi({ spec: document(), dryRun: true });
    expect(preview.data.modified).toEqual([]);
    expect(preview.data.toModify).toEqual([
      { name: 'order.created', description: 'An order was placed', schemas: ORDER_SCHEMA, deprecated: false, groupName: 'orders', featureFlags: ['beta'] },
      {
        name: 'customer.deleted',
        description: 'A customer was removed',
        schemas: { 1: { type: 'object', properties: { id: { type: 'string' } } } },
        deprecated: true,
        groupName: null,
        featureFlags: null,
      },
    ]);
    // A dry run creates nothing.
    expect((await apiError(svix.eventType.get('order.created'))).code).toBe(404);

    const imported = await svix.eventType.importOpenapi({ spec: document() });
    expect(imported.data.modified).toEqual(['order.created', 'customer.deleted']);
    const order = await svix.eventType.get('order.created');
    expect(order).toMatchObject({
      name: 'order.created',
      description: 'An order was placed',
      schemas: ORDER_SCHEMA,
      groupName: 'orders',
      featureFlags: ['beta'],
      archived: false,
    });
    expect(await svix.eventType.get('customer.deleted')).toMatchObject({ deprecated: true, description: 'A customer was removed' });

    // The same document again: nothing to do.
    expect((await svix.eventType.importOpenapi({ spec: document() })).data.modified).toEqual([]);
    expect((await svix.eventType.importOpenapi({ spec: document(), dryRun: true })).data.toModify).toEqual([]);

    // A changed description updates that one only.
    const changed = document();
    changed.webhooks['customer.deleted'].post.description = 'A customer was erased';
    expect((await svix.eventType.importOpenapi({ spec: changed })).data.modified).toEqual(['customer.deleted']);
    expect((await svix.eventType.get('customer.deleted')).description).toBe('A customer was erased');

    // Each created or changed event type has its audit record.
    const audit = await h.http.get('/api/v1/audit-log').query({ action: 'eventType.imported' }).set(auth).expect(200);
    expect((audit.body.data as Array<{ target: { id: string } }>).map((a) => a.target.id).sort()).toEqual(['customer.deleted', 'customer.deleted', 'order.created']);
  });

  it('reads specRaw as YAML (x-webhooks too), revives archived event types, and with replaceAll archives the rest', async () => {
    await svix.eventType.create({ name: 'legacy.thing', description: 'not in the document' });
    await svix.eventType.create({ name: 'invoice.paid', description: 'old' });
    await svix.eventType.delete('invoice.paid');
    const yaml = [
      'openapi: 3.0.3',
      'info: {title: Billing, version: "1"}',
      'paths: {}',
      'x-webhooks:',
      '  invoice.paid:',
      '    post:',
      '      description: An invoice was paid',
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema:',
      '              type: object',
      '              properties:',
      '                amount: {type: integer}',
      '              examples:',
      '                - amount: 100',
    ].join('\n');
    const preview = await svix.eventType.importOpenapi({ specRaw: yaml, dryRun: true, replaceAll: true });
    expect(preview.data.toModify!.map((e) => e.name)).toEqual(['invoice.paid']);
    const out = await svix.eventType.importOpenapi({ specRaw: yaml, replaceAll: true });
    expect(out.data.modified).toContain('invoice.paid');
    expect(out.data.modified).toContain('legacy.thing');
    expect(await svix.eventType.get('invoice.paid')).toMatchObject({
      archived: false,
      description: 'An invoice was paid',
      schemas: { 1: { type: 'object', properties: { amount: { type: 'integer' } }, examples: [{ amount: 100 }] } },
    });
    expect((await svix.eventType.get('legacy.thing')).archived).toBe(true);
    const live = (await svix.eventType.list({ limit: 250 })).data.map((e) => e.name);
    expect(live).toEqual(['invoice.paid']);
  });

  it('keeps a self-referencing schema finite with $defs', async () => {
    const spec = {
      openapi: '3.1.0',
      info: { title: 'Tree', version: '1' },
      webhooks: { 'node.changed': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } },
      components: { schemas: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } } },
    };
    await svix.eventType.importOpenapi({ spec });
    const schema = (await svix.eventType.get('node.changed')).schemas!['1'] as Record<string, unknown>;
    expect(schema).toEqual({
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
      $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    });
  });

  it('refuses bad documents with a clear 400 or 422 and changes nothing', async () => {
    const before = (await svix.eventType.list({ limit: 250, includeArchived: true })).data.map((e) => [e.name, e.updatedAt.toISOString()]);
    const ok = document();
    const cases: Array<[object, number, string]> = [
      [{}, 400, 'exactly one of spec and specRaw'],
      [{ spec: ok, specRaw: JSON.stringify(ok) }, 400, 'exactly one of spec and specRaw'],
      [{ specRaw: 'openapi: [unclosed' }, 422, 'specRaw'],
      [{ specRaw: '"just a string"' }, 422, 'OpenAPI document'],
      [{ spec: { swagger: '2.0', info: {} } }, 422, 'OpenAPI 3.x'],
      [{ spec: { openapi: '3.1.0', info: {}, paths: {} } }, 422, 'no webhooks'],
      [{ spec: { openapi: '3.1.0', webhooks: { 'bad name!': { post: {} } } } }, 422, 'not a valid event type name'],
      [{ spec: { openapi: '3.1.0', webhooks: { 'a.b': { summary: 'no operation' } } } }, 422, 'has no operation'],
      [{ spec: { ...ok, components: {} } }, 422, 'which the document does not have'],
      [
        {
          spec: {
            openapi: '3.1.0',
            webhooks: { 'a.b': { post: { requestBody: { content: { 'application/json': { schema: { $ref: 'https://example.com/s.json' } } } } } } },
          },
        },
        422,
        'only references inside the document',
      ],
      [{ spec: { openapi: '3.1.0', webhooks: { 'a.b': { post: { requestBody: { content: { 'application/json': { schema: { type: 'strnig' } } } } } } } } }, 422, 'type'],
    ];
    for (const [body, status, text] of cases) {
      const res = await h.http.post('/api/v1/event-type/import/openapi').set(auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.body), JSON.stringify(body)).toContain(text);
      if (status === 422) expect(res.body.detail[0].loc[0]).toBe('body');
    }
    // Through the client, the same refusal.
    expect((await apiError(svix.eventType.importOpenapi({ specRaw: 'openapi: [unclosed' }))).code).toBe(422);
    expect((await svix.eventType.list({ limit: 250, includeArchived: true })).data.map((e) => [e.name, e.updatedAt.toISOString()])).toEqual(before);
  });
});
