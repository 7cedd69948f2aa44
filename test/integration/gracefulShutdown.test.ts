import { createServer, request as httpRequest, Agent, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, JOBS, type Database } from '@hookline/db';
import { sql } from 'kysely';
import { createTestDatabase } from '@hookline/test-support/database';
import { QUEUE_SCHEMA as BOSS_SCHEMA } from '@hookline/test-support/queueTables';
import { ADMIN_TOKEN, startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';
import { spawnHookline, waitUntil, type HooklineProcess, apiUrlOf } from '@hookline/test-support/process';

/**
 * A receiver that holds every request until `release()` (or answers at once when not holding), so
 * a test decides exactly when deliveries are in flight. It records each request's webhook-id.
 */
async function startGate(): Promise<{ url: string; ids: string[]; held(): number; holding: boolean; release(): void; close(): Promise<void> }> {
  const waiting: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const gate = {
    url: '',
    ids: [] as string[],
    holding: true,
    held: () => waiting.length,
    release() {
      gate.holding = false;
      for (const res of waiting.splice(0)) res.end('ok');
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    res.on('error', () => {});
    req.resume();
    req.on('end', () => {
      gate.ids.push(String(req.headers['webhook-id']));
      if (gate.holding) waiting.push(res);
      else res.end('ok');
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gate;
}

/** Resolves 'refused' or 'connected' for one new TCP connection. */
function tryConnect(port: number): Promise<'refused' | 'connected'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', () => resolve('refused'));
  });
}

async function apiPort(proc: HooklineProcess): Promise<number> {
  return Number(new URL(await apiUrlOf(proc)).port);
}

async function deliveryCounts(db: Database): Promise<{ succeeded: number; attempts: number; activeJobs: number }> {
  const delivered = await db
    .selectFrom('messageDelivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 0)
    .executeTakeFirstOrThrow();
  const attempts = await db
    .selectFrom('messageAttempt')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const active = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${BOSS_SCHEMA}.job`)} WHERE name = ${JOBS.deliver} AND state = 'active'`.execute(
    db,
  );
  return { succeeded: Number(delivered.n), attempts: Number(attempts.n), activeJobs: Number(active.rows[0]?.n ?? -1) };
}

const running: HooklineProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function spawn(env: Record<string, string>): HooklineProcess {
  const proc = spawnHookline([], env);
  running.push(proc);
  return proc;
}

describe('SIGTERM with role all', () => {
  const MESSAGES = 12;
  const CAPACITY = 4;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let gate: Awaited<ReturnType<typeof startGate>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = connectDatabase({ connectionString: database.connectionString, max: 2 });
    gate = await startGate();
  });
  afterAll(async () => {
    await gate?.close();
    await db?.destroy();
    await database?.drop();
  });

  it('refuses new connections, closes keep-alive ones, finishes the deliveries in flight, takes no new job, exits 0, and a restart delivers the rest once', async () => {
    // The process holds at most CAPACITY attempts, so the queue still has work when SIGTERM comes.
    const env = testEnv(database.connectionString, {
      HOOKLINE_ROLE: 'all',
      HOOKLINE_LOG_LEVEL: 'info',
      HOOKLINE_DELIVERY_CONCURRENCY: String(CAPACITY),
      HOOKLINE_ENDPOINT_CONCURRENCY: '100',
      HOOKLINE_DELIVERY_TIMEOUT_MS: '60000',
    });
    const first = spawn(env);
    const port = await apiPort(first);
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const tenant = await call('POST', '/admin/v1/tenants', ADMIN_TOKEN, { name: 'shutdown' });
    const key = await call('POST', `/admin/v1/tenants/${String(tenant.json.id)}/api-keys`, ADMIN_TOKEN, { name: 'k' });
    const apiKey = String(key.json.key);
    expect((await call('POST', '/api/v1/event-type', apiKey, { name: 'job.done', description: 'x' })).status).toBe(201);
    const app = await call('POST', '/api/v1/app', apiKey, { name: 'shutdown' });
    expect((await call('POST', `/api/v1/app/${String(app.json.id)}/endpoint`, apiKey, { url: `${gate.url}/hook` })).status).toBe(201);
    const published: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const msg = await call('POST', `/api/v1/app/${String(app.json.id)}/msg`, apiKey, { eventType: 'job.done', payload: { i } });
      expect(msg.status).toBe(202);
      published.push(String(msg.json.id));
    }

    // A keep-alive connection that is idle when the signal comes.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let keptAliveSocket: Socket | undefined;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/health', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('socket', (s) => {
        keptAliveSocket = s;
      });
      req.on('error', reject);
      req.end();
    });
    let keepAliveClosed = false;
    keptAliveSocket!.on('close', () => {
      keepAliveClosed = true;
    });

    await waitUntil(() => gate.held() === CAPACITY, 30_000, `${CAPACITY} deliveries in flight`);
    const inFlight = [...gate.ids];
    first.child.kill('SIGTERM');

    // While the held deliveries keep the process alive: no new connection, the idle one closed.
    await waitUntil(async () => (await tryConnect(port)) === 'refused', 10_000, 'new connections to be refused');
    await waitUntil(() => keepAliveClosed, 10_000, 'the idle keep-alive connection to be closed');
    expect(first.child.exitCode).toBeNull();
    expect(gate.held()).toBe(CAPACITY);

    gate.release();
    expect(await first.exited).toBe(0);
    agent.destroy();
    // Exactly the deliveries in flight at the signal were made and recorded; no job was taken after it.
    expect(gate.ids).toEqual(inFlight);
    expect(await deliveryCounts(db)).toEqual({ succeeded: CAPACITY, attempts: CAPACITY, activeJobs: 0 });

    // A restart delivers the rest; what already succeeded is not sent again.
    const second = spawn(env);
    await apiPort(second);
    await waitUntil(async () => (await deliveryCounts(db)).succeeded === MESSAGES, 30_000, 'every delivery to succeed');
    expect([...gate.ids].sort()).toEqual([...published].sort());
    expect(await deliveryCounts(db)).toEqual({ succeeded: MESSAGES, attempts: MESSAGES, activeJobs: 0 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});

describe('SIGTERM with role worker past the shutdown timeout', () => {
  let h: TestHookline;
  let gate: Awaited<ReturnType<typeof startGate>>;

  beforeAll(async () => {
    h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
    gate = await startGate();
  });
  afterAll(async () => {
    await gate?.close();
    await h?.stop();
  });

  it('exits 0 at the timeout, records nothing for the abandoned attempts, and they are delivered after a restart', async () => {
    const { apiKey } = await h.createTenant();
    const auth = { authorization: `Bearer ${apiKey}` };
    await h.http.post('/api/v1/event-type').set(auth).send({ name: 'job.done', description: 'x' }).expect(201);
    const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'abandon' }).expect(201);
    await h.http
      .post(`/api/v1/app/${app.body.id}/endpoint`)
      .set(auth)
      .send({ url: `${gate.url}/hook` })
      .expect(201);
    const published: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.http.post(`/api/v1/app/${app.body.id}/msg`).set(auth).send({ eventType: 'job.done', payload: { i } }).expect(202);
      published.push(res.body.id as string);
    }
    const env = testEnv(h.connectionString, {
      HOOKLINE_ROLE: 'worker',
      HOOKLINE_LOG_LEVEL: 'warn',
      HOOKLINE_DELIVERY_TIMEOUT_MS: '60000',
      HOOKLINE_SHUTDOWN_TIMEOUT_MS: '1000',
    });
    const first = spawn(env);
    await waitUntil(() => gate.held() === published.length, 30_000, 'every delivery in flight');
    first.child.kill('SIGTERM');
    // The receiver never answers, so only the shutdown timeout can end the process.
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('abandoning deliveries in flight');
    expect(await deliveryCounts(h.hookline.db)).toEqual({ succeeded: 0, attempts: 0, activeJobs: 0 });

    gate.release();
    const second = spawn(env);
    await waitUntil(async () => (await deliveryCounts(h.hookline.db)).succeeded === published.length, 30_000, 'every delivery to succeed');
    // At least once: each abandoned request was sent again, and one attempt per message is recorded.
    expect([...gate.ids].sort()).toEqual([...published, ...published].sort());
    expect(await deliveryCounts(h.hookline.db)).toEqual({ succeeded: published.length, attempts: published.length, activeJobs: 0 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
