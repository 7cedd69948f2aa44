import { sql, type Kysely } from 'kysely';

// The audit log: one row per change (and per secret read), written in the change's transaction.
// Append-only: a statement trigger refuses UPDATE, TRUNCATE and DELETE, except a DELETE in a
// transaction where retention (auditLogRepo.deleteAuditRecordsBefore) set hookline.audit_retention.
// Ids are time-ordered KSUIDs (`audit_…`), so a time range is an id range and one (tenant_id, id)
// index answers pages and time filters, the others each filter with its pages; retention deletes
// by id range in batches. Changes are rare next to messages (a publish is not audited), so a few
// small indexes cost the writes little.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      at timestamptz NOT NULL,
      actor_kind text NOT NULL,
      actor_id text COLLATE "C" NOT NULL,
      actor_name text NOT NULL,
      action text COLLATE "C" NOT NULL,
      target_kind text NOT NULL,
      target_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C",
      client_address text,
      user_agent text,
      request_id text,
      changes jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id);
    CREATE INDEX audit_log_actor_idx ON audit_log (tenant_id, actor_id, id);
    CREATE INDEX audit_log_action_idx ON audit_log (tenant_id, action, id);
    CREATE INDEX audit_log_target_idx ON audit_log (tenant_id, target_id, id);
    CREATE INDEX audit_log_app_idx ON audit_log (tenant_id, app_id, id) WHERE app_id IS NOT NULL;

    CREATE FUNCTION hookline_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('hookline.audit_retention', true) = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION hookline_audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_log;
    DROP FUNCTION hookline_audit_log_append_only();
  `.execute(db);
}
