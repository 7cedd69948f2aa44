import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine } from '../bench/report.ts';
import { renderChart } from './chart.ts';
import type { SoakSettings } from './settings.ts';
import type { Check, SoakSample, SoakTotals } from './verdict.ts';

export interface SoakReport {
  startedAt: string;
  finishedAt: string;
  machine: ReturnType<typeof machine>;
  database: string;
  settings: SoakSettings;
  /** The Hookline environment the soak set on top of the bench's. */
  env: Record<string, string>;
  /** The processes whose RSS is judged. */
  judgedProcesses: string[];
  totals: SoakTotals;
  /** The worker's "maintenance done" lines: when each run ended and what it removed. */
  maintenance: Array<Record<string, unknown>>;
  samples: SoakSample[];
  checks: Check[];
  verdict: 'pass' | 'fail';
  notes: string[];
}

const MIB = 2 ** 20;
const mib = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : (n / MIB).toFixed(1));
const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : n.toFixed(1));
const HISTORY = ['message', 'message_delivery', 'message_attempt', 'message_event_id'];

function markdown(r: SoakReport): string {
  const lines = [
    `# Soak run: ${r.verdict.toUpperCase()}`,
    '',
    `${r.startedAt} → ${r.finishedAt}; ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}, PostgreSQL: ${r.database}.`,
    `${r.settings.minutes} min at ${r.settings.rate} msg/s over ${r.settings.endpoints} applications of one endpoint each (${r.settings.failing} answering 500),`,
    `retention ${r.settings.retentionMinutes} min, maintenance every ${r.settings.maintenanceMinutes} min, history partitions of ${r.settings.partitionSeconds} s, a sample every ${r.settings.sampleSeconds} s.`,
    '',
    `Accepted ${r.totals.accepted} messages; ${r.totals.lost} lost, ${r.totals.publishErrors} publish errors, ${r.totals.dropped} publishes not sent (too many in flight), ${r.totals.invalidSignatures} bad signatures, ${r.totals.failingAttempts} attempts at the failing endpoint.`,
    `Maintenance ran ${r.maintenance.length} times${r.maintenance.length > 0 ? `; the last: ${JSON.stringify(r.maintenance[r.maintenance.length - 1])}` : ''}.`,
    '',
    '| check | result | detail |',
    '| --- | --- | --- |',
    ...r.checks.map((c) => `| ${c.name} | ${c.status} | ${c.detail.replace(/\|/g, '\\|')} |`),
    '',
    '![chart](soak-report.svg)',
    '',
    `| t (s) | phase | published | lost | bad signatures | publish p99 (ms) | e2e p99 (ms) | ${r.judgedProcesses.map((p) => `${p} RSS (MiB)`).join(' | ')} | history (MiB) | partitions | pg-boss job (MiB) | message rows | WAL (MiB) | load avg |`,
    `| ${Array.from({ length: 13 + r.judgedProcesses.length }, () => '---:').join(' | ')} |`,
    ...r.samples.map((s) =>
      [
        '',
        Math.round(s.t),
        s.phase,
        s.publish ? `${s.publish.ok}${s.publish.errors + s.publish.dropped > 0 ? ` (${s.publish.errors + s.publish.dropped} err)` : ''}` : '',
        s.lost ?? '',
        s.invalidSignatures,
        ms(s.publish?.p99Ms),
        ms(s.endToEndP99Ms),
        ...r.judgedProcesses.map((p) => mib(s.rss[p])),
        mib(s.historyBytes),
        HISTORY.filter((t) => s.tables[t])
          .map((t) => s.tables[t]!.partitions)
          .join('/'),
        mib(s.jobTableBytes),
        s.messageRows,
        mib(s.walBytes),
        s.loadAverage.toFixed(1),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

function chart(r: SoakReport): string {
  const series = (name: string, pick: (s: SoakSample) => number | undefined, from = r.samples) => ({
    name,
    points: from.map((s) => [s.t, pick(s) ?? NaN] as [number, number]),
  });
  const load = r.samples.filter((s) => s.phase === 'load');
  return renderChart(`pnpm soak: ${r.settings.minutes} min at ${r.settings.rate} msg/s (${r.verdict})`, [
    { title: 'RSS per process', unit: 'MiB', series: Object.keys(r.samples[0]?.rss ?? {}).map((p) => series(p, (s) => (s.rss[p] ?? NaN) / MIB)) },
    {
      title: 'Table sizes, tables + indexes, all partitions',
      unit: 'MiB',
      series: [
        series('history total', (s) => s.historyBytes / MIB),
        ...HISTORY.filter((t) => r.samples.some((s) => s.tables[t])).map((t) =>
          series(t, (s) => (s.tables[t] ? (s.tables[t].tableBytes + s.tables[t].indexBytes) / MIB : NaN)),
        ),
        series('pg-boss job', (s) => s.jobTableBytes / MIB),
      ],
    },
    { title: 'p99 latency per sample', unit: 'ms', series: [series('publish', (s) => s.publish?.p99Ms, load), series('end to end', (s) => s.endToEndP99Ms, load)] },
  ]);
}

/** Writes soak-report.json, soak-report.md and soak-report.svg into `dir`; returns the Markdown file. */
export function writeSoakReport(dir: string, report: SoakReport): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'soak-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(dir, 'soak-report.svg'), chart(report));
  const md = path.join(dir, 'soak-report.md');
  writeFileSync(md, markdown(report));
  return md;
}
