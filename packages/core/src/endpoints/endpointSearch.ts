import { endpointSearchRepo, type Database, type LastAttempt } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { EndpointSearchOut, EndpointSearchQuery } from './endpointSearchSchemas.ts';
import { toEndpointOut } from './endpoints.ts';

const toLastAttempt = (a: LastAttempt) => ({
  id: a.id,
  msgId: a.msgId,
  timestamp: a.createdAt,
  status: a.status,
  responseStatusCode: a.responseStatusCode,
  response: a.response,
});

/**
 * The vendor console's endpoint list: the tenant's endpoints in every application, by id (oldest
 * first by default, as an application's list), by state and URL host, each with its application
 * and last attempt. An endpoint's error is its last attempt's while it fails: a success ends the
 * failing state (failingSince).
 */
export async function searchEndpoints(
  db: Database,
  tenantId: string,
  params: ListParams,
  filter: Pick<EndpointSearchQuery, 'state' | 'host'>,
): Promise<ListPage<EndpointSearchOut>> {
  const where = { ...(filter.state ? { state: filter.state } : {}), ...(filter.host ? { host: filter.host } : {}) };
  return paginate(
    params,
    'ascending',
    (page) => endpointSearchRepo.searchEndpoints(db, tenantId, page, where),
    (row) => ({
      ...toEndpointOut(row),
      application: row.application,
      failingSince: row.failingSince,
      lastAttempt: row.lastAttempt && toLastAttempt(row.lastAttempt),
      lastError: row.lastAttempt && row.lastAttempt.status === MESSAGE_STATUS.fail ? toLastAttempt(row.lastAttempt) : null,
    }),
  );
}
