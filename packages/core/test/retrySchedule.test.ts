import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE } from '../src/config.ts';
import { maxAttempts, nextRetryDelaySeconds, RETRY_JITTER } from '../src/delivery/retrySchedule.ts';

describe('retry schedule', () => {
  it('is the documented default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect([...DEFAULT_RETRY_SCHEDULE]).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(maxAttempts(DEFAULT_RETRY_SCHEDULE)).toBe(8);
  });

  it('gives the delay before the next attempt, then undefined when exhausted', () => {
    const mid = () => 0.5; // no jitter
    expect(nextRetryDelaySeconds(DEFAULT_RETRY_SCHEDULE, 1, mid)).toBe(5);
    expect(nextRetryDelaySeconds(DEFAULT_RETRY_SCHEDULE, 2, mid)).toBe(300);
    expect(nextRetryDelaySeconds(DEFAULT_RETRY_SCHEDULE, 7, mid)).toBe(36000);
    expect(nextRetryDelaySeconds(DEFAULT_RETRY_SCHEDULE, 8, mid)).toBeUndefined();
  });

  it('moves each delay by at most the jitter fraction', () => {
    expect(nextRetryDelaySeconds([100], 1, () => 0)).toBeCloseTo(100 * (1 - RETRY_JITTER));
    expect(nextRetryDelaySeconds([100], 1, () => 0.999999)).toBeCloseTo(100 * (1 + RETRY_JITTER), 3);
  });
});
