import { sql, type Kysely } from 'kysely';

// Tables use snake_case; Kysely's CamelCasePlugin maps them to the camelCase `DB` interface.
// Ids and event type names use the "C" collation: lists page by them, and byte order is creation
// order for ids whatever the server's default locale.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Operator settings kept in the database, e.g. the hash of a generated admin token.
    CREATE TABLE setting (
      key text PRIMARY KEY,
      value text NOT NULL
    );

    CREATE TABLE tenant (
      id text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_key (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      name text NOT NULL,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_key_tenant_idx ON api_key (tenant_id, id);

    CREATE TABLE application (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      uid text,
      name text NOT NULL,
      throttle_rate integer,
      metadata jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX application_uid_idx ON application (tenant_id, uid) WHERE uid IS NOT NULL;
    CREATE INDEX application_tenant_idx ON application (tenant_id, id);

    CREATE TABLE event_type (
      tenant_id text COLLATE "C" NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      name text COLLATE "C" NOT NULL,
      description text NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      deprecated boolean NOT NULL DEFAULT false,
      feature_flag text,
      group_name text,
      schemas jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, name)
    );

    CREATE TABLE endpoint (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      uid text,
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      disabled boolean NOT NULL DEFAULT false,
      event_types text[],
      channels text[],
      throttle_rate integer,
      metadata jsonb NOT NULL DEFAULT '{}',
      headers jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX endpoint_uid_idx ON endpoint (app_id, uid) WHERE uid IS NOT NULL;
    CREATE INDEX endpoint_app_idx ON endpoint (tenant_id, app_id, id);

    CREATE TABLE endpoint_secret (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz
    );
    CREATE INDEX endpoint_secret_endpoint_idx ON endpoint_secret (endpoint_id, created_at);

    CREATE TABLE message (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      event_type text NOT NULL,
      event_id text,
      channels text[],
      payload text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX message_app_idx ON message (tenant_id, app_id, id);
    CREATE UNIQUE INDEX message_event_id_idx ON message (app_id, event_id) WHERE event_id IS NOT NULL;
    CREATE INDEX message_expires_idx ON message (expires_at) WHERE payload IS NOT NULL;

    CREATE TABLE message_delivery (
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL,
      msg_id text COLLATE "C" NOT NULL REFERENCES message (id) ON DELETE CASCADE,
      endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
      status smallint NOT NULL,
      attempt_count integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (msg_id, endpoint_id)
    );
    CREATE INDEX message_delivery_endpoint_idx ON message_delivery (endpoint_id, msg_id);

    CREATE TABLE message_attempt (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL,
      msg_id text COLLATE "C" NOT NULL REFERENCES message (id) ON DELETE CASCADE,
      endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
      url text NOT NULL,
      status smallint NOT NULL,
      response_status_code integer NOT NULL,
      response text NOT NULL,
      response_duration_ms integer NOT NULL,
      trigger_type smallint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX message_attempt_msg_idx ON message_attempt (msg_id, id);
    CREATE INDEX message_attempt_endpoint_idx ON message_attempt (endpoint_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE message_attempt, message_delivery, message, endpoint_secret, endpoint,
      event_type, application, api_key, tenant, setting;
  `.execute(db);
}
