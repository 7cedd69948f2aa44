import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createBoss, ensureQueues } from '@hookline/core';
import { connectDatabase, migrateDatabase, startEmbeddedPostgres } from '@hookline/db';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of a PostgreSQL server whose role may create databases. */
    pgServer: string;
    /** A migrated database that every test file clones (CREATE DATABASE … TEMPLATE). */
    templateDb: string;
  }
}

export const TEST_DELIVERY_TIMEOUT_MS = 3000;
const TEMPLATE = 'hookline_test_template';

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set, else an embedded one in
 * .hookline-test/. A migrated template database makes each test file's own database cheap.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({ dataDir: path.resolve('.hookline-test'), port: Number(process.env.HOOKLINE_TEST_PG_PORT ?? 54339) });
    serverUrl = server.connectionString;
    stopServer = () => server.stop();
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // Leftovers of an earlier, interrupted run.
  const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hookline_test_%'");
  for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  const templateUrl = withDatabase(serverUrl, TEMPLATE);
  const db = connectDatabase({ connectionString: templateUrl, max: 2 });
  await migrateDatabase(db, templateUrl);
  const boss = createBoss(templateUrl, 'producer', { max: 2 });
  await boss.start();
  await ensureQueues(boss, TEST_DELIVERY_TIMEOUT_MS);
  await boss.stop({ graceful: false });
  await db.destroy();

  project.provide('pgServer', serverUrl);
  project.provide('templateDb', TEMPLATE);

  return async () => {
    const left = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hookline_test_%'");
    for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
    await stopServer();
  };
}
