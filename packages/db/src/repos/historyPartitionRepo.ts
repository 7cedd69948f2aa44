import { sql, type RawBuilder } from 'kysely';
import type { Database, Transaction } from '../connect.ts';
import { idBoundary, idTime } from '../ksuidTime.ts';

// History (message, message_delivery, message_attempt) is range-partitioned on the message id (see
// 0019_partitioned_history and docs/architecture.md). A partition is one range of message ids, a
// table in each of the three with the same suffix: `message_p20261206t0000`,
// `message_delivery_p20261206t0000`, `message_attempt_p20261206t0000`. They are created ahead of
// time and dropped whole once retention has passed their upper bound.

/** The three tables and the column each is partitioned on: the message's id. */
export const HISTORY_TABLES = [
  { table: 'message', key: 'id' },
  { table: 'message_delivery', key: 'msg_id' },
  { table: 'message_attempt', key: 'msg_id' },
] as const;

/** One range of message ids, a partition of each history table; `from` null: MINVALUE. */
export interface HistoryPartition {
  suffix: string;
  from: string | null;
  /** null: the DEFAULT partition (rows no range takes), or MAXVALUE. */
  to: string | null;
  isDefault: boolean;
}

// Creating and dropping partitions serialize on this lock: several workers may start or run maintenance at once.
const LOCK = sql`pg_advisory_xact_lock(hashtext('hookline.history_partitions'))`;
// An ATTACH waits for the locks of running queries without holding up inserts (SHARE UPDATE EXCLUSIVE).
const LOCK_TIMEOUT = sql.lit('5s');
// A DROP takes ACCESS EXCLUSIVE on the parents: while it waits, every publish queues behind it, so
// it waits briefly and leaves the partition to the next maintenance run.
const DROP_LOCK_TIMEOUT = sql.lit('500ms');
const SUFFIX = /^[a-z0-9_]+$/;

const table = (name: string, suffix: string): RawBuilder<unknown> => {
  if (!SUFFIX.test(suffix)) throw new Error(`bad history partition suffix ${suffix}`);
  return sql.id(`${name}_${suffix}`);
};

/** The suffix of the partition that starts at `from`: its start time to the minute (widths are at least a minute, so suffixes never collide). */
export function partitionSuffix(from: Date): string {
  const iso = from.toISOString(); // 2026-12-06T00:00:00.000Z
  return `p${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}t${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The partitions of `message` (the other two have the same), oldest first, DEFAULT last. */
export async function listHistoryPartitions(db: Database | Transaction): Promise<HistoryPartition[]> {
  const { rows } = await sql<{ name: string; bound: string }>`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'message'::regclass`.execute(db);
  const parts = rows.map(({ name, bound }): HistoryPartition => {
    const suffix = name.slice('message_'.length);
    if (bound === 'DEFAULT') return { suffix, from: null, to: null, isDefault: true };
    const m = /FROM \((?:'([^']*)'|MINVALUE)\) TO \((?:'([^']*)'|MAXVALUE)\)/.exec(bound);
    if (!m) throw new Error(`unexpected partition bound of ${name}: ${bound}`);
    return { suffix, from: m[1] ?? null, to: m[2] ?? null, isDefault: false };
  });
  return parts.sort((a, b) => (a.isDefault ? 1 : b.isDefault ? -1 : (a.from ?? '') < (b.from ?? '') ? -1 : 1));
}

/**
 * Adds one partition [from, to) to the three tables. Rows that landed in the DEFAULT partitions
 * for that range (none while partitions are made ahead) move into it first. ATTACH rather than
 * CREATE … PARTITION OF: it locks the parent only against other DDL, so publishing goes on.
 * Returns how many message rows were moved out of the DEFAULT partition.
 */
export async function createHistoryPartition(trx: Transaction, part: { suffix: string; from: string; to: string }): Promise<number> {
  let moved = 0;
  for (const { table: name, key } of HISTORY_TABLES) {
    const target = table(name, part.suffix);
    await sql`CREATE TABLE ${target} (LIKE ${sql.table(name)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`.execute(trx);
    const res = await sql`
      WITH moved AS (DELETE FROM ${table(name, 'default')} WHERE ${sql.ref(key)} >= ${sql.lit(part.from)} AND ${sql.ref(key)} < ${sql.lit(part.to)} RETURNING *)
      INSERT INTO ${target} SELECT * FROM moved`.execute(trx);
    if (name === 'message') moved = Number(res.numAffectedRows ?? 0n);
    await sql`ALTER TABLE ${sql.table(name)} ATTACH PARTITION ${target} FOR VALUES FROM (${sql.lit(part.from)}) TO (${sql.lit(part.to)})`.execute(trx);
  }
  return moved;
}

export interface EnsuredPartitions {
  created: string[];
  /** Message rows moved out of the DEFAULT partition into a new partition. */
  movedFromDefault: number;
}

/**
 * Makes sure partitions cover message ids up to `now + ahead × width` (an hour at least): new ones continue from the
 * highest upper bound, aligned to multiples of the width (UTC). A gap (the workers were stopped for
 * longer than that) becomes one partition up to the current period. Idempotent, and safe to run
 * from several processes at once.
 */
export async function ensureHistoryPartitions(db: Database, options: { widthSeconds: number; now?: Date; ahead?: number }): Promise<EnsuredPartitions> {
  const width = options.widthSeconds * 1000;
  const now = (options.now ?? new Date()).getTime();
  // Ahead by three widths, and by an hour at least, however often maintenance runs.
  const horizon = now + Math.max((options.ahead ?? 3) * width, 3_600_000);
  const aligned = (ms: number) => Math.floor(ms / width) * width;
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL lock_timeout = ${LOCK_TIMEOUT}`.execute(trx);
    await sql`SELECT ${LOCK}`.execute(trx);
    const ranges = (await listHistoryPartitions(trx)).filter((p) => !p.isDefault);
    if (ranges.some((p) => p.to === null)) return { created: [], movedFromDefault: 0 };
    const top = ranges.reduce<string | undefined>((max, p) => (max === undefined || p.to! > max ? p.to! : max), undefined);
    let from = top === undefined ? aligned(now) : idTime(top).getTime();
    const out: EnsuredPartitions = { created: [], movedFromDefault: 0 };
    while (from < horizon) {
      // One partition up to the current period when the last one ended before it.
      const to = Math.max(aligned(from) + width, aligned(now));
      const suffix = partitionSuffix(new Date(from));
      out.movedFromDefault += await createHistoryPartition(trx, {
        suffix,
        from: top !== undefined && out.created.length === 0 ? top : idBoundary('msg', new Date(from), 'start'),
        to: idBoundary('msg', new Date(to), 'start'),
      });
      out.created.push(suffix);
      from = to;
    }
    return out;
  });
}

/**
 * Drops, in the three tables, every partition whose upper bound is at or below `boundaryId` (all
 * of its messages are older): a few catalog rows and files, however many rows they held. Returns
 * the partitions dropped.
 */
export async function dropHistoryPartitionsBefore(db: Database, boundaryId: string): Promise<HistoryPartition[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL lock_timeout = ${DROP_LOCK_TIMEOUT}`.execute(trx);
    await sql`SELECT ${LOCK}`.execute(trx);
    const expired = (await listHistoryPartitions(trx)).filter((p) => !p.isDefault && p.to !== null && p.to <= boundaryId);
    for (const p of expired) {
      // Attempts and deliveries first, as the foreign keys of older releases pointed that way.
      await sql`DROP TABLE ${table('message_attempt', p.suffix)}, ${table('message_delivery', p.suffix)}, ${table('message', p.suffix)}`.execute(trx);
    }
    return expired;
  });
}

/** True for the error of a create or drop that gave up waiting for a lock (LOCK_TIMEOUT, DROP_LOCK_TIMEOUT): the next run tries again. */
export function isLockTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '55P03';
}

/** Message rows in the DEFAULT partition: rows no range took (maintenance moves them when it creates their range). */
export async function countMessagesInDefault(db: Database): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM message_default`.execute(db);
  return rows[0]!.n;
}
