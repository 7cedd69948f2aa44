import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '@hookline/test-support/freePort';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { REPO_ROOT, spawnHookline, waitUntil, type HooklineProcess, waitForLine, apiUrlOf } from '@hookline/test-support/process';

// `pnpm start` with the embedded PostgreSQL, as a supervisor runs it: the whole process group
// (api, worker, postmaster) SIGKILLed as an OOM kill does, and started again at once.
const root = path.join(REPO_ROOT, '.hookline-test', `crash-${process.pid}`);
const running = new Set<HooklineProcess>();
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const proc of running) if (proc.child.pid && proc.child.exitCode === null) process.kill(-proc.child.pid, 'SIGKILL');
  for (const close of closers) await close().catch(() => {});
  await rm(root, { recursive: true, force: true });
});

function envFor(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOOKLINE_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    HOOKLINE_LOG_LEVEL: 'info',
    HOOKLINE_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
    HOOKLINE_RETRY_SCHEDULE: '1,1,1',
    HOOKLINE_DELIVERY_TIMEOUT_MS: '3000',
    HOOKLINE_POLL_INTERVAL_SECONDS: '0.5',
    HOOKLINE_SUPERVISE_INTERVAL_SECONDS: '1',
    HOOKLINE_DB_POOL_SIZE: '6',
    ...extra,
  };
}

/** `node bin/hookline.ts` in its own process group. */
function spawnGroup(env: Record<string, string>): HooklineProcess {
  const proc = spawnHookline([], env, { ownProcessGroup: true });
  running.add(proc);
  return proc;
}

/** Waits until `proc`'s output has a line with `text`, failing at once if the process exits. */
async function listening(proc: HooklineProcess): Promise<{ proc: HooklineProcess; url: string }> {
  return { proc, url: await apiUrlOf(proc, 90_000) };
}

const start = (env: Record<string, string>) => listening(spawnGroup(env));

async function killGroup(proc: HooklineProcess): Promise<void> {
  process.kill(-proc.child.pid!, 'SIGKILL');
  await proc.exited;
  running.delete(proc);
}

async function stop(proc: HooklineProcess): Promise<void> {
  proc.child.kill('SIGTERM');
  expect(await proc.exited).toBe(0);
  running.delete(proc);
}

/**
 * A connection of the test's own (outside the killed group, like a backend in the middle of a
 * long statement) whose backend stays busy: such a backend only notices its postmaster's death
 * when the statement ends, and holds the shared memory until then. Returns the backend's pid.
 */
async function holdBusyBackend(dataDir: string): Promise<number> {
  const lock = (await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n');
  const password = (await readFile(path.join(dataDir, 'password'), 'utf8')).trim();
  const connect = async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: Number(lock[3]), user: 'postgres', password, database: 'postgres' });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  const client = await connect();
  closers.push(() => client.end());
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  // Busy (not sleeping: a sleep wakes up on postmaster death) for longer than the start will wait.
  client.query("DO $$ BEGIN WHILE clock_timestamp() < now() + interval '25 seconds' LOOP END LOOP; END $$").catch(() => {});
  const probe = await connect();
  try {
    await waitUntil(
      async () => (await probe.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [pid])).rowCount === 1,
      10_000,
      'the busy statement to run',
    );
  } finally {
    await probe.end();
  }
  return pid;
}

const ROUNDS = 5;
const PER_ROUND = 8;

it('starts again at once after the whole process group is SIGKILLed, five times in a row, and delivers every accepted message', async () => {
  const dataDir = path.join(root, 'loop');
  const env = envFor(dataDir);
  // Replies are held back a little so that some deliveries are in flight at each kill.
  const receiver: Receiver = await startReceiver(() => ({ status: 200, delayMs: 200 }));
  closers.push(() => receiver.close());

  let current = await start(env);
  // The credentials are printed once start returns, after the api's listening line.
  await waitForLine(current.proc, 'first owner:', 10_000);
  const apiKey = /API key:\s+(hk_\S+)/.exec(current.proc.output())?.[1];
  expect(apiKey).toBeDefined();
  const auth = { authorization: `Bearer ${apiKey}` };
  await request(current.url).post('/api/v1/event-type').set(auth).send({ name: 'order.created', description: 'x' }).expect(201);
  const app = await request(current.url).post('/api/v1/app').set(auth).send({ name: 'crash', uid: 'crash' }).expect(201);
  const endpoint = await request(current.url)
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  const secret = (await request(current.url).get(`/api/v1/app/${app.body.id}/endpoint/${endpoint.body.id}/secret`).set(auth).expect(200)).body.key as string;

  const published = new Map<string, unknown>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) {
      const payload = { round, i };
      const res = await request(current.url).post(`/api/v1/app/${app.body.id}/msg`).set(auth).send({ eventType: 'order.created', payload }).expect(202);
      published.set(res.body.id as string, payload);
    }
    const busyBackend = await holdBusyBackend(dataDir);
    await killGroup(current.proc);
    const startedAt = Date.now();
    const next = spawnGroup(env);
    // The new start sees the killed server's busy backend still holding its shared memory, says so, and waits.
    const waiting = await waitForLine(next, 'still hold its shared memory', 30_000);
    expect(JSON.parse(waiting).msg).toMatch(
      /^embedded PostgreSQL: the previous PostgreSQL \(pid \d+\) has (exited|gone), but \d+ of its processes still hold its shared memory; waiting for them to exit before starting \(up to \d+ s\)$/,
    );
    // The statement is cancelled (as it would end); the backend then notices its postmaster is gone and exits.
    process.kill(busyBackend, 'SIGINT');
    current = await listening(next);
    expect(Date.now() - startedAt).toBeLessThan(40_000);
  }

  const received = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
  await waitUntil(() => [...published.keys()].every((id) => received().has(id)), 60_000, 'every accepted message to be delivered').catch((err: unknown) => {
    throw new Error(`${String(err)}: ${[...published.keys()].filter((id) => !received().has(id)).length} of ${published.size} missing\n${current.proc.output()}`);
  });
  const webhook = new Webhook(secret);
  for (const req of receiver.requests) {
    const id = String(req.headers['webhook-id']);
    expect(published.has(id)).toBe(true);
    expect(webhook.verify(req.body, req.headers as Record<string, string>)).toEqual(published.get(id));
  }
  await stop(current.proc);
}, 240_000);

it('gives two data folders their own port, kept across restarts, so both run side by side', async () => {
  const dirs = [path.join(root, 'a'), path.join(root, 'b')];
  const ports = (proc: HooklineProcess) =>
    JSON.parse(
      proc
        .output()
        .split('\n')
        .find((l) => l.includes('"embedded PostgreSQL ready"'))!,
    ).port as number;
  const [a, b] = await Promise.all(dirs.map((dir) => start(envFor(dir))));
  const portA = ports(a!.proc);
  const portB = ports(b!.proc);
  expect(portA).not.toBe(portB);
  expect(Number(await readFile(path.join(dirs[0]!, 'port'), 'utf8'))).toBe(portA);
  expect(Number(await readFile(path.join(dirs[1]!, 'port'), 'utf8'))).toBe(portB);
  await request(a!.url).get('/api/v1/health').expect(204);
  await request(b!.url).get('/api/v1/health').expect(204);
  await Promise.all([stop(a!.proc), stop(b!.proc)]);

  const again = await start(envFor(dirs[0]!));
  expect(ports(again.proc)).toBe(portA);
  await stop(again.proc);
}, 180_000);

it('stops cleanly when told to while still starting: the stop waits for the start, then stops the embedded PostgreSQL too', async () => {
  const dataDir = path.join(root, 'early-stop');
  const proc = spawnGroup(envFor(dataDir));
  // Logged before the migrations, long before the api listens: a service manager's stop at this moment.
  await waitForLine(proc, 'embedded PostgreSQL ready', 90_000);
  proc.child.kill('SIGTERM');
  expect(await proc.exited).toBe(0);
  running.delete(proc);
  expect(proc.output()).toContain('api listening');
  expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
}, 180_000);

it("reports PostgreSQL's own FATAL reason when the server cannot start", async () => {
  // HOOKLINE_EMBEDDED_PG_PORT wins over the saved port, so a port some other program holds is a real failure.
  const port = await freePort();
  const squatter: Server = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => squatter.close(resolve)));
  const proc = spawnHookline([], envFor(path.join(root, 'taken'), { HOOKLINE_EMBEDDED_PG_PORT: String(port) }), { ownProcessGroup: true });
  running.add(proc);
  expect(await proc.exited).toBe(1);
  running.delete(proc);
  const out = proc.output();
  expect(out).toContain(`embedded PostgreSQL could not start (data in ${path.join(root, 'taken', 'pg')}, port ${port}). PostgreSQL said:`);
  expect(out).toMatch(/LOG: {2}could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
  expect(out).toMatch(/FATAL: {2}could not create any TCP\/IP sockets/);
  // The reason, not a stack trace.
  expect(out).not.toMatch(/^\s+at /m);
}, 120_000);
