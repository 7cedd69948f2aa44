import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * The embedded server's port is chosen once per data folder and kept in it (`port`), so two
 * checkouts (or two data folders) on one machine each have their own server, and a restart finds
 * the same one again.
 */
const PORT_FILE = 'port';

// Below Linux's ephemeral range (32768–60999): a port from it is also the kernel's pick for the
// local end of outgoing connections, and one of those could hold it while the server restarts.
const LOW = 20_000;
const HIGH = 32_000;

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function pickFreePort(avoid?: number): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = randomInt(LOW, HIGH);
    if (port !== avoid && (await canListen(port))) return port;
  }
  throw new Error(`no free port for the embedded PostgreSQL between ${LOW} and ${HIGH}; set HOOKLINE_EMBEDDED_PG_PORT`);
}

async function readSavedPort(dataDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dataDir, PORT_FILE), 'utf8').catch(() => undefined);
  const port = Number(text?.trim());
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/**
 * The port saved in `dataDir`, or a free one saved there now. Two processes making the first
 * start at once agree: only the first write wins and the other reads it.
 */
export async function savedOrNewPort(dataDir: string): Promise<number> {
  const saved = await readSavedPort(dataDir);
  if (saved !== undefined) return saved;
  const port = await pickFreePort();
  try {
    await writeFile(path.join(dataDir, PORT_FILE), `${port}\n`, { flag: 'wx', mode: 0o644 });
    return port;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // The other process may not have written its number yet.
    for (let tries = 0; tries < 50; tries++) {
      const theirs = await readSavedPort(dataDir);
      if (theirs !== undefined) return theirs;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${path.join(dataDir, PORT_FILE)} holds no port number; delete it or set HOOKLINE_EMBEDDED_PG_PORT`, { cause: err });
  }
}

/** Replaces the saved port with a free one (the saved one was taken by another program). */
export async function replaceSavedPort(dataDir: string, taken: number): Promise<number> {
  const port = await pickFreePort(taken);
  await writeFile(path.join(dataDir, PORT_FILE), `${port}\n`, { mode: 0o644 });
  return port;
}
