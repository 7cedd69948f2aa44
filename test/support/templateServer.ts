import { rm } from 'node:fs/promises';
import pg from 'pg';
import { connectDatabase, createBoss, ensureQueues, HOOKLINE_SCHEMA, migrateDatabase, startEmbeddedPostgres } from '@hookline/db';
import { freePort } from './freePort.ts';

/** Migrates a database and creates Hookline's queues in it, as a first start would. */
export async function prepareDatabase(connectionString: string, deliveryTimeoutMs: number, historyPartitionSeconds?: number): Promise<void> {
  const db = connectDatabase({ connectionString, max: 2 });
  try {
    // The partitions ahead are made here, at this width: a clone's processes add theirs only after them.
    await migrateDatabase(db, connectionString, historyPartitionSeconds === undefined ? {} : { historyPartitionSeconds });
    const boss = createBoss(connectionString, 'producer', { max: 2 });
    await boss.start();
    await ensureQueues(boss, { deliveryTimeoutMs, queueRetentionSeconds: 3600 });
    await boss.stop({ graceful: false });
  } finally {
    await db.destroy();
  }
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TemplateServer {
  /** The server: DATABASE_URL's, or an embedded one. */
  serverUrl: string;
  /** An admin connection to the server. */
  admin: pg.Client;
  /** The migrated database to clone. */
  template: string;
  /** A fresh database cloned from the template; its connection string. */
  create(name: string): Promise<string>;
  /** Drops every database named with the prefix and stops an embedded server. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server with a migrated template database: the server in `databaseUrl`, else an
 * embedded one of this process's own in `dataDir` (its own port, so concurrent runs never stop each
 * other's). Every database it makes is named with `prefix`, so cleaning up never touches another run's.
 */
export async function startTemplateServer(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  prefix: string;
  deliveryTimeoutMs: number;
  /** HOOKLINE_HISTORY_PARTITION_SECONDS of the processes that will use the clones (default: the default's). */
  historyPartitionSeconds?: number;
}): Promise<TemplateServer> {
  const { dataDir, prefix } = options;
  let serverUrl = options.databaseUrl;
  let stopServer = async () => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    serverUrl = server.connectionString;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const template = `${prefix}template`;
  await admin.query(`CREATE DATABASE "${template}"`);
  await prepareDatabase(withDatabase(serverUrl, template), options.deliveryTimeoutMs, options.historyPartitionSeconds);
  const url = serverUrl;
  return {
    serverUrl: url,
    admin,
    template,
    async create(name) {
      await admin.query(`CREATE DATABASE "${prefix}${name}" TEMPLATE "${template}"`);
      // As createTestDatabase: ad-hoc SQL of benches and tests reads Hookline's tables unqualified.
      await admin.query(`ALTER DATABASE "${prefix}${name}" SET search_path = ${HOOKLINE_SCHEMA}`);
      return withDatabase(url, `${prefix}${name}`);
    },
    async close() {
      const mine = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
      for (const { datname } of mine.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.end();
      await stopServer();
    },
  };
}
