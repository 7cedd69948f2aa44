import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '@hookline/test-support/freePort';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/index.ts';

// A crash leaves postmaster.pid behind. PostgreSQL refuses to start while the pid in it answers
// kill(pid, 0) as a process of its own user: a zombie (killed, not yet reaped) or a pid since
// reused by another process does, though that postmaster is long gone.
const dataDir = path.resolve('.hookline-test', `embedded-${process.pid}`);
const lockFile = path.join(dataDir, 'pg', 'postmaster.pid');
const children: ChildProcess[] = [];
let staleLock: string;
let port: number;

// Processes that stand in for the dead postmaster's pid run as the server's OS user, as it did.
const asServerUser = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) } : {};

async function answers(server: RunningPostgres): Promise<boolean> {
  const client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one === 1;
  } finally {
    await client.end();
  }
}

/**
 * A running process (`sleep`) of the server's user, and the pid of a zombie child of it when asked. The
 * child outlives the shell's exec, so the shell cannot reap it first and `sleep` never does.
 */
function spawnStandIn(withZombie: boolean): Promise<number> {
  const child = spawn('sh', ['-c', withZombie ? 'sleep 0.3 & echo $!; exec sleep 60' : 'echo $$; exec sleep 60'], {
    ...asServerUser,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  return new Promise((resolve) => child.stdout.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
}

beforeAll(async () => {
  // A first start makes the cluster and its lock file, whose content a crash would leave behind.
  port = await freePort();
  const first = await startEmbeddedPostgres({ dataDir, port });
  staleLock = await readFile(lockFile, 'utf8');
  await first.stop();
}, 120_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

it('starts over a lock file whose postmaster is a zombie', async () => {
  const zombie = await spawnStandIn(true);
  await expect.poll(async () => (await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1]?.[0]).toBe('Z');
  await writeFile(lockFile, staleLock.replace(/^\d+/, String(zombie)));
  // Its socket's lock file names the same dead pid, which PostgreSQL would refuse alike.
  await writeFile(path.join(dataDir, 'pg', `.s.PGSQL.${port}.lock`), `${zombie}\n${path.join(dataDir, 'pg')}\n`);
  const notices: string[] = [];
  const server = await startEmbeddedPostgres({ dataDir, port, onNotice: (n) => notices.push(n) });
  try {
    expect(server.owned).toBe(true);
    expect(await answers(server)).toBe(true);
    expect(notices).toEqual([`the previous PostgreSQL (pid ${zombie}) has exited (not yet reaped); removing its stale lock file`]);
  } finally {
    await server.stop();
  }
}, 60_000);

it('starts over a lock file whose pid now belongs to another process', async () => {
  const other = await spawnStandIn(false);
  await writeFile(lockFile, staleLock.replace(/^\d+/, String(other)));
  const notices: string[] = [];
  const server = await startEmbeddedPostgres({ dataDir, port, onNotice: (n) => notices.push(n) });
  try {
    expect(await answers(server)).toBe(true);
    expect(notices).toEqual([`the previous PostgreSQL (pid ${other}) is gone (its pid now belongs to another process); removing its stale lock file`]);
  } finally {
    await server.stop();
  }
}, 60_000);

it('connects over the Unix socket in its cluster folder, and listens on 127.0.0.1 too', async () => {
  const server = await startEmbeddedPostgres({ dataDir, port });
  try {
    const url = new URL(server.connectionString);
    expect(url.searchParams.get('host')).toBe(path.join(dataDir, 'pg'));
    expect(await answers(server)).toBe(true);
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      // A socket connection has no client address.
      expect((await client.query('SELECT inet_client_addr() AS addr')).rows[0].addr).toBeNull();
    } finally {
      await client.end();
    }
    url.searchParams.delete('host');
    url.hostname = '127.0.0.1';
    expect(await answers({ ...server, connectionString: url.toString() })).toBe(true);
  } finally {
    await server.stop();
  }
}, 60_000);

it('uses TCP alone where the socket path would be too long for a socket address', async () => {
  const deep = path.join(dataDir, 'd'.repeat(90));
  const server = await startEmbeddedPostgres({ dataDir: deep });
  try {
    expect(new URL(server.connectionString).hostname).toBe('127.0.0.1');
    expect(new URL(server.connectionString).searchParams.get('host')).toBeNull();
    expect(await answers(server)).toBe(true);
  } finally {
    await server.stop();
  }
}, 120_000);

it('keeps the port it picked in the data folder, and reuses a server already running there', async () => {
  const server = await startEmbeddedPostgres({ dataDir });
  const saved = Number(await readFile(path.join(dataDir, 'port'), 'utf8'));
  try {
    expect(server.port).toBe(saved);
    // Another port asked for: there is one server per folder, and it is found where it listens.
    const again = await startEmbeddedPostgres({ dataDir, port: saved + 1 });
    expect(again).toMatchObject({ owned: false, port: saved, connectionString: server.connectionString });
    expect(await answers(again)).toBe(true);
  } finally {
    await server.stop();
  }
}, 60_000);

it('moves to a new port, and keeps it, when another program holds the saved one', async () => {
  const saved = Number(await readFile(path.join(dataDir, 'port'), 'utf8'));
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(saved, '127.0.0.1', resolve));
  const notices: string[] = [];
  try {
    const server = await startEmbeddedPostgres({ dataDir, onNotice: (n) => notices.push(n) });
    try {
      expect(server.port).not.toBe(saved);
      expect(Number(await readFile(path.join(dataDir, 'port'), 'utf8'))).toBe(server.port);
      expect(notices).toEqual([`port ${saved} of this data folder is taken by another program; the embedded PostgreSQL now uses port ${server.port}`]);
      expect(await answers(server)).toBe(true);
    } finally {
      await server.stop();
    }
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
}, 60_000);
