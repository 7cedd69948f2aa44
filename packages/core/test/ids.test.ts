import { describe, expect, it } from 'vitest';
import { idBoundary, idTime, ksuid, newId } from '../src/ids.ts';

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

  it('bound every id of a time, and clamp times an id cannot hold instead of throwing', () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    const id = newId('msg', at);
    expect(idBoundary('msg', at, 'start') <= id && id <= idBoundary('msg', at, 'end')).toBe(true);
    const last = idBoundary('msg', new Date('9999-12-31T23:59:59Z'), 'start');
    expect(last).toBe(`msg_${'aWgEPTl1tmebfsQzFP4bxwgy80V'}`);
    expect(idBoundary('msg', new Date(8.64e15), 'end')).toBe(last);
    expect(id < last).toBe(true);
    expect(idBoundary('msg', new Date(0), 'start')).toBe(`msg_${'0'.repeat(27)}`);
  });

  it('give back the millisecond they were made at (idTime), so a time to resume from can be reported', () => {
    for (const ms of [Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 6, 3, 55, 47, 987), Date.UTC(2100, 5, 30, 23, 59, 59, 1)]) {
      const at = new Date(ms);
      expect(idTime(newId('msg', at)).getTime()).toBe(ms);
      expect(idTime(idBoundary('msg', at, 'start')).getTime()).toBe(ms);
      // Recovering from that time includes the message itself.
      expect(idBoundary('msg', idTime(newId('msg', at)), 'start') <= newId('msg', at)).toBe(true);
    }
  });

  it('differ when made in the same millisecond', () => {
    const at = new Date();
    expect(new Set(Array.from({ length: 1000 }, () => ksuid(at))).size).toBe(1000);
  });
});

describe('base62 of an id', () => {
  it('is the number the 20 bytes spell, in base 62 (checked against BigInt)', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const decode = (s: string) => [...s].reduce((n, c) => n * 62n + BigInt(alphabet.indexOf(c)), 0n);
    for (let i = 0; i < 2000; i++) {
      // From the KSUID epoch (2014-05-13 16:53:20 UTC): ksuid clamps earlier times to it, which this decoding would not expect.
      const at = new Date(1_400_000_000_000 + Math.floor(Math.random() * 4e12));
      const id = ksuid(at);
      const n = decode(id);
      // The first 4 bytes are the seconds since the KSUID epoch, the next 2 the milliseconds.
      expect(n >> 128n).toBe(BigInt(Math.floor(at.getTime() / 1000) - 1_400_000_000));
      expect((n >> 112n) & 0xffffn).toBe(BigInt(at.getTime() % 1000));
      expect(n < 2n ** 160n).toBe(true);
    }
  });
});
