import { randomFillSync } from 'node:crypto';

// KSUID: 4 bytes of seconds since 2014-05-13 then 16 payload bytes, base62 as 27 chars. As in
// Svix's millisecond KSUIDs, the payload starts with the milliseconds, so ids sort by creation
// time to the millisecond (lists page by id) while keeping 112 random bits.
const EPOCH = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The 20 bytes (a big-endian number) in base 62, by long division over five 32-bit words (every
 * step exact in a double), not through BigInt: every delivery attempt gets an id, so this is on the
 * worker's hot path (docs/performance.md).
 */
function base62(bytes: Buffer, length: number): string {
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

// Random bytes are drawn a few KiB at a time (as crypto.randomUUID does): a call per id cost more
// than the rest of making one.
const pool = Buffer.alloc(14 * 256);
let used = pool.length;

function random14(into: Buffer, at: number): void {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(into, at, used, used + 14);
  used += 14;
}

/** A new KSUID (27 chars) for the given time. */
export function ksuid(at: Date = new Date()): string {
  const buf = Buffer.alloc(20);
  const ms = at.getTime();
  buf.writeUInt32BE(Math.max(0, Math.floor(ms / 1000) - EPOCH), 0);
  buf.writeUInt16BE(((ms % 1000) + 1000) % 1000, 4);
  random14(buf, 6);
  return base62(buf, 27);
}

export type IdPrefix = 'app' | 'ep' | 'msg' | 'atmpt' | 'org' | 'key' | 'sec' | 'qtask';

/** A prefixed, time-sortable id such as `msg_2Xk…`. */
export function newId(prefix: IdPrefix, at?: Date): string {
  return `${prefix}_${ksuid(at)}`;
}

/**
 * The smallest (`start`) or largest (`end`) id that `newId(prefix, at)` can produce, so a time range
 * becomes an id range that the (…, id) indexes answer, as Svix's `start_id`. A time outside what
 * an id can hold (before 2014, after 2150) gives the first or last id there is.
 */
export function idBoundary(prefix: IdPrefix, at: Date, edge: 'start' | 'end'): string {
  const buf = Buffer.alloc(20, edge === 'start' ? 0 : 0xff);
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000) - EPOCH;
  if (seconds > 0xffff_ffff) return `${prefix}_${base62(Buffer.alloc(20, 0xff), 27)}`;
  buf.writeUInt32BE(Math.max(0, seconds), 0);
  buf.writeUInt16BE(((ms % 1000) + 1000) % 1000, 4);
  return `${prefix}_${base62(buf, 27)}`;
}

/** The time (to the millisecond) an id of `newId` or `idBoundary` stands for: its first six bytes. */
export function idTime(id: string): Date {
  let n = 0n;
  for (const c of id.slice(id.indexOf('_') + 1)) n = n * 62n + BigInt(ALPHABET.indexOf(c));
  const head = Number(n >> 112n); // 4 bytes of seconds, then 2 of milliseconds
  return new Date((Math.floor(head / 0x1_0000) + EPOCH) * 1000 + (head % 0x1_0000));
}
