import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, HOOKLINE_SCHEMA, type ConnectOptions, type Database } from '@hookline/db';

/**
 * A test database is Hookline's alone: a test's own pg.Client (and psql) reads Hookline's tables
 * unqualified, as Hookline's connections do. Databases that stand for a vendor's are made without it.
 */
export const sessionsSeeHookline = (name: string): string => `ALTER DATABASE "${name}" SET search_path = ${HOOKLINE_SCHEMA}`;

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ connectionString: string; drop(): Promise<void> }> {
  const server = inject('pgServer');
  const name = `${inject('dbPrefix')}${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDb')}"`);
    await client.query(sessionsSeeHookline(name));
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    connectionString: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        // Connections a test has just closed may still be going (a pool's end resolves before every
        // socket has): FORCE would then end them with 57P01 on a client that no longer listens.
        for (let waited = 0; waited < 2000; waited += 20) {
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * For a test file: a fresh database, connected before the file's own `beforeAll` runs (register
 * this first), closed and dropped after it. Read `db` and `connectionString` inside tests or hooks.
 */
export function useTestDatabase(options: Omit<ConnectOptions, 'connectionString'> = {}): { readonly db: Database; readonly connectionString: string } {
  let created: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    created = await createTestDatabase();
    db = connectDatabase({ ...options, connectionString: created.connectionString });
  });
  afterAll(async () => {
    await db?.destroy();
    await created?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTestDatabase: read db inside a test or hook');
    return value;
  };
  return {
    get db() {
      return ready(db);
    },
    get connectionString() {
      return ready(created).connectionString;
    },
  };
}
