import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { ScenarioReport } from './scenario.ts';
import { round } from './stats.ts';

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  mode: 'full' | 'quick';
  database: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  scenarios: ScenarioReport[];
  errors: string[];
}

export function machine(): BenchReport['machine'] {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
  };
}

const fmt = (n: number | undefined) => (n === undefined ? '' : String(round(n)));

/** The report as a plain-text table: one row per figure, with its baseline and ratio when it has them. */
export function formatTable(report: BenchReport): string {
  const rows: string[][] = [['#', 'scenario', 'figure', 'value', 'baseline', 'ratio']];
  const targets: string[] = [];
  for (const s of report.scenarios) {
    // A baseline without a figure of its own name (e.g. a second ceiling) gets a row of its own.
    const keys = [...Object.keys(s.figures), ...Object.keys(s.baseline).filter((k) => !(k in s.figures))];
    keys.forEach((key, i) => {
      rows.push([i === 0 ? String(s.id) : '', i === 0 ? s.name : '', key, fmt(s.figures[key]), fmt(s.baseline[key]), fmt(s.ratio[key])]);
    });
    for (const t of s.targets) targets.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${s.id}. ${t.target}`);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c >= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  return [
    `Hookline bench (${report.mode}, ${report.database} PostgreSQL, ${report.machine.cpus} CPUs, Node ${report.machine.node})`,
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    'Targets:',
    ...targets,
    ...(report.errors.length > 0 ? ['', 'Errors:', ...report.errors.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
