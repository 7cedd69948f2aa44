import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '@hookline/db';
import { spawnHookline, waitUntil, type HooklineProcess } from '@hookline/test-support/process';
import { freePort } from '@hookline/test-support/freePort';
import { prepareDatabase } from '@hookline/test-support/templateServer';

export const CHAOS_ADMIN_TOKEN = 'chaos-admin-token-0123456789';
/** Short enough that a killed worker's held jobs come back quickly; long enough for a loaded machine. */
export const CHAOS_DELIVERY_TIMEOUT_MS = 3000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The chaos run's own PostgreSQL (its own folder and port): the test run's shared server must never
 * be restarted, other test files use it at the same time.
 */
export class ChaosPostgres {
  #server: RunningPostgres;
  readonly #dataDir: string;
  readonly #port: number;
  readonly databaseUrl: string;

  private constructor(server: RunningPostgres, dataDir: string, port: number, databaseUrl: string) {
    this.#server = server;
    this.#dataDir = dataDir;
    this.#port = port;
    this.databaseUrl = databaseUrl;
  }

  /** Starts a fresh server under `dataDir` (its parents must be traversable by the `postgres` user when root) and migrates it. */
  static async start(dataDir: string): Promise<ChaosPostgres> {
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir, port });
    const databaseUrl = await ensureDatabase(server.connectionString, 'hookline');
    await prepareDatabase(databaseUrl, CHAOS_DELIVERY_TIMEOUT_MS);
    return new ChaosPostgres(server, dataDir, port, databaseUrl);
  }

  /**
   * Immediate shutdown (SIGQUIT to the postmaster: no checkpoint, crash recovery on the next start),
   * an outage of `downMs`, then a start on the same folder and port.
   */
  async restart(downMs: number): Promise<{ stoppedAt: number; startedAt: number }> {
    const pidFile = path.join(this.#dataDir, 'pg', 'postmaster.pid');
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${pidFile}`);
    process.kill(pid, 'SIGQUIT');
    await waitUntil(() => !alive(pid), 30_000, 'PostgreSQL to stop');
    const stoppedAt = Date.now();
    await sleep(downMs);
    this.#server = await startEmbeddedPostgres({ dataDir: this.#dataDir, port: this.#port });
    return { stoppedAt, startedAt: Date.now() };
  }

  async stop(): Promise<void> {
    await this.#server.stop().catch(() => {});
    await rm(this.#dataDir, { recursive: true, force: true });
  }
}

export interface ProcessExit {
  role: string;
  code: number | string;
  at: number;
  outputTail: string;
}

/**
 * One Hookline role (`api` or `worker`) as a real process of bin/hookline.ts, which the chaos run
 * SIGKILLs and starts again. An exit it did not cause is recorded: the system must survive a
 * PostgreSQL restart without a supervisor restarting it.
 */
export class ChaosRole {
  readonly role: 'api' | 'worker';
  readonly #env: Record<string, string>;
  readonly #ready: (proc: HooklineProcess) => Promise<boolean>;
  readonly unexpectedExits: ProcessExit[] = [];
  #proc: HooklineProcess | undefined;

  constructor(role: 'api' | 'worker', env: Record<string, string>, ready: (proc: HooklineProcess) => Promise<boolean>) {
    this.role = role;
    this.#env = env;
    this.#ready = ready;
  }

  /** Starts the process and waits until it serves (bounded). */
  async start(): Promise<void> {
    const proc = spawnHookline([], { ...this.#env, HOOKLINE_ROLE: this.role });
    this.#proc = proc;
    void proc.exited.then((code) => {
      if (this.#proc === proc) {
        this.unexpectedExits.push({ role: this.role, code, at: Date.now(), outputTail: proc.output().slice(-4000) });
        this.#proc = undefined;
      }
    });
    await waitUntil(
      async () => {
        if (this.#proc !== proc) throw new Error(`${this.role} exited during start:\n${proc.output().slice(-4000)}`);
        return this.#ready(proc);
      },
      90_000,
      `the ${this.role} process to be ready`,
    );
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    this.#proc = undefined;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  output(): string {
    return this.#proc?.output() ?? '';
  }
}
