import { callPublishFunction, type KyselyExecutor, type PgQueryable } from '@hookline/db';
import { refusalsTyped } from './errors.ts';
import { publishCall, type PublishMessage } from './message.ts';

// Typed wrappers over the SQL function hookline.publish (docs/publish-in-transaction.md), for a
// vendor's own transaction handle. The statement itself is packages/db's. Drizzle, Prisma and Knex
// have subpaths of their own (@hookline/publish/drizzle, /prisma, /knex), so this root loads none.

export { HooklinePublishError, PUBLISH_ERROR_CODES, publishErrorCode, type PublishErrorCode } from './errors.ts';
export type { PublishMessage } from './message.ts';

/**
 * Publishes with a `pg` client inside BEGIN (a `pg.Client` or a pool's client): the message exists
 * exactly when that transaction commits. Returns the message id.
 */
export function publishWithPg(client: PgQueryable, message: PublishMessage): Promise<string> {
  return refusalsTyped(() => callPublishFunction(client, publishCall(message)));
}

/** Publishes inside a Kysely `Transaction` of your own database type. Returns the message id. */
export function publishWithKysely(trx: KyselyExecutor, message: PublishMessage): Promise<string> {
  return refusalsTyped(() => callPublishFunction(trx, publishCall(message)));
}
