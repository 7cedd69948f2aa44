import { TooManyAuthFailuresError } from '../errors.ts';
import { AuthFailureLimiter } from '../rateLimit/authFailures.ts';

export interface SignInThrottleLimits {
  /** Failed sign-ins per address (email) per window; 0: no limit. */
  perAccount: number;
  /** Failed sign-ins per client address per window; 0: no limit. */
  perClient: number;
  windowSeconds: number;
}

const MESSAGE = 'Too many failed sign-in attempts for this account or from this address';

/**
 * Failed sign-ins counted per account and per client address (in this process, as the API's
 * AuthFailureLimiter and for its reason). An account is counted by the address typed, known or
 * not, so the 429 itself tells no one whether the account exists.
 */
export class SignInThrottle {
  readonly #accounts: AuthFailureLimiter;
  readonly #clients: AuthFailureLimiter;

  constructor(limits: SignInThrottleLimits, now?: () => number) {
    this.#accounts = new AuthFailureLimiter({ limit: limits.perAccount, windowSeconds: limits.windowSeconds }, now);
    this.#clients = new AuthFailureLimiter({ limit: limits.perClient, windowSeconds: limits.windowSeconds }, now);
  }

  /** Throws TooManyAuthFailuresError (429) while either the account or the client is over its limit. */
  assertAllowed(email: string, clientAddress: string | undefined): void {
    try {
      this.#clients.assertAllowed(() => clientAddress);
      this.#accounts.assertAllowed(() => accountKey(email));
    } catch (err) {
      if (err instanceof TooManyAuthFailuresError) throw new TooManyAuthFailuresError(err.retryAfterSeconds, MESSAGE);
      throw err;
    }
  }

  recordFailure(email: string, clientAddress: string | undefined): void {
    this.#clients.recordFailure(clientAddress);
    this.#accounts.recordFailure(accountKey(email));
  }
}

// Never parses as an IP address, so clientKey leaves it as it is.
const accountKey = (email: string): string => `account:${email.trim().toLowerCase()}`;
