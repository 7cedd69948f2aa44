import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

type Role = 'api' | 'worker' | 'all';

/**
 * How Hookline's processes start: with a small young generation, an old generation collected
 * before it holds much more than is live, and few malloc arenas. V8 and glibc size these for the
 * machine, not for a service whose live heap is ~50 MiB: most of the api's and the worker's
 * resident memory was garbage waiting for a collection (docs/performance.md, "Memory").
 */
export const HEAP_FLAGS: Readonly<Record<Role, readonly string[]>> = {
  // V8's default let each semi-space grow to 64 MiB; 4 MiB keeps the young generation at 8 MiB.
  // The next full collection at 1.25 × what the last one left live, not at up to 4 × (the api's
  // garbage is short-lived requests': 1.5 × left its peak at the 160 MiB bound, docs/performance.md).
  api: ['--max-semi-space-size=4', '--heap-growing-percent=25'],
  // A worker with an 8 MiB young generation collected it so often that it lost a sixth or more of its
  // deliveries/s; 32 MiB buys that back within its memory bound (docs/performance.md, "Memory").
  worker: ['--max-semi-space-size=16', '--heap-growing-percent=50'],
  all: ['--max-semi-space-size=4', '--heap-growing-percent=50'],
};

/**
 * Always, whatever the operator's flags: isolated-vm (transformations, run by the worker and by the
 * api's simulate) crashes on Node 20+ when its isolates share Node's startup snapshot heap.
 */
export const REQUIRED_FLAGS: readonly string[] = ['--no-node-snapshot'];

/** glibc's default is 8 arenas per core, each kept at its high-water mark by the threads that used it. */
const MALLOC_ARENA_MAX = '2';

/**
 * Node's module compile cache: with the sources' type-stripped text cached there, a start never
 * loads Node's TypeScript stripper, whose WebAssembly stayed resident (~15 MiB of every process).
 * In the installation's own node_modules, not the shared temp folder: whoever can write the cache
 * decides what code runs. Node ignores it under NODE_DISABLE_COMPILE_CACHE=1 or where it cannot write.
 */
export const COMPILE_CACHE = path.join(import.meta.dirname, '..', 'node_modules', '.cache', 'hookline-compile');

/** `--max_semi_space_size=8` and `--max-semi-space-size=8` alike → `--max-semi-space-size`. */
const flagName = (arg: string): string => arg.split('=')[0]!.replaceAll('_', '-');

const optionOf = (args: readonly string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/**
 * The role bin/cli.ts will start, read the way it reads it: `--role`, else HOOKLINE_ROLE, else the
 * config file's. Anything it would refuse counts as `all`; cli.ts reports it.
 */
export function roleOf(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Role {
  let role = optionOf(args, '--role') || env.HOOKLINE_ROLE;
  const file = optionOf(args, '--config') ?? env.HOOKLINE_CONFIG_FILE;
  if (!role && file) {
    try {
      role = parseEnv(readFileSync(file, 'utf8')).HOOKLINE_ROLE;
    } catch {
      // An unreadable file is cli.ts's error to report.
    }
  }
  return role === 'api' || role === 'worker' ? role : 'all';
}

/**
 * Re-executes this process (same pid, stdio and environment, plus MALLOC_ARENA_MAX and
 * NODE_COMPILE_CACHE unless set) with its role's HEAP_FLAGS, which V8 reads only when it starts.
 * Not when it already runs with them, nor when the operator chose any of them (command line or
 * NODE_OPTIONS): theirs are kept and none of these added; REQUIRED_FLAGS are added regardless. Where `process.execve` does not exist
 * (Windows) the process keeps V8's defaults.
 */
export function execWithMemoryFlags(): void {
  const names = new Set(Object.values(HEAP_FLAGS).flat().map(flagName));
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const heap = given.some((arg) => names.has(flagName(arg))) ? [] : HEAP_FLAGS[roleOf(process.argv.slice(2), process.env)];
  const required = REQUIRED_FLAGS.filter((flag) => !given.includes(flag));
  if (heap.length === 0 && required.length === 0) return;
  if (typeof process.execve !== 'function') return;
  const env = {
    ...process.env,
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENA_MAX,
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE,
  };
  process.execve(process.execPath, [process.execPath, ...heap, ...required, ...process.execArgv, ...process.argv.slice(1)], env);
}
