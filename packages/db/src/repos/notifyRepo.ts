import { sql } from 'kysely';
import type { Database } from '../connect.ts';

/** NOTIFYs `channel` with `payload`, on its own (see core's Wakeup: after the commit of the work it announces). */
export async function notify(db: Database, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}
