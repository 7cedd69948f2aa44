import { deliveryStatsRepo, type Database } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { BadRequestError } from '../errors.ts';
import type { EndpointStats, EndpointStatsQuery } from './endpointActionSchemas.ts';
import { getEndpoint } from './endpoints.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Svix's window: 28 days, plus 5 minutes so `now - 28 days` works despite clock skew. */
const MAX_RANGE_MS = 28 * DAY_MS + 5 * 60_000;

/**
 * How many deliveries to the endpoint (of messages sent between `since` and `until`) are in each
 * state now, as Svix's endpoint stats: `until` defaults to now and may not be in the future,
 * `since` defaults to 28 days before it and may not be further back. `canceled` counts the
 * messages the endpoint's payload filter skipped.
 *
 * Read from the per-hour counters that triggers on message_delivery keep in the statement of every
 * status change, so a call reads at most 28 days × 24 hours × 5 rows however busy the endpoint is.
 * Hours are whole: a delivery counts when the hour it was created in (its message's fan-out)
 * begins between `since` rounded down to the hour and `until`.
 */
export async function getEndpointStats(db: Database, tenantId: string, appId: string, idOrUid: string, range: EndpointStatsQuery): Promise<EndpointStats> {
  const now = new Date();
  const until = range.until ?? now;
  if (until > now) throw new BadRequestError("'until' cannot be in the future", 'invalid_range');
  const since = range.since ?? new Date(until.getTime() - 28 * DAY_MS);
  if (until.getTime() - since.getTime() > MAX_RANGE_MS) {
    throw new BadRequestError(`'since' cannot be more than 28 days prior to ${until.toISOString()}`, 'invalid_range');
  }
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const counts = await deliveryStatsRepo.countDeliveriesByStatus(db, tenantId, ep.id, {
    fromHour: new Date(Math.floor(since.getTime() / HOUR_MS) * HOUR_MS),
    toHour: until,
  });
  const count = (status: number) => counts.find((c) => c.status === status)?.n ?? 0;
  return {
    success: count(MESSAGE_STATUS.success),
    pending: count(MESSAGE_STATUS.pending),
    sending: count(MESSAGE_STATUS.sending),
    fail: count(MESSAGE_STATUS.fail),
    canceled: count(MESSAGE_STATUS.canceled),
  };
}
