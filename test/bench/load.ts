import { fork } from 'node:child_process';
import path from 'node:path';

/** What the load generator sends. It runs in a process of its own, so its CPU is not the server's. */
export interface LoadSpec {
  url: string;
  /** Paths on `url`'s origin to spread the requests over: request n goes to targets[n % length]. */
  targets?: string[];
  headers?: Record<string, string>;
  /** Request body; every `__N__` becomes the request's sequence number. */
  body: string;
  /** closed: `concurrency` clients each send, wait, send again. open: `rate` requests/s on a fixed schedule, whatever the latency. */
  mode: 'closed' | 'open';
  concurrency?: number;
  rate?: number;
  /** Measured period; requests started during the `warmupMs` before it are sent but not recorded. */
  durationMs: number;
  warmupMs?: number;
  /** Closed loop: stop after this many requests (the period then only bounds the time). */
  maxRequests?: number;
  /** Keep the `id` of every 2xx JSON response with the time it was accepted (end-to-end latency). */
  captureIds?: boolean;
  /** Also report what completed every this many ms (runLoad's `onSlice`); the final result then holds only the rest. */
  reportEveryMs?: number;
}

export interface LoadResult {
  /** Recorded requests (started in the measured period) and how they ended. */
  requests: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  firstError?: string;
  /** Open loop: requests not sent because too many were already in flight. */
  dropped: number;
  measuredMs: number;
  /** Per recorded request; open loop measures from the scheduled send time (no coordinated omission). */
  latenciesMs: number[];
  /** With the scheduled send time and the index of the request's target (0 without `targets`). */
  accepted: Array<[id: string, atMs: number, sentAtMs: number, target: number]>;
}

const ENTRY = path.join(import.meta.dirname, 'loadgen.ts');

/** Runs one load in a fresh generator process and returns what it recorded (see `reportEveryMs`). */
export function runLoad(spec: LoadSpec, onSlice?: (slice: LoadResult) => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let result: LoadResult | undefined;
    child.on('message', (m) => {
      if (typeof m === 'object' && m !== null && 'slice' in m) onSlice?.((m as { slice: LoadResult }).slice);
      else result = m as LoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`))));
    child.send(spec);
  });
}

/** Requests per second of the successful recorded requests. */
export const throughput = (r: LoadResult) => (r.ok * 1000) / r.measuredMs;

/** The loads of several slices of one measurement as one result (counts and periods added up). */
export function mergeLoads(parts: readonly LoadResult[]): LoadResult {
  const merged: LoadResult = { requests: 0, ok: 0, errors: 0, statuses: {}, dropped: 0, measuredMs: 0, latenciesMs: [], accepted: [] };
  for (const r of parts) {
    merged.requests += r.requests;
    merged.ok += r.ok;
    merged.errors += r.errors;
    merged.dropped += r.dropped;
    merged.measuredMs += r.measuredMs;
    for (const [status, n] of Object.entries(r.statuses)) merged.statuses[status] = (merged.statuses[status] ?? 0) + n;
    for (const ms of r.latenciesMs) merged.latenciesMs.push(ms);
    for (const a of r.accepted) merged.accepted.push(a);
    if (r.firstError !== undefined) merged.firstError ??= r.firstError;
  }
  return merged;
}

/**
 * Runs each side's load in `slices` slices of `durationMs / slices`, the sides alternating
 * (ABBA...), and merges each side's slices. A shared machine's drift over the minutes of a
 * measurement then weighs on every side alike instead of on whichever ran while a neighbour was
 * busy; clients, rate and measured time are those of one long load.
 */
export async function alternateLoads<K extends string>(slices: number, specs: Record<K, LoadSpec>): Promise<Record<K, LoadResult>> {
  const sides = Object.keys(specs) as K[];
  const parts = Object.fromEntries(sides.map((k) => [k, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  for (let i = 0; i < slices; i++) {
    for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
      const spec = specs[side];
      parts[side].push(await runLoad({ ...spec, durationMs: spec.durationMs / slices }));
    }
  }
  return Object.fromEntries(sides.map((k) => [k, mergeLoads(parts[k])])) as Record<K, LoadResult>;
}
