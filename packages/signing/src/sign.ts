import { createHmac, sign } from 'node:crypto';
import { InvalidSecretError } from './errors.ts';
import { hmacKey, signingKey } from './key-cache.ts';
import { secretKind } from './secret.ts';

/** Input of {@link signPayload}. */
export interface SignPayloadInput {
  /** One or more `whsec_` / bare base64 (→ `v1`) or `whsk_` (→ `v1a`) secrets. */
  secrets: string | readonly string[];
  /** The `webhook-id` value (e.g. `msg_…`). Printable ASCII, no `.`. */
  msgId: string;
  /** The `webhook-timestamp` value, in integer seconds since the epoch. */
  timestamp: number;
  /** The exact request body that will be sent. */
  payload: string;
}

/** Input of {@link signatureHeaders}; `timestamp` defaults to now. */
export interface SignatureHeadersInput extends Omit<SignPayloadInput, 'timestamp'> {
  timestamp?: number;
}

/**
 * The three Standard Webhooks request headers. A type alias (not an interface)
 * so it is assignable to `Record<string, string>` / fetch `HeadersInit`.
 */
export type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

// Printable ASCII except '.', which would make `${msgId}.${timestamp}.` ambiguous.
const MSG_ID = /^[\x21-\x2d\x2f-\x7e]+$/;
// Integer seconds stay below this until the year 5138; larger values are almost surely milliseconds.
const MAX_TIMESTAMP_SECONDS = 1e11;

/** The bytes that get signed: `${msgId}.${timestamp}.${payload}`. */
export function signedContent(msgId: string, timestamp: number | string, payload: string): string {
  return `${msgId}.${timestamp}.${payload}`;
}

/** Base64 HMAC-SHA256 of `content` (without the `v1,` prefix). */
export function hmacSignature(secret: string, content: string | Uint8Array): string {
  return createHmac('sha256', hmacKey(secret)).update(content).digest('base64');
}

function assertSignInput(msgId: string, timestamp: number, payload: string): void {
  if (typeof msgId !== 'string' || !MSG_ID.test(msgId)) {
    throw new TypeError('msgId must be a non-empty printable ASCII string without "."');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative integer number of seconds, got ${timestamp}`);
  }
  if (timestamp >= MAX_TIMESTAMP_SECONDS) {
    throw new RangeError(`timestamp must be in seconds, got ${timestamp} (milliseconds?)`);
  }
  if (typeof payload !== 'string') {
    throw new TypeError('payload must be the exact body string');
  }
}

/**
 * Signs a webhook and returns the full `webhook-signature` header value: one
 * `v1,<base64 HMAC-SHA256>` per symmetric secret and one `v1a,<base64 ed25519>`
 * per `whsk_` secret, space-separated, in the order given. Pass several
 * secrets while rotating so receivers holding either key can verify.
 *
 * @example
 * ```ts
 * signPayload({
 *   secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
 *   msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   timestamp: 1614265330,
 *   payload: '{"test": 2432232314}',
 * }); // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 * ```
 */
export function signPayload({ secrets, msgId, timestamp, payload }: SignPayloadInput): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new InvalidSecretError('At least one signing secret is required');
  assertSignInput(msgId, timestamp, payload);

  const content = signedContent(msgId, timestamp, payload);
  let contentBytes: Buffer | undefined;
  const signatures: string[] = [];
  for (const secret of list) {
    switch (secretKind(secret)) {
      case 'symmetric':
        signatures.push(`v1,${hmacSignature(secret, content)}`);
        break;
      case 'ed25519-secret':
        contentBytes ??= Buffer.from(content, 'utf8');
        signatures.push(`v1a,${sign(null, contentBytes, signingKey(secret)).toString('base64')}`);
        break;
      case 'ed25519-public':
        throw new InvalidSecretError('Cannot sign with a whpk_ public key; use its whsk_ secret key');
    }
  }
  return signatures.join(' ');
}

/**
 * Builds the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers
 * for a delivery. `timestamp` (integer seconds) defaults to the current time.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1' } });
 * const headers = signatureHeaders({ secrets: [secret], msgId: 'msg_2KWPBgLl', payload: body });
 * await fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 * ```
 */
export function signatureHeaders({ secrets, msgId, timestamp, payload }: SignatureHeadersInput): SignatureHeaders {
  const ts = timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(ts),
    'webhook-signature': signPayload({ secrets, msgId, timestamp: ts, payload }),
  };
}
