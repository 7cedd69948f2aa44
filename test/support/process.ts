import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface HooklineProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/** Runs `node bin/hookline.ts …` as a real separate process with the given environment. */
export function spawnHookline(args: string[], env: Record<string, string>, options: { ownProcessGroup?: boolean } = {}): HooklineProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/hookline.ts'), ...args], {
    cwd: REPO_ROOT,
    // In its own process group, a signal to the group reaches the embedded PostgreSQL as well,
    // exactly as a Ctrl-C in a terminal does.
    detached: options.ownProcessGroup ?? false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => out, exited };
}

/** Waits until `predicate` holds, polling every 50 ms. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a log line of `proc` that contains `text` and returns it; fails at once if the process exits first. */
export async function waitForLine(proc: HooklineProcess, text: string, timeoutMs: number): Promise<string> {
  let found: string | undefined;
  await waitUntil(
    () => {
      found = proc
        .output()
        .split('\n')
        .find((l) => l.includes(text));
      if (!found && proc.child.exitCode !== null) throw new Error(`hookline exited early:\n${proc.output()}`);
      return found !== undefined;
    },
    timeoutMs,
    text,
  );
  return found!;
}

/** The base URL of an api process, once it logs that it listens. */
export async function apiUrlOf(proc: HooklineProcess, timeoutMs = 60_000): Promise<string> {
  const line = await waitForLine(proc, '"api listening"', timeoutMs);
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}
