// The figures of docs/architecture.md, "Hookline's schema" (issue 22):
// 1. the upgrade of an installation in the old layout (every table in public) holding `ATTEMPTS`
//    message attempts: 0032 moves it into schema hookline, a catalogue change whatever the rows;
// 2. what a shared pool (library mode) pays per checkout for Hookline's search_path.
// Run: node test/bench/schemaMove.ts [attempts]   (DATABASE_URL, else an embedded PostgreSQL)
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, migrateDatabase, migrateSchemaTo, type Database } from '@hookline/db';
import { startTemplateServer, withDatabase } from '@hookline/test-support/templateServer';
import { sql } from 'kysely';

const ATTEMPTS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 2000;

const dataDir = path.resolve('.hookline-test', `schema-move-${process.pid}`);
const server = await startTemplateServer({ databaseUrl: process.env.DATABASE_URL, dataDir, prefix: `hookline_schema_move_${process.pid}_`, deliveryTimeoutMs: 3000 });
try {
  const name = `hookline_schema_move_${process.pid}_legacy`;
  await server.admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(server.serverUrl, name);
  const db = connectDatabase({ connectionString: url, max: 2 });
  try {
    await migrateSchemaTo(db, '0029_publish_in_transaction', { layout: 'legacy' });
    const seeded = Date.now();
    await seed(url);
    console.log(`seeded ${ATTEMPTS} attempts in the old layout in ${Date.now() - seeded} ms`);
    const started = performance.now();
    await migrateSchemaTo(db, '0032_hookline_schema');
    console.log(`0032 (the migration table, then every table, partition and function into schema hookline): ${(performance.now() - started).toFixed(0)} ms`);
    await migrateDatabase(db, url);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM hookline.message_attempt`.execute(db);
    console.log(`hookline.message_attempt: ${rows[0]!.n} rows`);
  } finally {
    await db.destroy();
  }
  await checkoutCost(url);
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}

/** A tenant, an application, an endpoint, ATTEMPTS / 4 messages with a delivery and four attempts each. */
async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO tenant (id, name) VALUES ('org_b', 'b');
      INSERT INTO application (id, tenant_id, name) VALUES ('app_b', 'org_b', 'b');
      INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ('ep_b', 'org_b', 'app_b', 'https://example.com')`);
    const messages = Math.ceil(ATTEMPTS / 4);
    await c.query(
      `INSERT INTO message (id, tenant_id, app_id, event_type, payload, created_at, expires_at)
       SELECT 'msg_' || lpad(i::text, 27, '0'), 'org_b', 'app_b', 'e', '{"n":1}', now(), now() + interval '90 days' FROM generate_series(1, $1) i`,
      [messages],
    );
    await c.query(
      `INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, attempt_count)
       SELECT 'org_b', 'app_b', 'msg_' || lpad(i::text, 27, '0'), 'ep_b', 0, 4 FROM generate_series(1, $1) i`,
      [messages],
    );
    await c.query(
      `INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type, created_at)
       SELECT 'atmpt_' || lpad(i::text, 27, '0'), 'org_b', 'app_b', 'msg_' || lpad((i / 4 + 1)::text, 27, '0'), 'ep_b', 'https://example.com', 0, 200, 'ok', 10, 0, now()
       FROM generate_series(0, $1 - 1) i`,
      [ATTEMPTS],
    );
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

/** ROUNDS one-statement queries through Hookline's own pool and through a shared one (search_path set and given back per checkout). */
async function checkoutCost(url: string): Promise<void> {
  const time = async (db: Database) => {
    for (let i = 0; i < 200; i++) await sql`SELECT 1`.execute(db);
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) await sql`SELECT count(*) FROM tenant`.execute(db);
    return (performance.now() - started) / ROUNDS;
  };
  const own = connectDatabase({ connectionString: url, max: 1, preparedStatements: false });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const shared = connectDatabase({ sharedPool: pool });
  try {
    const ownMs = await time(own);
    const sharedMs = await time(shared);
    console.log(
      `per query: own pool ${(ownMs * 1000).toFixed(0)} µs, shared pool ${(sharedMs * 1000).toFixed(0)} µs (+${((sharedMs - ownMs) * 1000).toFixed(0)} µs per checkout)`,
    );
  } finally {
    await own.destroy();
    await shared.destroy();
    await pool.end();
  }
}
