import { sql, type Kysely } from 'kysely';

// hookline.publish (issue 22, docs/publish-in-transaction.md): a message published inside the
// caller's own transaction exists exactly when that transaction commits. It does what the API's
// publish does (packages/core/src/messages/messages.ts) in PL/pgSQL, with the API's validation, and
// refuses with SQLSTATEs of class HL (HL403, HL404, HL409, HL413, HL422). These functions and their
// two tables live in `hookline`; so does every table since 0032_hookline_schema (before it, the
// tables were in the schema the migrations ran in, which the functions' search_path named).

/** hookline.new_id as this migration made it (0044's down migration puts it back). */
export const NEW_ID = `
    -- newId(prefix, at) of packages/core/src/ids.ts: a KSUID whose first 6 bytes are the seconds
    -- since 2014-05-13 and the milliseconds, then 14 random bytes, in base 62. History partitions
    -- are ranges of these ids, so the layout must be exactly the same.
    CREATE FUNCTION hookline.new_id(prefix text, made_at timestamptz) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      ms bigint := floor(extract(epoch FROM made_at) * 1000);
      -- uuid v4: bytes 0-5 and 9-15 are random (6 and 8 hold the version and variant bits).
      u1 bytea := uuid_send(gen_random_uuid());
      u2 bytea := uuid_send(gen_random_uuid());
      rnd bytea := substring(u1 FROM 1 FOR 6) || substring(u1 FROM 10 FOR 7) || substring(u2 FROM 1 FOR 1);
      n numeric := greatest(0, div(ms, 1000) - 1400000000) * 65536 + mod(ms, 1000);
      alphabet text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
      digits text := '';
    BEGIN
      FOR i IN 0..13 LOOP
        n := n * 256 + get_byte(rnd, i);
      END LOOP;
      FOR i IN 1..27 LOOP
        digits := substr(alphabet, mod(n, 62)::int + 1, 1) || digits;
        n := div(n, 62);
      END LOOP;
      RETURN prefix || '_' || digits;
    END $fn$;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Since 0032 the schema exists before the first migration (it holds the migration table).
    CREATE SCHEMA IF NOT EXISTS hookline;
    -- Nobody but the owner may see into the schema; allow_publish grants USAGE to a publishing role.
    REVOKE ALL ON SCHEMA hookline FROM PUBLIC;

    -- What the server's settings say (written at every start, see migrateDatabase): the function
    -- cannot read the environment. The defaults are the settings' own.
    CREATE TABLE hookline.publish_settings (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      payload_retention_days double precision NOT NULL DEFAULT 90,
      max_payload_bytes integer NOT NULL DEFAULT 1048576
    );
    INSERT INTO hookline.publish_settings DEFAULT VALUES;

    -- Which database role may publish for which tenant. By oid, so a renamed role keeps its grant.
    CREATE TABLE hookline.publish_grant (
      role_oid oid NOT NULL,
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (role_oid, tenant_id)
    );
    CREATE INDEX publish_grant_tenant_idx ON hookline.publish_grant (tenant_id);

${sql.raw(NEW_ID)}

    -- The deepest nesting of a JSON value (a scalar or an empty container: 0), as the API's
    -- MAX_JSON_DEPTH counts it. Only walked when the text has enough brackets to be that deep.
    CREATE FUNCTION hookline.json_depth(v jsonb, limit_depth integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$
      WITH RECURSIVE walk(node, depth) AS (
        SELECT v, 0
        UNION ALL
        SELECT child.value, walk.depth + 1 FROM walk, LATERAL (
          SELECT e.value FROM jsonb_each(CASE WHEN jsonb_typeof(walk.node) = 'object' THEN walk.node END) e
          UNION ALL
          SELECT a.value FROM jsonb_array_elements(CASE WHEN jsonb_typeof(walk.node) = 'array' THEN walk.node END) a
        ) child
        WHERE walk.depth <= limit_depth
      )
      SELECT max(depth) FROM walk
    $fn$;
  `.execute(db);
  await sql`
    -- The grant check, the validation of messageInSchema and the API's publish, in one function.
    -- SECURITY DEFINER with a fixed search_path: a publishing role reads no table itself, and cannot
    -- put objects of its own in the way of the function's unqualified names.
    CREATE FUNCTION hookline.publish(tenant_id text, app text, event_type text, payload jsonb, options jsonb DEFAULT '{}')
    RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $fn$
    -- An ON CONFLICT target names columns (tenant_id) that are parameters too; parameters are qualified elsewhere.
    #variable_conflict use_column
    DECLARE
      o jsonb := jsonb_strip_nulls(coalesce(options, '{}'));
      now_at timestamptz := date_trunc('milliseconds', clock_timestamp());
      cfg hookline.publish_settings;
      k text;
      v jsonb;
      ev text;
      chans text[];
      tgs text[];
      hours double precision;
      idem text;
      req_text text;
      claimed text;
      replay record;
      application_id text;
      created text;
      new_msg text;
      app_in jsonb := o -> 'application';
    BEGIN
      -- Who: the database owner (the role the migrations ran as, this function's owner) for any
      -- tenant, else a role that allow_publish named for this one (directly or through membership).
      IF NOT pg_has_role(session_user, current_user, 'MEMBER') AND NOT EXISTS (
        SELECT 1 FROM hookline.publish_grant g WHERE g.tenant_id = publish.tenant_id AND pg_has_role(session_user, g.role_oid, 'USAGE')
      ) THEN
        RAISE EXCEPTION 'role "%" may not publish for tenant "%"', session_user, publish.tenant_id
          USING ERRCODE = 'HL403', HINT = 'the database owner grants it with hookline.allow_publish(role, tenant_id)';
      END IF;
      SELECT * INTO cfg FROM hookline.publish_settings;

      -- What: messageInSchema's rules, field by field (packages/core/src/messages/messageSchemas.ts).
      IF jsonb_typeof(o) <> 'object' THEN
        RAISE EXCEPTION 'options must be a JSON object' USING ERRCODE = 'HL422';
      END IF;
      FOR k IN SELECT jsonb_object_keys(o) LOOP
        IF k NOT IN ('eventId', 'channels', 'tags', 'idempotencyKey', 'application', 'payloadRetentionPeriod', 'payloadRetentionHours') THEN
          RAISE EXCEPTION 'options.%: unknown option', k USING ERRCODE = 'HL422',
            HINT = 'options are eventId, channels, tags, idempotencyKey, application, payloadRetentionPeriod, payloadRetentionHours';
        END IF;
      END LOOP;
      IF event_type IS NULL OR length(event_type) > 256 OR event_type COLLATE "C" !~ '^[a-zA-Z0-9_.-]+$' THEN
        RAISE EXCEPTION 'event_type: must be 1 to 256 characters, only letters, digits and - _ .' USING ERRCODE = 'HL422';
      END IF;
      IF payload IS NULL OR jsonb_typeof(payload) <> 'object' THEN
        RAISE EXCEPTION 'payload: must be a JSON object' USING ERRCODE = 'HL422';
      END IF;
      IF octet_length(payload::text) > cfg.max_payload_bytes THEN
        RAISE EXCEPTION 'payload: % bytes, more than the limit of % (HOOKLINE_MAX_BODY_BYTES)', octet_length(payload::text), cfg.max_payload_bytes
          USING ERRCODE = 'HL413';
      END IF;
      -- The API refuses a body nested deeper than 128 levels, the payload being one level down.
      IF length(payload::text) - length(translate(payload::text, '{[', '')) >= 128 AND hookline.json_depth(payload, 128) >= 128 THEN
        RAISE EXCEPTION 'payload: nesting is deeper than 128 levels' USING ERRCODE = 'HL422';
      END IF;
      IF o ? 'eventId' THEN
        IF jsonb_typeof(o -> 'eventId') <> 'string' OR length(o ->> 'eventId') > 256 OR (o ->> 'eventId') COLLATE "C" !~ '^[a-zA-Z0-9_.-]+$' THEN
          RAISE EXCEPTION 'options.eventId: must be 1 to 256 characters, only letters, digits and - _ .' USING ERRCODE = 'HL422';
        END IF;
        ev := o ->> 'eventId';
        IF ev LIKE 'msg\\_%' THEN
          RAISE EXCEPTION 'options.eventId: must not start with "msg_", the prefix of message ids' USING ERRCODE = 'HL422';
        END IF;
      END IF;
      IF o ? 'channels' THEN
        IF jsonb_typeof(o -> 'channels') <> 'array' OR jsonb_array_length(o -> 'channels') > 10 THEN
          RAISE EXCEPTION 'options.channels: must be an array of at most 10 channels' USING ERRCODE = 'HL422';
        END IF;
        FOR v IN SELECT value FROM jsonb_array_elements(o -> 'channels') LOOP
          IF jsonb_typeof(v) <> 'string' OR (v #>> '{}') COLLATE "C" !~ '^[-_a-zA-Z0-9:#|.]{1,128}$' THEN
            RAISE EXCEPTION 'options.channels: % must be 1 to 128 characters, only letters, digits and - _ : # | .', v USING ERRCODE = 'HL422';
          END IF;
        END LOOP;
        chans := ARRAY(SELECT value FROM jsonb_array_elements_text(o -> 'channels') WITH ORDINALITY ORDER BY ordinality);
      END IF;
      IF o ? 'tags' THEN
        IF jsonb_typeof(o -> 'tags') <> 'array' OR jsonb_array_length(o -> 'tags') > 5 THEN
          RAISE EXCEPTION 'options.tags: must be an array of at most 5 tags' USING ERRCODE = 'HL422';
        END IF;
        FOR v IN SELECT value FROM jsonb_array_elements(o -> 'tags') LOOP
          IF jsonb_typeof(v) <> 'string' OR (v #>> '{}') COLLATE "C" !~ '^[a-zA-Z0-9_./#\\\\-]{1,128}$' THEN
            RAISE EXCEPTION 'options.tags: % must be 1 to 128 characters, only letters, digits and - _ . / \\ #', v USING ERRCODE = 'HL422';
          END IF;
        END LOOP;
        -- Repeats dropped, first occurrence kept (the API's new Set).
        tgs := ARRAY(SELECT t.value FROM jsonb_array_elements_text(o -> 'tags') WITH ORDINALITY t GROUP BY t.value ORDER BY min(t.ordinality));
      END IF;
      IF o ? 'payloadRetentionPeriod' AND o ? 'payloadRetentionHours' THEN
        RAISE EXCEPTION 'options.payloadRetentionHours: payloadRetentionPeriod and payloadRetentionHours are mutually exclusive' USING ERRCODE = 'HL422';
      ELSIF o ? 'payloadRetentionPeriod' THEN
        IF jsonb_typeof(o -> 'payloadRetentionPeriod') <> 'number' OR (o ->> 'payloadRetentionPeriod')::numeric % 1 <> 0
          OR (o ->> 'payloadRetentionPeriod')::numeric NOT BETWEEN 1 AND 3650 THEN
          RAISE EXCEPTION 'options.payloadRetentionPeriod: must be a whole number of days from 1 to 3650' USING ERRCODE = 'HL422';
        END IF;
        hours := (o ->> 'payloadRetentionPeriod')::numeric * 24;
      ELSIF o ? 'payloadRetentionHours' THEN
        IF jsonb_typeof(o -> 'payloadRetentionHours') <> 'number' OR (o ->> 'payloadRetentionHours')::numeric % 1 <> 0
          OR (o ->> 'payloadRetentionHours')::numeric NOT BETWEEN 1 AND 87600 THEN
          RAISE EXCEPTION 'options.payloadRetentionHours: must be a whole number of hours from 1 to 87600' USING ERRCODE = 'HL422';
        END IF;
        hours := (o ->> 'payloadRetentionHours')::numeric;
      ELSE
        hours := cfg.payload_retention_days * 24;
      END IF;
      IF o ? 'idempotencyKey' THEN
        IF jsonb_typeof(o -> 'idempotencyKey') <> 'string' OR length(o ->> 'idempotencyKey') NOT BETWEEN 1 AND 256 THEN
          RAISE EXCEPTION 'options.idempotencyKey: must be 1 to 256 characters' USING ERRCODE = 'HL422';
        END IF;
        idem := o ->> 'idempotencyKey';
      END IF;
      IF app_in IS NOT NULL THEN
        PERFORM hookline.check_application(app_in);
      END IF;

      IF NOT EXISTS (SELECT 1 FROM tenant t WHERE t.id = publish.tenant_id) THEN
        RAISE EXCEPTION 'tenant "%" not found', publish.tenant_id USING ERRCODE = 'HL404';
      END IF;

      -- The API's idempotency: the same rows (tenant, key, "POST <path>"), so a key used through
      -- the API and through this function is one key. A repeat returns the first message's id; a
      -- claim another transaction holds makes this wait for it, as the API's claim does.
      IF idem IS NOT NULL THEN
        req_text := 'POST /api/v1/app/' || app || '/msg';
        INSERT INTO idempotency_key AS i (tenant_id, key, request) VALUES (publish.tenant_id, idem, req_text)
          ON CONFLICT (tenant_id, key, request) DO NOTHING RETURNING i.key INTO claimed;
        IF claimed IS NULL THEN
          SELECT i.status_code, i.response_body INTO replay FROM idempotency_key i
            WHERE i.tenant_id = publish.tenant_id AND i.key = idem AND i.request = req_text;
          IF replay.status_code IS NOT NULL AND replay.response_body IS NOT NULL THEN
            RETURN replay.response_body::jsonb ->> 'id';
          END IF;
          RAISE EXCEPTION 'a request with this idempotency key is still being processed' USING ERRCODE = 'HL409';
        END IF;
      END IF;

      -- Which application: findApplication's rules (never the operational one; an id before a uid).
      SELECT a.id INTO application_id FROM application a
        WHERE a.tenant_id = publish.tenant_id AND NOT a.operational AND (a.id = app OR a.uid = app)
        ORDER BY a.id = app DESC LIMIT 1;
      IF application_id IS NULL THEN
        application_id := hookline.create_application(publish.tenant_id, app, app_in);
      END IF;

      new_msg := hookline.new_id('msg', now_at);
      IF ev IS NOT NULL THEN
        -- Claimed as the API claims it; an uncommitted claim of another transaction makes this wait.
        INSERT INTO message_event_id AS e (app_id, event_id, tenant_id, msg_id) VALUES (application_id, ev, publish.tenant_id, new_msg)
          ON CONFLICT (app_id, event_id) DO NOTHING RETURNING e.msg_id INTO created;
        IF created IS NULL THEN
          RAISE EXCEPTION 'a message with this eventId already exists' USING ERRCODE = 'HL409';
        END IF;
      END IF;
      INSERT INTO message (id, tenant_id, app_id, event_type, event_id, channels, payload, created_at, expires_at, tags)
        VALUES (new_msg, publish.tenant_id, application_id, publish.event_type, ev, nullif(chans, '{}'), payload::text, now_at,
          now_at + make_interval(secs => floor(hours * 3600000) / 1000.0), nullif(tgs, '{}'));
      -- The outbox row the workers claim: found by their poll even if the wake-up below is missed.
      INSERT INTO fanout_pending (tenant_id, msg_id) VALUES (publish.tenant_id, new_msg);
      -- Delivered at this transaction's commit only (FANOUT_WAKEUP_CHANNEL of packages/db/src/queue/jobs.ts).
      PERFORM pg_notify('hookline_fanout', '');
      IF idem IS NOT NULL THEN
        UPDATE idempotency_key i SET status_code = 202, completed_at = clock_timestamp(),
          response_body = json_build_object('id', new_msg, 'eventType', publish.event_type, 'eventId', ev, 'channels', nullif(chans, '{}'),
            'tags', nullif(tgs, '{}'), 'timestamp', to_char(now_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
          WHERE i.tenant_id = publish.tenant_id AND i.key = idem AND i.request = req_text;
      END IF;
      RETURN new_msg;
    END $fn$;
  `.execute(db);
  await sql`
    -- applicationInSchema's rules, for options.application (validated even when the application exists, as the API does).
    CREATE FUNCTION hookline.check_application(a jsonb) RETURNS void LANGUAGE plpgsql IMMUTABLE AS $fn$
    DECLARE
      v jsonb;
    BEGIN
      IF jsonb_typeof(a) <> 'object' THEN
        RAISE EXCEPTION 'options.application: must be a JSON object {name, uid}' USING ERRCODE = 'HL422';
      END IF;
      IF jsonb_typeof(a -> 'name') IS DISTINCT FROM 'string' OR length(a ->> 'name') NOT BETWEEN 1 AND 256 THEN
        RAISE EXCEPTION 'options.application.name: must be 1 to 256 characters' USING ERRCODE = 'HL422';
      END IF;
      IF a ? 'uid' AND (jsonb_typeof(a -> 'uid') <> 'string' OR length(a ->> 'uid') > 256 OR (a ->> 'uid') COLLATE "C" !~ '^[a-zA-Z0-9_.-]+$') THEN
        RAISE EXCEPTION 'options.application.uid: must be 1 to 256 characters, only letters, digits and - _ .' USING ERRCODE = 'HL422';
      END IF;
      IF (a ->> 'uid') LIKE 'app\\_%' THEN
        RAISE EXCEPTION 'options.application.uid: must not start with "app_", the prefix of application ids' USING ERRCODE = 'HL422';
      END IF;
      IF a ? 'throttleRate' AND (jsonb_typeof(a -> 'throttleRate') <> 'number' OR (a ->> 'throttleRate')::numeric % 1 <> 0
        OR (a ->> 'throttleRate')::numeric NOT BETWEEN 1 AND 65535) THEN
        RAISE EXCEPTION 'options.application.throttleRate: must be a whole number from 1 to 65535' USING ERRCODE = 'HL422';
      END IF;
      IF a ? 'metadata' THEN
        IF jsonb_typeof(a -> 'metadata') <> 'object' THEN
          RAISE EXCEPTION 'options.application.metadata: must be an object of strings' USING ERRCODE = 'HL422';
        END IF;
        FOR v IN SELECT value FROM jsonb_each(a -> 'metadata') LOOP
          IF jsonb_typeof(v) <> 'string' THEN
            RAISE EXCEPTION 'options.application.metadata: must be an object of strings' USING ERRCODE = 'HL422';
          END IF;
        END LOOP;
      END IF;
    END $fn$;

    -- resolveApplicationId and getOrCreateApplication of the API: the application named by uid,
    -- created from options.application, audited as the API audits it. A concurrent creator wins.
    CREATE FUNCTION hookline.create_application(tenant text, app text, a jsonb) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      made_at timestamptz := date_trunc('milliseconds', clock_timestamp());
      created text;
    BEGIN
      IF a IS NULL THEN
        RAISE EXCEPTION 'application "%" not found', app USING ERRCODE = 'HL404',
          HINT = 'pass options.application ({name, uid}) to create it';
      END IF;
      IF NOT a ? 'uid' THEN
        RAISE EXCEPTION 'options.application.uid: must be set to create the application (to the uid in app)' USING ERRCODE = 'HL422';
      END IF;
      IF a ->> 'uid' <> app THEN
        RAISE EXCEPTION 'options.application.uid: must match the application uid in app' USING ERRCODE = 'HL422';
      END IF;
      INSERT INTO application AS x (id, tenant_id, uid, name, throttle_rate, metadata, created_at, updated_at)
        VALUES (hookline.new_id('app', made_at), tenant, app, a ->> 'name', (a ->> 'throttleRate')::int, coalesce(a -> 'metadata', '{}'), made_at, made_at)
        ON CONFLICT (tenant_id, uid) WHERE uid IS NOT NULL DO NOTHING RETURNING x.id INTO created;
      IF created IS NULL THEN
        SELECT x.id INTO created FROM application x WHERE x.tenant_id = tenant AND x.uid = app AND NOT x.operational;
        IF created IS NULL THEN
          RAISE EXCEPTION 'application "%" not found', app USING ERRCODE = 'HL404';
        END IF;
        RETURN created;
      END IF;
      PERFORM hookline.audit(tenant, 'application.created', 'application', created, created, jsonb_strip_nulls(jsonb_build_object(
        'uid', jsonb_build_object('to', app), 'name', jsonb_build_object('to', a -> 'name'),
        'throttleRate', CASE WHEN a ? 'throttleRate' THEN jsonb_build_object('to', a -> 'throttleRate') END,
        'metadata', jsonb_build_object('to', coalesce(a -> 'metadata', '{}')))));
      RETURN created;
    END $fn$;

    -- An audit record whose actor is the session's database role (actor kind "databaseRole").
    CREATE FUNCTION hookline.audit(tenant text, action text, target_kind text, target_id text, app_id text, changes jsonb) RETURNS void
    LANGUAGE sql VOLATILE AS $fn$
      INSERT INTO audit_log (id, tenant_id, at, actor_kind, actor_id, actor_name, action, target_kind, target_id, app_id, changes)
      VALUES (hookline.new_id('audit', clock_timestamp()), tenant, date_trunc('milliseconds', clock_timestamp()), 'databaseRole', session_user,
        'database role ' || session_user, action, target_kind, target_id, app_id, changes)
    $fn$;

    -- Run by the database owner: lets role publish for tenant_id (and nothing else: no table, no other tenant).
    CREATE FUNCTION hookline.allow_publish(role name, tenant_id text) RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      role_id oid := (SELECT r.oid FROM pg_roles r WHERE r.rolname = role);
    BEGIN
      IF role_id IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', role USING ERRCODE = 'HL404';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM tenant t WHERE t.id = allow_publish.tenant_id) THEN
        RAISE EXCEPTION 'tenant "%" not found', allow_publish.tenant_id USING ERRCODE = 'HL404';
      END IF;
      INSERT INTO hookline.publish_grant AS g (role_oid, tenant_id) VALUES (role_id, allow_publish.tenant_id) ON CONFLICT DO NOTHING;
      IF FOUND THEN
        PERFORM hookline.audit(allow_publish.tenant_id, 'publishRole.allowed', 'databaseRole', role, NULL, '{}');
      END IF;
      EXECUTE format('GRANT USAGE ON SCHEMA hookline TO %I', role);
      EXECUTE format('GRANT EXECUTE ON FUNCTION hookline.publish(text, text, text, jsonb, jsonb) TO %I', role);
    END $fn$;

    -- Run by the database owner: takes the grant back; with none left, the role loses the function and the schema too.
    CREATE FUNCTION hookline.revoke_publish(role name, tenant_id text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      role_id oid := (SELECT r.oid FROM pg_roles r WHERE r.rolname = role);
    BEGIN
      DELETE FROM hookline.publish_grant g WHERE g.role_oid = role_id AND g.tenant_id = revoke_publish.tenant_id;
      IF NOT FOUND THEN
        RETURN false;
      END IF;
      PERFORM hookline.audit(revoke_publish.tenant_id, 'publishRole.revoked', 'databaseRole', role, NULL, '{}');
      IF NOT EXISTS (SELECT 1 FROM hookline.publish_grant g WHERE g.role_oid = role_id) THEN
        EXECUTE format('REVOKE EXECUTE ON FUNCTION hookline.publish(text, text, text, jsonb, jsonb) FROM %I', role);
        EXECUTE format('REVOKE USAGE ON SCHEMA hookline FROM %I', role);
      END IF;
      RETURN true;
    END $fn$;

    -- Only the owner runs these (and the roles allow_publish names, hookline.publish). Every
    -- function resolves Hookline's tables in the schema the migrations ran in, whoever calls it.
    REVOKE ALL ON ALL FUNCTIONS IN SCHEMA hookline FROM PUBLIC;
    DO $do$
    DECLARE
      f regprocedure;
    BEGIN
      FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'hookline'::regnamespace LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
      END LOOP;
    END $do$;
  `.execute(db);
}

// Only what up created: the schema also holds every table of Hookline (0032) and the migration table.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION hookline.publish, hookline.allow_publish, hookline.revoke_publish, hookline.audit,
      hookline.create_application, hookline.check_application, hookline.json_depth, hookline.new_id;
    DROP TABLE hookline.publish_grant, hookline.publish_settings;
  `.execute(db);
}
