import { describe, expect, it } from 'vitest';
import { addRevocations, isPortalTokenRevoked } from '../src/portal/portalRevocation.ts';

const DAY = 86400_000;
const now = 1_700_000_000_000;
const token = (issuedAt: number, sessionId: string | null = null) => ({ issuedAt: new Date(issuedAt), sessionId });

describe('portal token revocation rules', () => {
  it('revokes tokens issued before the rule once it is in force, for its session only', () => {
    const rules = [
      { before: now, at: now + 1000 },
      { before: now + 5000, at: now + 5000, sid: 's1' },
    ];
    expect(isPortalTokenRevoked(rules, token(now - 1), now)).toBe(false);
    expect(isPortalTokenRevoked(rules, token(now - 1), now + 1000)).toBe(true);
    expect(isPortalTokenRevoked(rules, token(now), now + 1000)).toBe(false);
    expect(isPortalTokenRevoked(rules, token(now + 1, 's1'), now + 5000)).toBe(true);
    expect(isPortalTokenRevoked(rules, token(now + 1, 's2'), now + 5000)).toBe(false);
  });

  it('drops rules that no longer matter or that another one covers', () => {
    const old = { before: now - 8 * DAY, at: now - 8 * DAY };
    const inForce = { before: now - 1000, at: now - 1000 };
    const covered = { before: now - 2000, at: now - 1500, sid: 's' };
    const pending = { before: now - 500, at: now + 60_000 };
    expect(addRevocations([old, covered, inForce], [pending], now)).toEqual([{ before: now - 1000, at: 0 }, pending]);
    // A later rule in force at once makes the pending one redundant.
    expect(addRevocations([inForce, pending], [{ before: now, at: now }], now)).toEqual([{ before: now, at: 0 }]);
  });

  it('stays bounded, folding into one rule that revokes at least as much', () => {
    let rules = addRevocations([], [], now);
    for (let i = 0; i < 500; i++) rules = addRevocations(rules, [{ before: now + i, at: now + i, sid: `s${i}` }], now + i);
    expect(rules.length).toBeLessThanOrEqual(100);
    for (const sid of ['s0', 's250', 's499']) expect(isPortalTokenRevoked(rules, token(now - 1, sid), now + 500)).toBe(true);
    expect(isPortalTokenRevoked(rules, token(now + 1000, 's1'), now + 2000)).toBe(false);
  });
});
