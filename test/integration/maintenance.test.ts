import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMaintenance } from '@hookline/core';
import { operatorInvite, sessionAs, TEST_PASSWORD } from '@hookline/test-support/console';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';

let h: TestHookline;

beforeAll(async () => {
  h = await startTestHookline();
});
afterAll(async () => h?.stop());

it('prunes idempotency keys past their retention and keeps recent ones', async () => {
  const { db } = h.hookline;
  const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);
  await db
    .insertInto('idempotencyKey')
    .values([
      { tenantId: 'org_a', key: 'old', request: 'POST /x', statusCode: 202, responseBody: '{}', createdAt: hoursAgo(25), completedAt: hoursAgo(25) },
      { tenantId: 'org_a', key: 'recent', request: 'POST /x', statusCode: 202, responseBody: '{}', createdAt: hoursAgo(13), completedAt: hoursAgo(13) },
    ])
    .execute();
  const result = await runMaintenance(db, { messageRetentionDays: 90 });
  expect(result.idempotencyKeysPruned).toBe(1);
  const left = await db.selectFrom('idempotencyKey').select('key').execute();
  expect(left.map((r) => r.key)).toEqual(['recent']);
});

it('deletes console sessions and invitations that ended over a day ago, and keeps live ones', async () => {
  const { db } = h.hookline;
  const { tenantId } = await h.createTenant('accounts');
  const live = await sessionAs(h, tenantId, 'viewer', 'live@example.com');
  const ended = await sessionAs(h, tenantId, 'viewer', 'ended@example.com');
  const pending = await operatorInvite(h, tenantId, 'pending@example.com', 'viewer');
  await sql`UPDATE person_session SET expires_at = now() - interval '25 hours' WHERE person_id = ${ended.personId}`.execute(db);
  // Both taken invitations were used just now: kept for a day.
  expect((await runMaintenance(db, { messageRetentionDays: 90 })).accountsPruned).toBe(1);
  await sql`UPDATE invite SET used_at = now() - interval '25 hours' WHERE used_at IS NOT NULL`.execute(db);
  expect((await runMaintenance(db, { messageRetentionDays: 90 })).accountsPruned).toBe(2);
  await h.http.get('/console/v1/me').set(live.headers).expect(200);
  await h.http.post('/console/v1/invites/accept').set({ origin: h.url, 'x-hookline-csrf': '1' }).send({ token: pending, password: TEST_PASSWORD }).expect(200);
});

it('drops the history partitions past the message retention, with the eventId claims of their messages', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'm' }).expect(201)).body.id as string;
  const msg = (await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'once', payload: {} }).expect(202)).body.id as string;
  await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'once', payload: {} }).expect(409);
  await h.http.get(`/api/v1/app/${app}/msg/once`).set(auth).expect(200);

  // Today's retention keeps it; three days on, a retention of one day does not.
  const kept = await runMaintenance(h.hookline.db, { messageRetentionDays: 1 });
  expect(kept.partitionsDropped).toEqual([]);
  expect(kept.messagesInDefault).toBe(0);
  const later = await runMaintenance(h.hookline.db, { messageRetentionDays: 1 }, new Date(Date.now() + 3 * 86_400_000));
  expect(later.partitionsDropped).toContain('legacy');
  expect(later.partitionsCreated.length).toBeGreaterThan(0);
  expect(later.eventIdsPruned).toBe(1);
  await h.http.get(`/api/v1/app/${app}/msg/${msg}`).set(auth).expect(404);
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM message WHERE id = ${msg}`.execute(h.hookline.db);
  expect(rows[0]!.n).toBe(0);
  // Its eventId may be used again.
  await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'once', payload: {} }).expect(202);
});

it('is scheduled once for the deployment by the worker', async () => {
  const { rows } = await sql<{ name: string; cron: string }>`SELECT name, cron FROM ${sql.table(`${QUEUE_SCHEMA}.schedule`)}`.execute(h.hookline.db);
  expect(rows).toEqual([{ name: 'maintenance.v1', cron: '*/10 * * * *' }]);
});

it('deletes pending counters of past hours back at zero, daily message counts past 90 days, and ended password reset links', async () => {
  const { db } = h.hookline;
  const hourAgo = (n: number) => sql`date_trunc('hour', now()) - make_interval(hours => ${n})`;
  const counter = (endpointId: string, hoursAgo: number, status: number, n: number, part = 0) =>
    sql`INSERT INTO delivery_status_count (tenant_id, app_id, endpoint_id, hour, status, n, part)
      VALUES ('org_m', 'app_m', ${endpointId}, ${hourAgo(hoursAgo)}, ${status}, ${n}, ${part})`.execute(db);
  await counter('ep_settled', 3, 1, 0);
  await counter('ep_waiting', 3, 1, 2);
  await counter('ep_this_hour', 0, 1, 0);
  await counter('ep_succeeded', 3, 0, 0);
  // A count is the sum of its parts (what fan-outs added, what attempts moved away): both go, or neither.
  await counter('ep_parts_settled', 3, 3, 4);
  await counter('ep_parts_settled', 3, 3, -4, 1);
  await counter('ep_parts_waiting', 3, 3, 4);
  await counter('ep_parts_waiting', 3, 3, -3, 1);
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  await sql`INSERT INTO tenant_message_count (tenant_id, day, slot, n) VALUES ('org_m', ${day(91)}, 0, 5), ('org_m', ${day(89)}, 0, 7)`.execute(db);
  const { tenantId } = await h.createTenant('resets');
  const person = await sessionAs(h, tenantId, 'viewer', 'reset-pruned@example.com');
  await sql`INSERT INTO password_reset (id, token_hash, person_id, expires_at, used_at) VALUES
    ('pwr_used', 'h1', ${person.personId}, now() + interval '1 minute', now() - interval '25 hours'),
    ('pwr_expired', 'h2', ${person.personId}, now() - interval '25 hours', NULL),
    ('pwr_live', 'h3', ${person.personId}, now() + interval '1 minute', NULL)`.execute(db);

  const result = await runMaintenance(db, { messageRetentionDays: 30 });
  expect(result.countersPruned).toBe(4);
  expect(result.accountsPruned).toBeGreaterThanOrEqual(2);
  const left = await sql<{ ep: string }>`SELECT endpoint_id AS ep FROM delivery_status_count WHERE tenant_id = 'org_m' ORDER BY endpoint_id`.execute(db);
  expect(left.rows.map((r) => r.ep)).toEqual(['ep_parts_waiting', 'ep_parts_waiting', 'ep_succeeded', 'ep_this_hour', 'ep_waiting']);
  const days = await sql<{ day: string }>`SELECT day::text AS day FROM tenant_message_count WHERE tenant_id = 'org_m'`.execute(db);
  expect(days.rows).toEqual([{ day: day(89) }]);
  const resets = await sql<{ id: string }>`SELECT id FROM password_reset`.execute(db);
  expect(resets.rows).toEqual([{ id: 'pwr_live' }]);
});
