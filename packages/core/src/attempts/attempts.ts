import { attemptRepo, type Database, type MessageRow } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { NotFoundError } from '../errors.ts';
import { idBoundary, type IdPrefix } from '../ids.ts';
import { getMessage, toMessageOut } from '../messages/messages.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { HOOKLINE_REQUEST_HEADERS, sentHeadersOut } from '../delivery/sentHeaders.ts';
import { MESSAGE_STATUS_TEXT, type AttemptListFilter, type MessageAttemptDetailOut, type MessageAttemptOut, type MessageStatusText } from './attemptSchemas.ts';

import { MESSAGE_STATUS } from './messageStatus.ts';

export { MESSAGE_STATUS };

/** A status as shown: clients that do not ask for expanded statuses get canceled (4) as success (0), as in Svix. */
export function shownStatus(status: number, expandedStatuses: boolean): { status: number; statusText: MessageStatusText } {
  const shown = !expandedStatuses && status === MESSAGE_STATUS.canceled ? MESSAGE_STATUS.success : status;
  return { status: shown, statusText: MESSAGE_STATUS_TEXT[shown] ?? 'fail' };
}

export function toAttemptOut(
  row: attemptRepo.ListedAttempt,
  options: { withContent: boolean; expandedStatuses: boolean; msg?: MessageRow | undefined },
): MessageAttemptOut {
  return {
    id: row.id,
    msgId: row.msgId,
    endpointId: row.endpointId,
    url: row.url,
    // Without content Svix answers "{}" in place of the response body.
    response: options.withContent ? row.response : '{}',
    responseStatusCode: row.responseStatusCode,
    responseDurationMs: row.responseDurationMs,
    ...shownStatus(row.status, options.expandedStatuses),
    triggerType: row.triggerType,
    timestamp: row.createdAt,
    // Svix never includes the payload here, whatever with_content says.
    ...(options.msg ? { msg: toMessageOut(options.msg, false) } : {}),
  };
}

// Dates past what a KSUID can hold (its seconds run out in 2150) would not make an id.
const LAST_ID_TIME = Date.UTC(2150, 0, 1);

/**
 * `before`/`after` as exclusive bounds on time-sortable ids, as Svix does (`start_id` of each):
 * the page then stays an index range scan. Both may be given, with or without an iterator.
 */
export function timeBounds(prefix: IdPrefix, before: Date | undefined, after: Date | undefined): { below?: string; above?: string } {
  const id = (at: Date) => idBoundary(prefix, new Date(Math.min(at.getTime(), LAST_ID_TIME)), 'start');
  return { ...(before ? { below: id(before) } : {}), ...(after ? { above: id(after) } : {}) };
}

/** Svix's StatusCodeClass as a range of codes; 0 is "no response", which Hookline records as 0. */
const responseStatusRange = (codeClass: number) => (codeClass === 0 ? { min: 0, max: 99 } : { min: codeClass, max: codeClass + 99 });

function toRepoFilter(filter: AttemptListFilter): attemptRepo.AttemptFilter {
  return {
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.statusCodeClass !== undefined ? { responseStatus: responseStatusRange(filter.statusCodeClass) } : {}),
    ...(filter.eventTypes ? { eventTypes: filter.eventTypes } : {}),
    ...(filter.channel !== undefined ? { channel: filter.channel } : {}),
    ...(filter.tag !== undefined ? { tag: filter.tag } : {}),
    ...timeBounds('atmpt', filter.before, filter.after),
  };
}

/** Pages attempts newest first (Svix's attempt lists have no other order) and shapes them. */
async function listAttempts(
  db: Database,
  tenantId: string,
  appId: string,
  by: { msgId?: string; endpointId?: string },
  params: ListParams,
  filter: AttemptListFilter & { withMsg?: boolean },
): Promise<ListPage<MessageAttemptOut>> {
  const where = { ...toRepoFilter(filter), withResponse: filter.withContent };
  const options = { withContent: filter.withContent, expandedStatuses: filter.expandedStatuses };
  // Messages are read with the page, so that its byte bound measures the attempts as shown.
  let msgs: Map<string, MessageRow> | undefined;
  return paginate(
    { limit: params.limit, iterator: params.iterator, maxBytes: params.maxBytes },
    'descending',
    async (p) => {
      const rows = await attemptRepo.listAttempts(db, tenantId, appId, by, p, where);
      if (filter.withMsg) msgs = new Map((await attemptRepo.findMessageHeaders(db, tenantId, [...new Set(rows.map((a) => a.msgId))])).map((m) => [m.id, m]));
      return rows;
    },
    (row) => toAttemptOut(row, { ...options, msg: msgs?.get(row.msgId) }),
  );
}

/** Svix's `v1.message-attempt.list-by-endpoint`: every attempt made to one endpoint. */
export async function listAttemptsByEndpoint(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  endpointIdOrUid: string,
  params: ListParams,
  filter: AttemptListFilter & { withMsg?: boolean },
): Promise<ListPage<MessageAttemptOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const ep = await getEndpoint(db, tenantId, app.id, endpointIdOrUid);
  return listAttempts(db, tenantId, app.id, { endpointId: ep.id }, params, filter);
}

/** Svix's `v1.message-attempt.list-by-msg`: every attempt of one message, to one endpoint when `endpointId` is given. */
export async function listAttemptsByMessage(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  msgIdOrEventId: string,
  params: ListParams,
  filter: AttemptListFilter & { endpointId?: string | undefined },
): Promise<ListPage<MessageAttemptOut>> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  // An unknown endpoint is a 404, as in Svix, not an empty list.
  const ep = filter.endpointId !== undefined ? await getEndpoint(db, tenantId, msg.appId, filter.endpointId) : undefined;
  return listAttempts(db, tenantId, msg.appId, { msgId: msg.id, ...(ep ? { endpointId: ep.id } : {}) }, params, filter);
}

/**
 * One attempt of a message, with its full response body and the headers of both sides.
 * `showCustomHeaderValues`: whether the caller may read the endpoint's header values (else custom
 * headers are only named; see sentHeadersOut). Showing one is a secret read, audited as reading
 * the endpoint's headers is: by name, never a value.
 */
export async function getAttempt(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  msgIdOrEventId: string,
  attemptId: string,
  options: { expandedStatuses: boolean; showCustomHeaderValues: boolean; audit: AuditContext },
): Promise<MessageAttemptDetailOut> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  const row = await attemptRepo.findAttempt(db, tenantId, msg.id, attemptId);
  if (!row) throw new NotFoundError('Message attempt not found');
  const requestHeaders = sentHeadersOut(row, options.showCustomHeaderValues);
  const custom = Object.keys(requestHeaders.headers).filter((name) => !HOOKLINE_REQUEST_HEADERS.has(name));
  if (custom.length > 0) {
    await recordAudit(db, options.audit, {
      action: 'endpoint.headers.read',
      target: { kind: 'endpoint', id: row.endpointId, appId: row.appId },
      changes: { headers: { to: custom }, attempt: { to: row.id } },
    });
  }
  return {
    ...toAttemptOut(row, { withContent: true, expandedStatuses: options.expandedStatuses }),
    requestHeaders,
    responseHeaders: row.responseHeaders,
  };
}
