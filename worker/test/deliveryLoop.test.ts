import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, type DeliverJob, type Job, type PgBoss } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { waitUntil } from '@hookline/test-support/process';
import { DeliveryLoop } from '../src/deliveryLoop.ts';

// The delivery loop, on a real queue.
// - Lanes: it takes jobs from both lanes. The failing lane's attempts run one at a time per
//   endpoint; once one finishes, the loop looks at that lane again at once, not a poll interval
//   later (a minute here, so only that explains a prompt second and third attempt).
// - When it looks at the healthy lane: a look that finds nothing walks the lane's whole backlog, so
//   the loop does not look when it knows there is nothing to take: new attempts only for endpoints
//   with their limit in flight here (wakeFor, after a fan-out), or a finished attempt whose endpoint
//   a look meanwhile brought back to its limit. Pg-boss's fetch is counted as the loop calls it.

let database: QueueTestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  database = await createQueueTestDatabase();
  ({ boss } = database);
});
afterAll(async () => {
  await database?.close();
});

const job = (msgId: string, endpointId: string): DeliverJob => ({ tenantId: 't', msgId, endpointId, attempt: 1, trigger: 0 });

describe('lanes', () => {
  it('takes the jobs of both lanes, the failing one one at a time per endpoint and each as soon as the one before finished', async () => {
    await boss.insert(
      JOBS.deliverFailing,
      ['f1', 'f2', 'f3'].map((m) => ({ data: job(m, 'ep_down'), group: { id: 'ep_down', tier: 'failing' } })),
    );
    await boss.insert(
      JOBS.deliver,
      ['h1', 'h2'].map((m) => ({ data: job(m, 'ep_up'), group: { id: 'ep_up' } })),
    );
    const handled: Array<{ msgId: string; lane: string }> = [];
    let downRunning = 0;
    let downMostAtOnce = 0;
    const loop = new DeliveryLoop(boss, pino({ level: 'silent' }), { capacity: 10, perEndpoint: 4, pollIntervalMs: 60_000 }, async (j: Job<DeliverJob>) => {
      const down = j.data.endpointId === 'ep_down';
      if (down) downMostAtOnce = Math.max(downMostAtOnce, ++downRunning);
      await new Promise((r) => setTimeout(r, 50));
      handled.push({ msgId: j.data.msgId, lane: j.name });
      await boss.complete(j.name, { id: j.id, retryCount: j.retryCount }, null);
      if (down) downRunning--;
    });
    loop.start();
    try {
      await waitUntil(() => handled.length === 5, 10_000, 'all five jobs to be handled');
    } finally {
      await loop.stop();
    }
    expect(
      handled
        .filter((h) => h.lane === JOBS.deliverFailing)
        .map((h) => h.msgId)
        .sort(),
    ).toEqual(['f1', 'f2', 'f3']);
    expect(
      handled
        .filter((h) => h.lane === JOBS.deliver)
        .map((h) => h.msgId)
        .sort(),
    ).toEqual(['h1', 'h2']);
    expect(downMostAtOnce).toBe(1);
  });
});

describe('when it looks at the healthy lane', () => {
  const enqueue = (msgId: string, endpointId: string) => boss.insert(JOBS.deliver, [{ data: job(msgId, endpointId), group: { id: endpointId } }]);

  /** A loop (one attempt per endpoint) whose attempts run until released, with pg-boss's fetch counted and, while `gate` is set, held until it opens. */
  function harness(pollIntervalMs = 60_000) {
    const fetch = boss.fetch.bind(boss);
    const state = { fetches: 0, gate: undefined as Promise<void> | undefined, started: [] as string[], release: new Map<string, () => void>() };
    boss.fetch = (async (...args: Parameters<PgBoss['fetch']>) => {
      state.fetches++;
      await state.gate;
      return fetch(...args);
    }) as PgBoss['fetch'];
    const loop = new DeliveryLoop(boss, pino({ level: 'silent' }), { capacity: 10, perEndpoint: 1, pollIntervalMs }, async (j: Job<DeliverJob>) => {
      state.started.push(j.data.msgId);
      await new Promise<void>((resolve) => state.release.set(j.data.msgId, resolve));
      await boss.complete(j.name, { id: j.id, retryCount: j.retryCount }, null);
    });
    return {
      state,
      loop,
      /**
       * Finishes `msgId`'s attempt and holds the look that follows until `open` is called; `looks` is
       * how many looks the loop has made then.
       */
      async finishDuringHeldLook(msgId: string): Promise<{ open: () => void; looks: number }> {
        let release!: () => void;
        state.gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const looks = state.fetches + 1;
        state.release.get(msgId)!();
        await waitUntil(() => state.fetches === looks, 10_000, 'the look after an attempt finished');
        return {
          open: () => {
            release();
            state.gate = undefined;
          },
          looks,
        };
      },
      /** Gives the loop time to look again, then checks how often it looked in all. */
      async expectLooks(n: number) {
        await new Promise((r) => setTimeout(r, 300));
        expect(state.fetches).toBe(n);
      },
      async stop() {
        for (const r of state.release.values()) r();
        await loop.stop();
        boss.fetch = fetch;
      },
    };
  }

  it('looks at the queue for new attempts unless each of their endpoints has its limit in flight here', async () => {
    const { state, loop, expectLooks, stop } = harness();
    try {
      await enqueue('a1', 'ep_a');
      loop.start();
      await waitUntil(() => state.started.includes('a1'), 10_000, 'the first attempt to start');

      // ep_a has its one attempt in flight: a new one for it alone wakes nothing.
      await enqueue('a2', 'ep_a');
      const before = state.fetches;
      loop.wakeFor(['ep_a']);
      await expectLooks(before);

      // One for ep_b, which has none in flight, does: it starts, a2 still waits for ep_a's slot.
      await enqueue('b1', 'ep_b');
      loop.wakeFor(['ep_a', 'ep_b']);
      await waitUntil(() => state.started.includes('b1'), 10_000, 'the attempt to ep_b to start');
      expect(state.fetches).toBeGreaterThan(before);
      expect(state.started).toEqual(['a1', 'b1']);

      // A finished attempt frees ep_a's slot and wakes the loop: a2 goes.
      state.release.get('a1')!();
      await waitUntil(() => state.started.includes('a2'), 10_000, 'the second attempt to ep_a to start');
    } finally {
      await stop();
    }
  });

  it('does not look again for a finished attempt whose endpoint a look meanwhile brought back to its limit', async () => {
    const { state, loop, finishDuringHeldLook, expectLooks, stop } = harness();
    try {
      for (const [m, ep] of [
        ['c1', 'ep_c'],
        ['d1', 'ep_d'],
        ['c2', 'ep_c'],
        ['d2', 'ep_d'],
      ] as const)
        await enqueue(m, ep);
      loop.start();
      await waitUntil(() => state.started.length === 2, 10_000, 'one attempt to each endpoint to start');
      // Which of an endpoint's two attempts goes first is pg-boss's choice.
      const [c, d] = ['c', 'd'].map((ep) => state.started.find((m) => m.startsWith(ep))!);
      // c's attempt finishes: the loop looks, and that look is held until d's has finished too (its
      // wake comes during the look). The look then takes both endpoints' second attempts, so ep_d is
      // back at its limit: there is nothing to look for.
      const { open, looks } = await finishDuringHeldLook(c!);
      state.release.get(d!)!();
      await new Promise((r) => setTimeout(r, 200)); // its completion commits and its wake arrives
      open();
      await waitUntil(() => state.started.length === 4, 10_000, 'the second attempts to start');
      await expectLooks(looks);
    } finally {
      await stop();
    }
  });

  it('decides on new attempts after the look in progress, which may take the very slot they were announced for', async () => {
    const { state, loop, finishDuringHeldLook, expectLooks, stop } = harness();
    try {
      for (const m of ['g1', 'g2', 'g3']) await enqueue(m, 'ep_g');
      loop.start();
      await waitUntil(() => state.started.length === 1, 10_000, 'the first attempt to start');
      const { open, looks } = await finishDuringHeldLook(state.started[0]!);
      // A fan-out announces ep_g while that look, which will take ep_g's free slot, is still running.
      loop.wakeFor(['ep_g']);
      open();
      await waitUntil(() => state.started.length === 2, 10_000, 'the second attempt to start');
      await expectLooks(looks);
    } finally {
      await stop();
    }
  });

  it('still looks once a poll interval, however busy the loop is with wakes it need not answer', async () => {
    const { state, loop, stop } = harness(300);
    let waking: NodeJS.Timeout | undefined;
    try {
      for (const m of ['h1', 'h2']) await enqueue(m, 'ep_h');
      loop.start();
      await waitUntil(() => state.started.some((m) => m.startsWith('h')), 10_000, 'an attempt to ep_h to start');
      // An attempt that comes due later (as a throttled or handed-back one does), for an idle endpoint.
      await boss.insert(JOBS.deliver, [{ data: job('z1', 'ep_z'), group: { id: 'ep_z' }, startAfter: new Date(Date.now() + 500) }]);
      // Wakes for ep_h, at its limit, every 50 ms: none is answered, yet the due attempt is taken.
      waking = setInterval(() => loop.wakeFor(['ep_h']), 50);
      await waitUntil(() => state.started.includes('z1'), 10_000, 'the attempt that came due to start');
    } finally {
      clearInterval(waking);
      await stop();
    }
  });
});

describe('stopping', () => {
  it('stops as soon as the look in progress ends, not a poll interval later', async () => {
    const fetch = boss.fetch.bind(boss);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let looks = 0;
    boss.fetch = (async (...args: Parameters<PgBoss['fetch']>) => {
      looks++;
      await gate;
      return fetch(...args);
    }) as PgBoss['fetch'];
    const loop = new DeliveryLoop(boss, pino({ level: 'silent' }), { capacity: 10, perEndpoint: 1, pollIntervalMs: 600_000 }, async () => {});
    try {
      loop.start();
      await waitUntil(() => looks === 1, 10_000, 'the first look');
      // The stop is asked for while that look runs: once it ends, the loop must not sleep first.
      const stopped = loop.stop().then(() => 'stopped' as const);
      open();
      const outcome = await Promise.race([stopped, new Promise((r) => setTimeout(() => r('still sleeping'), 10_000))]);
      expect(outcome).toBe('stopped');
    } finally {
      boss.fetch = fetch;
    }
  });
});
