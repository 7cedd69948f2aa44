import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionAs } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type ReceivedRequest, type Receiver } from '@hookline/test-support/receiver';

// The headers each attempt was sent with are recorded by the worker (migration 0028) and shown by
// the attempt's detail: exactly what the receiver got, credentials never stored, custom header
// values only to callers that may read them, a rebuilt list for attempts from before.

type Auth = Record<string, string>;
interface Detail {
  id: string;
  msgId: string;
  requestHeaders: { recorded: boolean; headers: Record<string, string>; redacted: string[] };
  responseHeaders: Record<string, string> | null;
}

const CREDENTIALS = { authorization: 'Bearer cred-9f8e7d6c5b', 'x-api-key': 'key-0a1b2c3d4e', cookie: 'sid=cookie-5f6a7b8c' };

let h: TestHookline;
let receiver: Receiver;
let db: pg.Client;
let tenantId: string;
let key: Auth;
let appId: string;
let endpointId: string;
let closedEndpoint: string;

const attemptsOf = async (msgId: string, endpoint = endpointId) =>
  (await h.http.get(`/api/v1/app/${appId}/attempt/msg/${msgId}?endpoint_id=${endpoint}`).set(key).expect(200)).body.data as Array<{ id: string }>;
const detail = async (auth: Auth, msgId: string, attemptId: string) =>
  (await h.http.get(`/api/v1/app/${appId}/msg/${msgId}/attempt/${attemptId}`).set(auth).expect(200)).body as Detail;

/** Publishes, waits for the receiver to get it and for its attempt to be recorded; returns both sides. */
async function deliverOne(payload: object): Promise<{ msgId: string; attemptId: string; received: ReceivedRequest }> {
  const msgId = (await h.http.post(`/api/v1/app/${appId}/msg`).set(key).send({ eventType: 'order.paid', payload }).expect(202)).body.id as string;
  let attempts: Array<{ id: string }> = [];
  await waitUntil(async () => (attempts = await attemptsOf(msgId)).length > 0, 20_000, `the attempt of ${msgId}`);
  const received = receiver.requests.find((r) => r.headers['webhook-id'] === msgId)!;
  return { msgId, attemptId: attempts[0]!.id, received };
}

beforeAll(async () => {
  h = await startTestHookline();
  receiver = await startReceiver(() => ({ status: 200, body: 'ok', headers: { 'x-receiver': 'r1' } }));
  db = new pg.Client({ connectionString: h.connectionString });
  await db.connect();
  const tenant = await h.createTenant('headers');
  tenantId = tenant.tenantId;
  key = { authorization: `Bearer ${tenant.apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(key).send({ name: 'headers' }).expect(201)).body.id;
  endpointId = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(key)
      .send({
        url: `${receiver.url}/hook`,
        headers: { 'X-Team': 'blue', Authorization: CREDENTIALS.authorization, 'X-Api-Key': CREDENTIALS['x-api-key'], Cookie: CREDENTIALS.cookie },
      })
      .expect(201)
  ).body.id;
}, 60_000);
afterAll(async () => {
  await db?.end();
  await receiver?.close();
  await h?.stop();
});

describe('recorded request headers', () => {
  it('shows exactly the headers the receiver got, credentials by name only', async () => {
    const { msgId, attemptId, received } = await deliverOne({ n: 1 });
    const got = await detail(key, msgId, attemptId);
    expect(got.requestHeaders.recorded).toBe(true);
    expect(got.requestHeaders.headers).toEqual({
      'webhook-id': msgId,
      'webhook-timestamp': received.headers['webhook-timestamp'],
      'webhook-signature': received.headers['webhook-signature'],
      'content-type': 'application/json',
      'user-agent': received.headers['user-agent'],
      'x-team': 'blue',
    });
    expect(got.requestHeaders.redacted.sort()).toEqual(['authorization', 'cookie', 'x-api-key']);
    // The receiver did get the credentials; the record holds none of them, nor does the answer.
    expect(received.headers.authorization).toBe(CREDENTIALS.authorization);
    expect(received.headers['x-api-key']).toBe(CREDENTIALS['x-api-key']);
    const stored = await db.query(`SELECT a::text AS row FROM message_attempt a WHERE tenant_id = $1`, [tenantId]);
    const answer = JSON.stringify(got);
    for (const secret of Object.values(CREDENTIALS)) {
      for (const r of stored.rows as Array<{ row: string }>) expect(r.row).not.toContain(secret);
      expect(answer).not.toContain(secret);
    }
    const [row] = (await db.query(`SELECT request_headers FROM message_attempt WHERE id = $1`, [attemptId])).rows as Array<{ request_headers: Record<string, unknown> }>;
    expect(row!.request_headers).toMatchObject({ authorization: null, cookie: null, 'x-api-key': null, 'x-team': 'blue' });
    expect(got.responseHeaders).toMatchObject({ 'x-receiver': 'r1', 'content-length': '2' });
  });

  it('records both signatures while a rotated secret is in its grace period', async () => {
    await h.http.post(`/api/v1/app/${appId}/endpoint/${endpointId}/secret/rotate`).set(key).send({}).expect(204);
    const { msgId, attemptId, received } = await deliverOne({ n: 2 });
    const signature = (await detail(key, msgId, attemptId)).requestHeaders.headers['webhook-signature']!;
    expect(signature.split(' ')).toHaveLength(2);
    expect(signature).toBe(received.headers['webhook-signature']);
  });

  it('records the headers of a failed attempt too (no response: connection refused)', async () => {
    const closed = await startReceiver();
    const url = `${closed.url}/gone`;
    await closed.close();
    closedEndpoint = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(key)
        .send({ url, headers: { 'X-Team': 'red' } })
        .expect(201)
    ).body.id;
    const msgId = (
      await h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(key)
        .send({ eventType: 'order.paid', payload: { n: 3 } })
        .expect(202)
    ).body.id as string;
    let attempts: Array<{ id: string }> = [];
    await waitUntil(async () => (attempts = await attemptsOf(msgId, closedEndpoint)).length > 0, 20_000, 'the failed attempt');
    const got = await detail(key, msgId, attempts[0]!.id);
    expect(got.responseHeaders).toBeNull();
    expect(got.requestHeaders).toMatchObject({ recorded: true, redacted: [] });
    expect(got.requestHeaders.headers).toMatchObject({ 'webhook-id': msgId, 'x-team': 'red', 'content-type': 'application/json' });
    expect(got.requestHeaders.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('shows custom header values only to callers that may read them: a viewer and a read-only portal see names', async () => {
    const { msgId, attemptId } = await deliverOne({ n: 4 });
    const viewer = await sessionAs(h, tenantId, 'viewer');
    const developer = await sessionAs(h, tenantId, 'developer');
    const token = async (capabilities: string[]) =>
      ({ authorization: `Bearer ${(await h.http.post(`/api/v1/auth/app-portal-access/${appId}`).set(key).send({ capabilities }).expect(200)).body.token}` }) as Auth;
    const hidden = [await detail(viewer.headers, msgId, attemptId), await detail(await token(['ViewBase']), msgId, attemptId)];
    for (const got of hidden) {
      expect(got.requestHeaders.headers['x-team']).toBeUndefined();
      expect(got.requestHeaders.redacted.sort()).toEqual(['authorization', 'cookie', 'x-api-key', 'x-team']);
      expect(got.requestHeaders.headers['webhook-id']).toBe(msgId);
    }
    const reads = async () =>
      (
        await db.query(`SELECT changes FROM audit_log WHERE tenant_id = $1 AND action = 'endpoint.headers.read' AND target_id = $2 AND changes->'attempt'->>'to' = $3`, [
          tenantId,
          endpointId,
          attemptId,
        ])
      ).rows as Array<{
        changes: unknown;
      }>;
    // Names only, as for the endpoint's own header settings: seeing a value is a secret read, audited.
    expect(await reads()).toEqual([]);
    for (const auth of [developer.headers, await token(['ViewBase', 'ManageEndpoint'])]) {
      expect((await detail(auth, msgId, attemptId)).requestHeaders.headers['x-team']).toBe('blue');
    }
    const audited = await reads();
    expect(audited).toHaveLength(2);
    expect(audited[0]!.changes).toEqual({ headers: { to: ['x-team'] }, attempt: { to: attemptId } });
    expect(JSON.stringify(audited)).not.toContain('blue');
  });

  it('rebuilds the headers of an attempt recorded before they were, without its signature', async () => {
    const { msgId, attemptId, received } = await deliverOne({ n: 5 });
    await db.query(`UPDATE message_attempt SET request_headers = NULL WHERE id = $1`, [attemptId]);
    const got = await detail(key, msgId, attemptId);
    expect(got.requestHeaders).toEqual({
      recorded: false,
      headers: {
        'webhook-id': msgId,
        // Recorded minus its duration is when it was signed, to the second: at most a second off.
        'webhook-timestamp': expect.stringMatching(/^\d+$/),
        'user-agent': received.headers['user-agent'],
        'content-type': 'application/json',
      },
      redacted: ['webhook-signature'],
    });
    expect(Math.abs(Number(got.requestHeaders.headers['webhook-timestamp']) - Number(received.headers['webhook-timestamp']))).toBeLessThanOrEqual(1);
  });
});
