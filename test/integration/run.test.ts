import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import request from 'supertest';
import { freePort } from '@hookline/test-support/freePort';
import { REPO_ROOT, spawnHookline, waitForLine, type HooklineProcess, apiUrlOf } from '@hookline/test-support/process';

// The run contract: `pnpm start` with no DATABASE_URL brings up an embedded PostgreSQL whose data
// lives in the data folder, survives Ctrl-C, and is found again on the next start.
const dataDir = path.join(REPO_ROOT, '.hookline-test', `run-${process.pid}`);
const env = {
  HOOKLINE_DATA_DIR: dataDir,
  // Set by the test from freePort (below the ephemeral range: see freePort.ts). A port derived from
  // the pid landed in that range, and an outgoing connection holding it failed CI twice.
  HOOKLINE_EMBEDDED_PG_PORT: '',
  HOST: '127.0.0.1',
  PORT: '0',
  HOOKLINE_LOG_LEVEL: 'info',
};
let running: HooklineProcess | undefined;

afterAll(async () => {
  if (running?.child.pid && running.child.exitCode === null) process.kill(-running.child.pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ proc: HooklineProcess; url: string }> {
  const proc = spawnHookline([], env, { ownProcessGroup: true });
  running = proc;
  return { proc, url: await apiUrlOf(proc, 90_000) };
}

/** Ctrl-C signals the whole foreground process group; a service manager signals the process. */
async function stop(proc: HooklineProcess, signal: NodeJS.Signals, group: boolean): Promise<void> {
  if (group) process.kill(-proc.child.pid!, signal);
  else proc.child.kill(signal);
  expect(await proc.exited).toBe(0);
  running = undefined;
}

it('starts on an embedded PostgreSQL, prints the first credentials once, and keeps data across a Ctrl-C restart', async () => {
  await mkdir(path.dirname(dataDir), { recursive: true });
  env.HOOKLINE_EMBEDDED_PG_PORT = String(await freePort());
  const first = await start();
  // The credentials are written to stdout beside pino's listening line; either may flush first.
  await waitForLine(first.proc, 'first owner:', 10_000);
  const out = first.proc.output();
  const apiKey = /API key:\s+(hk_\S+)/.exec(out)?.[1];
  const adminToken = /admin token:\s+(hka_\S+)/.exec(out)?.[1];
  expect(apiKey).toBeDefined();
  expect(adminToken).toBeDefined();
  // The first owner's link: on this server, the token in the fragment (never sent in a request line).
  const ownerLink = /first owner:\s+(\S+)/.exec(out)?.[1];
  expect(new URL(ownerLink!).origin).toBe(first.url.replace('127.0.0.1', 'localhost'));
  const token = new URL(ownerLink!).hash.slice(1);
  const browser = { origin: first.url, 'x-hookline-csrf': '1' };
  const owner = await request(first.url)
    .post('/console/v1/invites/accept')
    .set(browser)
    .send({ token, email: 'first@example.com', password: 'a long first password' })
    .expect(200);
  expect(owner.body.tenants).toEqual([expect.objectContaining({ role: 'owner', name: 'default' })]);
  await request(first.url).post('/console/v1/invites/accept').set(browser).send({ token, email: 'second@example.com', password: 'a long other password' }).expect(404);
  const auth = { authorization: `Bearer ${apiKey}` };
  await request(first.url).post('/api/v1/app').set(auth).send({ name: 'Persisted', uid: 'persisted' }).expect(201);
  const portal = await request(first.url).get('/portal/').expect(200);
  expect(portal.text).toContain('Hookline');
  await stop(first.proc, 'SIGINT', true);
  // The server stopped with the process: its pid file is gone.
  expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

  const second = await start();
  expect(second.proc.output()).not.toContain('API key:');
  const app = await request(second.url).get('/api/v1/app/persisted').set(auth).expect(200);
  expect(app.body.name).toBe('Persisted');
  const tenants = await request(second.url)
    .get('/admin/v1/tenants')
    .set({ authorization: `Bearer ${adminToken}` })
    .expect(200);
  expect(tenants.body.data).toHaveLength(1);
  await request(second.url)
    .get('/admin/v1/tenants')
    .set({ authorization: `Bearer ${apiKey}` })
    .expect(401);
  await stop(second.proc, 'SIGTERM', false);

  // `pnpm migrate` against the same folder: up to date, exits 0.
  const migrate = spawnHookline(['migrate'], env);
  running = migrate;
  expect(await migrate.exited).toBe(0);
  expect(migrate.output()).toContain('database is up to date');
  running = undefined;
}, 180_000);

it('refuses to start with a clear message naming a bad variable', async () => {
  const proc = spawnHookline([], { ...env, HOOKLINE_RETRY_SCHEDULE: 'soon', PORT: 'eighty' });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('HOOKLINE_RETRY_SCHEDULE');
  expect(proc.output()).toContain('PORT');
});
