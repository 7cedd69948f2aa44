import { sql, type Kysely } from 'kysely';

// Polling endpoints (Svix's "poller" sinks): a customer who cannot receive pushes reads an
// application's messages after an iterator instead. A poller holds only its filter and the point
// it starts from; the messages are read from the history as they are. A consumer of a poller keeps
// its position here, server-side, as the id of the last message it was given.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE poller (
      id text COLLATE "C" PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      app_id text COLLATE "C" NOT NULL REFERENCES application (id) ON DELETE CASCADE,
      uid text COLLATE "C",
      description text NOT NULL DEFAULT '',
      event_types text[],
      channels text[],
      start_after text COLLATE "C" NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX poller_app_idx ON poller (tenant_id, app_id, id);
    CREATE UNIQUE INDEX poller_uid_idx ON poller (app_id, uid) WHERE uid IS NOT NULL;
    CREATE TABLE poller_consumer (
      poller_id text COLLATE "C" NOT NULL REFERENCES poller (id) ON DELETE CASCADE,
      consumer_id text COLLATE "C" NOT NULL,
      tenant_id text COLLATE "C" NOT NULL,
      position text COLLATE "C" NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (poller_id, consumer_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE poller_consumer; DROP TABLE poller;`.execute(db);
}
