import { attemptRepo, type Database, type MessageAttemptRow } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { getMessage } from '../messages/messages.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { MessageAttemptOut } from './attemptSchemas.ts';

export const MESSAGE_STATUS = Object.freeze({ success: 0, pending: 1, fail: 2, sending: 3 });
const STATUS_TEXT = ['success', 'pending', 'fail', 'sending', 'canceled'] as const;


export const toAttemptOut = (row: MessageAttemptRow): MessageAttemptOut => ({
  id: row.id,
  msgId: row.msgId,
  endpointId: row.endpointId,
  url: row.url,
  response: row.response,
  responseStatusCode: row.responseStatusCode,
  responseDurationMs: row.responseDurationMs,
  status: row.status,
  statusText: STATUS_TEXT[row.status] ?? 'fail',
  triggerType: row.triggerType,
  timestamp: row.createdAt,
});

export async function listAttemptsByMessage(
  db: Database, tenantId: string, appIdOrUid: string, msgIdOrEventId: string, params: ListParams, filter: { status?: number | undefined },
): Promise<ListPage<MessageAttemptOut>> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  const where = filter.status === undefined ? {} : { status: filter.status };
  return paginate(params, 'descending', (page) => attemptRepo.listAttempts(db, tenantId, msg.appId, { msgId: msg.id }, page, where), toAttemptOut);
}

export async function listAttemptsByEndpoint(
  db: Database, tenantId: string, appIdOrUid: string, endpointIdOrUid: string, params: ListParams, filter: { status?: number | undefined },
): Promise<ListPage<MessageAttemptOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const ep = await getEndpoint(db, tenantId, app.id, endpointIdOrUid);
  const where = filter.status === undefined ? {} : { status: filter.status };
  return paginate(params, 'descending', (page) => attemptRepo.listAttempts(db, tenantId, app.id, { endpointId: ep.id }, page, where), toAttemptOut);
}
