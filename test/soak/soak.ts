#!/usr/bin/env node
// `pnpm soak [--minutes N]`: a real api + worker on a fresh embedded PostgreSQL under a steady
// publish load for N minutes, with retention shortened to minutes; samples memory, table sizes,
// WAL and latencies, writes soak-report/ (JSON, Markdown, SVG) and exits non-zero on a failed check.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@hookline/test-support/process';
import { benchEnv, startDatabases, startRole, type RunningRole } from '../bench/cluster.ts';
import { mergeLoads, runLoad, type LoadResult } from '../bench/load.ts';
import { startBenchReceiver } from '../bench/receiver.ts';
import { machine } from '../bench/report.ts';
import { sleep, summarize, wallNow } from '../bench/stats.ts';
import { createBenchTenant, newSecret, PUBLISH_BODY } from '../bench/tenant.ts';
import { writeSoakReport, type SoakReport } from './report.ts';
import { ResourceSampler } from './sampler.ts';
import { parseSoakArgs, soakEnv, type SoakSettings } from './settings.ts';
import { verdict, type SoakSample, type SoakTotals } from './verdict.ts';

let settings: SoakSettings;
try {
  settings = parseSoakArgs(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}

const started = Date.now();
const log = (message: string) => console.log(`[soak ${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}`);
const JUDGED = ['api', 'worker'];
/** Pino's level of error and fatal lines. */
const ERROR_LINE = /"level":(50|60)/g;

const overrides = soakEnv(settings);
const startedAt = new Date().toISOString();
log(`starting: ${settings.minutes} min at ${settings.rate} msg/s, retention ${settings.retentionMinutes} min, a sample every ${settings.sampleSeconds} s`);
const dbs = await startDatabases(process.env.DATABASE_URL, { historyPartitionSeconds: settings.partitionSeconds });
const receiver = await startBenchReceiver({ recordArrivals: true });
const connectionString = await dbs.create('soak');
const env = benchEnv(connectionString, overrides);
const roles = await Promise.allSettled([startRole('api', env), startRole('worker', env)]);
const running = roles.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
let sampler: ResourceSampler | undefined;
let exitCode = 1;
try {
  const failedStart = roles.find((r) => r.status === 'rejected');
  if (failedStart) throw failedStart.reason;
  const [api, worker] = running as [RunningRole, RunningRole];
  exitCode = await soak(api, worker);
} catch (err) {
  log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await sampler?.stop();
  await Promise.all(running.map((r) => r.stop()));
  await receiver.close();
  await dbs.close();
}
process.exit(exitCode);

async function soak(api: RunningRole, worker: RunningRole): Promise<number> {
  const tenant = await createBenchTenant(api.url);
  const targets: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < settings.endpoints; i++) {
    const app = await tenant.createApp(`soak-${i}`);
    const secret = newSecret();
    paths.push(`/ep/${i}`);
    receiver.register(paths[i]!, secret, { status: i < settings.failing ? 500 : 200 });
    await tenant.createEndpoints(app, [{ url: `${receiver.url}${paths[i]}`, secret }]);
    targets.push(new URL(tenant.publishUrl(app)).pathname);
  }
  sampler = await ResourceSampler.start(connectionString, { api: api.pid, worker: worker.pid, harness: process.pid });
  if (!(await sampler.historyPartitioned())) throw new Error('the history tables are not partitioned: the soak measures retention by partition');
  // A template migrated at the default width holds a partition up to midnight, which no retention of minutes drops.
  const widest = await sampler.widestPartitionSeconds();
  if (widest > settings.partitionSeconds)
    throw new Error(`a history partition is ${widest} s wide, not ${settings.partitionSeconds} s: retention could not drop it within the run`);
  log(`cluster up (api ${api.pid}, worker ${worker.pid}); publishing`);

  const died = () => [api, worker].find((r) => r.proc.child.exitCode !== null || r.proc.child.signalCode !== null);
  const sliceMs = settings.sampleSeconds * 1000;
  const loadMs = settings.minutes * 60_000;
  const samples: SoakSample[] = [];
  const parts: LoadResult[] = [];
  const t0 = wallNow();
  const elapsed = () => (wallNow() - t0) / 1000;
  // One load-generator process for the run, reporting what completed each sample interval.
  const load = runLoad(
    {
      url: `${api.url}${targets[0]}`,
      targets,
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      body: PUBLISH_BODY,
      mode: 'open',
      rate: settings.rate,
      durationMs: loadMs,
      captureIds: true,
      reportEveryMs: sliceMs,
    },
    (part) => parts.push(part),
  );
  load.catch(() => {}); // awaited below
  for (let k = 1; (k - 1) * sliceMs < loadMs && !died(); k++) {
    await sleep(Math.max(0, t0 + Math.min(k * sliceMs, loadMs) - wallNow()));
    samples.push({ t: elapsed(), phase: 'load', ...(await sampler.take()), invalidSignatures: receiver.invalid(), loadAverage: os.loadavg()[0]! });
    const s = samples[samples.length - 1]!;
    log(`${Math.round(s.t)} s: api ${mib(s.rss.api)} MiB, worker ${mib(s.rss.worker)} MiB, history ${mib(s.historyBytes)} MiB, ${s.messageRows} messages`);
  }
  // The generator's last word holds what completed after its last slice: the last sample's.
  parts.push(await load);
  const loads = samples.map((_, i) => mergeLoads(parts.filter((__, j) => Math.min(j, samples.length - 1) === i)));
  loads.forEach((l, i) => {
    samples[i]!.publish = { requests: l.requests, ok: l.ok, errors: l.errors, dropped: l.dropped, p99Ms: summarize(l.latenciesMs).p99 };
  });

  // The drain: deliveries still on their way may arrive, sampled at the same pace.
  const failing = new Set(Array.from({ length: settings.failing }, (_, i) => i));
  const expected = loads.map((l) => l.accepted.filter(([, , , target]) => !failing.has(target)));
  const missing = () => expected.reduce((n, acc) => n + acc.filter(([id, , , target]) => !receiver.arrivals(paths[target]!).has(id)).length, 0);
  const drainEnd = wallNow() + settings.drainSeconds * 1000;
  let nextSample = wallNow() + sliceMs;
  while (!died()) {
    const done = missing() === 0 || wallNow() >= drainEnd;
    if (done || wallNow() >= nextSample) {
      samples.push({ t: elapsed(), phase: 'drain', ...(await sampler.take()), invalidSignatures: receiver.invalid(), loadAverage: os.loadavg()[0]! });
      nextSample += sliceMs;
    }
    if (done) break;
    await sleep(500);
  }

  let lost = 0;
  expected.forEach((acc, i) => {
    const e2e: number[] = [];
    let sliceLost = 0;
    for (const [id, , sentAt, target] of acc) {
      const at = receiver.arrivals(paths[target]!).get(id);
      if (at === undefined) sliceLost++;
      else e2e.push(at - sentAt);
    }
    samples[i]!.endToEndP99Ms = summarize(e2e).p99;
    samples[i]!.lost = sliceLost;
    lost += sliceLost;
  });

  const statuses: Record<string, number> = {};
  for (const l of loads) for (const [code, n] of Object.entries(l.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  const totals: SoakTotals = {
    accepted: loads.reduce((n, l) => n + l.accepted.length, 0),
    publishErrors: loads.reduce((n, l) => n + l.errors, 0),
    statuses,
    dropped: loads.reduce((n, l) => n + l.dropped, 0),
    invalidSignatures: receiver.invalid(),
    lost,
    failingAttempts: [...failing].reduce((n, i) => n + receiver.verifiedAt(paths[i]!), 0),
  };
  const checks = verdict(samples, totals, settings, JUDGED);
  const dead = died();
  if (dead) checks.unshift({ name: 'processes alive', status: 'fail', detail: `a process exited: ${dead.proc.output().slice(-1000)}` });
  for (const [name, role] of [
    ['api', api],
    ['worker', worker],
  ] as const) {
    const lines = role.proc.output().match(ERROR_LINE)?.length ?? 0;
    checks.push({ name: `error logs (${name})`, status: lines > 0 ? 'fail' : 'pass', detail: `${lines} error or fatal lines` });
  }
  const firstError = loads.find((l) => l.firstError)?.firstError;
  // What each maintenance run reported (its result is logged at info), e.g. the rows it removed.
  const maintenance = worker.proc
    .output()
    .split('\n')
    .filter((line) => line.includes('"maintenance done"'))
    .map((line) => {
      const { time, ...result } = JSON.parse(line) as Record<string, unknown>;
      delete result.level;
      delete result.pid;
      delete result.hostname;
      delete result.msg;
      return { at: new Date(Number(time)).toISOString(), ...result };
    });
  const report: SoakReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    database: dbs.kind,
    settings,
    env: overrides,
    judgedProcesses: JUDGED,
    totals,
    maintenance,
    samples,
    checks,
    verdict: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    notes: [
      'RSS: the median of readings every 5 s over each sample interval; "harness" (this process, with the receivers) is shown, not judged.',
      'End to end: the scheduled send time of the publish → the receiver has the request (first arrival), per slice of publishes.',
      `Retention drops history partitions of ${settings.partitionSeconds} s.`,
      ...(firstError ? [`First publish error: ${firstError}`] : []),
      ...(overloaded(samples, totals)
        ? [
            `The machine was overloaded or publishing fell behind (load average up to ${Math.max(...samples.map((s) => s.loadAverage)).toFixed(1)} on ${os.availableParallelism()} CPUs, ${totals.dropped} publishes not sent): latencies, RSS and sizes show the backlog as much as Hookline.`,
          ]
        : []),
      ...checks.filter((c) => c.status === 'skipped').map((c) => `Not judged in this run: ${c.name}: ${c.detail}.`),
    ],
  };
  const dir = path.join(REPO_ROOT, 'soak-report');
  const md = writeSoakReport(dir, report);
  writeFileSync(path.join(dir, 'api.log'), api.proc.output());
  writeFileSync(path.join(dir, 'worker.log'), worker.proc.output());
  for (const c of checks) log(`${c.status.toUpperCase().padEnd(7)} ${c.name}: ${c.detail}`);
  log(`verdict: ${report.verdict.toUpperCase()}; report: ${md}`);
  return report.verdict === 'pass' ? 0 : 1;
}

/** Neighbours took the CPUs (load average above twice their number) or the api could not keep up. */
function overloaded(samples: readonly SoakSample[], totals: SoakTotals): boolean {
  return totals.dropped > 0 || samples.some((s) => s.loadAverage > 2 * os.availableParallelism());
}

function mib(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '?' : (bytes / 2 ** 20).toFixed(1);
}
