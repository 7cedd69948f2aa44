import { sql, type Kysely } from 'kysely';

// hookline.publish (0029) NOTIFYed the workers in the vendor's transaction. A NOTIFY takes a
// database-wide lock at commit, so every transaction that published committed one at a time: the
// vendor's own throughput fell to 0.43x (docs/performance.md, scenario 10). Now a publish wakes
// the workers only when one of them is asleep, and checks that at commit (a deferred trigger), not
// at the publish: a busy worker looks again by itself, and a sleeping one is woken by the commit.
// Workers say they sleep in fanout_sleeper (unlogged: a crash empties it, a restart refills it),
// with a lease, so a worker that died asleep stops drawing NOTIFYs once its lease ends.

const PUBLISH = `'hookline.publish(text, text, text, jsonb, jsonb)'::regprocedure`;
const NOTIFY_IN_PUBLISH = /(\n[ \t]*)-- Delivered at this transaction's commit only[^\n]*\n[ \t]*PERFORM pg_notify\('hookline_fanout', ''\);/;
const OUTBOX_INSERT = 'INSERT INTO fanout_pending (tenant_id, msg_id) VALUES (publish.tenant_id, new_msg);';
const OUTBOX_INSERT_WAKING = 'INSERT INTO fanout_pending (tenant_id, msg_id, wake_at_commit) VALUES (publish.tenant_id, new_msg, true);';
const WAKE_COMMENT = '-- The workers are woken at commit if one sleeps (fanout_pending_wake, 0038).';

/** Rewrites hookline.publish's definition in place (0029's text, with statements changed; 0044 uses it too). */
export async function rewritePublish(db: Kysely<unknown>, edit: (definition: string) => string): Promise<void> {
  const { rows } = await sql<{ def: string }>`SELECT pg_get_functiondef(${sql.raw(PUBLISH)}) AS def`.execute(db);
  await sql.raw(edit(rows[0]!.def)).execute(db);
}

export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`hookline.publish is not the definition this migration expects (no ${String(from).slice(0, 60)}…)`);
  return next;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE hookline.fanout_sleeper (
      worker text COLLATE "C" PRIMARY KEY,
      until timestamptz NOT NULL
    );
    ALTER TABLE hookline.fanout_pending ADD COLUMN wake_at_commit boolean NOT NULL DEFAULT false;

    CREATE FUNCTION hookline.wake_sleeping_fanout() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, hookline, pg_temp AS $fn$
    BEGIN
      IF EXISTS (SELECT 1 FROM hookline.fanout_sleeper WHERE until > clock_timestamp()) THEN
        PERFORM pg_notify('hookline_fanout', '');
      END IF;
      RETURN NULL;
    END $fn$;
    REVOKE ALL ON FUNCTION hookline.wake_sleeping_fanout() FROM PUBLIC;

    -- Deferred: it runs as the transaction commits, however long the vendor kept it open after
    -- publishing, so the worker it finds asleep is asleep now. A rolled-back savepoint takes its event.
    CREATE CONSTRAINT TRIGGER fanout_pending_wake AFTER INSERT ON hookline.fanout_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.wake_at_commit)
      EXECUTE FUNCTION hookline.wake_sleeping_fanout();
  `.execute(db);
  await rewritePublish(db, (def) => replaceOnce(replaceOnce(def, NOTIFY_IN_PUBLISH, `$1${WAKE_COMMENT}`), OUTBOX_INSERT, OUTBOX_INSERT_WAKING));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rewritePublish(db, (def) =>
    replaceOnce(
      replaceOnce(
        def,
        WAKE_COMMENT,
        `-- Delivered at this transaction's commit only (FANOUT_WAKEUP_CHANNEL of packages/db/src/queue/jobs.ts).\n      PERFORM pg_notify('hookline_fanout', '');`,
      ),
      OUTBOX_INSERT_WAKING,
      OUTBOX_INSERT,
    ),
  );
  await sql`
    DROP TRIGGER fanout_pending_wake ON hookline.fanout_pending;
    DROP FUNCTION hookline.wake_sleeping_fanout();
    ALTER TABLE hookline.fanout_pending DROP COLUMN wake_at_commit;
    DROP TABLE hookline.fanout_sleeper;
  `.execute(db);
}
