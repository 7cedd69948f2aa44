// Chaos run: under a steady publish load, SIGKILL the api and the worker at random moments and
// restart PostgreSQL; then check that every accepted message reached every endpoint.
// As a script: `pnpm chaos [--messages N] [--kills K] [--rate R] [--endpoints E] [--seed S]`.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { REPO_ROOT, waitUntil } from '@hookline/test-support/process';
import { freePort } from '@hookline/test-support/freePort';
import { CHAOS_ADMIN_TOKEN, CHAOS_DELIVERY_TIMEOUT_MS, ChaosPostgres, ChaosRole } from './cluster.ts';
import { computeFigures, formatFigures, type ChaosEvent, type ChaosEventKind, type ChaosFigures } from './figures.ts';
import { Publisher, type ChaosPayload } from './publisher.ts';

export { formatFigures, type ChaosFigures } from './figures.ts';

export interface ChaosOptions {
  messages?: number;
  apiKills?: number;
  workerKills?: number;
  postgresRestarts?: number;
  /** Endpoints of the one application, each on its own receiver. */
  endpoints?: number;
  /** Publishes per second; by default the publishing is spread over about 6 s per kill or restart. It goes on past `messages` until the last event has recovered. */
  ratePerSecond?: number;
  /** How long PostgreSQL stays down at its restart. */
  postgresDownMs?: number;
  /** Bound on waiting for every accepted message to reach every endpoint. */
  drainTimeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

const EVENT_TYPE = 'chaos.tick';

/** A small seeded PRNG (mulberry32), so a run's kill moments can be replayed with --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function call(baseUrl: string, token: string, method: string, urlPath: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Deliveries seen per endpoint, kept up to date incrementally while waiting for the drain. */
class DeliveryIndex {
  readonly #receivers: Receiver[];
  readonly #seen: Array<Set<string>>;
  readonly #read: number[];

  constructor(receivers: Receiver[]) {
    this.#receivers = receivers;
    this.#seen = receivers.map(() => new Set());
    this.#read = receivers.map(() => 0);
  }

  /** True when every eventId reached every endpoint. */
  covers(eventIds: string[]): boolean {
    this.#receivers.forEach((r, i) => {
      for (; this.#read[i]! < r.requests.length; this.#read[i]!++) {
        try {
          this.#seen[i]!.add((JSON.parse(r.requests[this.#read[i]!]!.body) as ChaosPayload).eventId);
        } catch {
          /* counted as corrupt by the figures */
        }
      }
    });
    return this.#seen.every((seen) => eventIds.every((id) => seen.has(id)));
  }
}

export async function runChaos(options: ChaosOptions = {}): Promise<ChaosFigures> {
  const messages = options.messages ?? 150;
  const endpointCount = options.endpoints ?? 3;
  const seed = options.seed ?? randomBytes(4).readUInt32BE();
  const log = options.log ?? (() => {});
  const rng = random(seed);
  const kinds: ChaosEventKind[] = [
    ...Array<ChaosEventKind>(options.apiKills ?? 2).fill('api'),
    ...Array<ChaosEventKind>(options.workerKills ?? 2).fill('worker'),
    ...Array<ChaosEventKind>(options.postgresRestarts ?? 1).fill('postgres'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  // Each kill fires once a random share of the messages has been sent, so all happen under load.
  const triggers = kinds.map(() => 0.1 + rng() * 0.75).sort((a, b) => a - b);
  const rate = options.ratePerSecond ?? messages / Math.max(15, kinds.length * 6);
  const runId = randomBytes(4).toString('hex');
  log(`chaos run ${runId}: ${messages} messages at ${rate.toFixed(1)}/s to ${endpointCount} endpoints; events ${kinds.join(', ')}; seed ${seed}`);

  const startedAt = Date.now();
  const receivers: Receiver[] = [];
  const roles: ChaosRole[] = [];
  let postgres: ChaosPostgres | undefined;
  let publisher: Publisher | undefined;
  try {
    postgres = await ChaosPostgres.start(path.join(REPO_ROOT, '.hookline-test', `chaos-${process.pid}-${runId}`));
    for (let i = 0; i < endpointCount; i++) receivers.push(await startReceiver());
    const apiPort = await freePort();
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const env = {
      DATABASE_URL: postgres.databaseUrl,
      HOST: '127.0.0.1',
      // A fixed port, as behind a load balancer: a restarted api answers where the old one did.
      PORT: String(apiPort),
      HOOKLINE_ADMIN_TOKEN: CHAOS_ADMIN_TOKEN,
      HOOKLINE_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32,::1/128',
      HOOKLINE_RETRY_SCHEDULE: '1,1,2,2,5,5,10,10,30,30',
      HOOKLINE_DELIVERY_TIMEOUT_MS: String(CHAOS_DELIVERY_TIMEOUT_MS),
      HOOKLINE_POLL_INTERVAL_SECONDS: '0.5',
      HOOKLINE_SUPERVISE_INTERVAL_SECONDS: '2',
      HOOKLINE_BOOTSTRAP: 'false',
      // Endpoint secrets are encrypted at rest; any 32-byte key will do for a throwaway database.
      HOOKLINE_ENCRYPTION_KEYS: `chaos:${randomBytes(32).toString('base64')}`,
      HOOKLINE_DB_POOL_SIZE: '10',
    };
    const api = new ChaosRole('api', { ...env, HOOKLINE_LOG_LEVEL: 'warn' }, async () => {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      return res?.ok ?? false;
    });
    const worker = new ChaosRole('worker', { ...env, HOOKLINE_LOG_LEVEL: 'info' }, async (p) => p.output().includes('"worker started"'));
    roles.push(api, worker);
    await Promise.all([api.start(), worker.start()]);

    const tenant = await call(baseUrl, CHAOS_ADMIN_TOKEN, 'POST', '/admin/v1/tenants', { name: 'chaos' });
    const key = await call(baseUrl, CHAOS_ADMIN_TOKEN, 'POST', `/admin/v1/tenants/${String(tenant.id)}/api-keys`, { name: 'chaos' });
    const apiKey = String(key.key);
    await call(baseUrl, apiKey, 'POST', '/api/v1/event-type', { name: EVENT_TYPE, description: 'chaos load' });
    const appId = String((await call(baseUrl, apiKey, 'POST', '/api/v1/app', { name: 'chaos' })).id);
    const secrets: string[] = [];
    for (const r of receivers) {
      const ep = await call(baseUrl, apiKey, 'POST', `/api/v1/app/${appId}/endpoint`, { url: `${r.url}/hook` });
      secrets.push(String((await call(baseUrl, apiKey, 'GET', `/api/v1/app/${appId}/endpoint/${String(ep.id)}/secret`)).key));
    }

    const pub = new Publisher({
      baseUrl,
      apiKey,
      appId,
      eventType: EVENT_TYPE,
      messages,
      ratePerSecond: rate,
      runId,
      giveUpAfterMs: 150_000,
      requestTimeoutMs: 15_000,
    });
    publisher = pub;
    const publishing = pub.run();
    const events: ChaosEvent[] = [];
    const publishWindowMs = (messages / rate) * 1000;
    // Publishing is held open until the last event has recovered, so `messages` is a minimum.
    for (const [i, kind] of kinds.entries()) {
      await waitUntil(() => pub.started >= triggers[i]! * messages, publishWindowMs + 60_000, `${Math.round(triggers[i]! * 100)}% of the messages to be sent`);
      const at = Date.now();
      let restartedAt: number;
      if (kind === 'postgres') {
        restartedAt = (await postgres.restart(options.postgresDownMs ?? 1000)).startedAt;
      } else {
        const role = kind === 'api' ? api : worker;
        await role.kill();
        restartedAt = Date.now();
        await role.start();
      }
      const event: ChaosEvent = { kind, at, restartedAt };
      events.push(event);
      log(`+${((at - startedAt) / 1000).toFixed(1)} s: ${kind} ${kind === 'postgres' ? 'restarted' : 'killed and restarted'}`);
      // Recovered (a publish sent after the kill accepted, a delivery after the restart) before the next one.
      const published = () => pub.records.some((r) => r.acceptedRequestAt !== undefined && r.acceptedRequestAt >= at);
      const delivered = () => receivers.some((r) => r.requests.some((q) => q.at >= restartedAt));
      await waitUntil(() => published() && delivered(), 90_000, `recovery after the ${kind} event`).catch((err: unknown) => {
        log(`not recovered (publish ${published() ? 'yes' : 'no'}, delivery ${delivered() ? 'yes' : 'no'}): ${String(err)}`);
        for (const role of roles) log(`--- ${role.role} output ---\n${role.output().slice(-6000)}`);
      });
    }
    pub.holdOpen = false;
    await publishing;
    log(`publishing done: ${pub.records.filter((r) => r.outcome === 'accepted').length} of ${messages} accepted`);

    const index = new DeliveryIndex(receivers);
    const acceptedIds = pub.records.filter((r) => r.outcome === 'accepted').map((r) => r.eventId);
    await waitUntil(() => index.covers(acceptedIds), options.drainTimeoutMs ?? 120_000, 'every accepted message at every endpoint').catch((err: unknown) =>
      log(String(err)),
    );
    return computeFigures({
      records: pub.records,
      endpoints: receivers.map((r, i) => ({ secret: secrets[i]!, requests: r.requests })),
      events,
      unexpectedExits: roles.flatMap((r) => r.unexpectedExits),
      startedAt,
    });
  } finally {
    publisher?.stop();
    // Every process goes, whatever happened above.
    await Promise.all(roles.map((r) => r.kill()));
    await Promise.all(receivers.map((r) => r.close()));
    await postgres?.stop();
  }
}

/** What must hold after any chaos run; empty when it all did. */
export function invariantViolations(f: ChaosFigures): string[] {
  const out: string[] = [];
  if (f.accepted === 0) out.push('no message was accepted');
  if (f.missing > 0) out.push(`${f.missing} accepted (message × endpoint) deliveries never arrived`);
  if (f.unaccepted > 0) out.push(`${f.unaccepted} requests carried a message that was never accepted`);
  if (f.unacknowledged > 0) out.push(`${f.unacknowledged} publishes were stored but never acknowledged with a 2xx`);
  if (f.gaveUp > 0 || f.rejected > 0) out.push(`${f.gaveUp} publishes given up, ${f.rejected} refused`);
  if (f.badSignatures > 0 || f.corruptBodies > 0) out.push(`${f.badSignatures} bad signatures, ${f.corruptBodies} corrupt bodies`);
  if (f.unexpectedExits.length > 0) out.push(`processes exited by themselves: ${f.unexpectedExits.map((e) => `${e.role} (${e.code})`).join(', ')}`);
  if (f.events.some((e) => e.publishRecoveryMs === undefined || e.deliveryRecoveryMs === undefined)) out.push('the system did not recover after an event');
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '2000' },
      kills: { type: 'string', default: '3' },
      rate: { type: 'string' },
      endpoints: { type: 'string', default: '3' },
      seed: { type: 'string' },
    },
  });
  const kills = Number(values.kills);
  const figures = await runChaos({
    messages: Number(values.messages),
    apiKills: kills,
    workerKills: kills,
    postgresRestarts: 1,
    endpoints: Number(values.endpoints),
    ...(values.rate ? { ratePerSecond: Number(values.rate) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    drainTimeoutMs: 300_000,
    log: (line) => console.log(line),
  });
  console.log(`\n${formatFigures(figures)}`);
  for (const r of figures.notAccepted) console.log(`not accepted: ${r.eventId} ${r.outcome} after ${r.tries} tries, last: ${r.lastError ?? ''}`);
  for (const exit of figures.unexpectedExits) console.log(`\n${exit.role} exited (${exit.code}):\n${exit.outputTail}`);
  const violations = invariantViolations(figures);
  if (violations.length > 0) {
    console.log(`\nFAILED:\n  ${violations.join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('\nall invariants held');
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
