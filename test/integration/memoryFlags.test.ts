import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '@hookline/test-support/process';
import { COMPILE_CACHE, HEAP_FLAGS, REQUIRED_FLAGS, roleOf } from '../../bin/memoryFlags.ts';

// bin/hookline.ts re-executes itself with bounded heap settings before loading anything else; a
// script doing the same reports what the process ended up running with.
let dir = '';
let script = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hookline-memory-flags-'));
  script = path.join(dir, 'probe.mjs');
  const flags = pathToFileURL(path.join(REPO_ROOT, 'bin/memoryFlags.ts')).href;
  await writeFile(
    script,
    `import { execWithMemoryFlags } from '${flags}';
execWithMemoryFlags();
console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, argv: process.argv.slice(2), arenas: process.env.MALLOC_ARENA_MAX ?? null, compileCache: process.env.NODE_COMPILE_CACHE ?? null }));
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function probe(env: Record<string, string>, args: string[] = []) {
  const running = promisify(execFile)(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  const { stdout } = await running;
  return {
    spawned: running.child.pid,
    ...(JSON.parse(stdout) as { pid: number; execArgv: string[]; argv: string[]; arenas: string | null; compileCache: string | null }),
  };
}

it("runs with its role's heap flags and two malloc arenas, in the same process, with its arguments", async () => {
  const ran = await probe({}, ['start', '--role', 'worker']);
  expect(ran.execArgv).toEqual([...HEAP_FLAGS.worker, ...REQUIRED_FLAGS]);
  expect(ran.argv).toEqual(['start', '--role', 'worker']);
  expect(ran.arenas).toBe('2');
  expect(ran.pid).toBe(ran.spawned);
  expect((await probe({ HOOKLINE_ROLE: 'api' })).execArgv).toEqual([...HEAP_FLAGS.api, ...REQUIRED_FLAGS]);
});

it("starts with Node's module compile cache in its default folder, or the operator's", async () => {
  expect((await probe({})).compileCache).toBe(COMPILE_CACHE);
  expect((await probe({ NODE_COMPILE_CACHE: dir })).compileCache).toBe(dir);
});

it("keeps the operator's own heap flags and adds none of its own, only the required ones", async () => {
  const ran = await probe({ NODE_OPTIONS: '--max-semi-space-size=16', MALLOC_ARENA_MAX: '4' });
  expect(ran.execArgv).toEqual([...REQUIRED_FLAGS]);
  expect(ran.arenas).toBe('4');
});

it('keeps an operator-set MALLOC_ARENA_MAX', async () => {
  const ran = await probe({ MALLOC_ARENA_MAX: '8' });
  expect(ran.execArgv).toEqual([...HEAP_FLAGS.all, ...REQUIRED_FLAGS]);
  expect(ran.arenas).toBe('8');
});

it('reads the role as the command line does: --role, else HOOKLINE_ROLE, else the config file', async () => {
  const file = path.join(dir, 'hookline.env');
  await writeFile(file, 'HOOKLINE_ROLE=worker\n');
  expect(roleOf(['start', '--role', 'api'], { HOOKLINE_ROLE: 'worker' })).toBe('api');
  expect(roleOf(['start'], { HOOKLINE_ROLE: 'api', HOOKLINE_CONFIG_FILE: file })).toBe('api');
  expect(roleOf(['start', '--config', file], {})).toBe('worker');
  expect(roleOf(['start'], { HOOKLINE_CONFIG_FILE: file })).toBe('worker');
  expect(roleOf(['start'], { HOOKLINE_CONFIG_FILE: path.join(dir, 'missing.env') })).toBe('all');
  expect(roleOf(['migrate'], { HOOKLINE_ROLE: 'nonsense' })).toBe('all');
});
