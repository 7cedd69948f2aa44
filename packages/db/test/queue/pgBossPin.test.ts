import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { BOSS_SCHEMA } from '../../src/queue/boss.ts';

// The door writes pg-boss's job rows by hand (deliverJobRows.ts) and finishes them by hand
// (claims.ts), so it relies on pg-boss's private schema. pg-boss is pinned to one version, and
// the columns those statements rely on are written down here: an upgrade that changes them fails
// this test, which is the cue to re-read pg-boss's plans and update deliverJobRows.ts with it
// (deliverJobRows.test.ts compares the rows it writes with pg-boss's insert and send).

const root = new URL('../../../../', import.meta.url);
const WORKSPACE = [
  'package.json',
  'api/package.json',
  'worker/package.json',
  'portal/package.json',
  'packages/core/package.json',
  'packages/db/package.json',
  'packages/signing/package.json',
  'server/package.json',
  'packages/portal-react/package.json',
];

it('pins pg-boss to the installed version, in the door’s package only', () => {
  const installed = (createRequire(new URL('packages/db/package.json', root))('pg-boss/package.json') as { version: string }).version;
  const wanted = Object.fromEntries(
    WORKSPACE.flatMap((file) => {
      const pkg = JSON.parse(readFileSync(new URL(file, root), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const range = pkg.dependencies?.['pg-boss'] ?? pkg.devDependencies?.['pg-boss'];
      return range === undefined ? [] : [[file, range]];
    }),
  );
  expect(wanted).toEqual({ 'packages/db/package.json': installed });
});

let database: QueueTestDatabase;
beforeAll(async () => {
  database = await createQueueTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** pg-boss 12.38.0's job table (and partitions, which share it): every column, its type, default and nullability. */
const JOB_COLUMNS: Array<[column: string, type: string, columnDefault: string | null, nullable: 'YES' | 'NO']> = [
  ['id', 'uuid', 'gen_random_uuid()', 'NO'],
  ['name', 'text', null, 'NO'],
  ['priority', 'integer', '0', 'NO'],
  ['data', 'jsonb', null, 'YES'],
  ['state', 'USER-DEFINED', "'created'::pgboss.job_state", 'NO'],
  ['retry_limit', 'integer', '2', 'NO'],
  ['retry_count', 'integer', '0', 'NO'],
  ['retry_delay', 'integer', '0', 'NO'],
  ['retry_backoff', 'boolean', 'false', 'NO'],
  ['retry_delay_max', 'integer', null, 'YES'],
  ['expire_seconds', 'integer', '900', 'NO'],
  ['deletion_seconds', 'integer', '604800', 'NO'],
  ['singleton_key', 'text', null, 'YES'],
  ['singleton_on', 'timestamp without time zone', null, 'YES'],
  ['group_id', 'text', null, 'YES'],
  ['group_tier', 'text', null, 'YES'],
  ['start_after', 'timestamp with time zone', 'now()', 'NO'],
  ['created_on', 'timestamp with time zone', 'now()', 'NO'],
  ['started_on', 'timestamp with time zone', null, 'YES'],
  ['completed_on', 'timestamp with time zone', null, 'YES'],
  ['keep_until', 'timestamp with time zone', "(now() + '336:00:00'::interval)", 'NO'],
  ['output', 'jsonb', null, 'YES'],
  ['dead_letter', 'text', null, 'YES'],
  ['policy', 'text', null, 'YES'],
  ['heartbeat_on', 'timestamp with time zone', null, 'YES'],
  ['heartbeat_seconds', 'integer', null, 'YES'],
  ['blocked', 'boolean', 'false', 'NO'],
  ['blocking', 'boolean', 'false', 'NO'],
  ['pending_dependencies', 'integer', '0', 'NO'],
  ['source_name', 'text', null, 'YES'],
  ['source_id', 'uuid', null, 'YES'],
  ['source_created_on', 'timestamp with time zone', null, 'YES'],
  ['source_retry_count', 'integer', null, 'YES'],
  ['source_output', 'jsonb', null, 'YES'],
  ['source_root_id', 'uuid', null, 'YES'],
  ['trace_context', 'jsonb', null, 'YES'],
  ['upsert_by_key', 'boolean', null, 'YES'],
];

it('finds pg-boss’s job table as the direct inserts and the fenced finish expect it', async () => {
  const { rows } = await sql<{ column: string; type: string; default: string | null; nullable: string }>`
    SELECT column_name AS column, data_type AS type, column_default AS default, is_nullable AS nullable
    FROM information_schema.columns WHERE table_schema = ${BOSS_SCHEMA} AND table_name = 'job' ORDER BY ordinal_position`.execute(database.db);
  expect(rows.map((r) => [r.column, r.type, r.default, r.nullable])).toEqual(JOB_COLUMNS);
});
