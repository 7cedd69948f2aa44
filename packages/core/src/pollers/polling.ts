import { pollerRepo, type Database, type MessageRow, type PageFit, type PollerRow } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { idBoundary } from '../ids.ts';
import { getPoller } from './pollers.ts';
import type {
  ConsumerPollQuery,
  PollingEndpointConsumerSeekIn,
  PollingEndpointConsumerSeekOut,
  PollingEndpointMessageOut,
  PollingEndpointOut,
  PollQuery,
} from './pollerSchemas.ts';

// Reading a poller: the application's messages after an iterator, in publish (id) order. An
// iterator is a message id position: the last message a poll returned, or a boundary id when a
// poll read everything up to the settle line. Ids are time-ordered KSUIDs, so a position older
// than the retention simply goes on from the oldest message still kept.

/** What reading needs from the server's settings. */
export interface PollSettings {
  /** HOOKLINE_POLLER_SETTLE_MS: only messages published at least this long ago are read. */
  settleMs: number;
  /** HOOKLINE_MAX_PAGE_BYTES: the payloads of one poll stay within it (at least one message). */
  maxPageBytes: number;
}

interface ReadFrom {
  position: string;
  limit: number;
  eventType?: string | undefined;
  channel?: string | undefined;
}

const toPolledMessage = (row: MessageRow): PollingEndpointMessageOut => ({
  id: row.id,
  eventType: row.eventType,
  eventId: row.eventId,
  // Parsed back from the exact bytes stored; an expunged or expired payload reads as {} (as the message routes).
  payload: row.payload !== null ? JSON.parse(row.payload) : {},
  channels: row.channels,
  tags: row.tags,
  timestamp: row.createdAt,
});

/** A poller never reads what was published before it was made. */
const notBeforeStart = (poller: PollerRow, position: string) => (position < poller.startAfter ? poller.startAfter : position);

/**
 * One page after `from.position`. When the page is not full, everything up to the settle line was
 * read, so the iterator moves there: a filter that matches rarely costs each later poll only the
 * new messages, not a walk over all the skipped ones again.
 */
async function readPage(db: Database, poller: PollerRow, from: ReadFrom, settings: PollSettings): Promise<PollingEndpointOut> {
  const afterId = notBeforeStart(poller, from.position);
  const beforeId = idBoundary('msg', new Date(Date.now() - settings.settleMs), 'start');
  if (afterId >= beforeId) return { data: [], iterator: afterId, done: true };
  const rows: Array<MessageRow & PageFit> = await pollerRepo.readAfter(db, {
    tenantId: poller.tenantId,
    appId: poller.appId,
    afterId,
    beforeId,
    limit: from.limit,
    maxBytes: settings.maxPageBytes,
    eventTypes: poller.eventTypes,
    channels: poller.channels,
    eventType: from.eventType,
    channel: from.channel,
  });
  // Rows whose payload the byte budget left unread end the page (the first one always comes).
  const cut = rows.findIndex((r, i) => i > 0 && !r.fitsPage);
  const page = cut === -1 ? rows : rows.slice(0, cut);
  const done = cut === -1 && rows.length < from.limit;
  const last = page[page.length - 1];
  return { data: page.map(toPolledMessage), iterator: done ? beforeId : (last?.id ?? afterId), done };
}

/**
 * Svix's `GET …/poller/{sink_id}`. Without an iterator (nor `after`), the first call answers no
 * messages and the iterator of the poller's start, as Svix's does; `after` starts after that time.
 */
export async function pollMessages(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  sinkIdOrUid: string,
  query: PollQuery,
  settings: PollSettings,
): Promise<PollingEndpointOut> {
  const poller = await getPoller(db, tenantId, appIdOrUid, sinkIdOrUid);
  if (query.iterator === undefined && query.after === undefined) return { data: [], iterator: poller.startAfter, done: false };
  const position = query.iterator ?? idBoundary('msg', query.after!, 'end');
  return readPage(db, poller, { position, limit: query.limit, eventType: query.event_type, channel: query.channel }, settings);
}

/**
 * Svix's `GET …/poller/{sink_id}/consumer/{consumer_id}`: the consumer's position is kept here and
 * moves to the returned iterator with each poll (an `iterator` given overrides it). The position
 * row is locked while the page is read, so concurrent polls of one consumer never share messages.
 */
export async function pollAsConsumer(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  sinkIdOrUid: string,
  consumerId: string,
  query: ConsumerPollQuery,
  settings: PollSettings,
): Promise<PollingEndpointOut> {
  const poller = await getPoller(db, tenantId, appIdOrUid, sinkIdOrUid);
  return db.transaction().execute(async (trx) => {
    const stored = await pollerRepo.lockConsumerPosition(trx, tenantId, poller.id, consumerId, poller.startAfter);
    const out = await readPage(trx, poller, { position: query.iterator ?? stored, limit: query.limit }, settings);
    if (out.iterator !== stored) await pollerRepo.setConsumerPosition(trx, tenantId, poller.id, consumerId, out.iterator);
    return out;
  });
}

/** Svix's `POST …/consumer/{consumer_id}/seek`: the consumer goes on with the messages published after `after`. */
export async function seekConsumer(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  sinkIdOrUid: string,
  consumerId: string,
  input: PollingEndpointConsumerSeekIn,
  audit: AuditContext,
): Promise<PollingEndpointConsumerSeekOut> {
  const poller = await getPoller(db, tenantId, appIdOrUid, sinkIdOrUid);
  const iterator = notBeforeStart(poller, idBoundary('msg', input.after, 'end'));
  await inAuditedTransaction(db, async (trx) => {
    await pollerRepo.setConsumerPosition(trx, tenantId, poller.id, consumerId, iterator);
    await recordAudit(trx, audit, {
      action: 'poller.consumer.moved',
      target: { kind: 'poller', id: poller.id, appId: poller.appId },
      changes: { consumer: { to: consumerId }, after: { to: input.after.toISOString() } },
    });
  });
  return { iterator };
}
