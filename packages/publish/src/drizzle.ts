import { sql, type SQL } from 'drizzle-orm';
import { PUBLISH_STATEMENT, publishParameters } from '@hookline/db';
import { refusalsTyped } from './errors.ts';
import { messageId, publishCall, type PublishMessage } from './message.ts';

/** Drizzle's transaction (or database) on node-postgres, as `db.transaction(async (tx) => …)` hands it over. */
export interface DrizzleExecutor {
  execute(query: SQL): PromiseLike<{ rows: unknown[] }>;
}

/** Publishes inside a Drizzle transaction (node-postgres): the message exists exactly when it commits. Returns the message id. */
export async function publishWithDrizzle(tx: DrizzleExecutor, message: PublishMessage): Promise<string> {
  const query = sql(Object.assign([...PUBLISH_STATEMENT], { raw: PUBLISH_STATEMENT }), ...publishParameters(publishCall(message)));
  const { rows } = await refusalsTyped(() => tx.execute(query));
  return messageId(rows);
}

export { HooklinePublishError, publishErrorCode, type PublishErrorCode } from './errors.ts';
export type { PublishMessage } from './message.ts';
