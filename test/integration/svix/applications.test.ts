import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant('apps');
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
});
afterAll(async () => h?.stop());

const APP_ID = /^app_[0-9A-Za-z]{27}$/;

/** The svix client throws ApiException with the HTTP status as `code`. */
async function expectApiError(call: Promise<unknown>, code: number): Promise<ApiException<unknown>> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  expect((err as ApiException<unknown>).code).toBe(code);
  return err as ApiException<unknown>;
}

describe('svix.application', () => {
  it('create returns every field the client parses', async () => {
    const app = await svix.application.create({ name: 'Acme', uid: 'acme', throttleRate: 20, metadata: { plan: 'gold' } });
    expect(app).toEqual({
      id: expect.stringMatching(APP_ID),
      uid: 'acme',
      name: 'Acme',
      throttleRate: 20,
      metadata: { plan: 'gold' },
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(Math.abs(app.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    const bare = await svix.application.create({ name: 'Bare' });
    expect(bare).toMatchObject({ name: 'Bare', uid: null, throttleRate: null, metadata: {} });
  });

  it('getOrCreate returns the existing application for a known uid, unchanged, and creates an unknown one', async () => {
    const first = await svix.application.getOrCreate({ name: 'Goc', uid: 'goc' });
    const again = await svix.application.getOrCreate({ name: 'Another name', uid: 'goc', metadata: { x: 'y' } });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ name: 'Goc', metadata: {} });
  });

  it('get finds an application by id and by uid', async () => {
    const app = await svix.application.create({ name: 'Findable', uid: 'findable' });
    expect(await svix.application.get(app.id)).toEqual(app);
    expect(await svix.application.get('findable')).toEqual(app);
    await expectApiError(svix.application.get('no-such-app'), 404);
  });

  it('list pages through applications in id order', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await svix.application.create({ name: `list-${i}` }));
    const all = await svix.application.list({ limit: 250 });
    expect(all.done).toBe(true);
    const ids = all.data.map((a) => a.id);
    expect(ids).toEqual([...ids].sort());
    for (const app of created) expect(all.data).toContainEqual(app);

    const page1 = await svix.application.list({ limit: 2 });
    expect(page1.data).toHaveLength(2);
    expect(page1.done).toBe(false);
    const page2 = await svix.application.list({ limit: 2, iterator: page1.iterator });
    expect(page2.data[0]!.id > page1.data[1]!.id).toBe(true);
  });

  it('upsert replaces every field of an existing application and creates a missing one', async () => {
    const app = await svix.application.create({ name: 'Before', uid: 'upsert-me', throttleRate: 5, metadata: { a: '1' } });
    const updated = await svix.application.upsert('upsert-me', { name: 'After', uid: 'upserted', metadata: { b: '2' } });
    // A PUT replaces: the absent throttleRate is cleared, metadata is the new map.
    expect(updated).toMatchObject({ id: app.id, name: 'After', uid: 'upserted', throttleRate: null, metadata: { b: '2' } });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(app.updatedAt.getTime());
    expect(updated.createdAt).toEqual(app.createdAt);
    await expectApiError(svix.application.get('upsert-me'), 404);

    const created = await svix.application.upsert('upsert-new', { name: 'New', uid: 'upsert-new' });
    expect(created).toMatchObject({ id: expect.stringMatching(APP_ID), name: 'New', uid: 'upsert-new' });
    expect((await svix.application.get('upsert-new')).id).toBe(created.id);
  });

  it('patch changes only the fields given and clears uid and throttleRate with null', async () => {
    const app = await svix.application.create({ name: 'Patchy', uid: 'patchy', throttleRate: 7, metadata: { k: 'v' } });
    const renamed = await svix.application.patch(app.id, { name: 'Renamed' });
    expect(renamed).toMatchObject({ id: app.id, name: 'Renamed', uid: 'patchy', throttleRate: 7, metadata: { k: 'v' } });

    const meta = await svix.application.patch('patchy', { metadata: { other: 'x' } });
    expect(meta).toMatchObject({ name: 'Renamed', uid: 'patchy', throttleRate: 7, metadata: { other: 'x' } });

    const cleared = await svix.application.patch('patchy', { uid: null, throttleRate: null });
    expect(cleared).toMatchObject({ id: app.id, name: 'Renamed', uid: null, throttleRate: null, metadata: { other: 'x' } });
    await expectApiError(svix.application.get('patchy'), 404);
    expect(await svix.application.get(app.id)).toEqual(cleared);
  });

  it('delete removes the application (404 after) and frees its uid', async () => {
    const app = await svix.application.create({ name: 'Doomed', uid: 'doomed' });
    await svix.application.delete('doomed');
    await expectApiError(svix.application.get(app.id), 404);
    await expectApiError(svix.application.delete(app.id), 404);
    const reborn = await svix.application.create({ name: 'Reborn', uid: 'doomed' });
    expect(reborn.id).not.toBe(app.id);
    expect((await svix.application.get('doomed')).name).toBe('Reborn');
  });
});

describe('application status codes (raw HTTP)', () => {
  it('POST is 201, 409 on a taken uid, and with get_if_exists 200 (existing) or 201 (new)', async () => {
    const created = await h.http.post('/api/v1/app').set(auth).send({ name: 'Raw', uid: 'raw' }).expect(201);
    const conflict = await h.http.post('/api/v1/app').set(auth).send({ name: 'Raw 2', uid: 'raw' }).expect(409);
    expect(conflict.body).toEqual({ code: 'conflict', detail: expect.any(String) });
    const existing = await h.http.post('/api/v1/app?get_if_exists=true').set(auth).send({ name: 'Raw 3', uid: 'raw' }).expect(200);
    expect(existing.body).toEqual(created.body);
    const fresh = await h.http.post('/api/v1/app?get_if_exists=true').set(auth).send({ name: 'Raw 4', uid: 'raw-4' }).expect(201);
    expect(fresh.body).toMatchObject({ name: 'Raw 4', uid: 'raw-4' });
    // Without a uid there is nothing to find: get_if_exists creates.
    const noUid = await h.http.post('/api/v1/app?get_if_exists=true').set(auth).send({ name: 'No uid' }).expect(201);
    expect(noUid.body.uid).toBeNull();
  });

  it('PUT is 200 when it updates and 201 when it creates (uid from the body, not the path)', async () => {
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Put', uid: 'put-me' }).expect(201)).body;
    const updated = await h.http.put(`/api/v1/app/${app.id}`).set(auth).send({ name: 'Put 2', uid: 'put-me' }).expect(200);
    expect(updated.body).toMatchObject({ id: app.id, name: 'Put 2', uid: 'put-me' });

    const created = await h.http.put('/api/v1/app/unknown-path').set(auth).send({ name: 'Made by PUT', uid: 'made-by-put' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Made by PUT', uid: 'made-by-put' });
    const withoutUid = await h.http.put('/api/v1/app/other-unknown-path').set(auth).send({ name: 'No uid' }).expect(201);
    expect(withoutUid.body.uid).toBeNull();
    await h.http.get('/api/v1/app/other-unknown-path').set(auth).expect(404);

    // Taking another application's uid is a conflict, and changes nothing.
    const res = await h.http.put(`/api/v1/app/${app.id}`).set(auth).send({ name: 'Thief', uid: 'made-by-put' }).expect(409);
    expect(res.body.code).toBe('conflict');
    expect((await h.http.get(`/api/v1/app/${app.id}`).set(auth).expect(200)).body.name).toBe('Put 2');
  });

  it('PATCH is 409 on a taken uid, 404 for an unknown application, and an empty patch changes nothing', async () => {
    const a = (await h.http.post('/api/v1/app').set(auth).send({ name: 'A', uid: 'patch-a' }).expect(201)).body;
    await h.http.post('/api/v1/app').set(auth).send({ name: 'B', uid: 'patch-b' }).expect(201);
    await h.http.patch('/api/v1/app/patch-a').set(auth).send({ uid: 'patch-b' }).expect(409);
    await h.http.patch('/api/v1/app/nobody').set(auth).send({ name: 'x' }).expect(404);
    const same = await h.http.patch('/api/v1/app/patch-a').set(auth).send({}).expect(200);
    expect({ ...same.body, updatedAt: a.updatedAt }).toEqual(a);
  });

  it('DELETE is 204, then 404 for the application and what was under it', async () => {
    const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Gone', uid: 'gone' }).expect(201)).body;
    const del = await h.http.delete('/api/v1/app/gone').set(auth).expect(204);
    expect(del.text).toBe('');
    await h.http.get(`/api/v1/app/${app.id}`).set(auth).expect(404);
    await h.http.get(`/api/v1/app/${app.id}/msg`).set(auth).expect(404);
    await h.http.delete(`/api/v1/app/${app.id}`).set(auth).expect(404);
  });

  it('refuses a uid that looks like an application id (Svix uid prefix rule) with 422', async () => {
    for (const [method, path] of [
      ['post', '/api/v1/app'],
      ['put', '/api/v1/app/prefix-put'],
    ] as const) {
      const res = await h.http[method](path).set(auth).send({ name: 'Prefixed', uid: 'app_2Xk9' }).expect(422);
      expect(res.body.detail).toContainEqual({ loc: ['body', 'uid'], msg: expect.stringContaining('app_'), type: 'value_error' });
    }
    await h.http.post('/api/v1/app').set(auth).send({ name: 'Plain', uid: 'patch-prefix' }).expect(201);
    const patch = await h.http.patch('/api/v1/app/patch-prefix').set(auth).send({ uid: 'app_x' }).expect(422);
    expect(patch.body.detail[0].loc).toEqual(['body', 'uid']);
    // The prefix anywhere else is fine, as is Svix's suggested workaround of a leading underscore.
    await h.http.post('/api/v1/app').set(auth).send({ name: 'Underscored', uid: '_app_x' }).expect(201);
    await h.http.post('/api/v1/app').set(auth).send({ name: 'Middle', uid: 'my-app_x' }).expect(201);
  });

  it('refuses a throttleRate of 0 and bad patch fields with 422', async () => {
    const zero = await h.http.post('/api/v1/app').set(auth).send({ name: 'Zero', throttleRate: 0 }).expect(422);
    expect(zero.body.detail[0].loc).toEqual(['body', 'throttleRate']);
    await h.http.post('/api/v1/app').set(auth).send({ name: 'Valid', uid: 'valid-patch' }).expect(201);
    const empty = await h.http.patch('/api/v1/app/valid-patch').set(auth).send({ name: '' }).expect(422);
    expect(empty.body.detail[0].loc).toEqual(['body', 'name']);
    const nullName = await h.http.patch('/api/v1/app/valid-patch').set(auth).send({ name: null }).expect(422);
    expect(nullName.body.detail[0].loc).toEqual(['body', 'name']);
  });

  it("cannot see or change another tenant's application", async () => {
    const mine = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Mine', uid: 'shared-uid' }).expect(201)).body;
    const other = { authorization: `Bearer ${(await h.createTenant('other')).apiKey}` };
    await h.http.patch(`/api/v1/app/${mine.id}`).set(other).send({ name: 'Hijacked' }).expect(404);
    await h.http.delete(`/api/v1/app/${mine.id}`).set(other).expect(404);
    // The same uid is free in another tenant, and a PUT there creates that tenant's own application.
    const theirs = await h.http.put('/api/v1/app/shared-uid').set(other).send({ name: 'Theirs', uid: 'shared-uid' }).expect(201);
    expect(theirs.body.id).not.toBe(mine.id);
    expect((await h.http.get('/api/v1/app/shared-uid').set(auth).expect(200)).body).toEqual(mine);
  });
});
