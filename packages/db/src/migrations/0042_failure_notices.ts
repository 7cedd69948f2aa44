import { sql, type Kysely } from 'kysely';

// Failure notices to the customer (issue 24): per application, where notices go and when; per
// endpoint, the state that decides them (failures in the current failing spell, whether the
// customer was told, the last notice for the rate limit). The chat webhook URL holds a token: it
// is stored encrypted, bound to its row (core's secrets/secretPlaces.ts: noticeChatUrlPlace).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notification_setting (
      app_id text COLLATE "C" PRIMARY KEY REFERENCES application (id) ON DELETE CASCADE,
      tenant_id text COLLATE "C" NOT NULL,
      emails text[] NOT NULL DEFAULT '{}',
      chat_webhook_url text,
      chat_kind text CHECK (chat_kind IN ('slack', 'discord', 'teams')),
      consecutive_failures integer,
      failure_rate_percent integer,
      failure_rate_window_minutes integer,
      min_interval_minutes integer NOT NULL,
      events text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((chat_webhook_url IS NULL) = (chat_kind IS NULL))
    );
    CREATE INDEX notification_setting_tenant_idx ON notification_setting (tenant_id, app_id);

    CREATE TABLE endpoint_notice_state (
      endpoint_id text COLLATE "C" PRIMARY KEY REFERENCES endpoint (id) ON DELETE CASCADE,
      tenant_id text COLLATE "C" NOT NULL,
      -- The endpoint's failing_since the count belongs to: a new failing spell starts again at 1.
      failing_since timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      -- A failing or disabled notice went out and no recovered notice since.
      failing_noticed boolean NOT NULL DEFAULT false,
      last_notice_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE endpoint_notice_state; DROP TABLE notification_setting;`.execute(db);
}
