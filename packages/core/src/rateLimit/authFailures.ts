import ipaddr from 'ipaddr.js';
import { TooManyAuthFailuresError } from '../errors.ts';
import { retryAfterHeaderSeconds } from './apiRateLimit.ts';

export interface AuthFailureLimits {
  /** Failed authentications a client address may make per window; 0 disables the limit. */
  limit: number;
  windowSeconds: number;
  /** Addresses remembered at once; beyond it the oldest are forgotten, so memory stays bounded. */
  maxClients?: number;
}

const DEFAULT_MAX_CLIENTS = 100_000;

/**
 * The key a client is counted under: an IPv4 address as it is (also when IPv4-mapped), an IPv6
 * address by its /64, since one host usually holds a whole /64 and could otherwise change address
 * at every guess.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  try {
    const parsed = ipaddr.process(address);
    if (parsed.kind() === 'ipv4') return parsed.toString();
    return `${(parsed as ipaddr.IPv6).parts
      .slice(0, 4)
      .map((p) => p.toString(16))
      .join(':')}::/64`;
  } catch {
    return address;
  }
}

/**
 * Failed authentications (bad API keys, portal tokens, admin tokens) counted per client address in
 * a fixed window; over the limit, every authenticated request from that address is refused until
 * the window ends, before its credential is even looked at, so guessing cannot go on.
 *
 * In this process's memory, not in the database: counting in PostgreSQL would let anyone make the
 * database write by sending garbage tokens, which is the load this is meant to keep away. With
 * several api processes an address gets the limit at each of them.
 */
export class AuthFailureLimiter {
  readonly #windows = new Map<string, { failures: number; resetAt: number }>();
  readonly #limits: Required<AuthFailureLimits>;
  readonly #now: () => number;

  constructor(limits: AuthFailureLimits, now: () => number = Date.now) {
    this.#limits = { maxClients: DEFAULT_MAX_CLIENTS, ...limits };
    this.#now = now;
  }

  /**
   * Throws TooManyAuthFailuresError while the client is over its limit. Every authenticated request
   * passes here, so its address (`req.ip`, which parses X-Forwarded-For) is asked for only while a
   * failure is on record.
   */
  assertAllowed(address: () => string | undefined): void {
    if (this.#limits.limit <= 0 || this.#windows.size === 0) return;
    const key = clientKey(address());
    const window = this.#windows.get(key);
    if (!window) return;
    const now = this.#now();
    if (window.resetAt <= now) {
      this.#windows.delete(key);
      return;
    }
    if (window.failures >= this.#limits.limit) {
      throw new TooManyAuthFailuresError(retryAfterHeaderSeconds((window.resetAt - now) / 1000));
    }
  }

  /** Counts one failed authentication from the address. */
  recordFailure(address: string | undefined): void {
    if (this.#limits.limit <= 0) return;
    const key = clientKey(address);
    const now = this.#now();
    const window = this.#windows.get(key);
    if (window && window.resetAt > now) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(key);
    if (this.#windows.size >= this.#limits.maxClients) this.#forgetOldest(now);
    this.#windows.set(key, { failures: 1, resetAt: now + this.#limits.windowSeconds * 1000 });
  }

  /** Drops the windows that ended; if none had, the oldest one (a Map keeps insertion order). */
  #forgetOldest(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    if (this.#windows.size < this.#limits.maxClients) return;
    const oldest = this.#windows.keys().next();
    if (!oldest.done) this.#windows.delete(oldest.value);
  }
}
