import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { connectDatabase, operationalRepo, type Database } from '../src/index.ts';

// Hot statements run as prepared ones (preparedStatements.ts), read back from the server's own
// pg_prepared_statements, on a pool of one connection so every statement meets the same session.

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
