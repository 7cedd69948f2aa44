import { messageSearchRepo, type Database, type MessageRow } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { MESSAGE_STATUS, timeBounds } from '../attempts/attempts.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { MessageSearchFilter, MessageSearchOut } from './messageSearchSchemas.ts';
import { toMessageOut } from './messages.ts';

type Application = MessageSearchOut['application'];
type DeliveryCounts = MessageSearchOut['deliveries'];

const STATUS_NAMES = Object.entries(MESSAGE_STATUS) as Array<[keyof DeliveryCounts, number]>;
const noDeliveries = (): DeliveryCounts => ({ success: 0, pending: 0, fail: 0, sending: 0, canceled: 0 });

/**
 * The vendor console's message search: the tenant's messages in every application (or the one
 * `filter.app` names: an unknown one is a 404), newest first by default, each with its application
 * and its deliveries counted by status. `before`/`after` become id bounds, so only the history
 * partitions of that time are read.
 */
export async function searchMessages(db: Database, tenantId: string, params: ListParams, filter: MessageSearchFilter): Promise<ListPage<MessageSearchOut>> {
  const app = filter.app === undefined ? undefined : await getApplication(db, tenantId, filter.app);
  const where: messageSearchRepo.MessageSearch = {
    ...(filter.msgId !== undefined ? { msgId: filter.msgId } : {}),
    ...(filter.eventId !== undefined ? { eventId: filter.eventId } : {}),
    ...(app ? { appId: app.id } : {}),
    ...(filter.eventTypes && filter.eventTypes.length > 0 ? { eventTypes: filter.eventTypes } : {}),
    ...(filter.channel !== undefined ? { channel: filter.channel } : {}),
    ...(filter.tag !== undefined ? { tag: filter.tag } : {}),
    ...(filter.status !== undefined ? { deliveryStatus: filter.status } : {}),
    // Canonical JSON text of what was asked (whitespace, escapes): jsonb parses it again.
    ...(filter.payloadContains !== undefined ? { payloadContains: JSON.stringify(filter.payloadContains) } : {}),
    ...timeBounds('msg', filter.before, filter.after),
    withPayload: filter.withContent,
  };
  let apps = new Map<string, Application>();
  let counts = new Map<string, DeliveryCounts>();
  return paginate(
    params,
    'descending',
    async (page) => {
      const rows = await messageSearchRepo.searchMessages(db, tenantId, page, where);
      // Read with the page, so that its byte bound measures the messages as shown.
      [apps, counts] = await Promise.all([applicationsOf(db, tenantId, rows), deliveryCountsOf(db, tenantId, rows)]);
      return rows;
    },
    (row) => ({
      ...toMessageOut(row, filter.withContent),
      // Only an application deleted between the two reads is missing (its messages go with it).
      application: apps.get(row.appId) ?? { id: row.appId, uid: null, name: '' },
      deliveries: counts.get(row.id) ?? noDeliveries(),
    }),
  );
}

async function applicationsOf(db: Database, tenantId: string, rows: readonly MessageRow[]): Promise<Map<string, Application>> {
  const found = await messageSearchRepo.findApplicationsByIds(db, tenantId, [...new Set(rows.map((r) => r.appId))]);
  return new Map(found.map((a) => [a.id, a]));
}

async function deliveryCountsOf(db: Database, tenantId: string, rows: readonly MessageRow[]): Promise<Map<string, DeliveryCounts>> {
  const out = new Map<string, DeliveryCounts>();
  for (const { msgId, status, n } of await messageSearchRepo.countDeliveriesOfMessages(
    db,
    tenantId,
    rows.map((r) => r.id),
  )) {
    const name = STATUS_NAMES.find(([, value]) => value === status)?.[0];
    if (!name) continue;
    const counts = out.get(msgId) ?? noDeliveries();
    counts[name] += n;
    out.set(msgId, counts);
  }
  return out;
}
