import { PUBLISH_STATEMENT, publishParameters } from '@hookline/db';
import { refusalsTyped } from './errors.ts';
import { messageId, publishCall, type PublishMessage } from './message.ts';

/** Knex's transaction on PostgreSQL (`pg`), as `knex.transaction(async (trx) => …)` hands it over (or a Knex instance). */
export interface KnexExecutor {
  raw(sql: string, bindings: readonly string[]): PromiseLike<{ rows: unknown[] }>;
}

// Knex writes each `?` as a bound parameter ($1…$5 for pg).
const STATEMENT = PUBLISH_STATEMENT.join('?');
// Knex prefixes PostgreSQL's message with the query, arguments written in (the payload too): cut it off.
const PREFIX_END = `${PUBLISH_STATEMENT.at(-1)} - `;
const postgresMessage = (message: string) => {
  const end = message.lastIndexOf(PREFIX_END);
  return end < 0 ? message : message.slice(end + PREFIX_END.length);
};

/** Publishes inside a Knex transaction (pg client): the message exists exactly when it commits. Returns the message id. */
export async function publishWithKnex(trx: KnexExecutor, message: PublishMessage): Promise<string> {
  const { rows } = await refusalsTyped(() => trx.raw(STATEMENT, publishParameters(publishCall(message))), postgresMessage);
  return messageId(rows);
}

export { HooklinePublishError, publishErrorCode, type PublishErrorCode } from './errors.ts';
export type { PublishMessage } from './message.ts';
