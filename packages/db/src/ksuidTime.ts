// The time layout of Hookline's ids (KSUIDs: 4 bytes of seconds since 2014-05-13, 2 of
// milliseconds, then random bytes, in base 62). It lives with the storage because history is
// range-partitioned on message ids: partition bounds are ids of times (historyPartitionRepo).
// packages/core's ids.ts makes ids with it.

export const KSUID_EPOCH = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The 20 bytes (a big-endian number) in base 62, by long division over five 32-bit words (every
 * step exact in a double), not through BigInt: every delivery attempt gets an id, so this is on the
 * worker's hot path (docs/performance.md).
 */
export function base62(bytes: Buffer, length: number): string {
  const words = [bytes.readUInt32BE(0), bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt32BE(12), bytes.readUInt32BE(16)];
  const out: string[] = new Array<string>(length).fill('0');
  for (let first = 0, at = length - 1; first < words.length && at >= 0; at--) {
    let rem = 0;
    for (let i = first; i < words.length; i++) {
      const acc = rem * 0x1_0000_0000 + words[i]!;
      words[i] = Math.floor(acc / 62);
      rem = acc - words[i]! * 62;
    }
    out[at] = ALPHABET[rem]!;
    while (first < words.length && words[first] === 0) first++;
  }
  return out.join('');
}

/**
 * The smallest (`start`) or largest (`end`) id with this prefix made at `at`, so a time range
 * becomes an id range. A time outside what an id can hold (before 2014, after 2150) gives the
 * first or last id there is.
 */
export function idBoundary(prefix: string, at: Date, edge: 'start' | 'end'): string {
  const buf = Buffer.alloc(20, edge === 'start' ? 0 : 0xff);
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000) - KSUID_EPOCH;
  if (seconds > 0xffff_ffff) return `${prefix}_${base62(Buffer.alloc(20, 0xff), 27)}`;
  buf.writeUInt32BE(Math.max(0, seconds), 0);
  buf.writeUInt16BE(((ms % 1000) + 1000) % 1000, 4);
  return `${prefix}_${base62(buf, 27)}`;
}

/** The time (to the millisecond) an id stands for: its first six bytes. */
export function idTime(id: string): Date {
  let n = 0n;
  for (const c of id.slice(id.indexOf('_') + 1)) n = n * 62n + BigInt(ALPHABET.indexOf(c));
  const head = Number(n >> 112n); // 4 bytes of seconds, then 2 of milliseconds
  return new Date((Math.floor(head / 0x1_0000) + KSUID_EPOCH) * 1000 + (head % 0x1_0000));
}
