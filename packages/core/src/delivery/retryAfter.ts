/** The longest a receiver's Retry-After may postpone the next attempt. */
export const RETRY_AFTER_MAX_SECONDS = 3600;

/**
 * Seconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date. Undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The delay before the next attempt: the schedule's, postponed (never brought forward) by a
 * Retry-After on 429 and 503, within RETRY_AFTER_MAX_SECONDS.
 */
export function applyRetryAfter(scheduledSeconds: number, statusCode: number, retryAfterSeconds: number | undefined): number {
  if ((statusCode !== 429 && statusCode !== 503) || retryAfterSeconds === undefined) return scheduledSeconds;
  return Math.max(scheduledSeconds, Math.min(retryAfterSeconds, RETRY_AFTER_MAX_SECONDS));
}
