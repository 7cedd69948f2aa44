import { spawn } from 'node:child_process';
import path from 'node:path';
import { waitUntil } from '@hookline/test-support/process';
import { sleep } from './stats.ts';

export interface ChildScript {
  output(): string;
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

/** Runs one of the bench's own scripts (test/bench/<file>) as a separate Node process. */
export function runScript(file: string, env: Record<string, string>): ChildScript {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, file)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)])) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Starts the bare Express baseline server on `connectionString` and returns its URL. */
export async function startBaselineServer(connectionString: string): Promise<{ url: string; stop(): Promise<void> }> {
  const script = runScript('baselineServer.ts', { DATABASE_URL: connectionString });
  let port = 0;
  await waitUntil(
    () => {
      if (script.output().includes('Error')) throw new Error(`baseline server failed:\n${script.output()}`);
      port = Number(/listening (\d+)/.exec(script.output())?.[1] ?? 0);
      return port > 0;
    },
    30_000,
    'the baseline server',
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => script.stop() };
}

/** Runs the pg-boss no-op drain baseline to its end (bounded) and returns its rate. */
export async function runBossDrain(connectionString: string, jobs: number, timeoutMs: number): Promise<{ jobs: number; seconds: number; perSecond: number }> {
  const script = runScript('bossDrain.ts', { DATABASE_URL: connectionString, JOBS: String(jobs), TIMEOUT_MS: String(timeoutMs) });
  const code = await Promise.race([script.exited, sleep(timeoutMs + 60_000).then(() => 'timeout')]);
  if (code !== 0) {
    await script.stop();
    throw new Error(`pg-boss drain baseline failed (${code}):\n${script.output().slice(-2000)}`);
  }
  const line = script.output().trim().split('\n').pop() ?? '';
  return JSON.parse(line) as { jobs: number; seconds: number; perSecond: number };
}
