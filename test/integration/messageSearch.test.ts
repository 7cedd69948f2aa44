import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idBoundary, payloadIndexRepo } from '@hookline/db';
import { sessionAs } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// GET /api/v1/messages, the vendor console's search over every application of a tenant, against a
// real Hookline delivering to real receivers: each filter alone and together, pagination, bad
// input, and another tenant's messages never in the answer (the same payload, eventId and tag).

type Auth = { authorization: string };
interface Found {
  id: string;
  eventType: string;
  eventId: string | null;
  payload: Record<string, unknown>;
  application: { id: string; uid: string | null; name: string };
  deliveries: Record<'success' | 'pending' | 'fail' | 'sending' | 'canceled', number>;
}

let h: TestHookline;
let ok: Receiver;
let failing: Receiver;
let a: Auth;
let b: Auth;
let tenantA: string;
let acme: { id: string; uid: string };
let globex: { id: string; uid: string };
/** A's messages, oldest first: m1 (acme, fails at one endpoint), m2 (globex), m3 (acme). */
const m: string[] = [];
let bMsg: string;
let betweenM1AndM2: string;

const search = (auth: Auth, query = '') => h.http.get(`/api/v1/messages${query}`).set(auth);
const ids = async (auth: Auth, query = '') => ((await search(auth, query).expect(200)).body.data as Found[]).map((x) => x.id);
const contains = (json: unknown) => `?payload_contains=${encodeURIComponent(JSON.stringify(json))}`;

async function publish(auth: Auth, app: string, body: object): Promise<string> {
  return (await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send(body).expect(202)).body.id as string;
}

beforeAll(async () => {
  h = await startTestHookline();
  ok = await startReceiver();
  failing = await startReceiver(() => ({ status: 500, body: 'receiver down' }));
  const created = await h.createTenant('search-a');
  tenantA = created.tenantId;
  a = { authorization: `Bearer ${created.apiKey}` };
  b = { authorization: `Bearer ${(await h.createTenant('search-b')).apiKey}` };
  acme = (await h.http.post('/api/v1/app').set(a).send({ name: 'Acme', uid: 'acme' }).expect(201)).body;
  globex = (await h.http.post('/api/v1/app').set(a).send({ name: 'Globex', uid: 'globex' }).expect(201)).body;
  await h.http
    .post(`/api/v1/app/${acme.id}/endpoint`)
    .set(a)
    .send({ url: `${ok.url}/acme` })
    .expect(201);
  // Only messages on channel "eu" go to the failing endpoint (the short test schedule exhausts them).
  await h.http
    .post(`/api/v1/app/${acme.id}/endpoint`)
    .set(a)
    .send({ url: `${failing.url}/acme`, channels: ['eu'] })
    .expect(201);
  await h.http
    .post(`/api/v1/app/${globex.id}/endpoint`)
    .set(a)
    .send({ url: `${ok.url}/globex` })
    .expect(201);

  m.push(
    await publish(a, acme.id, {
      eventType: 'invoice.paid',
      eventId: 'evt-1',
      channels: ['eu'],
      tags: ['vip'],
      payload: { invoiceId: 'in_42', customer: { id: 'cus_1', country: 'DE' }, amount: 4200, lines: [{ sku: 'a-1' }, { sku: 'b-2' }] },
    }),
  );
  // Ids hold their time to the second (KSUID): the time range test needs m2 in a later second than m1.
  await new Promise((r) => setTimeout(r, 1100));
  betweenM1AndM2 = new Date(Date.now() - 50).toISOString();
  m.push(await publish(a, globex.id, { eventType: 'invoice.paid', eventId: 'evt-1', payload: { invoiceId: 'in_43', customer: { id: 'cus_1' } } }));
  m.push(await publish(a, acme.id, { eventType: 'user.created', payload: { userId: 'u_1' } }));

  const bApp = (await h.http.post('/api/v1/app').set(b).send({ name: 'B', uid: 'acme' }).expect(201)).body;
  await h.http
    .post(`/api/v1/app/${bApp.id}/endpoint`)
    .set(b)
    .send({ url: `${ok.url}/b` })
    .expect(201);
  bMsg = await publish(b, bApp.id, { eventType: 'invoice.paid', eventId: 'evt-1', tags: ['vip'], payload: { invoiceId: 'in_42' } });

  // Every delivery final: four successes, and m1's delivery to the failing endpoint failed for good.
  await waitUntil(
    async () => {
      const all = (await search(a).expect(200)).body.data as Found[];
      return all.every((x) => x.deliveries.pending === 0 && x.deliveries.sending === 0) && all.some((x) => x.deliveries.fail === 1);
    },
    30_000,
    'deliveries to finish',
  );
}, 120_000);
afterAll(async () => {
  await ok?.close();
  await failing?.close();
  await h?.stop();
});

describe('GET /api/v1/messages', () => {
  it("lists every application's messages, newest first, with their application and delivery counts", async () => {
    const res = await search(a).expect(200);
    const data = res.body.data as Found[];
    expect(data.map((x) => x.id)).toEqual([m[2], m[1], m[0]]);
    expect(res.body.done).toBe(true);
    expect(data[2]).toMatchObject({
      eventType: 'invoice.paid',
      eventId: 'evt-1',
      payload: { invoiceId: 'in_42' },
      application: { id: acme.id, uid: 'acme', name: 'Acme' },
      deliveries: { success: 1, fail: 1, pending: 0, sending: 0, canceled: 0 },
    });
    expect(data[1]!.application).toEqual({ id: globex.id, uid: 'globex', name: 'Globex' });
    expect(data[0]!.deliveries).toEqual({ success: 1, fail: 0, pending: 0, sending: 0, canceled: 0 });
    // B's message, with the same eventId, tag and payload, is not A's.
    expect(res.text).not.toContain(bMsg);
  });

  it('finds messages by payload content (JSON containment), never another tenant’s', async () => {
    expect(await ids(a, contains({ invoiceId: 'in_42' }))).toEqual([m[0]]);
    expect(await ids(a, contains({ customer: { id: 'cus_1' } }))).toEqual([m[1], m[0]]);
    expect(await ids(a, contains({ amount: 4200, customer: { country: 'DE' } }))).toEqual([m[0]]);
    expect(await ids(a, contains({ lines: [{ sku: 'b-2' }] }))).toEqual([m[0]]);
    expect(await ids(a, contains({ invoiceId: 'in_99' }))).toEqual([]);
    expect(await ids(a, contains({ amount: '4200' }))).toEqual([]);
    expect(await ids(a, contains({}))).toEqual([m[2], m[1], m[0]]);
    expect(await ids(b, contains({ invoiceId: 'in_42' }))).toEqual([bMsg]);
  });

  it('finds by message id and by eventId, in any application or one', async () => {
    expect(await ids(a, `?msg_id=${m[1]}`)).toEqual([m[1]]);
    expect(await ids(a, `?msg_id=${bMsg}`)).toEqual([]);
    expect(await ids(a, '?event_id=evt-1')).toEqual([m[1], m[0]]);
    expect(await ids(a, '?event_id=evt-1&app=acme')).toEqual([m[0]]);
    expect(await ids(b, '?event_id=evt-1')).toEqual([bMsg]);
  });

  it('filters by application (id or uid), event types, channel and tag', async () => {
    expect(await ids(a, '?app=globex')).toEqual([m[1]]);
    expect(await ids(a, `?app=${acme.id}`)).toEqual([m[2], m[0]]);
    expect(await ids(a, '?event_types=user.created')).toEqual([m[2]]);
    expect(await ids(a, '?event_types=user.created,invoice.paid&app=acme')).toEqual([m[2], m[0]]);
    expect(await ids(a, '?channel=eu')).toEqual([m[0]]);
    expect(await ids(a, '?tag=vip')).toEqual([m[0]]);
    expect(await ids(a, `?tag=vip${contains({ invoiceId: 'in_42' }).replace('?', '&')}&event_id=evt-1&app=acme`)).toEqual([m[0]]);
    const unknown = await search(a, '?app=nope').expect(404);
    expect(unknown.body.code).toBe('not_found');
    // B's application has the uid "acme" too: each tenant's search by it reads its own.
    expect(await ids(b, '?app=acme')).toEqual([bMsg]);
    await search(b, '?app=globex').expect(404);
  });

  it('filters by delivery status: a delivery to any endpoint in that status', async () => {
    expect(await ids(a, '?status=2')).toEqual([m[0]]);
    expect(await ids(a, '?status=2&app=globex')).toEqual([]);
    expect(await ids(a, `?status=2${contains({ customer: { id: 'cus_1' } }).replace('?', '&')}`)).toEqual([m[0]]);
    expect(await ids(a, '?status=0')).toEqual([m[2], m[1], m[0]]);
    expect(await ids(a, '?status=1')).toEqual([]);
    expect(await ids(b, '?status=2')).toEqual([]);
  });

  it('filters by time (before/after, exclusive) and pages through the results both ways', async () => {
    expect(await ids(a, `?after=${betweenM1AndM2}`)).toEqual([m[2], m[1]]);
    expect(await ids(a, `?before=${betweenM1AndM2}`)).toEqual([m[0]]);
    expect(await ids(a, `?before=${betweenM1AndM2}&status=2`)).toEqual([m[0]]);
    expect(await ids(a, `?after=${betweenM1AndM2}&status=2`)).toEqual([]);

    const seen: string[] = [];
    let iterator: string | null = null;
    let pages = 0;
    for (;;) {
      const page = (await search(a, `?limit=1${iterator ? `&iterator=${iterator}` : ''}`).expect(200)).body as { data: Found[]; done: boolean; iterator: string | null };
      seen.push(...page.data.map((x) => x.id));
      pages += 1;
      if (page.done) break;
      iterator = page.iterator;
    }
    expect(seen).toEqual([m[2], m[1], m[0]]);
    expect(pages).toBe(3);
    // The failed-delivery path pages by the same key, and the other way round with `order`.
    const first = (await search(a, '?status=0&limit=2&order=ascending').expect(200)).body;
    expect((first.data as Found[]).map((x) => x.id)).toEqual([m[0], m[1]]);
    expect(first.done).toBe(false);
    expect(await ids(a, `?status=0&order=ascending&iterator=${first.iterator}`)).toEqual([m[2]]);
  });

  it('leaves payloads out with with_content=false', async () => {
    const data = (await search(a, '?with_content=false').expect(200)).body.data as Found[];
    expect(data.map((x) => x.payload)).toEqual([{}, {}, {}]);
  });

  it('publishes and finds (by everything but content) a payload jsonb cannot hold: U+0000, a lone surrogate', async () => {
    const nul = await publish(a, globex.id, { eventType: 'odd.payload', payload: { note: 'a\u0000b', key: 'odd-1' } });
    const lone = await h.http
      .post(`/api/v1/app/${globex.id}/msg`)
      .set(a)
      .set('content-type', 'application/json')
      .send('{"eventType":"odd.payload","payload":{"s":"\\ud800","key":"odd-2"}}')
      .expect(202);
    // An escaped backslash before "u0000" is plain text, searchable.
    const text = await publish(a, globex.id, { eventType: 'odd.payload', payload: { path: 'C:\\u0000', key: 'odd-3' } });
    expect(await ids(a, '?event_types=odd.payload')).toEqual([text, lone.body.id, nul]);
    expect(await ids(a, contains({ key: 'odd-1' }))).toEqual([]);
    expect(await ids(a, contains({ key: 'odd-2' }))).toEqual([]);
    expect(await ids(a, contains({ path: 'C:\\u0000' }))).toEqual([text]);
  });

  it('finds the same through the payload index maintenance builds once a partition has closed', async () => {
    const queries = [
      contains({ invoiceId: 'in_42' }),
      contains({ customer: { id: 'cus_1' } }),
      contains({ lines: [{ sku: 'b-2' }] }),
      contains({ key: 'odd-1' }),
      contains({ path: 'C:\\u0000' }),
      `?status=2${contains({ amount: 4200 }).replace('?', '&')}`,
    ];
    const before = await Promise.all(queries.map((q) => ids(a, q)));
    // As a maintenance run in two days would see it: every partition closed, each indexed in turn.
    const later = idBoundary('msg', new Date(Date.now() + 2 * 86_400_000), 'start');
    const built: string[] = [];
    for (let p = await payloadIndexRepo.buildNextPayloadIndex(h.hookline.db, later); p; p = await payloadIndexRepo.buildNextPayloadIndex(h.hookline.db, later))
      built.push(p);
    expect(built.length).toBeGreaterThan(0);
    expect(await Promise.all(queries.map((q) => ids(a, q)))).toEqual(before);
    expect(before[0]).toEqual([m[0]]);
  });

  it('answers bad input with 422 naming the parameter, and changes nothing', async () => {
    const cases: Array<[string, string]> = [
      ['?payload_contains=%7Bbad', 'payload_contains'],
      [`?payload_contains=${encodeURIComponent('[1,2]')}`, 'payload_contains'],
      [`?payload_contains=${encodeURIComponent('"in_42"')}`, 'payload_contains'],
      [`?payload_contains=${encodeURIComponent(JSON.stringify({ note: 'a\u0000b' }))}`, 'payload_contains'],
      [`?payload_contains=${encodeURIComponent(JSON.stringify({ s: 'x'.repeat(5000) }))}`, 'payload_contains'],
      ['?status=9', 'status'],
      ['?status=failed', 'status'],
      ['?before=yesterday', 'before'],
      ['?limit=0', 'limit'],
      ['?event_types=bad%20type', 'event_types'],
      ['?event_id=has%20space', 'event_id'],
    ];
    for (const [query, param] of cases) {
      const res = await search(a, query);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
      const detail = res.body.detail as Array<{ loc: unknown[]; msg: string; type: string }>;
      expect(detail[0]!.loc.slice(0, 2), query).toEqual(['query', param]);
      expect(typeof detail[0]!.msg).toBe('string');
    }
    const deep = `?payload_contains=${encodeURIComponent(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`)}`;
    expect((await search(a, deep)).status).toBe(422);
    expect(await ids(a, '?app=acme')).toEqual([m[2], m[0]]);
  });

  it('is for API keys and console sessions of any role, not for portal tokens', async () => {
    const portal = await h.http.post(`/api/v1/auth/app-portal-access/${acme.id}`).set(a).send({}).expect(200);
    const refused = await search({ authorization: `Bearer ${portal.body.token}` }).expect(403);
    expect(refused.body.code).toBe('forbidden');
    await search({} as Auth).expect(401);
    const viewer = await sessionAs(h, tenantA, 'viewer');
    const res = await h.http.get('/api/v1/messages?app=globex&event_types=invoice.paid').set(viewer.headers).expect(200);
    expect((res.body.data as Found[]).map((x) => x.id)).toEqual([m[1]]);
  });
});
