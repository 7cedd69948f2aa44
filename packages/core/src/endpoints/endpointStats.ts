import { endpointRepo, type Database } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { BadRequestError } from '../errors.ts';
import { idBoundary } from '../ids.ts';
import type { EndpointStats, EndpointStatsQuery } from './endpointActionSchemas.ts';
import { getEndpoint } from './endpoints.ts';

const DAY_MS = 86_400_000;
/** Svix's window: 28 days, plus 5 minutes so `now - 28 days` works despite clock skew. */
const MAX_RANGE_MS = 28 * DAY_MS + 5 * 60_000;

/**
 * How many deliveries to the endpoint (of messages sent between `since` and `until`) are in each
 * state now, as Svix's endpoint stats: `until` defaults to now and may not be in the future,
 * `since` defaults to 28 days before it and may not be further back. `canceled` counts the
 * messages the endpoint's payload filter skipped.
 *
 * Any token that may read the endpoint may ask, so one call counts at most `maxRows` deliveries,
 * the newest in the range (`capped: true` says there were more): its cost does not grow with the
 * endpoint's traffic. Exact totals over a busy endpoint wait for pre-aggregated statistics.
 */
export async function getEndpointStats(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  range: EndpointStatsQuery,
  limits: { maxRows: number },
): Promise<EndpointStats> {
  const now = new Date();
  const until = range.until ?? now;
  if (until > now) throw new BadRequestError("'until' cannot be in the future", 'invalid_range');
  const since = range.since ?? new Date(until.getTime() - 28 * DAY_MS);
  if (until.getTime() - since.getTime() > MAX_RANGE_MS) {
    throw new BadRequestError(`'since' cannot be more than 28 days prior to ${until.toISOString()}`, 'invalid_range');
  }
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const { counts, capped } = await endpointRepo.countDeliveriesByStatus(
    db,
    tenantId,
    ep.id,
    {
      fromMsgId: idBoundary('msg', since, 'start'),
      toMsgId: idBoundary('msg', until, 'end'),
    },
    limits.maxRows,
  );
  const count = (status: number) => counts.find((c) => c.status === status)?.n ?? 0;
  return {
    success: count(MESSAGE_STATUS.success),
    pending: count(MESSAGE_STATUS.pending),
    sending: count(MESSAGE_STATUS.sending),
    fail: count(MESSAGE_STATUS.fail),
    canceled: count(MESSAGE_STATUS.canceled),
    // Only when true: an uncapped answer keeps Svix's exact shape.
    ...(capped ? { capped } : {}),
  };
}
