import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { retryScheduleSchema } from '../tenants/tenantSchemas.ts';

// An endpoint's own delivery settings (Hookline extensions): each one null stands for its tenant's,
// else the installation's. They may shorten what the installation allows, never lengthen it.

/** The most attempts a delivery can have: the first plus one per delay of the longest schedule. */
export const MAX_ATTEMPTS_LIMIT = 51;
export const MIN_TIMEOUT_MS = 1_000;
/** The upper bound of HOOKLINE_DELIVERY_TIMEOUT_MS; an endpoint's is also at most its installation's. */
export const MAX_TIMEOUT_MS = 300_000;

export const endpointDeliverySettingsSchema = {
  retrySchedule: retryScheduleSchema
    .nullish()
    .describe("Hookline extension: delays in seconds before each retry of this endpoint's attempts (as the tenant's); null or left out: its tenant's"),
  timeoutMs: z
    .number()
    .int()
    .min(MIN_TIMEOUT_MS)
    .max(MAX_TIMEOUT_MS)
    .nullish()
    .describe("Hookline extension: bound on one attempt's whole exchange, at most the installation's delivery timeout; null or left out: the installation's"),
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(MAX_ATTEMPTS_LIMIT)
    .nullish()
    .describe(
      'Hookline extension: attempts of one message before it is exhausted, at most one more than the retry schedule has delays; null or left out: the schedule decides',
    ),
};

export type EndpointDeliverySettings = { retrySchedule: number[] | null; timeoutMs: number | null; maxAttempts: number | null };

/**
 * Checks an endpoint's delivery settings as they will be stored: the timeout within the
 * installation's, and maxAttempts within the endpoint's own schedule (a tenant's or the
 * installation's schedule may change later, so against those it is capped at delivery instead).
 */
export function checkEndpointDeliverySettings(settings: EndpointDeliverySettings, installationTimeoutMs: number): void {
  if (settings.timeoutMs !== null && settings.timeoutMs > installationTimeoutMs) {
    throw new ValidationError(['body', 'timeoutMs'], `at most the installation's delivery timeout (${installationTimeoutMs} ms)`);
  }
  if (settings.maxAttempts !== null && settings.retrySchedule !== null && settings.maxAttempts > settings.retrySchedule.length + 1) {
    throw new ValidationError(
      ['body', 'maxAttempts'],
      `at most ${settings.retrySchedule.length + 1}: the first attempt plus one per delay of this endpoint's retrySchedule`,
    );
  }
}

/**
 * The retry schedule an attempt runs under: the endpoint's own, else its tenant's, else the
 * installation's, cut to the endpoint's maxAttempts. Exhaustion follows from its length alone.
 */
export function effectiveRetrySchedule(
  endpoint: Pick<EndpointDeliverySettings, 'retrySchedule' | 'maxAttempts'>,
  tenant: readonly number[] | null,
  installation: readonly number[],
): readonly number[] {
  const schedule = endpoint.retrySchedule ?? tenant ?? installation;
  return endpoint.maxAttempts === null ? schedule : schedule.slice(0, endpoint.maxAttempts - 1);
}

/** The timeout of an attempt: the endpoint's own, never longer than the installation's (which the queue's job expiry is sized for). */
export function effectiveTimeoutMs(endpoint: Pick<EndpointDeliverySettings, 'timeoutMs'>, installation: number): number {
  return Math.min(endpoint.timeoutMs ?? installation, installation);
}
