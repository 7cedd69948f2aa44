import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { ApplicationRow, EndpointRow, MessageAttemptRow } from '../schema.ts';
import { lastAttemptOf } from './lastAttempt.ts';
import { pageQuery, type Page } from './page.ts';

// The vendor console's endpoint list: every application's endpoints of a tenant, by state and by
// the host of their URL, each with its application and its last attempt (migration 0027 has the indexes).

/** `failing`: enabled, and every attempt since `failingSince` failed; `disabled`; `enabled`: not disabled (failing or not). */
export type EndpointState = 'failing' | 'disabled' | 'enabled';

export interface EndpointSearch {
  state?: EndpointState;
  /** Lower case: the URL's host is this one or a subdomain of it. */
  host?: string;
}

/** What the list shows of an endpoint's last attempt: a longer response is cut to its first characters. */
export type LastAttempt = Pick<MessageAttemptRow, 'id' | 'msgId' | 'status' | 'responseStatusCode' | 'response' | 'createdAt'>;

export type ListedEndpoint = EndpointRow & { application: Pick<ApplicationRow, 'id' | 'uid' | 'name'>; lastAttempt: LastAttempt | null };

/** Characters of a last attempt's response shown in the list (the attempt's detail has all of it). */
const RESPONSE_PREVIEW = 500;

// The URL's host, lower-cased: an IPv6 literal in brackets, or up to the port, path, query or fragment.
const host = sql<string>`lower(substring(${sql.ref('e.url')} from ${sql.lit('^[A-Za-z][A-Za-z0-9+.-]*://([[][^]]*[]]|[^/?#:]+)')}))`;

/**
 * A page of the tenant's endpoints (not its operational webhook endpoints) by endpoint id. The last
 * attempt is read per endpoint of the page, newest by message_attempt_endpoint_idx in each history
 * partition; a failing endpoint's last attempt is its last error.
 */
export async function searchEndpoints(db: Database, tenantId: string, page: Page, filter: EndpointSearch): Promise<ListedEndpoint[]> {
  let endpoints = db
    .selectFrom('endpoint as e')
    .innerJoin('application as a', 'a.id', 'e.appId')
    .selectAll('e')
    .select(['a.uid as appUid', 'a.name as appName'])
    .where('e.tenantId', '=', tenantId)
    .where('a.tenantId', '=', tenantId)
    .where('a.operational', '=', false);
  // The partial indexes' own predicates, so the planner may read only those endpoints.
  if (filter.state === 'failing') endpoints = endpoints.where('e.failingSince', 'is not', null).where('e.disabled', '=', false);
  if (filter.state === 'disabled') endpoints = endpoints.where('e.disabled', '=', true);
  if (filter.state === 'enabled') endpoints = endpoints.where('e.disabled', '=', false);
  if (filter.host !== undefined) {
    const wanted = filter.host;
    endpoints = endpoints.where((eb) => eb.or([eb(host, '=', wanted), eb(sql`right(${host}, ${wanted.length + 1})`, '=', `.${wanted}`)]));
  }
  // The page first, then each of its endpoints' last attempt: joined before the LIMIT, the planner
  // looked up the last attempt of every endpoint of the tenant.
  const q = db
    .selectFrom(pageQuery(endpoints, page, 'e.id').as('p'))
    .leftJoinLateral(lastAttemptOf(db, tenantId, 'p.id', RESPONSE_PREVIEW), (join) => join.onTrue())
    .selectAll('p')
    .select(['last.id as lastId', 'last.msgId as lastMsgId', 'last.status as lastStatus', 'last.responseStatusCode as lastCode', 'last.response as lastResponse'])
    .select('last.createdAt as lastAt')
    .orderBy('p.id', page.direction);
  const rows = await q.execute();
  return rows.map(({ appUid, appName, lastId, lastMsgId, lastStatus, lastCode, lastResponse, lastAt, ...ep }) => ({
    ...ep,
    application: { id: ep.appId, uid: appUid, name: appName },
    lastAttempt:
      lastId === null ? null : { id: lastId, msgId: lastMsgId!, status: lastStatus!, responseStatusCode: lastCode!, response: lastResponse!, createdAt: lastAt! },
  }));
}
