import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, connectionSettings } from '../src/index.ts';

// Hookline's connections find its tables in schema `hookline` through their search_path, whatever
// startup options the URL already carries (docs/architecture.md, "Hookline's schema").

const database = useTestDatabase();

describe("Hookline's search_path on its own connections", () => {
  it('is added to the startup options, after those of the URL and of the settings, and only once', () => {
    const url = 'postgres://u:p%40ss@db.example:5432/app?sslmode=disable&options=-c%20statement_timeout%3D1234';
    const settings = connectionSettings(url);
    expect(settings.options).toBe('-c statement_timeout=1234 -c search_path=hookline');
    expect(new URL(settings.connectionString!).searchParams.get('options')).toBeNull();
    expect(settings.connectionString).toContain('u:p%40ss@db.example:5432/app?sslmode=disable');
    expect(connectionSettings({ host: 'db', options: '-c work_mem=8MB' }).options).toBe('-c work_mem=8MB -c search_path=hookline');
    expect(connectionSettings(connectionSettings(url)).options).toBe(settings.options);
  });

  it("applies with the URL's own options, on a database whose default search_path is not Hookline's", async () => {
    const url = new URL(database.connectionString);
    // The test database's default (hookline) is put back to PostgreSQL's for this connection's check.
    const admin = new pg.Client({ connectionString: database.connectionString });
    await admin.connect();
    const name = url.pathname.slice(1);
    await admin.query(`ALTER DATABASE "${name}" RESET search_path`);
    await admin.end();
    url.searchParams.set('options', '-c statement_timeout=1234');
    const db = connectDatabase({ connectionString: url.toString(), max: 1 });
    try {
      const { rows } = await sql<{ path: string; timeout: string; tenants: number }>`
        SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS timeout, (SELECT count(*)::int FROM tenant) AS tenants`.execute(db);
      expect(rows[0]).toEqual({ path: 'hookline', timeout: '1234ms', tenants: 0 });
    } finally {
      await db.destroy();
    }
  });
});
