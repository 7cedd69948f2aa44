import { describe, expect, it } from 'vitest';
import { ksuid, newId } from '../src/ids.ts';

describe('ids', () => {
  it('are prefixed 27-character base62 KSUIDs', () => {
    const id = newId('msg');
    expect(id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
  });

  it('sort by creation time to the millisecond', () => {
    const base = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
    const times = [0, 1, 2, 999, 1000, 1001, 60_000].map((d) => new Date(base + d));
    const ids = times.map((t) => ksuid(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differ when made in the same millisecond', () => {
    const at = new Date();
    expect(new Set(Array.from({ length: 1000 }, () => ksuid(at))).size).toBe(1000);
  });
});
