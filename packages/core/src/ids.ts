import { randomBytes } from 'node:crypto';

// KSUID: 4 bytes of seconds since 2014-05-13 then 16 payload bytes, base62 as 27 chars. As in
// Svix's millisecond KSUIDs, the payload starts with the milliseconds, so ids sort by creation
// time to the millisecond (lists page by id) while keeping 112 random bits.
const EPOCH = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(length, '0');
}

/** A new KSUID (27 chars) for the given time. */
export function ksuid(at: Date = new Date()): string {
  const buf = Buffer.alloc(20);
  const ms = at.getTime();
  buf.writeUInt32BE(Math.max(0, Math.floor(ms / 1000) - EPOCH), 0);
  buf.writeUInt16BE(((ms % 1000) + 1000) % 1000, 4);
  randomBytes(14).copy(buf, 6);
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
