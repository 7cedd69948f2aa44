import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, type Svix } from 'svix';
import { firstSchemaExample } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };
let tenantId: string;
let db: Database;

beforeAll(async () => {
  h = await startTestHookline();
  const tenant = await h.createTenant('event-types');
  tenantId = tenant.tenantId;
  svix = svixClient(h, tenant.apiKey);
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

async function expectApiError(call: Promise<unknown>, code: number): Promise<void> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  expect((err as ApiException<unknown>).code).toBe(code);
}

const invoiceSchema = {
  type: 'object',
  title: 'Invoice paid',
  required: ['invoiceId', 'amount'],
  properties: { invoiceId: { type: 'string' }, amount: { type: 'integer', minimum: 0 } },
  examples: [
    { invoiceId: 'in_1', amount: 4200 },
    { invoiceId: 'in_2', amount: 1 },
  ],
};

describe('svix.eventType', () => {
  it('create returns every field, with schemas keyed by version', async () => {
    const et = await svix.eventType.create({
      name: 'invoice.paid',
      description: 'An invoice was paid',
      schemas: { 1: invoiceSchema },
      groupName: 'billing',
      featureFlags: ['beta'],
      deprecated: true,
    });
    expect(et).toEqual({
      name: 'invoice.paid',
      description: 'An invoice was paid',
      archived: false,
      deprecated: true,
      schemas: { 1: invoiceSchema },
      groupName: 'billing',
      featureFlags: ['beta'],
      featureFlag: 'beta',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    await expectApiError(svix.eventType.create({ name: 'invoice.paid', description: 'again' }), 409);
  });

  it('get returns the schemas; list leaves them out unless withContent', async () => {
    const et = await svix.eventType.create({ name: 'user.created', description: 'A user signed up', schemas: { 1: { type: 'object' } } });
    expect(await svix.eventType.get('user.created')).toEqual(et);
    await expectApiError(svix.eventType.get('no.such.type'), 404);

    const plain = await svix.eventType.list();
    expect(plain.data.find((e) => e.name === 'user.created')).toEqual({ ...et, schemas: null });
    const full = await svix.eventType.list({ withContent: true });
    expect(full.data.find((e) => e.name === 'user.created')).toEqual(et);
    const names = full.data.map((e) => e.name);
    expect(names).toEqual([...names].sort());

    const page1 = await svix.eventType.list({ limit: 1 });
    expect(page1).toMatchObject({ done: false, iterator: page1.data[0]!.name });
    const page2 = await svix.eventType.list({ limit: 1, iterator: page1.iterator });
    expect(page2.data[0]!.name > page1.data[0]!.name).toBe(true);
  });

  it('upsert creates a missing event type and replaces every field of an existing one', async () => {
    const created = await svix.eventType.upsert('order.shipped', { description: 'Shipped', schemas: { 1: { type: 'object' } }, groupName: 'orders' });
    expect(created).toMatchObject({ name: 'order.shipped', description: 'Shipped', schemas: { 1: { type: 'object' } }, groupName: 'orders', archived: false });
    const replaced = await svix.eventType.upsert('order.shipped', { description: 'Shipped, v2', deprecated: true });
    // A PUT replaces: the absent schemas and groupName are cleared.
    expect(replaced).toMatchObject({ name: 'order.shipped', description: 'Shipped, v2', deprecated: true, schemas: null, groupName: null });
    expect(replaced.createdAt).toEqual(created.createdAt);
    expect(await svix.eventType.get('order.shipped')).toEqual(replaced);
  });

  it('patch changes only the fields given; null clears schemas, flags and group', async () => {
    const et = await svix.eventType.create({ name: 'patch.me', description: 'Before', schemas: { 1: invoiceSchema }, featureFlags: ['f1'], groupName: 'g' });
    const described = await svix.eventType.patch('patch.me', { description: 'After' });
    expect(described).toEqual({ ...et, description: 'After', updatedAt: expect.any(Date) });
    const cleared = await svix.eventType.patch('patch.me', { schemas: null, featureFlags: null, groupName: null });
    expect(cleared).toMatchObject({ description: 'After', schemas: null, featureFlags: null, featureFlag: null, groupName: null, archived: false });
    const archived = await svix.eventType.patch('patch.me', { archived: true });
    expect(archived).toMatchObject({ archived: true, description: 'After' });
    await expectApiError(svix.eventType.patch('not.there', { description: 'x' }), 404);
  });

  it('delete archives (hidden from lists unless includeArchived), create revives with new fields, expunge removes', async () => {
    await svix.eventType.create({ name: 'to.archive', description: 'Old', schemas: { 1: invoiceSchema } });
    await svix.eventType.delete('to.archive');
    expect(await svix.eventType.get('to.archive')).toMatchObject({ archived: true, description: 'Old' });
    expect((await svix.eventType.list({ limit: 250 })).data.map((e) => e.name)).not.toContain('to.archive');
    expect((await svix.eventType.list({ limit: 250, includeArchived: true })).data.map((e) => e.name)).toContain('to.archive');

    const revived = await svix.eventType.create({ name: 'to.archive', description: 'New' });
    // Svix: un-archiving does not keep the description or the schemas.
    expect(revived).toMatchObject({ name: 'to.archive', description: 'New', archived: false, schemas: null });
    expect((await svix.eventType.list({ limit: 250 })).data.map((e) => e.name)).toContain('to.archive');

    await svix.eventType.delete('to.archive', { expunge: true });
    await expectApiError(svix.eventType.get('to.archive'), 404);
    expect((await svix.eventType.list({ limit: 250, includeArchived: true })).data.map((e) => e.name)).not.toContain('to.archive');
    await expectApiError(svix.eventType.delete('to.archive'), 404);
    const again = await svix.eventType.create({ name: 'to.archive', description: 'Third life' });
    expect(again.createdAt.getTime()).toBeGreaterThanOrEqual(revived.createdAt.getTime());
  });

  it('accepts the older single featureFlag as a set of one', async () => {
    const res = await h.http.post('/api/v1/event-type').set(auth).send({ name: 'flagged', description: 'x', featureFlag: 'old-flag' }).expect(201);
    expect(res.body).toMatchObject({ featureFlag: 'old-flag', featureFlags: ['old-flag'] });
  });
});

describe('event type status codes (raw HTTP)', () => {
  it('POST 201, 409 on a live duplicate; PUT 201 then 200; DELETE 204 then GET shows it archived', async () => {
    await h.http.post('/api/v1/event-type').set(auth).send({ name: 'raw.type', description: 'raw' }).expect(201);
    const dup = await h.http.post('/api/v1/event-type').set(auth).send({ name: 'raw.type', description: 'raw' }).expect(409);
    expect(dup.body).toEqual({ code: 'conflict', detail: expect.any(String) });

    await h.http.put('/api/v1/event-type/raw.put').set(auth).send({ description: 'first' }).expect(201);
    const updated = await h.http.put('/api/v1/event-type/raw.put').set(auth).send({ description: 'second' }).expect(200);
    expect(updated.body.description).toBe('second');

    const del = await h.http.delete('/api/v1/event-type/raw.type').set(auth).expect(204);
    expect(del.text).toBe('');
    expect((await h.http.get('/api/v1/event-type/raw.type').set(auth).expect(200)).body.archived).toBe(true);
    await h.http.delete('/api/v1/event-type/raw.type?expunge=true').set(auth).expect(204);
    await h.http.get('/api/v1/event-type/raw.type').set(auth).expect(404);
    await h.http.patch('/api/v1/event-type/raw.type').set(auth).send({ description: 'x' }).expect(404);
  });

  it('refuses schemas that are not JSON Schema objects with 422, naming the place', async () => {
    const bad: Array<[unknown, Array<string | number>]> = [
      [{ 1: 'not an object' }, ['body', 'schemas', '1']],
      [{ 1: [{ type: 'object' }] }, ['body', 'schemas', '1']],
      [{ 1: { readOnly: 15 } }, ['body', 'schemas', '1', 'readOnly']],
      [{ 1: { type: 'strnig' } }, ['body', 'schemas', '1', 'type']],
      [{ 1: { examples: { a: 1 } } }, ['body', 'schemas', '1', 'examples']],
      [{ 1: { properties: { amount: { minimum: 'zero' } } } }, ['body', 'schemas', '1', 'properties', 'amount', 'minimum']],
      [{ 1: { pattern: '(' } }, ['body', 'schemas', '1', 'pattern']],
      [
        ['not', 'a', 'map'],
        ['body', 'schemas'],
      ],
    ];
    for (const [schemas, loc] of bad) {
      const res = await h.http.post('/api/v1/event-type').set(auth).send({ name: 'bad.schema', description: 'bad', schemas }).expect(422);
      expect(res.body.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
      await h.http.put('/api/v1/event-type/bad.schema').set(auth).send({ description: 'bad', schemas }).expect(422);
    }
    await h.http.get('/api/v1/event-type/bad.schema').set(auth).expect(404);
    await h.http.post('/api/v1/event-type').set(auth).send({ name: 'patch.schema', description: 'ok' }).expect(201);
    await h.http
      .patch('/api/v1/event-type/patch.schema')
      .set(auth)
      .send({ schemas: { 1: { readOnly: 'yes' } } })
      .expect(422);
    // Booleans are valid subschemas; `true` is a valid JSON Schema too.
    await h.http
      .post('/api/v1/event-type')
      .set(auth)
      .send({
        name: 'good.schema',
        description: 'ok',
        schemas: { 1: { type: ['object', 'null'], additionalProperties: false, properties: { a: true } } },
      })
      .expect(201);
  });

  it('refuses an invalid event type name in the path or body with 422', async () => {
    await h.http.put('/api/v1/event-type/has%20space').set(auth).send({ description: 'x' }).expect(422);
    const res = await h.http.post('/api/v1/event-type').set(auth).send({ name: 'has space', description: 'x' }).expect(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'name']);
  });
});

describe('firstSchemaExample', () => {
  it('returns the first example (or the one at an index) of schema version 1, else the lowest version', async () => {
    await svix.eventType.create({
      name: 'example.multi',
      description: 'x',
      schemas: { 2: { type: 'object', examples: [{ v: 2 }] }, 1: { type: 'object', examples: [{ v: 1 }, { v: 11 }] } },
    });
    expect(await firstSchemaExample(db, tenantId, 'example.multi')).toEqual({ v: 1 });
    expect(await firstSchemaExample(db, tenantId, 'example.multi', 1)).toEqual({ v: 11 });
    expect(await firstSchemaExample(db, tenantId, 'example.multi', 2)).toBeUndefined();
    await svix.eventType.create({
      name: 'example.later',
      description: 'x',
      schemas: { 10: { examples: [{ v: 10 }] }, 2: { examples: [{ v: 2 }] } },
    });
    expect(await firstSchemaExample(db, tenantId, 'example.later')).toEqual({ v: 2 });
    // OpenAPI's single `example` counts as the first.
    await svix.eventType.create({ name: 'example.single', description: 'x', schemas: { 1: { type: 'object', example: { one: true } } } });
    expect(await firstSchemaExample(db, tenantId, 'example.single')).toEqual({ one: true });

    await svix.eventType.create({ name: 'example.invoice', description: 'x', schemas: { 1: invoiceSchema } });
    expect(await firstSchemaExample(db, tenantId, 'example.invoice')).toEqual({ invoiceId: 'in_1', amount: 4200 });
    await svix.eventType.create({ name: 'example.none', description: 'x', schemas: { 1: { type: 'object' } } });
    expect(await firstSchemaExample(db, tenantId, 'example.none')).toBeUndefined();
    // A scalar example cannot be a message payload.
    await svix.eventType.create({ name: 'example.scalar', description: 'x', schemas: { 1: { type: 'string', examples: ['hi'] } } });
    expect(await firstSchemaExample(db, tenantId, 'example.scalar')).toBeUndefined();
    expect(await firstSchemaExample(db, tenantId, 'example.missing')).toBeUndefined();
    expect(await firstSchemaExample(db, 'org_other', 'example.invoice')).toBeUndefined();
  });
});
