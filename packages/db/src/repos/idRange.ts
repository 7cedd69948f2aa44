/**
 * The smallest and largest of `ids` in the order PostgreSQL gives ids (COLLATE "C": UTF-8 bytes),
 * for a statement that reads a batch's history by message id: `BETWEEN` them on the partition key
 * lets a generic plan drop, as the executor starts, the partitions the batch has no rows in, before
 * it opens them and their indexes (docs/performance.md, scenario 9).
 */
export function idRange(ids: readonly string[]): { lo: string; hi: string } {
  if (ids.length === 0) throw new Error('idRange of no ids');
  let lo = ids[0]!;
  let hi = lo;
  for (const id of ids) {
    if (byteOrder(id, lo) < 0) lo = id;
    if (byteOrder(id, hi) > 0) hi = id;
  }
  return { lo, hi };
}

/** JavaScript orders strings by UTF-16 units, which differs from UTF-8 byte order past U+FFFF; ids are ASCII, where both agree. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
const byteOrder = (a: string, b: string): number => (isAscii(a) && isAscii(b) ? (a < b ? -1 : a > b ? 1 : 0) : Buffer.compare(Buffer.from(a), Buffer.from(b)));
