import { TooManyAuthFailuresError } from '../errors.ts';
import { AuthFailureLimiter } from '../rateLimit/authFailures.ts';

/** The window of both password reset limits. */
export const PASSWORD_RESET_WINDOW_SECONDS = 3600;
const MESSAGE = 'Too many password reset requests from this address';

/**
 * Password reset requests and wrong reset links counted per client address, in this process (as
 * SignInThrottle, and for its reason): one address cannot make Hookline mail every account it can
 * name. Links sent to one person are limited apart, in the database (requestPasswordReset).
 */
export class PasswordResetThrottle {
  readonly #clients: AuthFailureLimiter;

  constructor(perClient: number, now?: () => number) {
    this.#clients = new AuthFailureLimiter({ limit: perClient, windowSeconds: PASSWORD_RESET_WINDOW_SECONDS }, now);
  }

  /** Throws TooManyAuthFailuresError (429) while the client is over its limit. */
  assertAllowed(clientAddress: string | undefined): void {
    try {
      this.#clients.assertAllowed(() => clientAddress);
    } catch (err) {
      if (err instanceof TooManyAuthFailuresError) throw new TooManyAuthFailuresError(err.retryAfterSeconds, MESSAGE);
      throw err;
    }
  }

  record(clientAddress: string | undefined): void {
    this.#clients.recordFailure(clientAddress);
  }
}
