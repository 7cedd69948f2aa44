import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The web apps the API serves: the customer portal (/portal) and the vendor console (/console).
// Both are built from their own folder and the shared package packages/ui.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPS = ['portal', 'console'];
const APP_SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];
const SHARED_SOURCES = ['packages/ui/src', 'packages/ui/package.json'];

async function newestMtime(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(file);
  const times = await Promise.all(entries.map((e) => newestMtime(path.join(file, e))));
  return Math.max(info.mtimeMs, ...times);
}

/** Builds one app (its dist/, which the API serves) when it is missing or older than its sources or the shared package's. */
export async function buildWhenStale(app: string): Promise<void> {
  const dir = path.join(ROOT, app);
  const built = await newestMtime(path.join(dir, 'dist', 'index.html'));
  const sources = [...APP_SOURCES.map((s) => path.join(dir, s)), ...SHARED_SOURCES.map((s) => path.join(ROOT, s))];
  const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
  if (built > newest) return;
  const vite = path.join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}

/** Vitest global setup: the tests always see the portal and console of this checkout. One build at a time (two cores). */
export default async function setup(): Promise<void> {
  for (const app of APPS) await buildWhenStale(app);
}
