import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Migrations run while the previous version's processes still serve traffic (a rolling deploy
// migrates first, then replaces processes one by one). So a migration may only expand the schema:
// old code must keep working against the new schema. Anything that breaks old code, or locks a big
// table for long, is refused here unless the migration says, in a marker comment, why it is safe:
//
//   // @migration-safe <rule>: <the expand/contract plan, or why old processes are unaffected>
//
// e.g. a column is dropped only in a release after the one that stopped reading and writing it.
// Migrations up to BASELINE shipped before this check and are not judged again.

const MIGRATIONS_DIR = new URL('../src/migrations/', import.meta.url);
const BASELINE = '0010_operational_webhooks';
/** Tables that grow with traffic: building an index on them without CONCURRENTLY blocks writes for long. */
const BIG_TABLES = ['message', 'message_attempt', 'message_delivery'];

const RULES: ReadonlyArray<{ rule: string; why: string; pattern: RegExp }> = [
  { rule: 'drop-table', why: 'old processes still query the table', pattern: /\bDROP\s+TABLE\b|\.dropTable\(/i },
  { rule: 'drop-column', why: 'old processes still read or write the column', pattern: /\bDROP\s+COLUMN\b|\.dropColumn\(/i },
  { rule: 'rename', why: 'old processes use the old name', pattern: /\bRENAME\b|\.renameTo\(|\.renameColumn\(/i },
  {
    rule: 'type-change',
    why: 'rewrites the table under an exclusive lock, and old code may write the old type',
    pattern: /\bALTER\s+COLUMN\s+\S+\s+(?:SET\s+DATA\s+)?TYPE\b|\.setDataType\(/i,
  },
  { rule: 'set-not-null', why: 'old processes may insert rows without the column', pattern: /\bSET\s+NOT\s+NULL\b|\.setNotNull\(/i },
  {
    rule: 'add-not-null-without-default',
    why: 'fails on existing rows, and old processes insert without the column',
    pattern: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:(?!\bDEFAULT\b)[^,;])*?\bNOT\s+NULL\b(?:(?!\bDEFAULT\b)[^,;])*(?=[,;]|$)/i,
  },
  {
    rule: 'index-on-big-table',
    why: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds',
    pattern: new RegExp(`\\bCREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?!CONCURRENTLY)[^;]*?\\bON\\s+(?:ONLY\\s+)?(?:${BIG_TABLES.join('|')})\\b\\s*[(\\s]`, 'i'),
  },
];

/**
 * The code of `up` (what runs at upgrade), without comments and the contents of quoted literals.
 * `down` is for rollbacks and is not judged.
 */
function upCode(source: string): string {
  const start = source.search(/export\s+async\s+function\s+up\b/);
  if (start < 0) throw new Error('a migration must export up()');
  const end = source.search(/export\s+async\s+function\s+down\b/);
  const up = source.slice(start, end > start ? end : undefined);
  return up
    .replace(/--[^\n]*/g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** Rules a migration breaks without a marker that explains it (at least a sentence). */
function unsafeOperations(source: string): Array<{ rule: string; why: string; statement: string }> {
  const code = upCode(source);
  const markers = new Set([...source.matchAll(/@migration-safe\s+([a-z-]+):\s*(\S[^\n]{29,})/g)].map((m) => m[1]));
  return RULES.filter((r) => !markers.has(r.rule)).flatMap((r) => {
    const match = r.pattern.exec(code);
    return match ? [{ rule: r.rule, why: r.why, statement: match[0].replace(/\s+/g, ' ').trim() }] : [];
  });
}

const migrationFiles = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_.+\.ts$/.test(f))
  .sort();

describe('migration safety', () => {
  it('judges every migration after the baseline, and each is registered with the migrator', () => {
    const registry = readFileSync(new URL('../src/migrate.ts', import.meta.url), 'utf8');
    expect(migrationFiles).toContain(`${BASELINE}.ts`);
    for (const file of migrationFiles) expect(registry, file).toContain(`'${file.replace(/\.ts$/, '')}'`);
  });

  it.each(migrationFiles.filter((f) => f.replace(/\.ts$/, '') > BASELINE))('%s is safe while old processes run', (file) => {
    expect(unsafeOperations(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'))).toEqual([]);
  });
});

describe('the safety checker', () => {
  const migration = (upSql: string, extra = '') => `${extra}
export async function up(db) {
  await sql\`${upSql}\`.execute(db);
}
export async function down(db) {
  await sql\`DROP TABLE whatever; ALTER TABLE message DROP COLUMN tags;\`.execute(db);
}`;

  it.each([
    ['ALTER TABLE endpoint DROP COLUMN filter;', 'drop-column'],
    ['DROP TABLE endpoint_throttle;', 'drop-table'],
    ['ALTER TABLE endpoint RENAME COLUMN url TO target;', 'rename'],
    ['ALTER TABLE message RENAME TO messages;', 'rename'],
    ['ALTER TABLE message ALTER COLUMN event_type TYPE varchar(256);', 'type-change'],
    ['ALTER TABLE message ALTER COLUMN event_type SET DATA TYPE varchar(256);', 'type-change'],
    ['ALTER TABLE endpoint ALTER COLUMN description SET NOT NULL;', 'set-not-null'],
    ['ALTER TABLE endpoint ADD COLUMN region text NOT NULL;', 'add-not-null-without-default'],
    ['CREATE INDEX message_x_idx ON message (event_id);', 'index-on-big-table'],
    ['CREATE UNIQUE INDEX IF NOT EXISTS a_idx ON message_attempt (url, id);', 'index-on-big-table'],
  ])('flags %s as %s', (upSql, rule) => {
    expect(unsafeOperations(migration(upSql)).map((f) => f.rule)).toEqual([rule]);
  });

  it.each([
    "ALTER TABLE application ADD COLUMN portal_token_revocations jsonb NOT NULL DEFAULT '[]';",
    'ALTER TABLE endpoint ADD COLUMN failing_since timestamptz;',
    'CREATE TABLE api_rate_limit (tenant_id text NOT NULL, tat timestamptz NOT NULL);',
    'CREATE INDEX CONCURRENTLY message_x_idx ON message (event_id);',
    'CREATE INDEX endpoint_x_idx ON endpoint (url);',
    'CREATE INDEX message_delivery_x_idx ON message_delivery_archive (id);',
    "COMMENT ON COLUMN endpoint.headers IS 'encrypted; drop column never';",
  ])('passes %s', (upSql) => {
    expect(unsafeOperations(migration(upSql))).toEqual([]);
  });

  it('accepts an unsafe operation that carries a marker with an explanation, and only that rule', () => {
    const upSql = 'ALTER TABLE endpoint DROP COLUMN filter; ALTER TABLE endpoint RENAME COLUMN url TO target;';
    const marker = '// @migration-safe drop-column: version 1.4 stopped reading and writing filter; this is the contract step.\n';
    expect(unsafeOperations(migration(upSql, marker)).map((f) => f.rule)).toEqual(['rename']);
    expect(unsafeOperations(migration(upSql, '// @migration-safe drop-column: ok\n')).map((f) => f.rule)).toEqual(['drop-column', 'rename']);
  });
});
