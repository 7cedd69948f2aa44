import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createBoss, ensureQueues } from '@hookline/core';
import { connectDatabase, migrateDatabase, startEmbeddedPostgres } from '@hookline/db';
import { freePort } from './freePort.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of a PostgreSQL server whose role may create databases. */
    pgServer: string;
    /** A migrated database that every test file clones (CREATE DATABASE … TEMPLATE). */
    templateDb: string;
    /** Prefix of every database this run creates, so concurrent runs never touch each other's. */
    dbPrefix: string;
  }
}

export const TEST_DELIVERY_TIMEOUT_MS = 3000;
const STALE_AFTER_SECONDS = 6 * 3600;

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set, else an embedded one of
 * this run's own (its own folder and port, so concurrent runs cannot stop each other's). A migrated
 * template database makes each test file's own database cheap.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Math.floor(Date.now() / 1000)}_${process.pid}`;
  const prefix = `hookline_test_${runId}_`;
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const dataDir = path.resolve('.hookline-test', `pg-${process.pid}`);
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    serverUrl = server.connectionString;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // Databases left by runs that were interrupted long ago (names carry their start time).
  const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hookline\\_test\\_%'");
  for (const { datname } of old.rows) {
    const started = Number(/^hookline_test_(\d+)_/.exec(datname)?.[1] ?? 0);
    if (started > 0 && started < Date.now() / 1000 - STALE_AFTER_SECONDS) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  const template = `${prefix}template`;
  await admin.query(`CREATE DATABASE "${template}"`);
  const templateUrl = withDatabase(serverUrl, template);
  const db = connectDatabase({ connectionString: templateUrl, max: 2 });
  await migrateDatabase(db, templateUrl);
  const boss = createBoss(templateUrl, 'producer', { max: 2 });
  await boss.start();
  await ensureQueues(boss, { deliveryTimeoutMs: TEST_DELIVERY_TIMEOUT_MS, queueRetentionSeconds: 3600 });
  await boss.stop({ graceful: false });
  await db.destroy();

  project.provide('pgServer', serverUrl);
  project.provide('templateDb', template);
  project.provide('dbPrefix', prefix);

  return async () => {
    const mine = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of mine.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
    await stopServer();
  };
}
