import type { Database } from '@hookline/db';
import { NotFoundError } from '../errors.ts';
import { getMessage, toMessageOut } from './messages.ts';
import type { MessageOut } from './messageSchemas.ts';

/** A publish response as stored for idempotent replay: the payload stays only in the message row. */
export type StoredMessageOut = Omit<MessageOut, 'payload'>;

/**
 * What an idempotency record keeps of a publish response: everything but the payload, so that
 * deleting the message's content (or its retention running out) leaves no copy behind.
 */
export function messageOutForReplay(out: MessageOut): StoredMessageOut {
  const { payload: _payload, ...rest } = out;
  return rest;
}

/**
 * The replay of a publish: the stored response with the payload the message row has now, so a
 * replay after `DELETE …/content` or after retention shows `{}` as a GET of the message would.
 */
export async function replayMessageOut(db: Database, tenantId: string, appIdOrUid: string, stored: StoredMessageOut, withContent: boolean): Promise<MessageOut> {
  try {
    const row = await getMessage(db, tenantId, appIdOrUid, stored.id);
    return { ...stored, payload: toMessageOut(row, withContent).payload };
  } catch (err) {
    // The message (or its application) was deleted since: nothing of its content is left to show.
    if (err instanceof NotFoundError) return { ...stored, payload: {} };
    throw err;
  }
}
