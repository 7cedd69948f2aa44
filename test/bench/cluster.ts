import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';
import { undici } from './deps.ts';
import { ADMIN_TOKEN, createBenchTenant, type BenchTenant } from './tenant.ts';
import { sleep } from './stats.ts';
import { freePort } from '@hookline/test-support/freePort';
import { startTemplateServer } from '@hookline/test-support/templateServer';

/** Deliveries time out after this long in every scenario (a hanging receiver holds a slot this long). */
export const BENCH_DELIVERY_TIMEOUT_MS = 5000;

export interface BenchDatabases {
  /** `embedded` or `DATABASE_URL`. */
  kind: string;
  /** A fresh migrated database (cloned from a template) for one scenario. */
  create(name: string): Promise<string>;
  /**
   * Between scenarios: drops the databases of those done and CHECKPOINTs, so the next one is not
   * measured beside the last one's autovacuum and checkpoint (a full run's scenario 6 read 5.15 where
   * it read 1.74 and 1.92 alone).
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The bench's PostgreSQL: the server in DATABASE_URL, else an embedded one of its own (own folder,
 * own port). Each scenario gets a fresh database cloned from one migrated template, so one
 * scenario's leftovers never slow the next.
 */
export async function startDatabases(databaseUrl: string | undefined, options: { historyPartitionSeconds?: number } = {}): Promise<BenchDatabases> {
  const server = await startTemplateServer({
    databaseUrl,
    dataDir: path.join(REPO_ROOT, '.hookline-bench', `pg-${process.pid}`),
    prefix: `hookline_bench_${Math.floor(Date.now() / 1000)}_${process.pid}_`,
    deliveryTimeoutMs: BENCH_DELIVERY_TIMEOUT_MS,
    ...options,
  });
  const created: string[] = [];
  return {
    kind: databaseUrl ? 'DATABASE_URL' : 'embedded',
    async create(name) {
      const url = await server.create(name);
      created.push(new URL(url).pathname.slice(1));
      return url;
    },
    async settle() {
      for (const name of created.splice(0)) await server.admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      // A DATABASE_URL role may lack the right (pg_checkpoint); the drop still helped.
      await server.admin.query('CHECKPOINT').catch(() => {});
    },
    close: () => server.close(),
  };
}

/** Environment of a Hookline process under load: loopback receivers allowed, no API rate limit, quiet logs. */
export function benchEnv(connectionString: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: connectionString,
    HOST: '127.0.0.1',
    HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
    HOOKLINE_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32,::1/128',
    HOOKLINE_BOOTSTRAP: 'false',
    HOOKLINE_DELIVERY_TIMEOUT_MS: String(BENCH_DELIVERY_TIMEOUT_MS),
    // The bench measures Hookline, not the per-tenant limit that protects it: 0 disables it.
    // BENCH_API_RATE_LIMIT sets one (high, so nothing is refused) to measure what counting costs.
    HOOKLINE_API_RATE_LIMIT: process.env.BENCH_API_RATE_LIMIT ?? '0',
    // The fan-out scenario gives one application 1000 endpoints.
    HOOKLINE_MAX_ENDPOINTS_PER_APP: '1000',
    // Endpoint secrets are encrypted at rest; DATABASE_URL deployments must name a key.
    HOOKLINE_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    // Per-request access logs are off (warn), as they are for the baselines.
    HOOKLINE_LOG_LEVEL: 'warn',
    ...overrides,
  };
}

export interface RunningRole {
  proc: HooklineProcess;
  pid: number;
  /** The api's base URL (api role only). */
  url: string;
  stop(): Promise<void>;
}

async function stopProcess(proc: HooklineProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  // A graceful stop waits for attempts in flight; the bench needs none of that, but a CPU profile
  // is only written by a clean exit.
  const grace = process.env.BENCH_CPU_PROF ? 60_000 : 5000;
  const killed = await Promise.race([proc.exited.then(() => false), sleep(grace).then(() => true)]);
  if (killed) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/** Starts `node bin/hookline.ts --role <role>` and waits until it serves (api) or consumes (worker). */
export async function startRole(role: 'api' | 'worker', env: Record<string, string>): Promise<RunningRole> {
  const port = role === 'api' ? await freePort() : 0;
  // The worker logs its start at info; the api's readiness is checked over HTTP instead.
  // BENCH_CPU_PROF=api,worker writes a V8 CPU profile of those roles to .hookline-bench/profiles.
  // BENCH_NODE_OPTIONS reaches both roles, e.g. --max-semi-space-size=0 (V8's own heap sizing; bin/memoryFlags.ts).
  const cpuProfile = (process.env.BENCH_CPU_PROF ?? '').split(',').includes(role)
    ? `--cpu-prof --cpu-prof-dir=${path.join(REPO_ROOT, '.hookline-bench', 'profiles')}`
    : '';
  const nodeOptions = [cpuProfile, process.env.BENCH_NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
  const profile: Record<string, string> = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
  const proc = spawnHookline(['--role', role], { ...env, ...profile, PORT: String(port), ...(role === 'worker' ? { HOOKLINE_LOG_LEVEL: 'info' } : {}) });
  const url = role === 'api' ? `http://127.0.0.1:${port}` : '';
  const failed = proc.exited.then((code) => {
    throw new Error(`hookline ${role} exited (${code}) during start:\n${proc.output().slice(-2000)}`);
  });
  const ready = waitUntil(
    async () => {
      if (role === 'worker') return proc.output().includes('worker started');
      const res = await undici.request(`${url}/health`).catch(() => undefined);
      await res?.body.dump();
      return res?.statusCode === 200;
    },
    60_000,
    `the ${role} process`,
  );
  failed.catch(() => {}); // raced below; after a successful start an exit is the caller's concern
  await Promise.race([ready, failed]);
  return { proc, pid: proc.child.pid!, url, stop: () => stopProcess(proc) };
}

/**
 * Runs `fn` with an api and a worker process on a fresh database and a bench tenant, and stops both
 * afterwards (also when one of them failed to start).
 */
export async function withApiAndWorker<T>(
  dbs: BenchDatabases,
  dbName: string,
  fn: (c: { api: RunningRole; worker: RunningRole; tenant: BenchTenant }) => Promise<T>,
): Promise<T> {
  const env = benchEnv(await dbs.create(dbName));
  const started = await Promise.allSettled([startRole('api', env), startRole('worker', env)]);
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [api, worker] = running as [RunningRole, RunningRole];
    return await fn({ api, worker, tenant: await createBenchTenant(api.url) });
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}

/** Resident set size of a process in bytes (Linux /proc), or NaN where unavailable. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples the RSS of processes every 100 ms; `peak()` is the largest sample of each. */
export function sampleRss(pids: Record<string, number>): { peak(): Record<string, number>; stop(): void } {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const tick = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name]!, rssBytes(pid) || 0);
  };
  tick();
  const timer = setInterval(tick, 100);
  return { peak: () => ({ ...peaks }), stop: () => clearInterval(timer) };
}
