import { sql, type Kysely } from 'kysely';

// The api keeps the API keys it authenticated in memory (core's ApiKeyCache), so a request costs
// no lookup of its key. Every statement that could end a key's life or change what the cache holds
// NOTIFYs the api processes, which forget what they hold: a revoked key is refused within
// milliseconds of the revoke's commit. last_used_at (written once a minute per key) is not among them.
// The channel is API_KEY_CHANGES_CHANNEL of packages/db/src/repos/tenantRepo.ts.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION hookline.hookline_api_key_changed() RETURNS trigger LANGUAGE plpgsql
      SET search_path = pg_catalog, hookline, pg_temp AS $fn$
    BEGIN
      PERFORM pg_notify('hookline_api_keys', '');
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER api_key_changed AFTER UPDATE OF key_hash, tenant_id, name, expires_at, revoked_at OR DELETE OR TRUNCATE ON api_key
      FOR EACH STATEMENT EXECUTE FUNCTION hookline.hookline_api_key_changed();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER api_key_changed ON api_key;
    DROP FUNCTION hookline.hookline_api_key_changed();
  `.execute(db);
}
