import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import { StatementTemplate } from '../statementTemplate.ts';

// Both run each time a worker's fan-out loop goes to sleep or takes full batches: built once per process.
const asleep = new StatementTemplate<{ worker: string; leaseSeconds: number }, unknown>(['worker', 'leaseSeconds'], (db, { worker, leaseSeconds }) =>
  db
    .insertInto('fanoutSleeper')
    .values({ worker, until: sql<Date>`clock_timestamp() + make_interval(secs => ${leaseSeconds})` })
    .onConflict((oc) => oc.column('worker').doUpdateSet({ until: (eb) => eb.ref('excluded.until') })),
);
const awake = new StatementTemplate<{ worker: string }, unknown>(['worker'], (db, { worker }) => db.deleteFrom('fanoutSleeper').where('worker', '=', worker));

/**
 * Says this worker's fan-out loop sleeps for up to `leaseSeconds` (by the database's clock): until
 * then, a transaction that publishes through hookline.publish NOTIFYs at its commit (0038).
 */
export async function markAsleep(db: Database, worker: string, leaseSeconds: number): Promise<void> {
  await asleep.execute(db, { worker, leaseSeconds });
}

/** Says this worker is busy (or gone): publishes stop NOTIFYing on its account. */
export async function markAwake(db: Database, worker: string): Promise<void> {
  await awake.execute(db, { worker });
}
