import { CamelCasePlugin, Kysely, PostgresDialect, sql, type KyselyConfig, type PostgresPool, type Transaction as KyselyTransaction } from 'kysely';
import pg from 'pg';
import { checkOutWithHooklinePath, withHooklineSearchPath } from './hooklineSchema.ts';
import { GENERIC_PLANS, preparingClient } from './preparedStatements.ts';
import type { DB } from './schema.ts';

// Return int8/numeric as JS numbers: counts and durations here never exceed 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Database = Kysely<DB>;
/** A pg pool, as a host application hands one in (library mode). */
export type PgPool = pg.Pool;
/** A handle inside a transaction: what a function that locks rows, or must commit with its caller's writes, takes. */
export type Transaction = KyselyTransaction<DB>;

/**
 * How Hookline opens connections of its own (its pools, pg-boss's, the worker's LISTEN): a URL, or
 * the connection settings of a pool the host application handed in (library mode).
 */
export type Connection = string | ConnectionSettings;

/** The connection fields of pg's client config; the pool-only ones (size, client class) are left out. */
export type ConnectionSettings = Pick<
  pg.ClientConfig,
  'connectionString' | 'host' | 'port' | 'user' | 'password' | 'database' | 'ssl' | 'options' | 'connectionTimeoutMillis' | 'keepAlive'
>;

/**
 * A URL or settings, as settings to spread into a pg.Client's or pg-boss's options: with Hookline's
 * search_path (its schema, see hooklineSchema.ts), so every connection Hookline opens finds its tables.
 */
export const connectionSettings = (connection: Connection): ConnectionSettings =>
  withHooklineSearchPath(typeof connection === 'string' ? { connectionString: connection } : connection);

/**
 * The settings a pool connects with, so that Hookline's own connections reach the same database as
 * the host's pool. Read field by field: pg-pool keeps the password as a non-enumerable property.
 */
export function connectionSettingsOf(pool: pg.Pool): ConnectionSettings {
  const o = pool.options;
  const settings: ConnectionSettings = {
    connectionString: o.connectionString,
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    ssl: o.ssl,
    options: o.options,
    connectionTimeoutMillis: o.connectionTimeoutMillis,
    keepAlive: o.keepAlive,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** Where a Database's connections come from: its own pool (to a URL or settings), or a pool it shares and never ends. */
type ConnectTarget = { connectionString: string } | { connection: ConnectionSettings } | { sharedPool: pg.Pool };

export type ConnectOptions = ConnectTarget & {
  /** Pool size; the worker needs one connection per concurrent delivery it records. */
  max?: number;
  applicationName?: string;
  /** Kysely's query log hook (e.g. to capture the SQL a repository function runs). */
  log?: KyselyConfig['log'];
  /** Run hot statements as named (prepared) ones (see preparedStatements.ts); off for poolers that cannot keep them. */
  preparedStatements?: boolean;
  /** Plan each prepared statement once, generically (see GENERIC_PLANS): for the worker's pool, not the api's. */
  genericPlans?: boolean;
};

/**
 * Opens a pooled Kysely connection to PostgreSQL, whose statements find Hookline's tables in its
 * schema. With `sharedPool` the pool is the caller's: its client class, size and search_path are
 * kept (Hookline's is set for each checkout only), and destroying the Database leaves it open.
 */
export function connectDatabase(options: ConnectOptions): Database {
  if ('sharedPool' in options) {
    const shared = options.sharedPool;
    return kyselyOver({ connect: () => checkOutWithHooklinePath(shared), end: async () => {}, options: shared.options }, options);
  }
  const prepared = options.preparedStatements ?? true;
  const pool = new pg.Pool({
    ...connectionSettings('connection' in options ? options.connection : options.connectionString),
    max: options.max ?? 20,
    application_name: options.applicationName ?? 'hookline',
    ...(prepared ? { Client: preparingClient(options.genericPlans ? GENERIC_PLANS : undefined) } : {}),
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor one that drops while checked out (a PostgreSQL restart mid-query or mid-transaction): pg then
  // emits 'error' on the client, which nothing else listens to. The query itself rejects, and the
  // pool discards the client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return kyselyOver(pool, options);
}

function kyselyOver(pool: PostgresPool, options: Pick<ConnectOptions, 'log'>): Database {
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    ...(options.log ? { log: options.log } : {}),
  });
}

/** Resolves once the database answers a trivial query (readiness). */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
