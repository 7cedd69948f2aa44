/** Fraction by which each retry delay is randomly moved, so retries of one outage do not arrive in step. */
export const RETRY_JITTER = 0.2;

/**
 * Delay in seconds before the next attempt after `attemptsMade` attempts have failed, or undefined
 * when the schedule is exhausted. `schedule[i]` is the delay before attempt i + 2.
 */
export function nextRetryDelaySeconds(schedule: readonly number[], attemptsMade: number, random: () => number = Math.random): number | undefined {
  const base = schedule[attemptsMade - 1];
  if (base === undefined) return undefined;
  return base * (1 + RETRY_JITTER * (2 * random() - 1));
}

/** Total number of attempts the schedule allows (the first one plus one per delay). */
export function maxAttempts(schedule: readonly number[]): number {
  return schedule.length + 1;
}
