import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// The same inputs through the API's POST /api/v1/app/{app}/msg and through hookline.publish give
// the same rows, or the matching refusal (HTTP status N ↔ SQLSTATE HLN).

let h: TestHookline;
let sql: pg.Client;
let tenantId: string;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' }); // no worker: pending fan-outs stay to be compared
  const t = await h.createTenant('parity');
  tenantId = t.tenantId;
  auth = { authorization: `Bearer ${t.apiKey}` };
  for (const uid of ['shared', 'via-api', 'via-fn']) await h.http.post('/api/v1/app').set(auth).send({ name: uid, uid }).expect(201);
  sql = new pg.Client({ connectionString: h.connectionString });
  await sql.connect();
  await h.http.post('/api/v1/app/shared/msg').set(auth).send({ eventType: 'x', payload: {}, eventId: 'taken' }).expect(202);
});
afterAll(async () => {
  await sql?.end();
  await h?.stop();
});

interface Input {
  eventType: string;
  payload: unknown;
  [option: string]: unknown;
}

/** Through the API: the status and the message id (if any). */
async function viaApi(app: string, { idempotencyKey, ...body }: Input): Promise<{ status: number; id?: string }> {
  const req = h.http.post(`/api/v1/app/${encodeURIComponent(app)}/msg`).set(auth);
  if (typeof idempotencyKey === 'string') req.set('idempotency-key', idempotencyKey);
  const res = await req.send(body);
  return res.status === 202 ? { status: 202, id: res.body.id as string } : { status: res.status };
}

/** Through the function: its SQLSTATE as an HTTP status (HL404 → 404), and the message id (if any). */
async function viaFunction(app: string, { eventType, payload, ...options }: Input): Promise<{ status: number; id?: string }> {
  try {
    const { rows } = await sql.query('SELECT hookline.publish($1, $2, $3, $4::jsonb, $5::jsonb) AS id', [
      tenantId,
      app,
      eventType,
      JSON.stringify(payload),
      JSON.stringify(options),
    ]);
    return { status: 202, id: rows[0].id as string };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return { status: /^HL\d{3}$/.test(code) ? Number(code.slice(2)) : -1 };
  }
}

/** What a message row says, without what differs by nature (ids, application, times). */
async function messageOf(id: string) {
  const { rows } = await sql.query(
    `SELECT m.tenant_id, m.event_type, m.event_id, m.channels, m.tags, m.payload, extract(epoch FROM m.expires_at - m.created_at)::float8 AS kept_seconds,
       (SELECT count(*)::int FROM fanout_pending p WHERE p.msg_id = m.id) AS pending, (SELECT count(*)::int FROM message_event_id e WHERE e.msg_id = m.id) AS claims
     FROM message m WHERE m.id = $1`,
    [id],
  );
  const row = rows[0] as Record<string, unknown> & { payload: string; pending: number };
  // The API stores JSON.stringify's text, the function jsonb's: the same value, spaced differently.
  return { ...row, payload: JSON.parse(row.payload) as unknown };
}

const messages = async (): Promise<number> => Number((await sql.query('SELECT count(*) AS n FROM message WHERE tenant_id = $1', [tenantId])).rows[0].n);

describe('hookline.publish and the API: the same rows', () => {
  const valid: Array<[string, Input]> = [
    ['plain', { eventType: 'invoice.paid', payload: { a: 1, nested: { b: [1, 2, { c: null }] }, s: 'é€😀' } }],
    ['every option', { eventType: 'invoice.paid', payload: { n: 1 }, eventId: 'evt-1', channels: ['eu', 'billing:eu'], tags: ['t1', 't1', 't2'] }],
    ['empty lists', { eventType: 'x', payload: {}, channels: [], tags: [] }],
    ['retention in hours', { eventType: 'x', payload: {}, payloadRetentionHours: 5 }],
    ['retention in days', { eventType: 'x', payload: {}, payloadRetentionPeriod: 2 }],
    ['nulls as absent', { eventType: 'x', payload: {}, eventId: null, channels: null, tags: null }],
  ];
  it.each(valid)('%s', async (_name, input) => {
    const api = await viaApi('via-api', input);
    const fn = await viaFunction('via-fn', input);
    expect(api.status).toBe(202);
    expect(fn.status).toBe(202);
    expect(await messageOf(fn.id!)).toEqual(await messageOf(api.id!));
    expect((await messageOf(fn.id!)).pending).toBe(1);
  });

  it('creates the application from options.application, with the same row and audit record', async () => {
    const application = (uid: string) => ({ name: 'Created', uid, throttleRate: 5, metadata: { plan: 'pro' } });
    const api = await viaApi('made-api', { eventType: 'x', payload: {}, application: application('made-api') });
    const fn = await viaFunction('made-fn', { eventType: 'x', payload: {}, application: application('made-fn') });
    expect([api.status, fn.status]).toEqual([202, 202]);
    const appOf = async (uid: string) => {
      const app = (await sql.query('SELECT id, name, throttle_rate, metadata, operational FROM application WHERE tenant_id = $1 AND uid = $2', [tenantId, uid])).rows[0];
      const audit = (await sql.query("SELECT target_kind, changes FROM audit_log WHERE target_id = $1 AND action = 'application.created'", [app.id])).rows;
      const { id: _id, ...rest } = app;
      return { ...rest, audit: audit.map((r) => ({ ...r, changes: { ...r.changes, uid: { to: 'the uid' } } })) };
    };
    expect(await appOf('made-fn')).toEqual(await appOf('made-api'));
    expect((await appOf('made-fn')).audit).toHaveLength(1);
    // The second publish finds it.
    expect((await viaFunction('made-fn', { eventType: 'x', payload: {}, application: application('made-fn') })).status).toBe(202);
    expect((await appOf('made-fn')).audit).toHaveLength(1);
  });
});

describe('hookline.publish and the API: the same refusals', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 1 : { d: deep(levels - 1) });
  const invalid: Array<[string, string, Input, number]> = [
    ['unknown application', 'nope', { eventType: 'x', payload: {} }, 404],
    ['an application id of nothing', 'app_2XkUnknownUnknownUnknownUnk', { eventType: 'x', payload: {} }, 404],
    ['a bad channel', 'shared', { eventType: 'x', payload: {}, channels: ['no spaces'] }, 422],
    ['eleven channels', 'shared', { eventType: 'x', payload: {}, channels: Array.from({ length: 11 }, (_, i) => `c${i}`) }, 422],
    ['a channel that is not a string', 'shared', { eventType: 'x', payload: {}, channels: [1] }, 422],
    ['six tags', 'shared', { eventType: 'x', payload: {}, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }, 422],
    ['a bad tag', 'shared', { eventType: 'x', payload: {}, tags: ['sp ace'] }, 422],
    ['a bad event type', 'shared', { eventType: 'bad type!', payload: {} }, 422],
    ['an empty event type', 'shared', { eventType: '', payload: {} }, 422],
    ['an event type of 257 characters', 'shared', { eventType: 'e'.repeat(257), payload: {} }, 422],
    ['an eventId like a message id', 'shared', { eventType: 'x', payload: {}, eventId: 'msg_abc' }, 422],
    ['a bad eventId', 'shared', { eventType: 'x', payload: {}, eventId: 'a b' }, 422],
    ['a duplicate eventId', 'shared', { eventType: 'x', payload: {}, eventId: 'taken' }, 409],
    ['an array payload', 'shared', { eventType: 'x', payload: [1] }, 422],
    ['a string payload', 'shared', { eventType: 'x', payload: 'text' }, 422],
    ['a payload nested 200 levels deep', 'shared', { eventType: 'x', payload: deep(200) }, 422],
    ['a payload nested one level too deep', 'shared', { eventType: 'x', payload: deep(128) }, 422],
    ['a payload over HOOKLINE_MAX_BODY_BYTES', 'shared', { eventType: 'x', payload: { big: 'x'.repeat(1_100_000) } }, 413],
    ['both retention fields', 'shared', { eventType: 'x', payload: {}, payloadRetentionHours: 1, payloadRetentionPeriod: 1 }, 422],
    ['retention of 0 days', 'shared', { eventType: 'x', payload: {}, payloadRetentionPeriod: 0 }, 422],
    ['an application to create without uid', 'to-make', { eventType: 'x', payload: {}, application: { name: 'n' } }, 422],
    ['an application whose uid is not the one published to', 'to-make', { eventType: 'x', payload: {}, application: { name: 'n', uid: 'other' } }, 422],
    ['an application with an empty name', 'to-make', { eventType: 'x', payload: {}, application: { name: '', uid: 'to-make' } }, 422],
    ['an application uid like an id', 'app_x', { eventType: 'x', payload: {}, application: { name: 'n', uid: 'app_x' } }, 422],
  ];
  it.each(invalid)('%s', async (_name, app, input, status) => {
    const before = await messages();
    expect({ api: (await viaApi(app, input)).status, fn: (await viaFunction(app, input)).status }).toEqual({ api: status, fn: status });
    expect(await messages()).toBe(before);
  });

  it('the deepest nesting the API takes is taken by both', async () => {
    const input = { eventType: 'x', payload: deep(127) as object };
    expect({ api: (await viaApi('shared', input)).status, fn: (await viaFunction('shared', input)).status }).toEqual({ api: 202, fn: 202 });
  });
});

describe('idempotency keys: one key space for the API and the function', () => {
  it('a key used by the function is replayed by the API and by the function, and the other way round', async () => {
    const first = await viaFunction('shared', { eventType: 'x', payload: { k: 1 }, idempotencyKey: 'fn-first' });
    expect(first.status).toBe(202);
    expect(await viaApi('shared', { eventType: 'x', payload: { k: 1 }, idempotencyKey: 'fn-first' })).toEqual(first);
    expect(await viaFunction('shared', { eventType: 'x', payload: { k: 1 }, idempotencyKey: 'fn-first' })).toEqual(first);

    const byApi = await viaApi('shared', { eventType: 'x', payload: { k: 2 }, idempotencyKey: 'api-first' });
    expect(byApi.status).toBe(202);
    expect(await viaFunction('shared', { eventType: 'x', payload: { k: 2 }, idempotencyKey: 'api-first' })).toEqual(byApi);
    const count = await sql.query('SELECT count(*)::int AS n FROM message WHERE id = ANY($1)', [[first.id, byApi.id]]);
    expect(count.rows[0].n).toBe(2);
  });

  it('a rolled-back publish frees its key', async () => {
    await sql.query('BEGIN');
    const undone = await viaFunction('shared', { eventType: 'x', payload: {}, idempotencyKey: 'undone' });
    await sql.query('ROLLBACK');
    const again = await viaFunction('shared', { eventType: 'x', payload: {}, idempotencyKey: 'undone' });
    expect(again.status).toBe(202);
    expect(again.id).not.toBe(undone.id);
  });
});
