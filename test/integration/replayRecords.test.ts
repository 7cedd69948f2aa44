import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { runMaintenance } from '@hookline/core';
import { up as upgradeReplayRecords } from '../../packages/db/src/migrations/0017_replay_records.ts';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Issue 17, 2b: stored idempotent responses hold no credentials and never bring back deleted or
// expired message content.
let h: TestHookline;
let tenantId: string;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const tenant = await h.createTenant('replay');
  tenantId = tenant.tenantId;
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'replay' }).expect(201)).body.id;
});
afterAll(async () => h?.stop());

/** Everything the idempotency table holds for the tenant, as a database reader sees it. */
async function storedRecords(): Promise<string> {
  const { rows } = await sql<{ request: string; responseBody: string | null }>`
    SELECT request, response_body AS "responseBody" FROM idempotency_key WHERE tenant_id = ${tenantId}`.execute(h.hookline.db);
  return JSON.stringify(rows);
}

describe('replay records hold no credentials', () => {
  it('stores no portal token for app-portal-access with an idempotency-key; a repeat gets a working token', async () => {
    const path = `/api/v1/auth/app-portal-access/${appId}`;
    const first = await h.http.post(path).set(auth).set('idempotency-key', 'portal-1').send({}).expect(200);
    const token = first.body.token as string;
    expect(token.length).toBeGreaterThan(20);

    const stored = await storedRecords();
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('app-portal-access');

    // The same key again (a client's retry): a fresh token for the same application, which works.
    const again = await h.http.post(path).set(auth).set('idempotency-key', 'portal-1').send({}).expect(200);
    expect(again.body.url).toContain('/portal/#token=');
    await h.http
      .get(`/api/v1/app/${appId}`)
      .set({ authorization: `Bearer ${again.body.token}` })
      .expect(200);
    expect(await storedRecords()).not.toContain(again.body.token);
  });
});

describe('replay records never resurrect message content', () => {
  it('a replay after DELETE …/content shows no payload, and the record never held it', async () => {
    const secret = 'card-4111-1111-1111-1111';
    const send = () => h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('idempotency-key', 'msg-content').send({ eventType: 'card.saved', payload: { secret } });
    const first = await send().expect(202);
    expect(first.body.payload).toEqual({ secret });
    expect(await storedRecords()).not.toContain(secret);

    // Before the deletion a replay still shows the content (read from the message row).
    const before = await send().expect(202);
    expect(before.headers['idempotent-replayed']).toBe('true');
    expect(before.body).toEqual(first.body);

    await h.http.delete(`/api/v1/app/${appId}/msg/${first.body.id}/content`).set(auth).expect(204);
    const replay = await send().expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ ...first.body, payload: {} });
    expect(JSON.stringify(replay.body)).not.toContain(secret);
  });

  it('a replay after the payload retention expired shows no payload', async () => {
    const secret = 'expiring-payload-value';
    const send = () =>
      h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .set('idempotency-key', 'msg-retention')
        .send({ eventType: 'card.saved', payload: { secret }, payloadRetentionHours: 1 });
    const first = await send().expect(202);
    // Maintenance as it runs two hours later: the payload is past its retention, the key is not.
    const result = await runMaintenance(h.hookline.db, { messageRetentionDays: 90 }, new Date(Date.now() + 2 * 3_600_000));
    expect(result.payloadsExpired).toBeGreaterThanOrEqual(1);
    expect(result.idempotencyKeysPruned).toBe(0);
    const replay = await send().expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ ...first.body, payload: {} });
    expect(await storedRecords()).not.toContain(secret);
  });

  it('a replay of a publish without content stays without it', async () => {
    const send = () =>
      h.http
        .post(`/api/v1/app/${appId}/msg?with_content=false`)
        .set(auth)
        .set('idempotency-key', 'msg-no-content')
        .send({ eventType: 'card.saved', payload: { shown: 'never' } });
    const first = await send().expect(202);
    expect(first.body.payload).toEqual({});
    const replay = await send().expect(202);
    expect(replay.body).toEqual(first.body);
  });
});

describe('upgrading', () => {
  it('drops the portal tokens stored before; a publish record stored with its payload replays the current content', async () => {
    const stored = (request: string, key: string, status: number, body: object) =>
      sql`
      INSERT INTO idempotency_key (tenant_id, key, request, status_code, response_body, completed_at)
      VALUES (${tenantId}, ${key}, ${request}, ${status}, ${JSON.stringify(body)}, now())`.execute(h.hookline.db);
    await stored(`POST /api/v1/auth/app-portal-access/${appId}`, 'old-portal', 200, { url: 'https://x/portal/#token=old-token', token: 'old-token' });
    // As a version before this one stored a publish: the whole response, payload included.
    const published = await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'card.saved', payload: { secret: 'old-payload' } })
      .expect(202);
    await stored(`POST /api/v1/app/${appId}/msg`, 'old-msg', 202, published.body);
    await stored('POST /api/v1/app', 'old-app', 201, { id: 'app_old', name: 'kept as it was' });

    await upgradeReplayRecords(h.hookline.db as unknown as Kysely<unknown>);
    const after = await storedRecords();
    expect(after).not.toContain('old-token');
    expect(after).toContain('kept as it was');

    await h.http.delete(`/api/v1/app/${appId}/msg/${published.body.id}/content`).set(auth).expect(204);
    const replay = await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).set('idempotency-key', 'old-msg').send({ eventType: 'card.saved', payload: {} }).expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ ...published.body, payload: {} });
  });
});
