import { randomFillSync } from 'node:crypto';
import { base62, idBoundary as boundaryOf, idTime, KSUID_EPOCH } from '@hookline/db';

// KSUID: 4 bytes of seconds since 2014-05-13 then 16 payload bytes, base62 as 27 chars. As in
// Svix's millisecond KSUIDs, the payload starts with the milliseconds, so ids sort by creation
// time to the millisecond (lists page by id) while keeping 112 random bits. The time layout is
// @hookline/db's (history partitions are id ranges of times).
const EPOCH = KSUID_EPOCH;

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

export type IdPrefix = 'app' | 'ep' | 'msg' | 'atmpt' | 'org' | 'key' | 'sec' | 'qtask' | 'psn' | 'ses' | 'inv' | 'chl' | 'rcv' | 'audit' | 'pwr' | 'integ' | 'poll';

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
  return boundaryOf(prefix, at, edge);
}

/** The time (to the millisecond) an id of `newId` or `idBoundary` stands for. */
export { idTime };
