import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledQuery } from 'kysely';
import { createTestDatabase } from '@hookline/test-support/database';
import { at, DAY, NOW, parentOf, PARTITION_DAYS, partitionSyntheticHistory, T0 } from './syntheticHistory.ts';
import {
  applicationRepo,
  attemptRepo,
  overviewRepo,
  connectDatabase,
  deliveryStatsRepo,
  endpointRepo,
  eventTypeRepo,
  messageRepo,
  pollerRepo,
  replayRepo,
  retentionRepo,
  scopeToTenant,
  type Database,
  type Page,
} from '../src/index.ts';

// Every list query of the API and the portal, run by the real repository functions (through the
// tenant scope, as handlers run them) against ~1,000,000 attempts, and EXPLAINed: none may read a
// big table (message, message_delivery, message_attempt) with a sequential scan. The history is
// spread over partitions of 5 days (as HOOKLINE_HISTORY_PARTITION_SECONDS makes them); a lookup by
// message id must read one partition.

const BIG_TABLES = new Set(['message', 'message_delivery', 'message_attempt']);
const MESSAGES = 250_000; // × 2 endpoints = 500,000 deliveries, × 2 attempts = 1,000,000 attempts

const pad = (n: number) => String(n).padStart(27, '0');
const APP = (k: number) => `app_${pad(k)}`;
const EP = (k: number) => `ep_${pad(k)}`;

let server: pg.Client;
let drop: () => Promise<void>;
let db: Database;
const captured: CompiledQuery[] = [];
/** Partitions that hold rows. */
let populated: Set<string>;
/** A message of APP(0) near the middle of the history. */
let existingMsg: string;

async function seed(c: pg.Client): Promise<void> {
  // Bulk load without per-row foreign-key triggers; the rows are consistent by construction.
  await c.query(`SET session_replication_role = replica`);
  await c.query(`INSERT INTO tenant (id, name) SELECT 'org_' || t, 'tenant ' || t FROM unnest(ARRAY['a', 'b', 'c']) t`);
  // 150 applications, 50 per tenant, 2 endpoints each. Application 0 (tenant a) gets half of all messages.
  await c.query(`INSERT INTO application (id, tenant_id, name)
    SELECT 'app_' || lpad(k::text, 27, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app ' || k FROM generate_series(0, 149) k`);
  await c.query(`INSERT INTO endpoint (id, tenant_id, app_id, url)
    SELECT 'ep_' || lpad((k * 2 + j)::text, 27, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app_' || lpad(k::text, 27, '0'),
      'https://receiver.example.com/hooks/' || k || '/' || j
    FROM generate_series(0, 149) k, generate_series(0, 1) j`);
  await c.query(`INSERT INTO event_type (tenant_id, name, description)
    SELECT 'org_' || t, e, e FROM unnest(ARRAY['a', 'b', 'c']) t, unnest(ARRAY['order.created', 'order.paid', 'user.deleted']) e`);
  // One message every ~10 s over 30 days; 'user.deleted' is rare (1 in 1000), channel 'eu' 1 in 10, tag 'vip' 1 in 50.
  await c.query(`INSERT INTO message (id, tenant_id, app_id, event_type, channels, tags, payload, created_at, expires_at)
    SELECT 'msg_' || lpad(ms::text, 13, '0') || lpad(i::text, 14, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app_' || lpad(k::text, 27, '0'),
      CASE WHEN i % 1000 = 0 THEN 'user.deleted' WHEN i % 3 = 0 THEN 'order.paid' ELSE 'order.created' END,
      CASE WHEN i % 10 = 0 THEN ARRAY['eu'] END, CASE WHEN i % 50 = 0 THEN ARRAY['vip'] END,
      '{"id":"ord_' || i || '","customer":{"id":"cus_' || (i % 5000) || '","email":"someone' || (i % 5000) || '@example.com"},"amount":' || (i % 100000)
        || ',"currency":"EUR","lines":[{"sku":"sku-' || (i % 300) || '","qty":2,"price":1999},{"sku":"sku-' || (i % 70) || '","qty":1,"price":4999}],'
        || '"status":"created","createdAt":"' || to_char(to_timestamp(ms / 1000.0), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"}',
      to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0) + interval '90 days'
    FROM generate_series(1, ${MESSAGES}) i,
      LATERAL (SELECT ${T0}::bigint + i::bigint * ${(30 * DAY) / MESSAGES} AS ms, CASE WHEN i % 2 = 0 THEN 0 ELSE (i / 2) % 149 + 1 END AS k) x`);
  // Every message goes to both endpoints of its application; 1 in 20 deliveries failed for good.
  await c.query(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, created_at, updated_at)
    SELECT m.tenant_id, m.app_id, m.id, e.id, CASE WHEN hashtext(m.id || e.id) % 20 = 0 THEN 2 ELSE 0 END, 2, NULL, m.created_at, m.created_at
    FROM message m JOIN endpoint e ON e.app_id = m.app_id`);
  // Two attempts per delivery: the first failed (500) for 1 in 3, the second as the delivery ended.
  await c.query(`INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response,
      response_duration_ms, trigger_type, created_at, response_headers)
    SELECT 'atmpt_' || lpad((extract(epoch FROM d.created_at) * 1000 + a * 5000)::bigint::text, 13, '0')
        || lpad((substr(d.msg_id, 18)::bigint * 4 + (right(d.endpoint_id, 6)::int % 2) * 2 + a)::text, 14, '0'),
      d.tenant_id, d.app_id, d.msg_id, d.endpoint_id, 'https://receiver.example.com/hooks', s.status, s.code,
      CASE WHEN s.status = 0 THEN '{"received":true}' ELSE '{"error":"upstream unavailable","retry":true}' END,
      40 + (a * 17) % 200, 0, d.created_at + a * interval '5 seconds', '{"content-type":"application/json","x-request-id":"9f0c1b7e-52a4-4d8e-b3a1-6f2e0d9c4b1a"}'
    FROM message_delivery d, generate_series(0, 1) a,
      LATERAL (SELECT CASE WHEN d.status = 2 OR (a = 0 AND hashtext(d.msg_id) % 3 = 0) THEN 2 ELSE 0 END AS status) st,
      LATERAL (SELECT st.status, CASE WHEN st.status = 0 THEN 200 ELSE 500 END AS code) s`);
  // The console overview's state (the triggers that keep it are off while seeding): tenant a has 4
  // endpoints failing now, 2 of them since disabled by the worker (with its audit record); the
  // delivery counters of its 100 endpoints over 30 days of hours, pending rows of the last 2 days
  // back at zero but for one endpoint in ten.
  await c.query(`UPDATE endpoint SET failing_since = now() - interval '2 days', disabled = id IN ($3, $4) WHERE id IN ($1, $2, $3, $4)`, [EP(0), EP(1), EP(2), EP(3)]);
  await c.query(`INSERT INTO audit_log (id, tenant_id, at, actor_kind, actor_id, actor_name, action, target_kind, target_id, app_id, changes)
    SELECT 'audit_' || e.id, e.tenant_id, now() - interval '1 day', 'maintenance', 'delivery', 'delivery', 'endpoint.disabled', 'endpoint', e.id, e.app_id,
      '{"disabled":{"from":false,"to":true},"reason":{"to":"failing"}}' FROM endpoint e WHERE e.disabled`);
  await c.query(`INSERT INTO delivery_status_count (tenant_id, app_id, endpoint_id, hour, status, n)
    SELECT e.tenant_id, e.app_id, e.id, date_trunc('hour', now()) - h * interval '1 hour', s.status,
      CASE WHEN s.status = 0 THEN 10 WHEN h < 48 AND right(e.id, 1) = '0' THEN 3 ELSE 0 END
    FROM endpoint e, generate_series(0, 719) h, (VALUES (0), (1)) s(status)
    WHERE e.tenant_id = 'org_a' AND (s.status = 0 OR h < 48)`);
  await c.query(`SET session_replication_role = origin`);
  // As autovacuum leaves a table that has settled: statistics, and the visibility map index-only scans need.
  await c.query(`VACUUM ANALYZE`);
}

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  server = new pg.Client({ connectionString: created.connectionString });
  await server.connect();
  db = connectDatabase({
    connectionString: created.connectionString,
    max: 2,
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  await partitionSyntheticHistory(db);
  await seed(server);
  captured.length = 0;
  const parts = await server.query(`SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
    WHERE i.inhparent = ANY(ARRAY['message', 'message_delivery', 'message_attempt']::regclass[]) AND c.relpages > 0`);
  populated = new Set(parts.rows.map((r: { relname: string }) => r.relname));
  const msg = await server.query(`SELECT id FROM message WHERE app_id = $1 AND id >= $2 ORDER BY id LIMIT 1`, [APP(0), midMsg]);
  existingMsg = msg.rows[0].id as string;
}, 600_000);
afterAll(async () => {
  await db?.destroy();
  await server?.end();
  await drop?.();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** Runs `call` (one repository function), then EXPLAINs (ANALYZE) the statements it sent (most send one). */
async function explain(call: () => Promise<unknown>) {
  captured.length = 0;
  await call();
  expect(captured.length).toBeGreaterThanOrEqual(1);
  const out = { sql: '', all: [] as PlanNode[], ms: 0 };
  for (const query of captured.splice(0)) {
    const res = await server.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, [...query.parameters]);
    const plan = (res.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Execution Time': number }>)[0]!;
    out.sql += `${out.sql ? '\n  ' : ''}${query.sql}`;
    out.all.push(...nodes(plan.Plan));
    out.ms += plan['Execution Time'];
  }
  return out;
}

// As the API reads pages: under the default byte bound (HOOKLINE_MAX_PAGE_BYTES), which lists with content apply.
const page = (extra: Partial<Page> = {}): Page => ({ limit: 51, direction: 'desc', maxBytes: 4 * 2 ** 20, ...extra });
/** Endpoint stats' window: 28 days of hour counters. */
const STATS_HOURS = { fromHour: new Date(NOW - 28 * DAY), toHour: new Date(NOW) };
const A = 'org_a';
const scoped = () => scopeToTenant(db, A);
const recent = at(NOW - 2 * DAY, 'atmpt');
const weekAgo = at(NOW - 7 * DAY, 'atmpt');
const midMsg = at(T0 + 15 * DAY, 'msg');
/** One day in the middle of the history, as a bulk replay or replay-missing of APP(0)'s first endpoint reads it. */
const replayDay = { tenantId: A, appId: APP(0), endpointId: EP(0), fromMsgId: at(T0 + 12 * DAY, 'msg'), toMsgId: at(T0 + 13 * DAY, 'msg') };

/** A poll of APP(0) after `afterMs` up to now, as polling.ts reads it; `extra` narrows it. */
const poll = (afterMs: number, extra: Partial<pollerRepo.PollRead> = {}) =>
  pollerRepo.readAfter(scoped(), {
    tenantId: A,
    appId: APP(0),
    afterId: at(afterMs, 'msg'),
    beforeId: at(NOW, 'msg'),
    limit: 50,
    maxBytes: 4 * 2 ** 20,
    eventTypes: null,
    channels: null,
    ...extra,
  });

/** Every list query the API and the portal make, as [name, call]. */
const QUERIES: Array<[string, () => Promise<unknown>]> = [
  ['applications', () => applicationRepo.listApplications(scoped(), A, page())],
  ['applications, next page', () => applicationRepo.listApplications(scoped(), A, page({ beforeId: APP(30) }))],
  ['applications by search', () => applicationRepo.listApplications(scoped(), A, page(), 'app 4')],
  ['applications: endpoints by state', () => applicationRepo.countEndpointsByState(scoped(), A, [APP(0), APP(1), APP(2)])],
  ['applications: attempts of 24 hours', () => deliveryStatsRepo.countAttemptsByApp(scoped(), A, [APP(0), APP(1), APP(2)], new Date(NOW - DAY))],
  ['overview: backlog', () => overviewRepo.countBacklog(scoped(), A, [1, 3])],
  ['overview: failing endpoints with their last attempt', () => overviewRepo.listFailingEndpoints(scoped(), A, 20, 500)],
  ['overview: endpoints disabled by the worker', () => overviewRepo.listAutoDisabledEndpoints(scoped(), A, 20)],
  ['event types', () => eventTypeRepo.listEventTypes(scoped(), A, { limit: 51, direction: 'asc', includeArchived: false })],
  ['endpoints', () => endpointRepo.listEndpoints(scoped(), A, APP(0), page())],
  ['messages of a small application', () => messageRepo.listMessages(scoped(), A, APP(1), page(), { withPayload: true })],
  [
    'messages of a small application by event type',
    () => messageRepo.listMessages(scoped(), A, APP(1), page(), { eventTypes: ['order.paid', 'user.deleted'], withPayload: true }),
  ],
  ['attempts by endpoint of a small application', () => attemptRepo.listAttempts(scoped(), A, APP(1), { endpointId: EP(2) }, page(), { status: 2, withResponse: true })],
  ['endpoint stats of a small application', () => deliveryStatsRepo.countDeliveriesByStatus(scoped(), A, EP(2), STATS_HOURS)],
  ['messages', () => messageRepo.listMessages(scoped(), A, APP(0), page(), { withPayload: true })],
  ['messages, next page', () => messageRepo.listMessages(scoped(), A, APP(0), page({ beforeId: midMsg }), { withPayload: true })],
  ['messages, ascending', () => messageRepo.listMessages(scoped(), A, APP(0), page({ direction: 'asc' }), { withPayload: true })],
  ['messages by rare event type', () => messageRepo.listMessages(scoped(), A, APP(0), page(), { eventTypes: ['user.deleted'], withPayload: true })],
  ['messages by channel', () => messageRepo.listMessages(scoped(), A, APP(0), page(), { channel: 'eu', withPayload: true })],
  ['messages by tag', () => messageRepo.listMessages(scoped(), A, APP(0), page(), { tag: 'vip', withPayload: true })],
  [
    'messages in a time window',
    () => messageRepo.listMessages(scoped(), A, APP(0), page(), { after: new Date(NOW - 8 * DAY), before: new Date(NOW - 7 * DAY), withPayload: true }),
  ],
  ['message by id', () => messageRepo.findMessage(scoped(), A, APP(0), midMsg)],
  ['poller: messages after an iterator', () => poll(T0 + 12 * DAY)],
  ["poller: after an iterator, the poller's event types and channels", () => poll(T0 + 12 * DAY, { eventTypes: ['order.paid'], channels: ['eu'] })],
  ['poller: a small application', () => poll(T0 + 12 * DAY, { appId: APP(1) })],
  ['attempts by message', () => attemptRepo.listAttempts(scoped(), A, APP(0), { msgId: midMsg }, page(), { withResponse: true })],
  ['attempts by endpoint', () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { withResponse: true })],
  ['attempts by endpoint, failed', () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { status: 2, withResponse: true })],
  [
    'attempts by endpoint, 5xx',
    () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { responseStatus: { min: 500, max: 599 }, withResponse: true }),
  ],
  ['attempts by endpoint, last 2 days', () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { above: recent, withResponse: true })],
  [
    'attempts by endpoint, before a week ago',
    () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page({ beforeId: weekAgo }), { below: weekAgo, withResponse: true }),
  ],
  [
    'attempts by endpoint, rare event type',
    () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { eventTypes: ['user.deleted'], withResponse: true }),
  ],
  ['attempts by message and endpoint', () => attemptRepo.listAttempts(scoped(), A, APP(0), { msgId: midMsg, endpointId: EP(0) }, page(), { withResponse: true })],
  ['attempted messages of an endpoint', () => attemptRepo.listEndpointMessages(scoped(), A, APP(0), EP(0), page(), { withPayload: false })],
  ['attempted messages, failed', () => attemptRepo.listEndpointMessages(scoped(), A, APP(0), EP(0), page(), { status: 2, withPayload: false })],
  [
    'attempted messages, event type + window',
    () =>
      attemptRepo.listEndpointMessages(scoped(), A, APP(0), EP(0), page(), {
        eventTypes: ['order.paid'],
        below: at(NOW - 3 * DAY, 'msg'),
        above: at(NOW - 4 * DAY, 'msg'),
        withPayload: true,
      }),
  ],
  ['attempted destinations of a message', () => attemptRepo.listMessageEndpoints(scoped(), A, midMsg, page())],
  ['endpoint stats (28 days)', () => deliveryStatsRepo.countDeliveriesByStatus(scoped(), A, EP(0), STATS_HOURS)],
  ['endpoint series, hours of 28 days', () => deliveryStatsRepo.statSeries(scoped(), { tenantId: A, endpointId: EP(0) }, 60, new Date(NOW - 28 * DAY), new Date(NOW))],
  ['application series, minutes of 2 days', () => deliveryStatsRepo.statSeries(scoped(), { tenantId: A, appId: APP(0) }, 1, new Date(NOW - 2 * DAY), new Date(NOW))],
  // Maintenance's row-level parts (nothing is due in this data): they must not scan the history either.
  ['maintenance: payload expiry', () => retentionRepo.expirePayloads(db, new Date())],
  ['maintenance: eventId claims of dropped messages', () => retentionRepo.pruneEventIds(db, at(T0, 'msg'))],
  ['recover: failed deliveries since 2 days', () => endpointRepo.listDeliveriesInStatus(scoped(), A, EP(0), 2, { fromMsgId: at(NOW - 2 * DAY, 'msg') })],
  ['bulk replay: a batch of a day', () => replayRepo.listDeliveredForReplay(scoped(), replayDay, {}, 500)],
  ['bulk replay: a batch of a day, failed, by channel', () => replayRepo.listDeliveredForReplay(scoped(), replayDay, { status: 2, channel: 'eu' }, 500)],
  ['replay missing: a batch of a day', () => replayRepo.listMissingForReplay(scoped(), replayDay, 500)],
  ['usage: attempts of every application', () => deliveryStatsRepo.countAttemptsOfApps(scoped(), A, { fromHour: new Date(NOW - 28 * DAY), until: new Date(NOW) })],
  [
    'usage: attempts of named applications',
    () => deliveryStatsRepo.countAttemptsOfApps(scoped(), A, { fromHour: new Date(NOW - 28 * DAY), until: new Date(NOW), appIds: [APP(0), APP(1)] }),
  ],
  ['usage: event-type filters of the endpoints', () => endpointRepo.listEventTypeFilters(scoped(), A)],
];

describe('list query plans at 1,000,000 attempts', () => {
  it('seeded the volume the plans are judged at', async () => {
    const { rows } = await server.query(`SELECT (SELECT count(*) FROM message_attempt)::int AS attempts, (SELECT count(*) FROM message_delivery)::int AS deliveries,
      (SELECT count(*) FROM message)::int AS messages`);
    expect(rows[0]).toEqual({ attempts: 4 * MESSAGES, deliveries: 2 * MESSAGES, messages: MESSAGES });
    // Spread over the partitions: each of the 6 holds about a sixth of the attempts, none is in DEFAULT.
    const parts = await server.query(`SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM message_attempt GROUP BY 1 ORDER BY 1`);
    expect(parts.rows.length).toBe(30 / PARTITION_DAYS);
    for (const r of parts.rows) {
      expect(r.part).toMatch(/^message_attempt_p\d{8}t\d{4}$/);
      expect(r.n).toBeGreaterThan((4 * MESSAGES) / 7);
    }
  });

  it('reads one partition for a lookup by message id', async () => {
    const lookups: Array<[string, () => Promise<unknown>, string]> = [
      ['message by id', () => messageRepo.findMessage(scoped(), A, APP(0), existingMsg), 'message'],
      ['attempts by message', () => attemptRepo.listAttempts(scoped(), A, APP(0), { msgId: existingMsg }, page(), { withResponse: true }), 'message_attempt'],
      ['attempt by id', () => attemptRepo.findAttempt(scoped(), A, existingMsg, at(T0 + 15 * DAY, 'atmpt')), 'message_attempt'],
      ['attempted destinations of a message', () => attemptRepo.listMessageEndpoints(scoped(), A, existingMsg, page()), 'message_delivery'],
      ['delivery', () => attemptRepo.findDelivery(scoped(), A, existingMsg, EP(0)), 'message_delivery'],
    ];
    for (const [name, call, table] of lookups) {
      const { all, sql } = await explain(call);
      const read = new Set(all.map((n) => n['Relation Name']).filter((r) => parentOf(r) === table));
      expect([...read], `${name}\n  ${sql}`).toHaveLength(1);
      expect([...read][0], name).toMatch(/_p\d{8}t\d{4}$/);
    }
  });

  it("reads only the partitions of a replay's time range, in batches", async () => {
    // The day lies inside one 5-day partition: each table of the history is read in that one only.
    const calls: Array<[string, () => Promise<Array<{ msgId: string }>>]> = [
      ['bulk replay', () => replayRepo.listDeliveredForReplay(scoped(), replayDay, {}, 500)],
      ['bulk replay, resumed', () => replayRepo.listDeliveredForReplay(scoped(), { ...replayDay, afterMsgId: at(T0 + 12.5 * DAY, 'msg') }, {}, 500)],
      ['replay missing', () => replayRepo.listMissingForReplay(scoped(), replayDay, 500)],
    ];
    for (const [name, call] of calls) {
      const batch = await call();
      if (name.startsWith('bulk')) {
        expect(batch, name).toHaveLength(500);
        for (const m of batch) expect(m.msgId >= replayDay.fromMsgId && m.msgId <= replayDay.toMsgId, name).toBe(true);
      } else {
        // Every message went to both endpoints: none is missing.
        expect(batch, name).toEqual([]);
      }
      const { all, sql } = await explain(call);
      for (const table of ['message', 'message_delivery']) {
        const read = new Set(all.map((n) => n['Relation Name']).filter((r) => parentOf(r) === table && populated.has(r!)));
        expect([...read], `${name} reads one partition of ${table}\n  ${sql}`).toHaveLength(1);
      }
      expect(
        all.filter((n) => n['Node Type'] === 'Seq Scan' && populated.has(n['Relation Name']!)),
        `${name}\n  ${sql}`,
      ).toEqual([]);
    }
  });

  it("reads a poll's messages only from the partition of its iterator on", async () => {
    // Partitions are 5 days wide from T0: an iterator 12 days in skips the first two, one 2 days
    // before now reads the last one alone, whatever the filter.
    const calls: Array<[string, () => Promise<Array<{ id: string }>>, number]> = [
      ['after 12 days', () => poll(T0 + 12 * DAY), 4],
      ['after 12 days, a rare event type', () => poll(T0 + 12 * DAY, { eventTypes: ['user.deleted'] }), 4],
      ['2 days before now', () => poll(NOW - 2 * DAY), 1],
      ['2 days before now, by channel', () => poll(NOW - 2 * DAY, { channels: ['eu'] }), 1],
      ['a small application, after 12 days', () => poll(T0 + 12 * DAY, { appId: APP(1) }), 4],
    ];
    for (const [name, call, partitions] of calls) {
      const rows = await call();
      expect(rows.length, name).toBeGreaterThan(0);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.id > rows[i - 1]!.id, `${name}: in id order`).toBe(true);
      const { all, sql } = await explain(call);
      const read = new Set(all.map((n) => n['Relation Name']).filter((r) => parentOf(r) === 'message' && populated.has(r!)));
      expect([...read], `${name}\n  ${sql}`).toHaveLength(partitions);
      expect(
        all.filter((n) => n['Node Type'] === 'Seq Scan' && populated.has(n['Relation Name']!)),
        `${name}\n  ${sql}`,
      ).toEqual([]);
    }
  });

  it('reads no big table with a sequential scan', async () => {
    const summary: string[] = [];
    const bad: string[] = [];
    for (const [name, call] of QUERIES) {
      const { sql, all, ms } = await explain(call);
      // A partition with no rows (one made ahead, the DEFAULT) is read by a Seq Scan of no pages.
      for (const n of all) if (n['Node Type'] === 'Seq Scan' && populated.has(n['Relation Name']!)) bad.push(`${name}: Seq Scan on ${n['Relation Name']}\n  ${sql}`);
      // Bitmap heap scans are named by the bitmap index scans under them.
      const scans = all.filter((n) => n['Index Name'] !== undefined || (n['Relation Name'] !== undefined && n['Node Type'] !== 'Bitmap Heap Scan'));
      summary.push(`| ${name} | ${scans.map((n) => `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']}`).join(', ')} | ${ms.toFixed(1)} |`);
    }
    // The table for docs/operations.md (Database sizing): what each list reads, and how long it took here.
    console.log(['| list | plan | ms |', '| --- | --- | --- |', ...summary].join('\n'));
    expect(bad).toEqual([]);
  });

  it("reads the overview's backlog and endpoints through their partial indexes, in proportion to what needs attention", async () => {
    const failing = await overviewRepo.listFailingEndpoints(scoped(), A, 20, 500);
    // The seed's ids follow the clock, so whether a newest delivery failed (1 in 20) varies by run: ask the table.
    const newest = async (endpoint: string) =>
      (await server.query<{ code: number }>('SELECT response_status_code AS code FROM message_attempt WHERE endpoint_id = $1 ORDER BY id DESC LIMIT 1', [endpoint]))
        .rows[0]!.code;
    expect(failing.map((e) => [e.id, e.lastAttempt?.responseStatusCode])).toEqual([
      [EP(0), await newest(EP(0))],
      [EP(1), await newest(EP(1))],
    ]);
    expect((await overviewRepo.listAutoDisabledEndpoints(scoped(), A, 20)).map((e) => [e.id, e.reason])).toEqual([
      [EP(2), 'failing'],
      [EP(3), 'failing'],
    ]);
    // Pending 3 in each of the last 48 hours for the 10 endpoints ending in 0; EP(0)'s (failing) are retrying.
    expect(await overviewRepo.countBacklog(scoped(), A, [1, 3])).toEqual({ pending: 9 * 48 * 3, retrying: 48 * 3 });
    const reads: Array<[string, () => Promise<unknown>, string, number]> = [
      ['backlog', () => overviewRepo.countBacklog(scoped(), A, [1, 3]), 'delivery_status_count_pending_idx', 100 * 48],
      ['failing endpoints', () => overviewRepo.listFailingEndpoints(scoped(), A, 20, 500), 'endpoint_failing_idx', 4],
      ['endpoints disabled by the worker', () => overviewRepo.listAutoDisabledEndpoints(scoped(), A, 20), 'endpoint_disabled_idx', 4],
    ];
    for (const [name, call, index, max] of reads) {
      const { all, sql } = await explain(call);
      const scan = all.find((n) => n['Index Name'] === index);
      expect(scan, `${name} uses ${index}\n  ${sql}`).toBeDefined();
      expect(scan!['Actual Rows'] * scan!['Actual Loops'], name).toBeLessThanOrEqual(max);
      // The counters are the big table here (72,000 hour rows); endpoints and applications are a few hundred, read whole as the planner likes.
      expect(
        all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'delivery_status_count'),
        name,
      ).toEqual([]);
    }
  });

  it('reads a page of rows, not more, under the byte bound', async () => {
    // The byte bound's window runs over the index scan, below the LIMIT.
    const bounded: Array<[string, () => Promise<unknown>, number]> = [
      ['messages', () => messageRepo.listMessages(scoped(), A, APP(0), page(), { withPayload: true }), 52],
      ['messages, ascending', () => messageRepo.listMessages(scoped(), A, APP(0), page({ direction: 'asc' }), { withPayload: true }), 52],
      ['attempts by endpoint', () => attemptRepo.listAttempts(scoped(), A, APP(0), { endpointId: EP(0) }, page(), { withResponse: true }), 52],
      ['attempted messages with payloads', () => attemptRepo.listEndpointMessages(scoped(), A, APP(0), EP(0), page(), { withPayload: true }), 52],
    ];
    const over: string[] = [];
    for (const [name, call, max] of bounded) {
      const { all } = await explain(call);
      for (const n of all) {
        const rows = n['Actual Rows'] * n['Actual Loops'];
        if (n['Relation Name'] && BIG_TABLES.has(parentOf(n['Relation Name'])!) && rows > max)
          over.push(`${name}: ${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']} read ${rows} rows (at most ${max})`);
      }
    }
    expect(over).toEqual([]);
  });

  it('reports the storage a message and an attempt take', async () => {
    // Summed over each table's partitions.
    const { rows } = await server.query(
      `SELECT t AS table, sum(pg_total_relation_size(c.oid))::bigint AS bytes, sum(pg_relation_size(c.oid))::bigint AS heap,
        sum(pg_total_relation_size(c.oid) - pg_relation_size(c.oid))::bigint AS indexes_and_toast, sum(greatest(c.reltuples, 0))::bigint AS rows
      FROM unnest($1::text[]) t, pg_partition_tree(t::regclass) p JOIN pg_class c ON c.oid = p.relid
      WHERE p.isleaf GROUP BY t ORDER BY t`,
      [[...BIG_TABLES]],
    );
    console.log(
      rows
        .map(
          (r) =>
            `${r.table}: ${r.rows} rows, ${(Number(r.bytes) / 2 ** 20).toFixed(0)} MiB total, ${Math.round(Number(r.bytes) / Number(r.rows))} B/row (heap ${Math.round(Number(r.heap) / Number(r.rows))})`,
        )
        .join('\n'),
    );
    for (const r of rows) expect(Number(r.bytes)).toBeGreaterThan(Number(r.rows) * 50);
  });

  // Last: it deletes payloads (of APP(3), which no other check reads).
  it("expunges all of an application's payloads a batch at a time, reading only that application's messages", async () => {
    const range = { tenantId: A, appId: APP(3), untilMsgId: at(NOW, 'msg') };
    const withPayload = async (app: string) =>
      (await server.query<{ n: number }>('SELECT count(*)::int AS n FROM message WHERE app_id = $1 AND payload IS NOT NULL', [app])).rows[0]!.n;
    const total = await withPayload(APP(3));
    const neighbour = await withPayload(APP(4));
    expect(total).toBeGreaterThan(500);
    const first = await messageRepo.expungePayloadsOfApp(scoped(), range, 500);
    expect(first).toHaveLength(500);
    // The next batch resumes after the last id purged (EXPLAIN ANALYZE runs it again, finding none left).
    const { all, sql } = await explain(() => messageRepo.expungePayloadsOfApp(scoped(), { ...range, afterMsgId: first.at(-1) }, 500));
    expect(await withPayload(APP(3))).toBe(0);
    expect(await withPayload(APP(4))).toBe(neighbour);
    expect(
      all.filter((n) => n['Node Type'] === 'Seq Scan' && populated.has(n['Relation Name']!)),
      sql,
    ).toEqual([]);
    const read = all.filter((n) => parentOf(n['Relation Name']) === 'message' && populated.has(n['Relation Name']!));
    for (const n of read) expect(n['Actual Rows'] * n['Actual Loops'], `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']}\n  ${sql}`).toBeLessThanOrEqual(500);
  });
});
