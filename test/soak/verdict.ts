import type { ResourceSample } from './sampler.ts';
import type { SoakSettings } from './settings.ts';

/** One sample of a soak run: the resources, and the publishes of the slice that ended with it. */
export interface SoakSample extends ResourceSample {
  /** Seconds since publishing started. */
  t: number;
  phase: 'load' | 'drain';
  publish?: { requests: number; ok: number; errors: number; dropped: number; p99Ms: number };
  /** Of the messages that slice sent to succeeding endpoints: send → receiver has it, p99 (ms), and how many never arrived. */
  endToEndP99Ms?: number;
  lost?: number;
  /** Requests the receivers rejected for their signature so far. */
  invalidSignatures: number;
  /** The machine's 1-minute load average: a shared machine's neighbours show here. */
  loadAverage: number;
}

export interface SoakTotals {
  accepted: number;
  /** Publishes answered other than 2xx, or not answered. */
  publishErrors: number;
  statuses: Record<string, number>;
  /** Publishes the load generator could not send (too many in flight). */
  dropped: number;
  invalidSignatures: number;
  /** Accepted for a succeeding endpoint, not received there by the end of the drain. */
  lost: number;
  /** Requests the failing endpoints received (a soak whose failing endpoint is never tried tests nothing). */
  failingAttempts: number;
}

export interface Check {
  name: string;
  status: 'pass' | 'fail' | 'skipped';
  detail: string;
}

const MIB = 2 ** 20;
/** The brief's bound on memory growth after warm-up, and the looser one short runs are held to (a clear leak). */
export const RSS_SLOPE_LIMIT_MIB_PER_10MIN = 1;
export const SHORT_RUN_RSS_SLOPE_LIMIT_MIB_PER_10MIN = 200;
/** Warm-up: the first third of the run, and at least this long (heaps and pools still grow in a short run's first minutes). */
const MIN_WARM_UP_S = 120;
/** A post-warm-up stretch at least this long is judged by the strict bound. */
const STRICT_SPAN_S = 600;
/** History may be this much larger in the second half of the judged window than in the first (peaks). */
const HISTORY_GROWTH_RATIO = 1.2;
const HISTORY_GROWTH_SLACK_BYTES = 4 * MIB;

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than 2 points. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const mib = (bytes: number) => (bytes / MIB).toFixed(1);

/** RSS of each judged process: a line fitted over the load samples after the warm-up. */
export function rssChecks(samples: readonly SoakSample[], settings: SoakSettings, processes: readonly string[]): Check[] {
  const load = samples.filter((s) => s.phase === 'load');
  const warm = load.filter((s) => s.t > Math.max(MIN_WARM_UP_S, (settings.minutes * 60) / 3));
  const span = warm.length > 0 ? warm[warm.length - 1]!.t - warm[0]!.t : 0;
  return processes.map((proc) => {
    const name = `RSS growth (${proc})`;
    const points = warm.map((s) => [s.t, s.rss[proc] ?? NaN] as const).filter(([, y]) => Number.isFinite(y));
    if (points.length < 4) return { name, status: 'skipped', detail: `${points.length} samples after warm-up; at least 4 needed` };
    const perTenMin = (slope(points) * 600) / MIB;
    const strict = span >= STRICT_SPAN_S;
    const limit = strict ? RSS_SLOPE_LIMIT_MIB_PER_10MIN : SHORT_RUN_RSS_SLOPE_LIMIT_MIB_PER_10MIN;
    const how = strict ? '' : ` (run too short for the ${RSS_SLOPE_LIMIT_MIB_PER_10MIN} MiB bound: only a clear leak fails)`;
    return {
      name,
      status: perTenMin > limit ? 'fail' : 'pass',
      detail: `${perTenMin.toFixed(2)} MiB per 10 min over ${points.length} samples (${Math.round(span)} s); limit ${limit}${how}`,
    };
  });
}

/**
 * History size once retention must be at work: from 2 retention periods plus one maintenance
 * interval and one partition width on, the peak of the window's second half may not exceed its
 * first half's by more than 20 %. Rows leave in steps (a maintenance run, a partition), so size is
 * a saw of that step's period: the window must span two of them. Also: a run long enough for
 * retention to have run must have removed messages.
 */
export function historyChecks(samples: readonly SoakSample[], settings: SoakSettings, accepted: number): Check[] {
  const width = settings.partitionSeconds;
  const maintenance = settings.maintenanceMinutes * 60;
  const step = Math.max(maintenance, width);
  const from = 2 * settings.retentionMinutes * 60 + maintenance + width;
  // A second's slack: a sample due at `from` may be taken a hair before it.
  const window = samples.filter((s) => s.phase === 'load' && s.t >= from - 1);
  const span = window.length > 0 ? window[window.length - 1]!.t - window[0]!.t : 0;
  const checks: Check[] = [];
  const name = 'history size bounded';
  if (window.length < 4 || span < 2 * step) {
    checks.push({
      name,
      status: 'skipped',
      detail: `needs 4 load samples from ${from} s on spanning ${2 * step} s (a run of about ${Math.ceil((from + 2 * step) / 60)} min); this run has ${window.length} spanning ${Math.round(span)} s`,
    });
  } else {
    const half = window[0]!.t + span / 2;
    const peak = (part: SoakSample[]) => Math.max(...part.map((s) => s.historyBytes));
    const first = peak(window.filter((s) => s.t <= half));
    const second = peak(window.filter((s) => s.t > half));
    const grew = second > first * HISTORY_GROWTH_RATIO + HISTORY_GROWTH_SLACK_BYTES;
    checks.push({ name, status: grew ? 'fail' : 'pass', detail: `peak ${mib(first)} MiB, then ${mib(second)} MiB (from ${from} s on)` });
  }
  const last = samples[samples.length - 1];
  const pruned = last ? accepted - last.messageRows : 0;
  const period = settings.retentionMinutes * 60 + maintenance + width;
  const due = last !== undefined && last.t >= period + 60;
  checks.push({
    name: 'retention removed messages',
    status: !due ? 'skipped' : pruned > 0 ? 'pass' : 'fail',
    detail: `${Math.max(0, pruned)} of ${accepted} accepted messages gone at the end${due ? '' : ` (not judged: retention may take ${period + 60} s)`}`,
  });
  return checks;
}

/** Every check of a run: errors, lost messages, signatures, memory, history. */
export function verdict(samples: readonly SoakSample[], totals: SoakTotals, settings: SoakSettings, processes: readonly string[]): Check[] {
  const count = (name: string, n: number, what: string): Check => ({ name, status: n > 0 ? 'fail' : 'pass', detail: `${n} ${what}` });
  return [
    {
      name: 'publish errors',
      status: totals.publishErrors + totals.dropped > 0 ? 'fail' : 'pass',
      detail: `${totals.publishErrors} non-2xx or unanswered (statuses ${JSON.stringify(totals.statuses)}), ${totals.dropped} not sent (4,000 in flight already)`,
    },
    count('signature failures', totals.invalidSignatures, 'requests whose Standard Webhooks signature did not verify'),
    count('lost messages', totals.lost, 'accepted for a succeeding endpoint and never received there'),
    { name: 'failing endpoint tried', status: totals.failingAttempts > 0 ? 'pass' : 'fail', detail: `${totals.failingAttempts} attempts answered 500` },
    ...rssChecks(samples, settings, processes),
    ...historyChecks(samples, settings, totals.accepted),
  ];
}
