import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Messages accepted but not yet fanned out (a transactional outbox). Publishing writes one row
    -- here in the message's own statement; a worker claims rows in batches (SKIP LOCKED), writes
    -- the deliveries and deletes the rows in one transaction. A pg-boss job per message cost
    -- PostgreSQL more than the message itself (a row in a table of 17 indexes); this is a row with
    -- one, and the worker's batch replaces a fetch and a completion per message.
    CREATE TABLE fanout_pending (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id text COLLATE "C" NOT NULL,
      msg_id text COLLATE "C" NOT NULL,
      -- Trace context of the publish (W3C), when tracing is on.
      trace jsonb,
      -- Failed fan-outs are retried with a backoff (see fanOutRepo.deferPendingFanOut).
      attempts integer NOT NULL DEFAULT 0,
      available_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE fanout_pending;`.execute(db);
}
