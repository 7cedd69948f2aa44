import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter, clientKey } from '../src/rateLimit/authFailures.ts';
import { TooManyAuthFailuresError } from '../src/errors.ts';
import { loadConfig } from '../src/config.ts';

describe('AuthFailureLimiter', () => {
  it('refuses an address after `limit` failures until its window ends, with the seconds left', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter({ limit: 3, windowSeconds: 60 }, () => now);
    for (let i = 0; i < 3; i++) {
      limiter.assertAllowed(() => '203.0.113.1');
      limiter.recordFailure('203.0.113.1');
    }
    now += 20_500;
    let caught: unknown;
    try {
      limiter.assertAllowed(() => '203.0.113.1');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TooManyAuthFailuresError);
    expect(caught).toMatchObject({ code: 'too_many_auth_failures', retryAfterSeconds: 40 });
    expect(() => limiter.assertAllowed(() => '203.0.113.2')).not.toThrow();
    now += 39_500;
    expect(() => limiter.assertAllowed(() => '203.0.113.1')).not.toThrow();
  });

  it('limit 0 counts nothing', () => {
    const limiter = new AuthFailureLimiter({ limit: 0, windowSeconds: 60 });
    for (let i = 0; i < 100; i++) limiter.recordFailure('203.0.113.1');
    expect(() => limiter.assertAllowed(() => '203.0.113.1')).not.toThrow();
  });

  it('remembers at most maxClients addresses, forgetting the oldest', () => {
    const limiter = new AuthFailureLimiter({ limit: 1, windowSeconds: 60, maxClients: 2 });
    limiter.recordFailure('192.0.2.1');
    limiter.recordFailure('192.0.2.2');
    limiter.recordFailure('192.0.2.3');
    expect(() => limiter.assertAllowed(() => '192.0.2.1')).not.toThrow();
    expect(() => limiter.assertAllowed(() => '192.0.2.2')).toThrow(TooManyAuthFailuresError);
    expect(() => limiter.assertAllowed(() => '192.0.2.3')).toThrow(TooManyAuthFailuresError);
  });
});

describe('clientKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(clientKey('203.0.113.1')).toBe('203.0.113.1');
    expect(clientKey('::ffff:203.0.113.1')).toBe('203.0.113.1');
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey(undefined)).toBe('unknown');
  });
});

describe('HOOKLINE_TRUST_PROXY', () => {
  const trust = (value?: string) => loadConfig(value === undefined ? {} : { HOOKLINE_TRUST_PROXY: value }).trustProxy;
  it('parses false, true, a hop count and a list of addresses', () => {
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('1')).toBe(1);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
  });
  it('refuses anything else by name', () => {
    for (const bad of ['yes', '10.0.0.0/33', 'example.com', '10.0.0.1/8/2']) {
      expect(() => trust(bad)).toThrow(/HOOKLINE_TRUST_PROXY/);
    }
  });
});
