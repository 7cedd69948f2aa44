import pg from 'pg';
import { idTime } from '@hookline/db';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';
import { rssBytes } from '../bench/cluster.ts';

/** History tables of a message, and the eventId claims kept beside them. */
const HISTORY_TABLES = ['message', 'message_delivery', 'message_attempt', 'message_event_id'];
const JOB_TABLE = `${QUEUE_SCHEMA}.job`;
/** RSS is read this often and each sample keeps the median of its interval, so one GC does not make a trend. */
const RSS_EVERY_MS = 5000;

export interface TableSize {
  tableBytes: number;
  indexBytes: number;
  /** Leaf partitions (1 for a plain table). */
  partitions: number;
}

/** What the database and the processes looked like at one moment. */
export interface ResourceSample {
  /** Median and peak RSS of each process over the interval before the sample, bytes. */
  rss: Record<string, number>;
  rssPeak: Record<string, number>;
  tables: Record<string, TableSize>;
  /** Tables and indexes of every history table, all partitions summed. */
  historyBytes: number;
  /** pg-boss's job table (all partitions). */
  jobTableBytes: number;
  messageRows: number;
  /** WAL written since the sampler started. */
  walBytes: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Samples the processes' RSS (/proc) and, on `take()`, the database: every table's size summed over
 * the leaves of its partition tree, rows and WAL.
 */
export class ResourceSampler {
  private readings: Record<string, number[]> = {};
  private readonly timer: NodeJS.Timeout;
  private readonly client: pg.Client;
  private readonly pids: Record<string, number>;
  private readonly tables: string[];
  private readonly walStart: string;

  private constructor(client: pg.Client, pids: Record<string, number>, tables: string[], walStart: string) {
    this.client = client;
    this.pids = pids;
    this.tables = tables;
    this.walStart = walStart;
    this.read();
    this.timer = setInterval(() => this.read(), RSS_EVERY_MS);
  }

  static async start(connectionString: string, pids: Record<string, number>): Promise<ResourceSampler> {
    const client = new pg.Client({ connectionString, application_name: 'hookline-soak' });
    await client.connect();
    const names = [...HISTORY_TABLES, JOB_TABLE];
    const existing = await client.query<{ name: string }>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL', [names]);
    const lsn = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return new ResourceSampler(
      client,
      pids,
      existing.rows.map((r) => r.name),
      lsn.rows[0]!.lsn,
    );
  }

  /** Whether `message` is a partitioned table (the partitioned-history layout). */
  async historyPartitioned(): Promise<boolean> {
    const r = await this.client.query<{ kind: string }>("SELECT relkind AS kind FROM pg_class WHERE oid = to_regclass('message')");
    return r.rows[0]?.kind === 'p';
  }

  /** The widest message partition with two bounds (the legacy one starts at MINVALUE), in seconds. */
  async widestPartitionSeconds(): Promise<number> {
    const r = await this.client.query<{ bound: string }>(
      "SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'message'::regclass",
    );
    let widest = 0;
    for (const { bound } of r.rows) {
      const m = /FROM \('(msg_\w+)'\) TO \('(msg_\w+)'\)/.exec(bound);
      if (m) widest = Math.max(widest, (idTime(m[2]!).getTime() - idTime(m[1]!).getTime()) / 1000);
    }
    return Math.round(widest);
  }

  private read(): void {
    for (const [name, pid] of Object.entries(this.pids)) (this.readings[name] ??= []).push(rssBytes(pid));
  }

  async take(): Promise<ResourceSample> {
    this.read();
    const rss = Object.fromEntries(Object.entries(this.readings).map(([k, v]) => [k, median(v)]));
    const rssPeak = Object.fromEntries(Object.entries(this.readings).map(([k, v]) => [k, Math.max(...v.filter(Number.isFinite))]));
    this.readings = {};
    // pg_partition_tree has no rows for a plain table: that table is then its own one leaf.
    const sizes = await this.client.query<{ name: string; table_bytes: string; index_bytes: string; leaves: string }>(
      `SELECT t.name, sum(pg_table_size(l.relid))::bigint AS table_bytes, sum(pg_indexes_size(l.relid))::bigint AS index_bytes, count(*) AS leaves
       FROM unnest($1::text[]) AS t(name)
       CROSS JOIN LATERAL (
         SELECT relid FROM pg_partition_tree(t.name::regclass) WHERE isleaf
         UNION ALL
         SELECT t.name::regclass WHERE NOT EXISTS (SELECT FROM pg_partition_tree(t.name::regclass))
       ) AS l
       GROUP BY t.name`,
      [this.tables],
    );
    const tables: Record<string, TableSize> = {};
    for (const r of sizes.rows) tables[r.name] = { tableBytes: Number(r.table_bytes), indexBytes: Number(r.index_bytes), partitions: Number(r.leaves) };
    const total = (name: string) => (tables[name] ? tables[name].tableBytes + tables[name].indexBytes : 0);
    const stats = await this.client.query<{ rows: string; wal: string }>(
      'SELECT (SELECT count(*) FROM message) AS rows, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS wal',
      [this.walStart],
    );
    return {
      rss,
      rssPeak,
      tables,
      historyBytes: HISTORY_TABLES.reduce((n, t) => n + total(t), 0),
      jobTableBytes: total(JOB_TABLE),
      messageRows: Number(stats.rows[0]!.rows),
      walBytes: Number(stats.rows[0]!.wal),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client.end();
  }
}
