import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { createLogger } from '@hookline/core';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Request ids and request logs (api/src/http/requestLog.ts), for an api at the default-quiet level
// `warn`, as production and the bench run it: a 5xx is still logged with its request, and a request
// that logs nothing makes no logger of its own.

const lines: Array<Record<string, unknown>> = [];
const logger = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
let h: TestHookline;
let sql: pg.Client;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_LOG_LEVEL: 'warn' }, logger);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'request-log' }).expect(201)).body.id as string;
  sql = new pg.Client({ connectionString: h.connectionString });
  await sql.connect();
  // A real failure inside PostgreSQL, for one event type only: the api meets an error it cannot map.
  await sql.query(`CREATE FUNCTION test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.event_type = 'test.explode' THEN RAISE EXCEPTION 'exploded for the test'; END IF; RETURN NEW; END $$`);
  await sql.query('CREATE TRIGGER test_explode BEFORE INSERT ON message FOR EACH ROW EXECUTE FUNCTION test_explode()');
});
afterAll(async () => {
  await sql?.end();
  await h?.stop();
});

const publish = (eventType: string, headers: Record<string, string> = {}) =>
  h.http
    .post(`/api/v1/app/${appId}/msg?with_content=false`)
    .set(auth)
    .set(headers)
    .send({ eventType, payload: { n: 1 } });

describe('request ids and logs', () => {
  it('answers with the caller’s x-request-id when it is a plain token, else with a new UUID', async () => {
    expect((await publish('a.b', { 'x-request-id': 'req-1.A_b' }).expect(202)).headers['x-request-id']).toBe('req-1.A_b');
    for (const given of ['has space', 'x'.repeat(129), '']) {
      const id = (await publish('a.b', { 'x-request-id': given }).expect(202)).headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('logs a 5xx with its request (id, method, path without the query), and nothing for the requests that succeed', async () => {
    lines.length = 0;
    await publish('a.b').expect(202);
    const res = await publish('test.explode', { 'x-request-id': 'boom-1' }).expect(500);
    expect(res.body).toEqual({ code: 'internal_error', detail: 'Internal server error' });
    const req = { id: 'boom-1', method: 'POST', path: `/api/v1/app/${appId}/msg` };
    expect(lines.map((l) => [l.msg, l.req])).toEqual([
      ['unhandled error', req],
      ['request errored', req],
    ]);
    expect(lines[1]).toMatchObject({ level: 50, res: { statusCode: 500 } });
    expect(lines[1]!.responseTime).toEqual(expect.any(Number));
  });

  it('makes no logger for a request that logs nothing', async () => {
    const child = vi.spyOn(logger, 'child');
    try {
      for (let i = 0; i < 5; i++) await publish('a.b').expect(202);
      await h.http.get(`/api/v1/app/${appId}/msg`).set(auth).expect(200);
      await h.http.get('/api/v1/app/app_missing').set(auth).expect(404);
      expect(child).not.toHaveBeenCalled();
    } finally {
      child.mockRestore();
    }
  });

  it('sends no ETag with API responses (nobody revalidates them, and it hashed every body)', async () => {
    const published = await publish('a.b').expect(202);
    const listed = await h.http.get(`/api/v1/app/${appId}/msg`).set(auth).expect(200);
    expect([published.headers.etag, listed.headers.etag]).toEqual([undefined, undefined]);
  });
});
