// The load generator process: receives one LoadSpec over IPC, runs it, sends back a LoadResult, exits.
// With `reportEveryMs` it also sends `{ slice }` every so often: what completed since the last one.
import type { LoadResult, LoadSpec } from './load.ts';
import { undici } from './deps.ts';
import { sleep, wallNow } from './stats.ts';

const MAX_IN_FLIGHT = 4000;

async function run(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const pool = new undici.Pool(url.origin, {
    connections: spec.mode === 'closed' ? (spec.concurrency ?? 1) : 256,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const fresh = (measuredMs: number): LoadResult => ({ requests: 0, ok: 0, errors: 0, statuses: {}, dropped: 0, measuredMs, latenciesMs: [], accepted: [] });
  let result = fresh(spec.durationMs);
  let seq = 0;
  const every = spec.reportEveryMs;
  const slicer = every
    ? setInterval(() => {
        process.send!({ slice: { ...result, measuredMs: every } });
        result = fresh(0);
      }, every)
    : undefined;

  /** Sends one request; records it when `record`, measuring from `from` (ms, wallNow). */
  const send = async (record: boolean, from: number) => {
    const n = seq++;
    const target = spec.targets ? n % spec.targets.length : 0;
    try {
      const res = await pool.request({
        path: spec.targets ? spec.targets[target]! : url.pathname + url.search,
        method: 'POST',
        headers,
        body: spec.body.replaceAll('__N__', String(n)),
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      let id: string | undefined;
      if (ok && spec.captureIds) id = ((await res.body.json()) as { id?: string }).id;
      else await res.body.dump();
      const done = wallNow();
      if (!record) return;
      result.requests++;
      result.statuses[res.statusCode] = (result.statuses[res.statusCode] ?? 0) + 1;
      if (ok) {
        result.ok++;
        result.latenciesMs.push(done - from);
        if (id) result.accepted.push([id, done, from, target]);
      } else result.errors++;
    } catch (err) {
      if (!record) return;
      result.requests++;
      result.errors++;
      result.firstError ??= err instanceof Error ? err.message : String(err);
    }
  };

  const warmup = spec.warmupMs ?? 0;
  const start = wallNow();
  const measureFrom = start + warmup;
  const end = measureFrom + spec.durationMs;
  if (spec.mode === 'closed') {
    await Promise.all(
      Array.from({ length: spec.concurrency ?? 1 }, async () => {
        const max = spec.maxRequests ?? Infinity;
        for (let t = wallNow(); t < end && seq < max; t = wallNow()) await send(t >= measureFrom, t);
      }),
    );
    result.measuredMs = Math.min(spec.durationMs, wallNow() - measureFrom);
  } else {
    const rate = spec.rate ?? 1;
    const inFlight = new Set<Promise<void>>();
    // Request i is due at start + i/rate; each tick sends every request that has come due.
    for (let i = 0; ;) {
      const now = wallNow();
      if (now >= end) break;
      for (let due = start + (i * 1000) / rate; due <= now && due < end; due = start + (i * 1000) / rate) {
        i++;
        if (inFlight.size >= MAX_IN_FLIGHT) {
          if (due >= measureFrom) result.dropped++;
          continue;
        }
        const p = send(due >= measureFrom, due).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await sleep(1);
    }
    await Promise.all(inFlight);
  }
  clearInterval(slicer);
  await pool.close();
  return result;
}

process.once('message', (spec) => {
  run(spec as LoadSpec).then(
    (result) => {
      process.send!(result, () => process.exit(0));
    },
    (err: unknown) => {
      console.error('load generator failed:', err);
      process.exit(1);
    },
  );
});
