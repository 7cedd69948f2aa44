import { CamelCasePlugin, Kysely, PostgresDialect, sql, type KyselyConfig, type Transaction as KyselyTransaction } from 'kysely';
import pg from 'pg';
import { GENERIC_PLANS, preparingClient } from './preparedStatements.ts';
import type { DB } from './schema.ts';

// Return int8/numeric as JS numbers: counts and durations here never exceed 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Database = Kysely<DB>;
/** A handle inside a transaction: what a function that locks rows, or must commit with its caller's writes, takes. */
export type Transaction = KyselyTransaction<DB>;

export interface ConnectOptions {
  connectionString: string;
  /** Pool size; the worker needs one connection per concurrent delivery it records. */
  max?: number;
  applicationName?: string;
  /** Kysely's query log hook (e.g. to capture the SQL a repository function runs). */
  log?: KyselyConfig['log'];
  /** Run hot statements as named (prepared) ones (see preparedStatements.ts); off for poolers that cannot keep them. */
  preparedStatements?: boolean;
  /** Plan each prepared statement once, generically (see GENERIC_PLANS): for the worker's pool, not the api's. */
  genericPlans?: boolean;
}

/** Opens a pooled Kysely connection to PostgreSQL. */
export function connectDatabase(options: ConnectOptions): Database {
  const prepared = options.preparedStatements ?? true;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
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
