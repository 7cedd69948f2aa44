import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTemplateServer } from './templateServer.ts';

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

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set, else an embedded one of
 * this run's own (its own folder and port, so concurrent runs cannot stop each other's). A migrated
 * template database makes each test file's own database cheap.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Math.floor(Date.now() / 1000)}_${process.pid}`;
  const prefix = `hookline_test_${runId}_`;
  const server = await startTemplateServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.resolve('.hookline-test', `pg-${process.pid}`),
    prefix,
    deliveryTimeoutMs: TEST_DELIVERY_TIMEOUT_MS,
  });
  // Databases left by runs that were interrupted long ago (names carry their start time).
  const old = await server.admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hookline\\_test\\_%'");
  for (const { datname } of old.rows) {
    const started = Number(/^hookline_test_(\d+)_/.exec(datname)?.[1] ?? 0);
    if (started > 0 && started < Date.now() / 1000 - STALE_AFTER_SECONDS) await server.admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }

  project.provide('pgServer', server.serverUrl);
  project.provide('templateDb', server.template);
  project.provide('dbPrefix', prefix);

  return () => server.close();
}
