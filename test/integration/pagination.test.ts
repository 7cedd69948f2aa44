import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let auth: { authorization: string };
/** The 7 application ids, in id (= list) order. */
let appIds: string[];

interface Page {
  ids: string[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

beforeAll(async () => {
  h = await startTestHookline();
  auth = { authorization: `Bearer ${(await h.createTenant('pages')).apiKey}` };
  const created: string[] = [];
  for (let i = 0; i < 7; i++)
    created.push(
      (
        await h.http
          .post('/api/v1/app')
          .set(auth)
          .send({ name: `app-${i}` })
          .expect(201)
      ).body.id,
    );
  appIds = [...created].sort();
  // Another tenant's applications never show up in these pages.
  const other = { authorization: `Bearer ${(await h.createTenant('other')).apiKey}` };
  for (let i = 0; i < 3; i++)
    await h.http
      .post('/api/v1/app')
      .set(other)
      .send({ name: `other-${i}` })
      .expect(201);
});
afterAll(async () => h?.stop());

async function page(path: string, query: Record<string, string | number>, key: 'id' | 'name' = 'id'): Promise<Page> {
  const res = await h.http.get(path).query(query).set(auth).expect(200);
  expect(Object.keys(res.body).sort()).toEqual(['data', 'done', 'iterator', 'prevIterator']);
  return { ids: res.body.data.map((x: Record<string, string>) => x[key]), iterator: res.body.iterator, prevIterator: res.body.prevIterator, done: res.body.done };
}

describe('application list pagination', () => {
  it('walks forward with iterator in pages of 3, 3, 1, each app once, in id order', async () => {
    const p1 = await page('/api/v1/app', { limit: 3 });
    expect(p1).toEqual({ ids: appIds.slice(0, 3), iterator: appIds[2], prevIterator: `-${appIds[0]}`, done: false });
    const p2 = await page('/api/v1/app', { limit: 3, iterator: p1.iterator! });
    expect(p2).toEqual({ ids: appIds.slice(3, 6), iterator: appIds[5], prevIterator: `-${appIds[3]}`, done: false });
    const p3 = await page('/api/v1/app', { limit: 3, iterator: p2.iterator! });
    expect(p3).toEqual({ ids: appIds.slice(6), iterator: appIds[6], prevIterator: `-${appIds[6]}`, done: true });
    expect([...p1.ids, ...p2.ids, ...p3.ids]).toEqual(appIds);
    expect(new Set([...p1.ids, ...p2.ids, ...p3.ids]).size).toBe(7);
  });

  it('marks an exactly full last page as done', async () => {
    const first = await page('/api/v1/app', { limit: 7 });
    expect(first).toMatchObject({ ids: appIds, done: true });
    const p1 = await page('/api/v1/app', { limit: 4 });
    expect(p1.done).toBe(false);
    const p2 = await page('/api/v1/app', { limit: 4, iterator: p1.iterator! });
    expect(p2).toMatchObject({ ids: appIds.slice(4), done: true });
  });

  it('walks back from the last page with prevIterator and gets the same pages in reverse', async () => {
    const forward: Page[] = [await page('/api/v1/app', { limit: 3 })];
    while (!forward[forward.length - 1]!.done) forward.push(await page('/api/v1/app', { limit: 3, iterator: forward[forward.length - 1]!.iterator! }));
    expect(forward.map((p) => p.ids.length)).toEqual([3, 3, 1]);

    const backward: Page[] = [];
    let current = forward[forward.length - 1]!;
    for (let i = 0; i < forward.length - 1; i++) {
      current = await page('/api/v1/app', { limit: 3, iterator: current.prevIterator! });
      backward.push(current);
    }
    expect(backward.map((p) => p.ids)).toEqual(
      forward
        .slice(0, -1)
        .reverse()
        .map((p) => p.ids),
    );
    // Each page reached backwards links on exactly like the page reached forwards.
    expect(backward.map((p) => p.prevIterator)).toEqual(
      forward
        .slice(0, -1)
        .reverse()
        .map((p) => p.prevIterator),
    );
    expect(backward.map((p) => p.iterator)).toEqual(
      forward
        .slice(0, -1)
        .reverse()
        .map((p) => p.iterator),
    );
    // Before the first page there is nothing.
    const beforeFirst = await page('/api/v1/app', { limit: 3, iterator: backward[backward.length - 1]!.prevIterator! });
    expect(beforeFirst.ids).toEqual([]);
    // And going forward again from a page reached backwards continues where it should.
    const again = await page('/api/v1/app', { limit: 3, iterator: backward[0]!.iterator! });
    expect(again.ids).toEqual(forward[forward.length - 1]!.ids);
  });

  it('lists in reverse with order=descending, and pages that way too', async () => {
    const all = await page('/api/v1/app', { order: 'descending' });
    expect(all.ids).toEqual([...appIds].reverse());
    expect(all.done).toBe(true);

    const p1 = await page('/api/v1/app', { limit: 3, order: 'descending' });
    const p2 = await page('/api/v1/app', { limit: 3, order: 'descending', iterator: p1.iterator! });
    const p3 = await page('/api/v1/app', { limit: 3, order: 'descending', iterator: p2.iterator! });
    expect([p1.ids, p2.ids, p3.ids]).toEqual([[...appIds].reverse().slice(0, 3), [...appIds].reverse().slice(3, 6), [...appIds].reverse().slice(6)]);
    expect([p1.done, p2.done, p3.done]).toEqual([false, false, true]);
    const back = await page('/api/v1/app', { limit: 3, order: 'descending', iterator: p3.prevIterator! });
    expect(back.ids).toEqual(p2.ids);
  });

  it('uses the default limit of 50 and accepts 250', async () => {
    const res = await h.http.get('/api/v1/app').set(auth).expect(200);
    expect(res.body.data).toHaveLength(7);
    expect(res.body.done).toBe(true);
    await h.http.get('/api/v1/app?limit=250').set(auth).expect(200);
  });
});

describe('event type list pagination (keyed by name)', () => {
  const names = ['a.one', 'b.two', 'c.three', 'd.four', 'e.five'];

  beforeAll(async () => {
    for (const name of [...names].reverse()) await h.http.post('/api/v1/event-type').set(auth).send({ name, description: name }).expect(201);
  });

  it('walks forward by name and back again with prevIterator', async () => {
    const p1 = await page('/api/v1/event-type', { limit: 2 }, 'name');
    const p2 = await page('/api/v1/event-type', { limit: 2, iterator: p1.iterator! }, 'name');
    const p3 = await page('/api/v1/event-type', { limit: 2, iterator: p2.iterator! }, 'name');
    expect([p1.ids, p2.ids, p3.ids]).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
    expect([p1.done, p2.done, p3.done]).toEqual([false, false, true]);

    const back2 = await page('/api/v1/event-type', { limit: 2, iterator: p3.prevIterator! }, 'name');
    expect(back2.ids).toEqual(p2.ids);
    const back1 = await page('/api/v1/event-type', { limit: 2, iterator: back2.prevIterator! }, 'name');
    expect(back1.ids).toEqual(p1.ids);

    const desc = await page('/api/v1/event-type', { order: 'descending' }, 'name');
    expect(desc.ids).toEqual([...names].reverse());
  });
});
