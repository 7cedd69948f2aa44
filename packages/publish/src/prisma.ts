import { PUBLISH_STATEMENT, publishParameters } from '@hookline/db';
import { refusalsTyped } from './errors.ts';
import { messageId, publishCall, type PublishMessage } from './message.ts';

/** Prisma's interactive transaction client, as `prisma.$transaction(async (tx) => …)` hands it over (or a PrismaClient). */
export interface PrismaExecutor {
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<unknown>;
}

// $queryRaw is a tagged template: called with the statement's parts, every argument is a bound parameter.
const STATEMENT: TemplateStringsArray = Object.assign([...PUBLISH_STATEMENT], { raw: PUBLISH_STATEMENT });

/** Publishes inside a Prisma interactive transaction: the message exists exactly when it commits. Returns the message id. */
export async function publishWithPrisma(tx: PrismaExecutor, message: PublishMessage): Promise<string> {
  const rows = await refusalsTyped(() => tx.$queryRaw(STATEMENT, ...publishParameters(publishCall(message))));
  return messageId(rows as unknown[]);
}

export { HooklinePublishError, publishErrorCode, type PublishErrorCode } from './errors.ts';
export type { PublishMessage } from './message.ts';
