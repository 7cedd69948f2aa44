import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Walks lists of 600 items page by page, forward with `iterator` and back with `prevIterator`,
// as a client would: every item exactly once, in time order, with `done` only at either end.
// Only the api runs (no deliveries); attempts are written straight to the database.

const COUNT = 600;
let h: TestHookline;
let db: Database;
let auth: { authorization: string };
let appId: string;
let endpointId: string;
/** Message ids, oldest first. */
let messageIds: string[];
/** Attempt ids, oldest first; every third one failed. */
let attemptIds: string[];

interface Page {
  ids: string[];
  /** Each item's `timestamp`, in ms. */
  times: number[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

async function page(path: string, query: Record<string, string | number>): Promise<Page> {
  const res = await h.http.get(path).query(query).set(auth).expect(200);
  const data = res.body.data as Array<{ id: string; timestamp: string }>;
  return {
    ids: data.map((x) => x.id),
    times: data.map((x) => Date.parse(x.timestamp)),
    iterator: res.body.iterator,
    prevIterator: res.body.prevIterator,
    done: res.body.done,
  };
}

/**
 * Follows `iterator` from the first page to the one marked done, then `prevIterator` back to the
 * one marked done at the start. Returns both walks' pages, each in the order visited.
 */
async function walk(path: string, query: Record<string, string | number>, limit: number): Promise<{ forward: Page[]; backward: Page[] }> {
  const forward = [await page(path, { ...query, limit })];
  while (!forward.at(-1)!.done) {
    expect(forward.length).toBeLessThan(COUNT);
    forward.push(await page(path, { ...query, limit, iterator: forward.at(-1)!.iterator! }));
  }
  const backward: Page[] = [];
  let current = forward.at(-1)!;
  while (backward.length < forward.length - 1) {
    current = await page(path, { ...query, limit, iterator: current.prevIterator! });
    backward.push(current);
  }
  return { forward, backward };
}

/** Checks a walk against the items the list must show, in list order. */
function expectWalk({ forward, backward }: { forward: Page[]; backward: Page[] }, expected: string[], limit: number): void {
  const seen = forward.flatMap((p) => p.ids);
  expect(seen).toHaveLength(expected.length);
  expect(new Set(seen).size).toBe(expected.length);
  expect(seen).toEqual(expected);
  // In time order, the way the list runs (timestamps may tie within a millisecond).
  const times = forward.flatMap((p) => p.times);
  const ascending = expected[0]! < expected.at(-1)!;
  expect(times.every((t, i) => i === 0 || (ascending ? t >= times[i - 1]! : t <= times[i - 1]!))).toBe(true);
  expect(forward.length).toBe(Math.ceil(expected.length / limit));
  for (const [i, p] of forward.entries()) {
    expect(p.ids.length).toBe(i < forward.length - 1 ? limit : expected.length - limit * (forward.length - 1));
    expect(p.done).toBe(i === forward.length - 1);
    expect(p.iterator).toBe(p.ids.at(-1));
    expect(p.prevIterator).toBe(`-${p.ids[0]}`);
  }
  // Backward, the same pages in reverse, each in list order; only the first page is done.
  expect(backward.map((p) => p.ids)).toEqual(
    forward
      .slice(0, -1)
      .reverse()
      .map((p) => p.ids),
  );
  expect(backward.map((p) => p.done)).toEqual(backward.map((_, i) => i === backward.length - 1));
}

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  auth = { authorization: `Bearer ${(await h.createTenant('walk')).apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'walk.item', description: 'walk' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'walk' }).expect(201)).body.id;
  endpointId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id;

  const { tenantId } = await db.selectFrom('application').select('tenantId').where('id', '=', appId).executeTakeFirstOrThrow();
  // Most messages are written straight to the database, a millisecond apart (publishing 600
  // through the API takes seconds); the newest 30 are published through the API, concurrently.
  const base = Date.now() - 60_000;
  const direct = Array.from({ length: COUNT - 30 }, (_, i) => {
    const at = new Date(base + i);
    return {
      id: newId('msg', at),
      tenantId,
      appId,
      eventType: 'walk.item',
      eventId: null,
      channels: null,
      payload: JSON.stringify({ i }),
      createdAt: at,
      expiresAt: new Date(at.getTime() + 86_400_000),
    };
  });
  await db.insertInto('message').values(direct).execute();
  const published = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .send({ eventType: 'walk.item', payload: { i: COUNT - 30 + i } })
        .expect(202),
    ),
  );
  const all = [
    ...direct.map((m) => ({ id: m.id, time: m.createdAt.getTime() })),
    ...published.map((r) => ({ id: r.body.id as string, time: Date.parse(r.body.timestamp) })),
  ];
  messageIds = all.map((m) => m.id).sort();
  // Ids sort by creation time: the id order is the time order.
  const times = [...all].sort((a, b) => (a.id < b.id ? -1 : 1)).map((m) => m.time);
  expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);

  // One attempt per message, a millisecond apart, as the worker would have recorded them.
  const rows = messageIds.map((msgId, i) => {
    const at = new Date(base + 1000 + i);
    const failed = i % 3 === 0;
    return {
      id: newId('atmpt', at),
      tenantId,
      appId,
      msgId,
      endpointId,
      url: 'http://127.0.0.1:9/hook',
      status: failed ? 2 : 0,
      responseStatusCode: failed ? 500 : 200,
      response: '',
      responseDurationMs: 1,
      triggerType: 0,
      createdAt: at,
    };
  });
  await db.insertInto('messageAttempt').values(rows).execute();
  attemptIds = rows.map((r) => r.id);
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

describe(`walking ${COUNT} items`, () => {
  for (const limit of [50, 250]) {
    it(`messages, newest first, limit ${limit}`, async () => {
      expectWalk(await walk(`/api/v1/app/${appId}/msg`, {}, limit), [...messageIds].reverse(), limit);
    });

    it(`attempts of an endpoint, newest first, limit ${limit}`, async () => {
      expectWalk(await walk(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, {}, limit), [...attemptIds].reverse(), limit);
    });
  }

  it('messages in ascending order', async () => {
    expectWalk(await walk(`/api/v1/app/${appId}/msg`, { order: 'ascending' }, 50), messageIds, 50);
  });

  it('failed attempts only (a filter keeps the pages full)', async () => {
    const failed = attemptIds.filter((_, i) => i % 3 === 0).reverse();
    expectWalk(await walk(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, { status: 2 }, 50), failed, 50);
  });

  it('refuses limits outside 1-250 with 422', async () => {
    for (const path of [`/api/v1/app/${appId}/msg`, `/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, '/api/v1/app']) {
      for (const limit of ['0', '251', '-1', 'ten']) {
        const res = await h.http.get(path).query({ limit }).set(auth).expect(422);
        expect(res.body.detail[0].loc).toEqual(['query', 'limit']);
      }
      await h.http.get(path).query({ limit: 250 }).set(auth).expect(200);
      await h.http.get(path).query({ limit: 1 }).set(auth).expect(200);
    }
  });
});
