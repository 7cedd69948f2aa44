import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PORTAL = fileURLToPath(new URL('../../portal', import.meta.url));
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

async function newestMtime(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(file);
  const times = await Promise.all(entries.map((e) => newestMtime(path.join(file, e))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Vitest global setup: builds the portal (portal/dist, which the API serves at /portal) when it is
 * missing or older than its sources, so the tests always see the portal of this checkout.
 */
export default async function setup(): Promise<void> {
  const built = await newestMtime(path.join(PORTAL, 'dist', 'index.html'));
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(path.join(PORTAL, s))))));
  if (built > sources) return;
  const vite = path.join(PORTAL, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: PORTAL, maxBuffer: 16 * 1024 * 1024 });
}
