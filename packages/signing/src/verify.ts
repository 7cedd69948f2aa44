import { timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ED25519_SIGNATURE_BYTES } from './ed25519.ts';
import { InvalidSecretError, WebhookVerificationError } from './errors.ts';
import { hmacKey, verifyKey } from './key-cache.ts';
import { secretKind } from './secret.ts';
import { hmacSignature, signedContent } from './sign.ts';

/** Request headers as a fetch `Headers` object or a plain (e.g. Node `IncomingHttpHeaders`) record. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Maximum clock difference accepted, in either direction. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** Current time in seconds since the epoch. Default `Date.now() / 1000`. */
  now?: number;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEADER_PREFIXES = ['webhook-', 'svix-'] as const;
const TIMESTAMP = /^[0-9]{1,15}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface SignatureMetadata {
  id: string;
  timestamp: string;
  signature: string;
}

function readHeaders(headers: WebhookHeaders): (name: string) => string | readonly string[] | undefined {
  if (typeof (headers as Headers).get === 'function') {
    const fetchHeaders = headers as Headers;
    return (name) => fetchHeaders.get(name) ?? undefined;
  }
  const lowered = new Map<string, string | readonly string[] | undefined>();
  for (const [name, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    lowered.set(name.toLowerCase(), value);
  }
  return (name) => lowered.get(name);
}

function single(value: string | readonly string[] | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value.length === 0) return undefined;
  if (value.length > 1) throw new WebhookVerificationError('Invalid signature headers: duplicated header');
  return value[0];
}

/** Picks the complete `webhook-*` header set, else the complete `svix-*` one. */
function signatureMetadata(headers: WebhookHeaders): SignatureMetadata {
  const get = readHeaders(headers);
  for (const prefix of HEADER_PREFIXES) {
    const id = single(get(`${prefix}id`));
    const timestamp = single(get(`${prefix}timestamp`));
    const rawSignature = get(`${prefix}signature`);
    const signature = typeof rawSignature === 'string' ? rawSignature : rawSignature?.join(' ');
    if (id && timestamp && signature) return { id, timestamp, signature };
  }
  throw new WebhookVerificationError('Missing required headers');
}

function checkTimestamp(header: string, options: VerifyWebhookOptions): number {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`toleranceSeconds must be a non-negative number, got ${tolerance}`);
  }
  const now = Math.floor(options.now ?? Date.now() / 1000);
  if (!TIMESTAMP.test(header)) throw new WebhookVerificationError('Invalid signature headers: bad timestamp');
  const timestamp = Number(header);
  if (now - timestamp > tolerance) throw new WebhookVerificationError('Message timestamp too old');
  if (timestamp - now > tolerance) throw new WebhookVerificationError('Message timestamp too new');
  return timestamp;
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function decodeEd25519Signature(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === ED25519_SIGNATURE_BYTES ? bytes : undefined;
}

function toText(payload: string | Uint8Array): string {
  return typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
}

/**
 * Verifies a Standard Webhooks (or Svix) request and returns its parsed JSON
 * body (`undefined` for an empty body).
 *
 * - `payload` must be the raw body exactly as received, not re-serialized JSON.
 * - `headers` may use `webhook-*` or `svix-*` names, in any case.
 * - `secretOrSecrets`: `whsec_` secrets check `v1` signatures; `whpk_` public
 *   keys (or `whsk_` secret keys) check `v1a` signatures. Any one match passes.
 *
 * Throws {@link WebhookVerificationError} when the request is not authentic or
 * is outside the timestamp tolerance (answer 400 and drop it), and
 * {@link InvalidSecretError} when a configured secret is malformed.
 *
 * @example
 * ```ts
 * // Express: app.post('/webhooks', express.raw({ type: '*\/*' }), handler)
 * const event = verifyWebhook(req.body, req.headers, process.env.WEBHOOK_SECRET!);
 *
 * // fetch-style (Hono, Next.js route handlers, Workers):
 * const event = verifyWebhook(await request.text(), request.headers, 'whpk_…');
 * ```
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secretOrSecrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): unknown {
  const secrets = typeof secretOrSecrets === 'string' ? [secretOrSecrets] : secretOrSecrets;
  if (secrets.length === 0) throw new InvalidSecretError('At least one secret or public key is required');
  // Resolve keys first so a misconfigured secret is reported as such, whatever the request.
  const hmacSecrets: string[] = [];
  const publicKeys: KeyObject[] = [];
  for (const secret of secrets) {
    if (secretKind(secret) === 'symmetric') {
      hmacKey(secret);
      hmacSecrets.push(secret);
    } else {
      publicKeys.push(verifyKey(secret));
    }
  }

  const { id, timestamp, signature } = signatureMetadata(headers);
  checkTimestamp(timestamp, options);

  const content = typeof payload === 'string' ? signedContent(id, timestamp, payload) : Buffer.concat([Buffer.from(signedContent(id, timestamp, ''), 'utf8'), payload]);
  let expectedV1: string[] | undefined;
  let contentBytes: Buffer | undefined;

  let matched = false;
  for (const token of signature.split(' ')) {
    const comma = token.indexOf(',');
    if (comma === -1) continue;
    const version = token.slice(0, comma);
    const value = token.slice(comma + 1);
    if (version === 'v1' && hmacSecrets.length > 0) {
      expectedV1 ??= hmacSecrets.map((secret) => hmacSignature(secret, content));
      // No early exit: compare against every secret so timing does not reveal which one matched.
      for (const expected of expectedV1) matched = equalStrings(value, expected) || matched;
    } else if (version === 'v1a' && publicKeys.length > 0) {
      const bytes = decodeEd25519Signature(value);
      if (bytes === undefined) continue;
      contentBytes ??= typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (const key of publicKeys) matched = verify(null, contentBytes, key, bytes) || matched;
    }
    if (matched) break;
  }
  if (!matched) throw new WebhookVerificationError('No matching signature found');

  const text = toText(payload);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookVerificationError('Signature is valid but the payload is not valid JSON', { cause: error });
  }
}
