/**
 * Domain errors. Each has a stable `code`; only the API's error handler turns them into HTTP
 * statuses, so core stays free of transport concerns.
 */
export class HooklineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export class NotFoundError extends HooklineError {
  constructor(message = 'Entity not found') {
    super('not_found', message);
  }
}

export class ConflictError extends HooklineError {
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}

export class AuthenticationError extends HooklineError {
  constructor(message = 'Invalid or missing credentials') {
    super('authentication_failed', message);
  }
}

/** The credential is valid but does not allow this action (e.g. a read-only portal token). */
export class ForbiddenError extends HooklineError {
  constructor(message = 'Not allowed with this credential') {
    super('forbidden', message);
  }
}

/** Input that parsed but breaks a rule checked against stored state; reported like a 422 field error. */
export class ValidationError extends HooklineError {
  readonly loc: string[];
  constructor(loc: string[], message: string) {
    super('validation', message);
    this.loc = loc;
  }
}

/** An endpoint URL the network policy refuses (a 422 on its field); `logDetail` says why, for the operator's log only. */
export class RefusedTargetError extends ValidationError {
  readonly logDetail: string | undefined;
  constructor(loc: string[], message: string, logDetail?: string) {
    super(loc, message);
    this.logDetail = logDetail;
  }
}

/** The tenant made more API requests than its rate limit allows; it may retry after `retryAfterSeconds`. */
export class RateLimitedError extends HooklineError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, perSecond: number) {
    super('rate_limited', `Too many requests: the limit is ${perSecond} per second; retry after ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Too many failed authentications came from the client's address; it may retry after `retryAfterSeconds`. */
export class TooManyAuthFailuresError extends HooklineError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, what = 'Too many failed authentication attempts from this address') {
    super('too_many_auth_failures', `${what}; retry after ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class BadRequestError extends HooklineError {
  constructor(message: string, code = 'bad_request') {
    super(code, message);
  }
}

/**
 * A stored secret (signing key, header value) that does not decrypt where it is stored: altered,
 * copied from another place, unbound after the upgrade, or its master key is missing. The message
 * is for the caller; `cause` (the SecretDecryptionError) is for the log only.
 */
export class UnreadableSecretError extends HooklineError {
  constructor(message: string, cause: unknown) {
    super('secret_unreadable', message);
    this.cause = cause;
  }
}
