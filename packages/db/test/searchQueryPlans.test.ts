import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledQuery } from 'kysely';
import { createTestDatabase } from '@hookline/test-support/database';
import { at, DAY, NOW, parentOf, PARTITION_DAYS, partitionSyntheticHistory, T0 } from './syntheticHistory.ts';
import {
  connectDatabase,
  endpointSearchRepo,
  historyPartitionRepo,
  messageSearchRepo,
  payloadIndexRepo,
  scopeToTenant,
  type Database,
  type MessageSearch,
  type Page,
} from '../src/index.ts';

// The vendor console's searches across a tenant's applications (messageSearchRepo,
// endpointSearchRepo), run through the tenant scope against 300,000 messages in three tenants,
// spread over six 5-day history partitions, and EXPLAINed (ANALYZE): each reads its page through
// the indexes of migration 0027, never a big table by sequential scan, and a time range reads
// only the partitions of that time. The five closed partitions have the payload index maintenance
// builds (payloadIndexRepo); the open one, still filling, has none. listQueryPlans.test.ts does the
// same for the per-application lists.

const BIG_TABLES = new Set(['message', 'message_delivery', 'message_attempt']);
const MESSAGES = 300_000;

const pad = (n: number) => String(n).padStart(27, '0');
const APP = (k: number) => `app_${pad(k)}`;

let server: pg.Client;
let drop: () => Promise<void>;
let db: Database;
const captured: CompiledQuery[] = [];
let populated: Set<string>;
/** A partition's index → the parent's index it is attached to (message_p20261106t0000_tenant_id_id_idx → message_tenant_idx). */
let indexParent: Map<string, string>;

/**
 * Tenant a has 60 % of the messages (application 0 most of them), b 30 %, c 10 %. Each message goes
 * to its application's two endpoints; 1 delivery in 200 failed for good; one attempt per delivery.
 * Payloads are orders: `ref` is unique, a customer has 60 orders, `currency` is the same on all.
 */
async function seed(c: pg.Client): Promise<void> {
  await c.query(`SET session_replication_role = replica`);
  await c.query(`INSERT INTO tenant (id, name) SELECT 'org_' || t, 'tenant ' || t FROM unnest(ARRAY['a', 'b', 'c']) t`);
  await c.query(`INSERT INTO application (id, tenant_id, name) SELECT 'app_' || lpad(k::text, 27, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app ' || k
    FROM generate_series(0, 149) k`);
  await c.query(`INSERT INTO endpoint (id, tenant_id, app_id, url, failing_since, disabled)
    SELECT 'ep_' || lpad((k * 2 + j)::text, 27, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app_' || lpad(k::text, 27, '0'),
      'https://' || CASE WHEN k % 10 = 0 THEN 'hooks.example.com' ELSE 'receiver' || k || '.example.org' END || '/in/' || j,
      CASE WHEN k % 7 = 0 AND j = 1 THEN now() - interval '1 hour' END, k % 11 = 0 AND j = 0
    FROM generate_series(0, 149) k, generate_series(0, 1) j`);
  await c.query(`INSERT INTO message (id, tenant_id, app_id, event_type, event_id, channels, tags, payload, created_at, expires_at)
    SELECT 'msg_' || lpad(ms::text, 13, '0') || lpad(i::text, 14, '0'), 'org_' || (ARRAY['a', 'b', 'c'])[k / 50 + 1], 'app_' || lpad(k::text, 27, '0'),
      CASE WHEN i % 1000 = 0 THEN 'user.deleted' WHEN i % 3 = 0 THEN 'order.paid' ELSE 'order.created' END,
      CASE WHEN i % 100 = 0 THEN 'evt-' || i END, CASE WHEN i % 10 = 0 THEN ARRAY['eu'] END, CASE WHEN i % 50 = 0 THEN ARRAY['vip'] END,
      '{"ref":"ord_' || i || '","customer":{"id":"cus_' || (i % 5000) || '","email":"someone' || (i % 5000) || '@example.com"},"amount":' || (i % 100000)
        || ',"currency":"EUR","lines":[{"sku":"sku-' || (i % 300) || '","qty":2},{"sku":"sku-' || (i % 70) || '","qty":1}],"status":"created"}',
      to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0) + interval '90 days'
    FROM generate_series(1, ${MESSAGES}) i,
      LATERAL (SELECT ${T0}::bigint + i::bigint * ${(30 * DAY) / MESSAGES} AS ms,
        CASE WHEN i % 10 < 4 THEN 0 WHEN i % 10 < 6 THEN 1 + i % 49 WHEN i % 10 < 9 THEN 50 + i % 50 ELSE 100 + i % 50 END AS k) x`);
  await c.query(`INSERT INTO message_event_id (app_id, event_id, tenant_id, msg_id) SELECT app_id, event_id, tenant_id, id FROM message WHERE event_id IS NOT NULL`);
  await c.query(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count, created_at, updated_at)
    SELECT m.tenant_id, m.app_id, m.id, e.id, CASE WHEN hashtext(m.id || e.id) % 200 = 0 THEN 2 ELSE 0 END, 1, m.created_at, m.created_at
    FROM message m JOIN endpoint e ON e.app_id = m.app_id`);
  await c.query(`INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type, created_at)
    SELECT 'atmpt_' || substr(d.msg_id, 5, 13) || lpad((substr(d.msg_id, 18)::bigint * 2 + right(d.endpoint_id, 1)::int % 2)::text, 14, '0'),
      d.tenant_id, d.app_id, d.msg_id, d.endpoint_id, 'https://receiver.example.org/in', d.status, CASE WHEN d.status = 0 THEN 200 ELSE 500 END,
      CASE WHEN d.status = 0 THEN 'ok' ELSE 'upstream unavailable' END, 40, 0, d.created_at
    FROM message_delivery d`);
  await c.query(`SET session_replication_role = origin`);
  await c.query(`VACUUM ANALYZE`);
}

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  server = new pg.Client({ connectionString: created.connectionString });
  await server.connect();
  db = connectDatabase({ connectionString: created.connectionString, max: 2, log: (e) => void (e.level === 'query' && captured.push(e.query)) });
  await partitionSyntheticHistory(db);
  await seed(server);
  const started = performance.now();
  while ((await payloadIndexRepo.buildNextPayloadIndex(db, at(NOW, 'msg'))) !== undefined);
  // For docs/operations.md (Upgrading): how long maintenance takes per closed partition.
  console.log(`payload indexes of 5 partitions (${(MESSAGES * 5) / 6} messages) built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await server.query('ANALYZE message');
  const parts = await server.query(`SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
    WHERE i.inhparent = ANY(ARRAY['message', 'message_delivery', 'message_attempt']::regclass[]) AND c.relpages > 0`);
  populated = new Set(parts.rows.map((r: { relname: string }) => r.relname));
  const indexes = await server.query(`SELECT inhrelid::regclass::text AS child, inhparent::regclass::text AS parent FROM pg_inherits
    WHERE inhparent IN (SELECT indexrelid FROM pg_index WHERE indrelid = ANY(ARRAY['message', 'message_delivery', 'message_attempt']::regclass[]))`);
  indexParent = new Map(indexes.rows.map((r: { child: string; parent: string }) => [r.child, r.parent]));
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

/** Runs `call`, then EXPLAINs (ANALYZE) the statement it sent first (the search itself). */
async function explain(call: () => Promise<unknown>) {
  captured.length = 0;
  await call();
  const query = captured[0]!;
  const res = await server.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, [...query.parameters]);
  const plan = (res.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Execution Time': number }>)[0]!;
  return { sql: query.sql, all: nodes(plan.Plan), ms: plan['Execution Time'] };
}

const page = (extra: Partial<Page> = {}): Page => ({ limit: 51, direction: 'desc', maxBytes: 4 * 2 ** 20, ...extra });
const scoped = (tenant: string) => scopeToTenant(db, tenant);
const messages =
  (tenant: string, filter: Omit<MessageSearch, 'withPayload'>, extra: Partial<Page> = {}) =>
  () =>
    messageSearchRepo.searchMessages(scoped(tenant), tenant, page(extra), { ...filter, withPayload: true });
const json = (v: unknown) => JSON.stringify(v);
const A = 'org_a';
const C = 'org_c';
/** Tenant a's messages in the open partition (its last 5 days of 30, 60 % of them). */
const OPEN_PARTITION_OF_A = (MESSAGES / 6) * 0.6 + 100;

/**
 * Every search, with the most rows any one plan node may read from a big table (a page is 52). A
 * content search reads the open partition's messages of the tenant (30,000 here) when the value is
 * rare: the partition still filling has no payload index.
 */
const SEARCHES: Array<[string, () => Promise<unknown>, number]> = [
  ['all messages, newest first', messages(A, {}), 52],
  ['all messages of a small tenant', messages(C, {}), 52],
  ['all messages, next page', messages(A, {}, { beforeId: at(T0 + 15 * DAY, 'msg') }), 52],
  ['all messages, oldest first', messages(A, {}, { direction: 'asc' }), 52],
  ['by payload: a unique value', messages(A, { payloadContains: json({ ref: 'ord_123450' }) }), OPEN_PARTITION_OF_A],
  ['by payload: a customer (60 orders)', messages(A, { payloadContains: json({ customer: { id: 'cus_42' } }) }), OPEN_PARTITION_OF_A],
  ['by payload: nested array element and value', messages(A, { payloadContains: json({ lines: [{ sku: 'sku-7' }], customer: { id: 'cus_7' } }) }), OPEN_PARTITION_OF_A],
  ['by payload: a value every message has', messages(A, { payloadContains: json({ currency: 'EUR' }) }), 52],
  ['by payload and application', messages(A, { appId: APP(1), payloadContains: json({ customer: { id: 'cus_11' } }) }), OPEN_PARTITION_OF_A],
  ['by payload, before the open partition', messages(A, { below: at(NOW - 6 * DAY, 'msg'), payloadContains: json({ customer: { id: 'cus_42' } }) }), 200],
  ['with a failed delivery', messages(A, { deliveryStatus: 2 }), 110],
  ['with a failed delivery, small tenant', messages(C, { deliveryStatus: 2 }), 110],
  ['with a failed delivery and a payload', messages(A, { deliveryStatus: 2, payloadContains: json({ currency: 'EUR' }) }), 110],
  // The EXISTS reads a message's deliveries (two here) until one is in the status.
  ['with a delivered delivery', messages(A, { deliveryStatus: 0 }), 2 * 52 + 2],
  ['by message id', messages(A, { msgId: at(T0 + 15 * DAY, 'msg') }), 52],
  ['by eventId', messages(A, { eventId: 'evt-150000' }), 52],
  ['by eventId in an application', messages(A, { eventId: 'evt-150000', appId: APP(0) }), 52],
  // Event types, channels and tags have no tenant-wide index: the tenant's messages are read until the page is full.
  ['by rare event type', messages(C, { eventTypes: ['user.deleted'] }), Infinity],
  ['by tag', messages(A, { tag: 'vip' }), 3000],
  ['in a day, by channel', messages(A, { below: at(NOW - 7 * DAY, 'msg'), above: at(NOW - 8 * DAY, 'msg'), channel: 'eu' }), 520],
  ['endpoints', () => endpointSearchRepo.searchEndpoints(scoped(A), A, page({ direction: 'asc' }), {}), 52],
  ['failing endpoints', () => endpointSearchRepo.searchEndpoints(scoped(A), A, page({ direction: 'asc' }), { state: 'failing' }), 52],
  ['endpoints by host', () => endpointSearchRepo.searchEndpoints(scoped(A), A, page({ direction: 'asc' }), { host: 'example.com' }), 52],
];

describe('searches across applications at 300,000 messages', () => {
  it('seeded the volume the plans are judged at', async () => {
    const { rows } = await server.query(
      `SELECT (SELECT count(*) FROM message)::int AS messages, (SELECT count(*) FROM message_delivery WHERE status = 2)::int AS failed`,
    );
    expect(rows[0].messages).toBe(MESSAGES);
    expect(rows[0].failed).toBeGreaterThan(1000);
    const parts = await server.query(`SELECT tableoid::regclass::text AS part FROM message GROUP BY 1`);
    expect(parts.rows.length).toBe(30 / PARTITION_DAYS);
  });

  it('reads no big table with a sequential scan, and a page of rows, not more', async () => {
    const summary: string[] = [];
    const bad: string[] = [];
    for (const [name, call, max] of SEARCHES) {
      const { sql, all, ms } = await explain(call);
      for (const n of all) {
        if (n['Node Type'] === 'Seq Scan' && populated.has(n['Relation Name']!)) bad.push(`${name}: Seq Scan on ${n['Relation Name']}\n  ${sql}`);
        const rows = n['Actual Rows'] * n['Actual Loops'];
        if (n['Relation Name'] && BIG_TABLES.has(parentOf(n['Relation Name'])!) && rows > max)
          bad.push(`${name}: ${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']} read ${rows} rows (at most ${max})\n  ${sql}`);
      }
      const scans = all.filter((n) => n['Index Name'] !== undefined || (n['Relation Name'] !== undefined && n['Node Type'] !== 'Bitmap Heap Scan'));
      const kinds = [
        ...new Set(scans.map((n) => `${n['Node Type']} ${n['Index Name'] ? (indexParent.get(n['Index Name']) ?? n['Index Name']) : parentOf(n['Relation Name'])}`)),
      ];
      summary.push(`| ${name} | ${kinds.join(', ')} | ${ms.toFixed(1)} |`);
    }
    // The table for docs/architecture.md (Searching history): what each search reads, and how long it took here.
    console.log(['| search | plan (per partition) | ms |', '| --- | --- | --- |', ...summary].join('\n'));
    expect(bad).toEqual([]);
  });

  it('finds payload content through the payload index of each closed partition, the open one by tenant', async () => {
    const closed = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => !p.isDefault && p.to! <= at(NOW, 'msg'));
    expect(closed).toHaveLength(30 / PARTITION_DAYS - 1);
    expect(await payloadIndexRepo.partitionsWithoutPayloadIndex(db, at(NOW, 'msg'))).toEqual([]);
    const byContent = await explain(messages(A, { payloadContains: json({ ref: 'ord_123450' }) }));
    const used = new Set(byContent.all.map((n) => n['Index Name']).filter(Boolean));
    for (const p of closed) expect(used, byContent.sql).toContain(payloadIndexRepo.payloadIndexName(p.suffix));
    const open = (await historyPartitionRepo.listHistoryPartitions(db)).find((p) => !p.isDefault && p.to! > at(NOW, 'msg'))!;
    expect(
      [...used].filter((i) => i!.startsWith(`message_${open.suffix}_`)).map((i) => indexParent.get(i!)),
      byContent.sql,
    ).toEqual(['message_tenant_idx']);

    const parents = (all: PlanNode[]) => new Set(all.map((n) => n['Index Name'] && indexParent.get(n['Index Name'])).filter(Boolean));
    const failed = await explain(messages(A, { deliveryStatus: 2 }));
    expect(parents(failed.all), failed.sql).toContain('message_delivery_failed_idx');
    const newest = await explain(messages(C, {}));
    expect(parents(newest.all), newest.sql).toContain('message_tenant_idx');
  });

  it('reads only the partitions of a time range', async () => {
    const { all, sql } = await explain(messages(A, { below: at(NOW - 7 * DAY, 'msg'), above: at(NOW - 8 * DAY, 'msg'), payloadContains: json({ currency: 'EUR' }) }));
    const read = new Set(all.map((n) => n['Relation Name']).filter((r) => parentOf(r) === 'message'));
    expect(read.size, sql).toBe(1);
    const failed = await explain(messages(A, { below: at(NOW - 7 * DAY, 'msg'), above: at(NOW - 8 * DAY, 'msg'), deliveryStatus: 2 }));
    const deliveries = new Set(failed.all.map((n) => n['Relation Name']).filter((r) => parentOf(r) === 'message_delivery'));
    expect(deliveries.size, failed.sql).toBe(1);
  });

  it('reports what the search indexes take', async () => {
    const { rows } = await server.query(`SELECT i.indexrelid::regclass::text AS name, pg_relation_size(i.indexrelid) AS bytes
      FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indrelid WHERE h.inhparent = 'message'::regclass`);
    const sum = (parent?: string) =>
      rows
        .filter((r: { name: string }) => parent === undefined || indexParent.get(r.name) === parent)
        .reduce((n: number, r: { bytes: string }) => n + Number(r.bytes), 0);
    const tenant = sum('message_tenant_idx');
    const all = sum();
    const payload = rows.filter((r: { name: string }) => r.name.endsWith('_payload_idx')).reduce((n: number, r: { bytes: string }) => n + Number(r.bytes), 0);
    // The payload index is on the closed partitions only (five sixths of the messages).
    const indexed = (MESSAGES * 5) / 6;
    console.log(
      `message indexes: ${Math.round(all / MESSAGES)} B/message; payload GIN ${Math.round(payload / indexed)} B/message, (tenant_id, id) ${Math.round(tenant / MESSAGES)} B/message`,
    );
    expect(payload).toBeGreaterThan(0);
    expect(tenant).toBeGreaterThan(0);
  });
});
