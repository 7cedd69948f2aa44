import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { Connection, Database, Transaction } from './connect.ts';
import { installQueueSchema } from './queue/boss.ts';
import * as m0001 from './migrations/0001_init.ts';
import * as m0002 from './migrations/0002_idempotency_tasks.ts';
import * as m0003 from './migrations/0003_event_type_flags_message_tags.ts';
import * as m0006 from './migrations/0006_endpoint_health.ts';
import * as m0007 from './migrations/0007_tenant_schedule_throttle.ts';
import * as m0008 from './migrations/0008_endpoint_payload_filter.ts';
import * as m0010 from './migrations/0010_operational_webhooks.ts';
import * as m0011 from './migrations/0011_encrypt_secrets.ts';
import * as m0012 from './migrations/0012_api_rate_limit.ts';
import * as m0013 from './migrations/0013_portal_token_revocation.ts';
import * as m0014 from './migrations/0014_list_indexes.ts';
import * as m0015 from './migrations/0015_fanout_pending.ts';
import * as m0016 from './migrations/0016_message_app_fk.ts';
import * as m0017 from './migrations/0017_replay_records.ts';
import * as m0018 from './migrations/0018_capacity_limits.ts';
import * as m0019 from './migrations/0019_partitioned_history.ts';
import { ensureHistoryPartitions, isLockTimeout } from './repos/historyPartitionRepo.ts';
import * as m0020 from './migrations/0020_delivery_statistics.ts';
import * as m0021 from './migrations/0021_accounts.ts';
import * as m0022 from './migrations/0022_audit_log.ts';
import * as m0023 from './migrations/0023_sso_totp.ts';
import * as m0024 from './migrations/0024_api_keys_settings.ts';
import * as m0025 from './migrations/0025_password_reset.ts';
import * as m0026 from './migrations/0026_console_usage_counters.ts';
import * as m0027 from './migrations/0027_tenant_wide_search.ts';
import * as m0028 from './migrations/0028_attempt_request_headers.ts';
import * as m0029 from './migrations/0029_publish_in_transaction.ts';
import * as m0030 from './migrations/0030_tenant_portal_logo.ts';
import * as m0031 from './migrations/0031_portal_token_logout.ts';
import * as m0032 from './migrations/0032_hookline_schema.ts';
import * as m0033 from './migrations/0033_endpoint_transformation.ts';
import * as m0034 from './migrations/0034_polling_endpoints.ts';
import * as m0035 from './migrations/0035_integrations.ts';
import * as m0037 from './migrations/0037_signature_header_names.ts';
import * as m0038 from './migrations/0038_fanout_wake_when_asleep.ts';
import * as m0039 from './migrations/0039_endpoint_auth.ts';
import * as m0040 from './migrations/0040_endpoint_mtls.ts';
import * as m0041 from './migrations/0041_endpoint_delivery_settings.ts';
import * as m0042 from './migrations/0042_failure_notices.ts';
import * as m0043 from './migrations/0043_sending_status_deleted_endpoints.ts';
import * as m0044 from './migrations/0044_cheaper_publish.ts';
import * as m0045 from './migrations/0045_tenant_portal_brand.ts';
import * as m0046 from './migrations/0046_status_count_parts.ts';
import * as m0047 from './migrations/0047_api_key_changes.ts';
import * as m0048 from './migrations/0048_rate_limit_leases.ts';
import { HOOKLINE_SCHEMA } from './hooklineSchema.ts';

// Migrations are listed here, not discovered on disk, so they work from any working directory.
const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_idempotency_tasks': m0002,
  '0003_event_type_flags_message_tags': m0003,
  '0006_endpoint_health': m0006,
  '0007_tenant_schedule_throttle': m0007,
  '0008_endpoint_payload_filter': m0008,
  '0010_operational_webhooks': m0010,
  '0011_encrypt_secrets': m0011,
  '0012_api_rate_limit': m0012,
  '0013_portal_token_revocation': m0013,
  '0014_list_indexes': m0014,
  '0015_fanout_pending': m0015,
  '0016_message_app_fk': m0016,
  '0017_replay_records': m0017,
  '0018_capacity_limits': m0018,
  '0019_partitioned_history': m0019,
  '0020_delivery_statistics': m0020,
  '0021_accounts': m0021,
  '0022_audit_log': m0022,
  '0023_sso_totp': m0023,
  '0024_api_keys_settings': m0024,
  '0025_password_reset': m0025,
  '0026_console_usage_counters': m0026,
  '0027_tenant_wide_search': m0027,
  '0028_attempt_request_headers': m0028,
  '0029_publish_in_transaction': m0029,
  '0030_tenant_portal_logo': m0030,
  '0031_portal_token_logout': m0031,
  '0032_hookline_schema': m0032,
  '0033_endpoint_transformation': m0033,
  '0034_polling_endpoints': m0034,
  '0035_integrations': m0035,
  '0037_signature_header_names': m0037,
  '0038_fanout_wake_when_asleep': m0038,
  '0039_endpoint_auth': m0039,
  '0040_endpoint_mtls': m0040,
  '0041_endpoint_delivery_settings': m0041,
  '0042_failure_notices': m0042,
  '0043_sending_status_deleted_endpoints': m0043,
  '0044_cheaper_publish': m0044,
  '0045_tenant_portal_brand': m0045,
  '0046_status_count_parts': m0046,
  '0047_api_key_changes': m0047,
  '0048_rate_limit_leases': m0048,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Unordered: migrations written on parallel branches may land in either order.
const migratorOf = (db: Database | Transaction, layout: 'hookline' | 'legacy' = 'hookline') =>
  new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    migrationTableName: 'hookline_migration',
    migrationLockTableName: 'hookline_migration_lock',
    ...(layout === 'hookline' ? { migrationTableSchema: HOOKLINE_SCHEMA } : {}),
  });

// Kysely's own migration lock (PostgresAdapter's LOCK_ID): taking it first makes the adoption of
// an old installation and the migrations one step for concurrent starters. Advisory locks are
// re-entrant, so the Migrator's own request in this session succeeds.
const MIGRATION_LOCK = sql`pg_advisory_xact_lock(3853314791062309107)`;

/**
 * Releases before 0032 kept the migration table (and every table) in the connection's schema,
 * usually `public`. The Migrator now reads it from `hookline`, so it moves there first, in the
 * transaction that then runs 0032. Returns the schema the old installation's tables are in.
 */
async function adoptLegacyLayout(trx: Transaction): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string }>`
    SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relname = 'hookline_migration' AND c.relkind = 'r' AND n.nspname <> ${HOOKLINE_SCHEMA}`.execute(trx);
  const moved = await sql<{ found: boolean }>`SELECT to_regclass(${`${HOOKLINE_SCHEMA}.hookline_migration`}) IS NOT NULL AS found`.execute(trx);
  const legacy = rows.length === 1 && !moved.rows[0]!.found ? rows[0]!.schema : undefined;
  if (legacy !== undefined) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(HOOKLINE_SCHEMA)}`.execute(trx);
    for (const table of ['hookline_migration', 'hookline_migration_lock']) {
      await sql`ALTER TABLE IF EXISTS ${sql.id(legacy, table)} SET SCHEMA ${sql.id(HOOKLINE_SCHEMA)}`.execute(trx);
    }
  }
  return legacy;
}

/**
 * Runs the Migrator in one transaction, under its lock, after adopting an old installation. Until
 * 0032 moves them, an old installation's tables are found behind `hookline` on the search_path.
 */
async function runMigrator(
  db: Database,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
  options: { layout?: 'hookline' | 'legacy' } = {},
): Promise<MigrationResultSet> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT ${MIGRATION_LOCK}`.execute(trx);
    if (options.layout === 'legacy') {
      // Upgrade tests only: the layout of releases before 0032, everything in `public`.
      await sql`SET LOCAL search_path = public`.execute(trx);
      return checked(await run(migratorOf(trx, 'legacy')));
    }
    const legacy = await adoptLegacyLayout(trx);
    if (legacy !== undefined) await sql`SELECT set_config('search_path', ${`${HOOKLINE_SCHEMA}, ${quoteIdent(legacy)}`}, true)`.execute(trx);
    return checked(await run(migratorOf(trx)));
  });
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function checked(result: MigrationResultSet): MigrationResultSet {
  const { error } = result;
  if (error) throw error instanceof Error ? error : new Error('migrations failed', { cause: error });
  return result;
}

/**
 * Runs the migrations up to `name` only, and nothing else: what upgrade tests start from. `legacy`
 * lays them out as releases before 0032 did (the migration table and every table in `public`).
 */
export async function migrateSchemaTo(db: Database, name: string, options: { layout?: 'hookline' | 'legacy' } = {}): Promise<void> {
  await runMigrator(db, (m) => m.migrateTo(name), options);
}

/** The settings hookline.publish applies as the API does, which it cannot read from the environment. */
export interface PublishDefaults {
  /** HOOKLINE_PAYLOAD_RETENTION_DAYS */
  payloadRetentionDays: number;
  /** HOOKLINE_MAX_BODY_BYTES, the limit on a payload's bytes */
  maxPayloadBytes: number;
}

/** Hands the server's settings to hookline.publish (0029): each start writes its own, the last one wins. */
export async function writePublishDefaults(db: Database, defaults: PublishDefaults): Promise<void> {
  await sql`UPDATE hookline.publish_settings SET payload_retention_days = ${defaults.payloadRetentionDays}, max_payload_bytes = ${defaults.maxPayloadBytes}
    WHERE payload_retention_days IS DISTINCT FROM ${defaults.payloadRetentionDays} OR max_payload_bytes IS DISTINCT FROM ${defaults.maxPayloadBytes}`.execute(db);
}

/** The default width of a history partition (HOOKLINE_HISTORY_PARTITION_SECONDS). */
export const DEFAULT_HISTORY_PARTITION_SECONDS = 86_400;

/**
 * Brings the database up to date: Hookline's tables in its schema (Kysely migrations, under an
 * advisory lock so concurrent starters do not race; an old installation's move out of `public`
 * too), history partitions ahead of time, and pg-boss's schema in the same database.
 */
export async function migrateDatabase(
  db: Database,
  connection: Connection,
  options: { historyPartitionSeconds?: number; publishDefaults?: PublishDefaults } = {},
): Promise<string[]> {
  const { results } = await runMigrator(db, (m) => m.migrateToLatest());
  if (options.publishDefaults) await writePublishDefaults(db, options.publishDefaults);
  // At every start, so inserts never depend on the maintenance having run. A lock it cannot get
  // (an ANALYZE or a long query on the history) does not stop the start: rows then wait in the
  // DEFAULT partition until maintenance creates their range.
  await ensureHistoryPartitions(db, { widthSeconds: options.historyPartitionSeconds ?? DEFAULT_HISTORY_PARTITION_SECONDS }).catch((err: unknown) => {
    if (!isLockTimeout(err)) throw err;
  });
  await installQueueSchema(connection);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
