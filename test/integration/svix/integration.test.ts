import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Svix } from 'svix';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { apiError, svixClient } from '@hookline/test-support/svix';

// svix.integration through the official client: an application's integrations and their keys,
// stored encrypted and bound to their row, audited, and out of reach of other tenants and apps.

let h: TestHookline;
let svix: Svix;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const { apiKey } = await h.createTenant('integrations');
  svix = svixClient(h, apiKey);
  auth = { authorization: `Bearer ${apiKey}` };
});
afterAll(async () => {
  await h?.stop();
});

const storedRow = (id: string) => h.hookline.db.selectFrom('integration').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const keyOf = async (app: string, id: string) => (await h.http.get(`/api/v1/app/${app}/integration/${id}/key`).set(auth).expect(200)).body.key as string;

describe('svix.integration', () => {
  it('creates, gets, lists, updates and deletes, with Svix shapes and values', async () => {
    const app = await svix.application.create({ name: 'crud', uid: 'integ-crud' });
    const created = await svix.integration.create(app.id, { name: 'Zapier', featureFlags: ['beta', 'beta', 'alpha'] });
    expect(created.id).toMatch(/^integ_[0-9A-Za-z]{27}$/);
    expect(created).toMatchObject({ name: 'Zapier', featureFlags: ['beta', 'alpha'] });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());
    expect(Object.keys(created)).not.toContain('key');

    // The application by uid as well as by id.
    expect(await svix.integration.get('integ-crud', created.id)).toEqual(created);
    const plain = await svix.integration.create(app.id, { name: 'Make' });
    expect(plain.featureFlags).toEqual([]);

    const updated = await svix.integration.update(app.id, created.id, { name: 'Zapier (prod)' });
    expect(updated).toMatchObject({ id: created.id, name: 'Zapier (prod)', featureFlags: [] });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime());

    const list = await svix.integration.list(app.id);
    expect(list.data.map((i) => i.name)).toEqual(['Zapier (prod)', 'Make']);
    expect(list.done).toBe(true);

    await svix.integration.delete(app.id, created.id);
    expect((await apiError(svix.integration.get(app.id, created.id))).code).toBe(404);
    expect((await apiError(svix.integration.delete(app.id, created.id))).code).toBe(404);
    expect((await svix.integration.list(app.id)).data.map((i) => i.id)).toEqual([plain.id]);
  });

  it('pages like every Svix list, oldest first, and backwards with prevIterator', async () => {
    const app = await svix.application.create({ name: 'paging' });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) ids.push((await svix.integration.create(app.id, { name })).id);
    const first = await svix.integration.list(app.id, { limit: 2 });
    expect(first.data.map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(first.done).toBe(false);
    const second = await svix.integration.list(app.id, { limit: 2, iterator: first.iterator });
    expect(second.data.map((i) => i.id)).toEqual(ids.slice(2, 4));
    const third = await svix.integration.list(app.id, { limit: 2, iterator: second.iterator });
    expect(third.data.map((i) => i.id)).toEqual(ids.slice(4));
    expect(third.done).toBe(true);
    const back = await svix.integration.list(app.id, { limit: 2, iterator: third.prevIterator });
    expect(back.data.map((i) => i.id)).toEqual(ids.slice(2, 4));
  });

  it('keeps the key encrypted and bound to its row; rotating replaces it at once; reads and rotations are audited, never the key', async () => {
    const app = await svix.application.create({ name: 'keys' });
    const integ = await svix.integration.create(app.id, { name: 'keyed' });
    const other = await svix.integration.create(app.id, { name: 'other' });
    const key = await keyOf(app.id, integ.id);
    expect(key).toMatch(/^integsk_[A-Za-z0-9_-]{43}$/);
    expect(await keyOf(app.id, integ.id)).toBe(key);

    const stored = await storedRow(integ.id);
    expect(stored.key.startsWith('hl2:')).toBe(true);
    expect(stored.key).not.toContain(key);

    const rotated = await svix.integration.rotateKey(app.id, integ.id);
    expect(rotated.key).toMatch(/^integsk_/);
    expect(rotated.key).not.toBe(key);
    expect(await keyOf(app.id, integ.id)).toBe(rotated.key);
    // The other integration's key is its own, and the rotation changed nothing else of the integration.
    expect(await keyOf(app.id, other.id)).not.toBe(rotated.key);
    expect((await svix.integration.get(app.id, integ.id)).updatedAt.getTime()).toBe(integ.updatedAt.getTime());

    // A key copied onto another row does not decrypt there: an error naming no value, not the other key.
    const copied = (await storedRow(integ.id)).key;
    await h.hookline.db.updateTable('integration').set({ key: copied }).where('id', '=', other.id).execute();
    const unreadable = await h.http.get(`/api/v1/app/${app.id}/integration/${other.id}/key`).set(auth);
    expect(unreadable.status).toBeGreaterThanOrEqual(400);
    expect(unreadable.text).not.toContain(rotated.key);
    expect(unreadable.body.detail).toMatch(/integration's key cannot be read/);

    const records = (await h.http.get('/api/v1/audit-log').query({ target: integ.id }).set(auth).expect(200)).body.data as Array<{
      action: string;
      target: { kind: string; appId: string };
    }>;
    expect(records.map((r) => r.action).sort()).toEqual([
      'integration.created',
      'integration.key.read',
      'integration.key.read',
      'integration.key.read',
      'integration.key.rotated',
    ]);
    expect(records.every((r) => r.target.kind === 'integration' && r.target.appId === app.id)).toBe(true);
    const all = JSON.stringify((await h.http.get('/api/v1/audit-log').set(auth).query({ limit: 250 }).expect(200)).body);
    expect(all).not.toContain(key);
    expect(all).not.toContain(rotated.key);
  });

  it('answers bad input with 422 and the field, changing nothing', async () => {
    const app = await svix.application.create({ name: 'bad' });
    const integ = await svix.integration.create(app.id, { name: 'keep', featureFlags: ['ok'] });
    const cases: Array<[unknown, Array<string | number>]> = [
      [{}, ['body', 'name']],
      [{ name: '' }, ['body', 'name']],
      [{ name: 'x'.repeat(257) }, ['body', 'name']],
      [{ name: 'flags', featureFlags: ['not a flag!'] }, ['body', 'featureFlags', 0]],
      [{ name: 'flags', featureFlags: 'beta' }, ['body', 'featureFlags']],
    ];
    for (const [body, loc] of cases) {
      for (const res of [
        await h.http
          .post(`/api/v1/app/${app.id}/integration`)
          .set(auth)
          .send(body as object),
        await h.http
          .put(`/api/v1/app/${app.id}/integration/${integ.id}`)
          .set(auth)
          .send(body as object),
      ]) {
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect((res.body.detail as Array<{ loc: Array<string | number> }>).map((d) => d.loc)).toContainEqual(loc);
      }
    }
    const list = await svix.integration.list(app.id);
    expect(list.data).toEqual([integ]);
    // An unknown integration or application is a 404 with Svix's error shape.
    const missing = await h.http
      .get(`/api/v1/app/${app.id}/integration/integ_${'0'.repeat(27)}`)
      .set(auth)
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found' });
    await h.http.get(`/api/v1/app/no-such-app/integration`).set(auth).expect(404);
  });

  it('keeps integrations to their tenant and application, and goes with the application', async () => {
    const app = await svix.application.create({ name: 'mine' });
    const sibling = await svix.application.create({ name: 'sibling' });
    const integ = await svix.integration.create(app.id, { name: 'private' });
    const key = await keyOf(app.id, integ.id);

    // Another application of the same tenant does not reach it.
    expect((await apiError(svix.integration.get(sibling.id, integ.id))).code).toBe(404);
    expect((await apiError(svix.integration.rotateKey(sibling.id, integ.id))).code).toBe(404);
    await h.http.get(`/api/v1/app/${sibling.id}/integration/${integ.id}/key`).set(auth).expect(404);
    expect((await svix.integration.list(sibling.id)).data).toEqual([]);

    // Another tenant reaches neither the application nor the integration, whatever the route.
    const { apiKey: otherKey } = await h.createTenant('other');
    const other = svixClient(h, otherKey);
    const otherApp = await other.application.create({ name: 'theirs' });
    expect((await apiError(other.integration.list(app.id))).code).toBe(404);
    expect((await apiError(other.integration.get(app.id, integ.id))).code).toBe(404);
    expect((await apiError(other.integration.get(otherApp.id, integ.id))).code).toBe(404);
    expect((await apiError(other.integration.update(otherApp.id, integ.id, { name: 'stolen' }))).code).toBe(404);
    expect((await apiError(other.integration.delete(otherApp.id, integ.id))).code).toBe(404);
    expect((await apiError(other.integration.rotateKey(otherApp.id, integ.id))).code).toBe(404);
    await h.http
      .get(`/api/v1/app/${otherApp.id}/integration/${integ.id}/key`)
      .set({ authorization: `Bearer ${otherKey}` })
      .expect(404);
    expect(await svix.integration.get(app.id, integ.id)).toEqual(integ);
    expect(await keyOf(app.id, integ.id)).toBe(key);

    // A portal token of the application is refused: integrations are the vendor's.
    const portal = await svix.authentication.appPortalAccess(app.id, {});
    const portalAuth = { authorization: `Bearer ${portal.token}` };
    await h.http.get(`/api/v1/app/${app.id}/integration`).set(portalAuth).expect(403);
    await h.http.get(`/api/v1/app/${app.id}/integration/${integ.id}/key`).set(portalAuth).expect(403);

    await svix.application.delete(app.id);
    expect(await h.hookline.db.selectFrom('integration').select('id').where('id', '=', integ.id).execute()).toEqual([]);
  });
});
