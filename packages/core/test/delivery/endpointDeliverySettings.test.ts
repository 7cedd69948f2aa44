import { describe, expect, it } from 'vitest';
import { checkEndpointDeliverySettings, effectiveRetrySchedule, effectiveTimeoutMs } from '../../src/delivery/endpointDeliverySettings.ts';
import { ValidationError } from '../../src/errors.ts';
import { maxAttempts } from '../../src/delivery/retrySchedule.ts';

const installation = [5, 300, 1800];

describe('effective delivery settings', () => {
  it("takes the endpoint's schedule, else the tenant's, else the installation's", () => {
    expect(effectiveRetrySchedule({ retrySchedule: [1, 2], maxAttempts: null }, [9], installation)).toEqual([1, 2]);
    expect(effectiveRetrySchedule({ retrySchedule: null, maxAttempts: null }, [9], installation)).toEqual([9]);
    expect(effectiveRetrySchedule({ retrySchedule: null, maxAttempts: null }, null, installation)).toEqual(installation);
  });

  it('cuts the schedule at maxAttempts and never lengthens it', () => {
    expect(maxAttempts(effectiveRetrySchedule({ retrySchedule: null, maxAttempts: 1 }, null, installation))).toBe(1);
    expect(maxAttempts(effectiveRetrySchedule({ retrySchedule: null, maxAttempts: 3 }, null, installation))).toBe(3);
    expect(maxAttempts(effectiveRetrySchedule({ retrySchedule: null, maxAttempts: 51 }, [9], installation))).toBe(2);
  });

  it("bounds the timeout by the installation's", () => {
    expect(effectiveTimeoutMs({ timeoutMs: null }, 15_000)).toBe(15_000);
    expect(effectiveTimeoutMs({ timeoutMs: 2_000 }, 15_000)).toBe(2_000);
    expect(effectiveTimeoutMs({ timeoutMs: 20_000 }, 15_000)).toBe(15_000);
  });

  it('refuses a timeout over the installation’s and more attempts than the own schedule allows, naming the field', () => {
    const fieldOf = (settings: Parameters<typeof checkEndpointDeliverySettings>[0]) => {
      try {
        checkEndpointDeliverySettings(settings, 15_000);
        return undefined;
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).loc.at(-1);
      }
    };
    expect(fieldOf({ retrySchedule: null, timeoutMs: 15_001, maxAttempts: null })).toBe('timeoutMs');
    expect(fieldOf({ retrySchedule: [1, 2], timeoutMs: null, maxAttempts: 4 })).toBe('maxAttempts');
    expect(fieldOf({ retrySchedule: [1, 2], timeoutMs: 15_000, maxAttempts: 3 })).toBeUndefined();
    expect(fieldOf({ retrySchedule: null, timeoutMs: null, maxAttempts: 51 })).toBeUndefined();
  });
});
