import { attemptRepo, type Database } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { getMessage, toMessageOut } from '../messages/messages.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { MESSAGE_STATUS, shownStatus, timeBounds } from './attempts.ts';
import type { EndpointMessageOut, MessageEndpointOut } from './attemptSchemas.ts';

// A delivery is one message routed to one endpoint (a message_delivery row); these lists show it
// from either side, with its current state, as Svix's attempted messages and destinations.

export interface AttemptedMessagesFilter {
  /** State of the delivery (Svix's MessageStatus), not of one attempt. */
  status?: number | undefined;
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  before?: Date | undefined;
  after?: Date | undefined;
  withContent: boolean;
  expandedStatuses: boolean;
}

/** Svix's `v1.message-attempt.list-attempted-messages`: messages sent to an endpoint, newest first. */
export async function listAttemptedMessages(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  endpointIdOrUid: string,
  params: ListParams,
  filter: AttemptedMessagesFilter,
): Promise<ListPage<EndpointMessageOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const ep = await getEndpoint(db, tenantId, app.id, endpointIdOrUid);
  // Without expanded statuses a canceled (skipped) delivery reads as success, so it is found as one.
  const status = !filter.expandedStatuses && filter.status === MESSAGE_STATUS.success ? [MESSAGE_STATUS.success, MESSAGE_STATUS.canceled] : filter.status;
  const where = {
    ...(status !== undefined ? { status } : {}),
    ...(filter.eventTypes ? { eventTypes: filter.eventTypes } : {}),
    ...(filter.channel !== undefined ? { channel: filter.channel } : {}),
    ...(filter.tag !== undefined ? { tag: filter.tag } : {}),
    ...timeBounds('msg', filter.before, filter.after),
    withPayload: filter.withContent,
  };
  return paginate(
    { limit: params.limit, iterator: params.iterator, maxBytes: params.maxBytes },
    'descending',
    (page) => attemptRepo.listEndpointMessages(db, tenantId, app.id, ep.id, page, where),
    ({ delivery, ...msg }) => ({
      ...toMessageOut(msg, filter.withContent),
      ...shownStatus(delivery.status, filter.expandedStatuses),
      nextAttempt: delivery.nextAttemptAt,
    }),
  );
}

/** Svix's `v1.message-attempt.list-attempted-destinations`: endpoints a message was sent to, by id. */
export async function listAttemptedDestinations(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  msgIdOrEventId: string,
  params: ListParams,
): Promise<ListPage<MessageEndpointOut>> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  return paginate(
    { limit: params.limit, iterator: params.iterator },
    'ascending',
    (page) => attemptRepo.listMessageEndpoints(db, tenantId, msg.id, page),
    ({ delivery, ...ep }) => ({
      id: ep.id,
      uid: ep.uid,
      url: ep.url,
      description: ep.description,
      disabled: ep.disabled,
      eventTypes: ep.eventTypes,
      channels: ep.channels,
      throttleRate: ep.throttleRate,
      createdAt: ep.createdAt,
      updatedAt: ep.updatedAt,
      ...shownStatus(delivery.status, true),
      nextAttempt: delivery.nextAttemptAt,
    }),
  );
}
