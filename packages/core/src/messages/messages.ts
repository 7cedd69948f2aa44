import type { PgBoss } from 'pg-boss';
import { messageRepo, type Database, type MessageRow } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { enqueueFanOut } from '../queue/jobs.ts';
import type { MessageIn, MessageOut } from './messageSchemas.ts';


export function toMessageOut(row: MessageRow, withContent = true): MessageOut {
  return {
    id: row.id,
    eventType: row.eventType,
    eventId: row.eventId,
    // Content is parsed back from the exact bytes that are delivered; an expired payload reads as {}.
    payload: withContent && row.payload !== null ? JSON.parse(row.payload) : {},
    channels: row.channels,
    timestamp: row.createdAt,
  };
}

/**
 * Accepts a message: the row and its fan-out job commit in one transaction, so once this returns
 * the message will be delivered even if every process dies the next instant.
 */
export async function publishMessage(
  db: Database,
  boss: PgBoss,
  tenantId: string,
  appIdOrUid: string,
  input: MessageIn,
  defaults: { payloadRetentionDays: number },
): Promise<MessageOut> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const now = new Date();
  const retentionDays = input.payloadRetentionPeriod ?? defaults.payloadRetentionDays;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await messageRepo.insertMessage(trx, {
      id: newId('msg', now),
      tenantId,
      appId: app.id,
      eventType: input.eventType,
      eventId: input.eventId ?? null,
      channels: input.channels && input.channels.length > 0 ? input.channels : null,
      payload: JSON.stringify(input.payload),
      createdAt: now,
      expiresAt: new Date(now.getTime() + retentionDays * 86_400_000),
    });
    if (!inserted) return undefined;
    await enqueueFanOut(boss, trx, { tenantId, msgId: inserted.id });
    return inserted;
  });
  if (!row) throw new ConflictError('A message with this eventId already exists');
  return toMessageOut(row);
}

export async function getMessage(db: Database, tenantId: string, appIdOrUid: string, idOrEventId: string): Promise<MessageRow> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const row = await messageRepo.findMessage(db, tenantId, app.id, idOrEventId);
  if (!row) throw new NotFoundError('Message not found');
  return row;
}

export interface MessageFilter {
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  before?: Date | undefined;
  after?: Date | undefined;
  withContent?: boolean | undefined;
}

export async function listMessages(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  params: ListParams,
  filter: MessageFilter,
): Promise<ListPage<MessageOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const { withContent = true, ...where } = filter;
  const clean = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined));
  // Messages list newest first, as in Svix.
  return paginate(params, 'descending', (page) => messageRepo.listMessages(db, tenantId, app.id, page, clean), (row) => toMessageOut(row, withContent));
}
