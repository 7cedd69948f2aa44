import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { svixClient } from '@hookline/test-support/svix';

// Issue 17, 2e: a list page is bounded in bytes (HOOKLINE_MAX_PAGE_BYTES), not only in items.
// Lists that embed content (message payloads, attempt response bodies) asked for limit=250 return
// fewer items, not done, with the iterator after the last one shown; walking them forward, backward
// or with the official svix client still yields every item exactly once. Only the api runs;
// attempts and deliveries are written straight to the database, as the worker would have.

const BOUND = 64 * 1024;
const KB = 1024;
/** Payload sizes in publish order: mostly a third of the bound, some tiny, one larger than the bound. */
const PAYLOAD_SIZES = [20, 1, 20, 20, 5, 100, 20, 0.1, 30, 20, 20, 1, 40, 20].map((k) => Math.round(k * KB));

let h: TestHookline;
let db: Database;
let apiKey: string;
let auth: { authorization: string };
let appId: string;
let endpointId: string;
/** Message ids, newest first (the list's order). */
let messageIds: string[];
/** Attempt ids of the endpoint, newest first. */
let attemptIds: string[];
/** The message with many attempts, and those attempts' ids, newest first. */
let busyMsgId: string;
let busyAttemptIds: string[];

interface Page {
  ids: string[];
  bytes: number;
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

async function page(path: string, query: Record<string, string | number | boolean>): Promise<Page> {
  const res = await h.http.get(path).query(query).set(auth).expect(200);
  const data = (res.body.data as Array<{ id?: string; name?: string; payload?: { i: number; blob: string }; response?: string }>)
    // Event types are keyed by name.
    .map((x) => ({ ...x, id: x.id ?? x.name! }));
  // Every item shown carries its whole content: a page is shortened, never an item.
  if (query.with_content !== false) {
    for (const item of data) {
      if (item.payload) expect(item.payload.blob.length).toBe(PAYLOAD_SIZES[item.payload.i]);
      if (item.response !== undefined) expect(item.response.length).toBe(20 * KB);
    }
  }
  return { ids: data.map((x) => x.id), bytes: Buffer.byteLength(res.text), iterator: res.body.iterator, prevIterator: res.body.prevIterator, done: res.body.done };
}

/** Every page is within the bound, unless it holds one item that alone is larger. */
function expectBounded(pages: Page[]): void {
  for (const p of pages) {
    expect(p.ids.length).toBeGreaterThan(0);
    if (p.ids.length > 1) expect(p.bytes).toBeLessThanOrEqual(BOUND);
  }
}

/** Follows `iterator` from the first page to the one marked done, then `prevIterator` back to the first. */
async function walk(path: string, query: Record<string, string | number | boolean> = {}): Promise<{ forward: Page[]; backward: Page[] }> {
  const forward = [await page(path, { ...query, limit: 250 })];
  while (!forward.at(-1)!.done) {
    expect(forward.length).toBeLessThan(100);
    forward.push(await page(path, { ...query, limit: 250, iterator: forward.at(-1)!.iterator! }));
  }
  const backward: Page[] = [];
  let current = forward.at(-1)!;
  while (!current.done || backward.length === 0) {
    expect(backward.length).toBeLessThan(100);
    current = await page(path, { ...query, limit: 250, iterator: current.prevIterator! });
    backward.push(current);
    if (current.ids.length === 0) break;
  }
  return { forward, backward };
}

/** Both walks show exactly `expected`, in list order, each item once, every page within the bound. */
function expectWalk({ forward, backward }: { forward: Page[]; backward: Page[] }, expected: string[]): void {
  expectBounded(forward);
  expectBounded(backward);
  // The bound really shrank pages: limit=250 would otherwise have returned everything at once.
  expect(forward.length).toBeGreaterThan(1);
  expect(forward.flatMap((p) => p.ids)).toEqual(expected);
  expect(forward.map((p) => p.done)).toEqual(forward.map((_, i) => i === forward.length - 1));
  for (const p of forward) expect(p.iterator).toBe(p.ids.at(-1));
  // Backward from the last page: everything before it, each once, in list order page by page.
  const before = backward
    .slice()
    .reverse()
    .flatMap((p) => p.ids);
  expect(before).toEqual(expected.slice(0, expected.length - forward.at(-1)!.ids.length));
}

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_MAX_PAGE_BYTES: String(BOUND) });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  apiKey = (await h.createTenant('bytes')).apiKey;
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'bytes.item', description: 'bytes' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'bytes' }).expect(201)).body.id;
  endpointId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id;

  const published: string[] = [];
  for (const [i, size] of PAYLOAD_SIZES.entries()) {
    const res = await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'bytes.item', payload: { i, blob: 'x'.repeat(size) } })
      .expect(202);
    published.push(res.body.id);
  }
  messageIds = [...published].sort().reverse();

  // One delivery and one attempt per message, each with a response body of 20 KiB; the busiest
  // message also has 7 more attempts (manual resends).
  const { tenantId } = await db.selectFrom('application').select('tenantId').where('id', '=', appId).executeTakeFirstOrThrow();
  const base = Date.now() - 60_000;
  const attempt = (msgId: string, at: Date) => ({
    id: newId('atmpt', at),
    tenantId,
    appId,
    msgId,
    endpointId,
    url: 'http://127.0.0.1:9/hook',
    status: 2,
    responseStatusCode: 500,
    response: 'e'.repeat(20 * KB),
    responseDurationMs: 3,
    triggerType: 0,
    createdAt: at,
  });
  const attempts = messageIds
    .slice()
    .reverse()
    .map((msgId, i) => attempt(msgId, new Date(base + i * 10)));
  busyMsgId = messageIds[0]!;
  const busy = Array.from({ length: 7 }, (_, i) => ({ ...attempt(busyMsgId, new Date(base + 1000 + i * 10)), triggerType: 1 }));
  await db
    .insertInto('messageAttempt')
    .values([...attempts, ...busy])
    .execute();
  attemptIds = [...attempts, ...busy]
    .map((a) => a.id)
    .sort()
    .reverse();
  busyAttemptIds = [attempts.at(-1)!, ...busy]
    .map((a) => a.id)
    .sort()
    .reverse();
  await db
    .insertInto('messageDelivery')
    .values(
      messageIds.map((msgId) => ({
        tenantId,
        appId,
        msgId,
        endpointId,
        status: 2,
        nextAttemptAt: null,
        updatedAt: new Date(),
      })),
    )
    .execute();
});
afterAll(async () => {
  await db?.destroy();
  await h?.stop();
});

describe('a page is bounded in bytes (HOOKLINE_MAX_PAGE_BYTES)', () => {
  it('messages with content: limit=250 returns a shrunk page, and walking shows each message once', async () => {
    const first = await page(`/api/v1/app/${appId}/msg`, { limit: 250 });
    expect(first.bytes).toBeLessThanOrEqual(BOUND);
    expect(first.done).toBe(false);
    expect(first.ids.length).toBeLessThan(messageIds.length);
    const walked = await walk(`/api/v1/app/${appId}/msg`);
    expectWalk(walked, messageIds);
    // The payload larger than the bound still comes, alone on its page.
    const big = messageIds[messageIds.length - 1 - PAYLOAD_SIZES.indexOf(100 * KB)]!;
    const bigPage = walked.forward.find((p) => p.ids.includes(big))!;
    expect(bigPage.ids).toEqual([big]);
    expect(bigPage.bytes).toBeGreaterThan(BOUND);
  });

  it('messages in ascending order walk the same way', async () => {
    expectWalk(await walk(`/api/v1/app/${appId}/msg`, { order: 'ascending' }), [...messageIds].reverse());
  });

  it('messages without content fit one page, as before', async () => {
    const all = await page(`/api/v1/app/${appId}/msg`, { limit: 250, with_content: false });
    expect(all.ids).toEqual(messageIds);
    expect(all.done).toBe(true);
  });

  it('the official svix client lists every message exactly once', async () => {
    const svix = svixClient(h, apiKey);
    const seen: string[] = [];
    let iterator: string | null = null;
    let calls = 0;
    for (;;) {
      const res = await svix.message.list(appId, { limit: 250, withContent: true, ...(iterator ? { iterator } : {}) });
      calls += 1;
      seen.push(...res.data.map((m) => m.id));
      for (const m of res.data) expect((m.payload as { blob: string }).blob.length).toBe(PAYLOAD_SIZES[(m.payload as { i: number }).i]);
      if (res.done) break;
      iterator = res.iterator ?? null;
      expect(calls).toBeLessThan(100);
    }
    expect(calls).toBeGreaterThan(1);
    expect(seen).toEqual(messageIds);
  });

  it("attempts of an endpoint with their response bodies (and with each attempt's message)", async () => {
    expectWalk(await walk(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`), attemptIds);
    expectWalk(await walk(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, { with_msg: true }), attemptIds);
    const bare = await page(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, { limit: 250, with_content: false });
    expect(bare.ids).toEqual(attemptIds);
  });

  it('attempts of one message', async () => {
    expectWalk(await walk(`/api/v1/app/${appId}/attempt/msg/${busyMsgId}`), busyAttemptIds);
  });

  it('messages attempted to an endpoint, with payloads', async () => {
    expectWalk(await walk(`/api/v1/app/${appId}/endpoint/${endpointId}/msg`), messageIds);
  });

  it('event types with their schemas', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `bytes.schema${i}`);
    for (const name of names) {
      await h.http
        .post('/api/v1/event-type')
        .set(auth)
        .send({ name, description: name, schemas: { 1: { type: 'object', description: 'd'.repeat(20 * KB) } } })
        .expect(201);
    }
    // Event types list by name; 'bytes.item' sorts first.
    expectWalk(await walk('/api/v1/event-type', { with_content: true }), ['bytes.item', ...names]);
  });

  it('the official svix client lists every attempt of an endpoint exactly once', async () => {
    const svix = svixClient(h, apiKey);
    const seen: string[] = [];
    let iterator: string | null = null;
    let calls = 0;
    for (;;) {
      const res = await svix.messageAttempt.listByEndpoint(appId, endpointId, { limit: 250, withContent: true, ...(iterator ? { iterator } : {}) });
      calls += 1;
      seen.push(...res.data.map((a) => a.id));
      for (const a of res.data) expect(a.response.length).toBe(20 * KB);
      if (res.done) break;
      iterator = res.iterator ?? null;
      expect(calls).toBeLessThan(100);
    }
    // 15 bodies of 20 KiB do not fit 64 KiB: the client followed the iterator through several pages.
    expect(calls).toBeGreaterThan(1);
    expect(seen).toEqual(attemptIds);
  });
});
