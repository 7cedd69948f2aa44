import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { attemptRepo, connectDatabase, deliveryAttemptRepo, GENERIC_PLANS, operationalRepo, preparingClient, type Database } from '../src/index.ts';

// Hot statements run as prepared ones (preparedStatements.ts), read back from the server's own
// pg_prepared_statements, on a pool of one connection so every statement meets the same session.

// pg 8 warns (once per process) when a client is sent a query while another runs on it; pg 9 will
// refuse it. Collected for the whole file, as the first pool to meet it may be any test's.
const queuedQueryWarnings: string[] = [];
process.on('warning', (w) => {
  if (/already executing a query/.test(w.message)) queuedQueryWarnings.push(w.message);
});

let drop: () => Promise<void>;
let connectionString: string;
let db: Database;

beforeAll(async () => {
  ({ connectionString, drop } = await createTestDatabase());
  db = connectDatabase({ connectionString, max: 1 });
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

const prepared = async (handle: Database) =>
  (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(handle)).rows.map((r) => r.statement);

it('prepares a statement once it has run a few times, and only then', async () => {
  const once = sql`SELECT ${1}::int AS once_only`;
  await once.execute(db);
  for (let i = 0; i < 3; i++) expect((await sql<{ n: number }>`SELECT ${i}::int AS n`.execute(db)).rows[0]!.n).toBe(i);
  const statements = await prepared(db);
  expect(statements).toContain('SELECT $1::int AS n');
  expect(statements.some((s) => s.includes('once_only'))).toBe(false);
});

it('keeps working when a migration changes the columns of a prepared SELECT *', async () => {
  await sql`CREATE TABLE prep_t (id int PRIMARY KEY)`.execute(db);
  await sql`INSERT INTO prep_t VALUES (1)`.execute(db);
  const read = () => sql<Record<string, unknown>>`SELECT * FROM prep_t WHERE id = ${1}`.execute(db);
  for (let i = 0; i < 4; i++) await read();
  expect(await prepared(db)).toContain('SELECT * FROM prep_t WHERE id = $1');
  // What a rolling deploy's expand migration does under a running process.
  await sql`ALTER TABLE prep_t ADD COLUMN added text NOT NULL DEFAULT 'x'`.execute(db);
  expect((await read()).rows).toEqual([{ id: 1, added: 'x' }]);
  expect((await read()).rows).toEqual([{ id: 1, added: 'x' }]);
});

it("also names pg.Pool's own queries (pg-boss runs its statements so), and retries a stale plan unnamed", async () => {
  const pool = new pg.Pool({ connectionString, max: 1, Client: preparingClient() });
  try {
    await pool.query('CREATE TABLE prep_pool (id int PRIMARY KEY)');
    await pool.query('INSERT INTO prep_pool VALUES (1)');
    for (let i = 0; i < 4; i++) await pool.query('SELECT * FROM prep_pool WHERE id = $1', [1]);
    expect((await pool.query('SELECT statement FROM pg_prepared_statements')).rows.map((r: { statement: string }) => r.statement)).toContain(
      'SELECT * FROM prep_pool WHERE id = $1',
    );
    // A text without parameters may hold several statements (pg-boss's maintenance): never named.
    for (let i = 0; i < 4; i++) await pool.query('SELECT 1; SELECT 2', []);
    await pool.query(`ALTER TABLE prep_pool ADD COLUMN added text NOT NULL DEFAULT 'x'`);
    expect((await pool.query('SELECT * FROM prep_pool WHERE id = $1', [1])).rows).toEqual([{ id: 1, added: 'x' }]);
  } finally {
    await pool.end();
  }
});

it('prepares nothing when turned off', async () => {
  const off = connectDatabase({ connectionString, max: 1, preparedStatements: false });
  try {
    for (let i = 0; i < 5; i++) await sql`SELECT ${i}::int AS off`.execute(off);
    expect(await prepared(off)).toEqual([]);
  } finally {
    await off.destroy();
  }
});

it('keeps matching a partial unique index in ON CONFLICT once PostgreSQL plans the statement generically', async () => {
  // After five runs a prepared statement may get a generic plan, which cannot match a partial
  // index by a parameter (`WHERE operational = $1`): the fuzzer found that as a 500.
  await db.insertInto('tenant').values({ id: 'ten_prep', name: 'p' }).execute();
  for (let i = 0; i < 8; i++) expect(await operationalRepo.ensureOperationalApp(db, 'ten_prep', `app_prep${i}`)).toBe('app_prep0');
});

describe('generic plans (the worker pool)', () => {
  // A batch statement takes its keys in arrays; a custom plan knows the array of one key, a generic
  // one guesses at ten, so PostgreSQL, left to choose, plans it again on every run once its tables
  // hold data (in the bench). Here, read back from pg_prepared_statements: planned once.
  const plans = async (handle: Database, fragment: string) => {
    const { rows } = await sql<{ statement: string; genericPlans: number; customPlans: number }>`
      SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`.execute(handle);
    return rows.filter((r) => r.statement.includes(fragment)).map(({ genericPlans, customPlans }) => ({ genericPlans, customPlans }));
  };
  const loadTen = async (handle: Database) => {
    for (let i = 0; i < 10; i++) {
      await deliveryAttemptRepo.findDeliveryStates(handle, [{ tenantId: 'ten_gp', msgId: `msg_gp${i}`, endpointId: 'ep_gp' }]);
    }
  };

  it('plans it once, generically, with genericPlans', async () => {
    const generic = connectDatabase({ connectionString, max: 1, genericPlans: true });
    try {
      await loadTen(generic);
      expect(await plans(generic, 'message_delivery')).toEqual([{ genericPlans: 8, customPlans: 0 }]);
    } finally {
      await generic.destroy();
    }
  });

  it("runs a connection's first statement after its session setting, never beside it", async () => {
    const generic = connectDatabase({ connectionString, max: 1, genericPlans: true });
    const pool = new pg.Pool({ connectionString, max: 1, Client: preparingClient(GENERIC_PLANS) });
    try {
      const { rows } = await sql<{ mode: string }>`SELECT current_setting(${'plan_cache_mode'}) AS mode`.execute(generic);
      const viaPool = await pool.query<{ mode: string }>('SELECT current_setting($1) AS mode', ['plan_cache_mode']);
      expect([rows[0]!.mode, viaPool.rows[0]!.mode]).toEqual(['force_generic_plan', 'force_generic_plan']);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(queuedQueryWarnings).toEqual([]);
    } finally {
      await generic.destroy();
      await pool.end();
    }
  });

  it('sets nothing when prepared statements are off (behind a pooler in transaction mode)', async () => {
    const off = connectDatabase({ connectionString, max: 1, preparedStatements: false, genericPlans: true });
    try {
      const { rows } = await sql<{ mode: string }>`SELECT current_setting('plan_cache_mode') AS mode`.execute(off);
      expect(rows[0]!.mode).toBe('auto');
    } finally {
      await off.destroy();
    }
  });
});

describe('the attempt list of an endpoint (the api pool)', () => {
  it('settles on one generic plan across the history partitions instead of planning every call', async () => {
    // An endpoint with history the planner knows of: with `LIMIT $n` a generic plan would be costed
    // for a tenth of its attempts, and lose to a custom plan on every call.
    await sql`
      INSERT INTO tenant (id, name) VALUES ('org_list', 'list');
      INSERT INTO application (id, tenant_id, name, updated_at) VALUES ('app_list', 'org_list', 'list', now());
      INSERT INTO endpoint (id, tenant_id, app_id, url, updated_at) VALUES ('ep_list', 'org_list', 'app_list', 'https://example.com', now());
      INSERT INTO message_attempt (id, tenant_id, app_id, msg_id, endpoint_id, url, status, response_status_code, response, response_duration_ms, trigger_type)
        SELECT 'atmpt_' || g, 'org_list', 'app_list', 'msg_' || g, 'ep_list', 'https://example.com', 0, 200, '', 1, 0 FROM generate_series(1, 20000) g;
      ANALYZE message_attempt;
    `.execute(db);
    const page = { limit: 20, direction: 'desc' as const, maxBytes: 1 << 20 };
    for (let i = 0; i < 12; i++) await attemptRepo.listAttempts(db, 'org_list', 'app_list', { endpointId: 'ep_list' }, page, { withResponse: true });
    const { rows } = await sql<{ generic: number; custom: number }>`
      SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE statement LIKE '%from "message_attempt"%endpoint_id%'`.execute(db);
    expect(rows).toHaveLength(1);
    // PostgreSQL tries five custom plans, then keeps the generic one.
    expect(rows[0]!.generic).toBeGreaterThan(0);
    expect(rows[0]!.custom).toBeLessThanOrEqual(5);
  });
});
