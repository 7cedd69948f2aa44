import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES, privateKeyFromSeed, rawPublicKey } from './ed25519.ts';
import { InvalidSecretError } from './errors.ts';

/** Prefix of symmetric (HMAC-SHA256, `v1`) secrets. */
export const SYMMETRIC_SECRET_PREFIX = 'whsec_';
/** Prefix of asymmetric (ed25519, `v1a`) secret keys. */
export const ASYMMETRIC_SECRET_PREFIX = 'whsk_';
/** Prefix of asymmetric (ed25519, `v1a`) public keys. */
export const PUBLIC_KEY_PREFIX = 'whpk_';

/** Symmetric key size bounds in bytes (Svix / Standard Webhooks: 192 to 512 bits). */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
const GENERATED_SECRET_BYTES = 24;

/** What a secret string is, judged by its prefix. Bare base64 counts as symmetric. */
export type SecretKind = 'symmetric' | 'ed25519-secret' | 'ed25519-public';

export function secretKind(secret: string): SecretKind {
  if (secret.startsWith(ASYMMETRIC_SECRET_PREFIX)) return 'ed25519-secret';
  if (secret.startsWith(PUBLIC_KEY_PREFIX)) return 'ed25519-public';
  return 'symmetric';
}

/** An ed25519 key pair in Standard Webhooks serialization. */
export interface AsymmetricKeyPair {
  /** `whsk_` + base64(32-byte seed || 32-byte public key). Keep it on the sender. */
  secret: string;
  /** `whpk_` + base64(32-byte public key). Give it to receivers. */
  publicKey: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Strict standard-alphabet base64 decoding (padding optional). Node's decoder
 * silently skips invalid characters, so validate first and reject
 * non-canonical input by re-encoding.
 */
function decodeBase64(text: string, what: string): Buffer {
  const unpadded = text.replace(/=+$/, '');
  const padded = text.length !== unpadded.length;
  if (!BASE64.test(text) || unpadded.length % 4 === 1 || (padded && text.length % 4 !== 0)) {
    throw new InvalidSecretError(`${what} is not valid base64`);
  }
  const bytes = Buffer.from(unpadded, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded) {
    throw new InvalidSecretError(`${what} is not valid base64`);
  }
  return bytes;
}

/**
 * Generates a new symmetric signing secret: `whsec_` + base64 of 24 random bytes.
 *
 * @example
 * ```ts
 * const secret = generateSecret(); // 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
 * ```
 */
export function generateSecret(): string {
  return SYMMETRIC_SECRET_PREFIX + randomBytes(GENERATED_SECRET_BYTES).toString('base64');
}

/**
 * Decodes a symmetric secret (`whsec_<base64>` or bare base64) to its key bytes.
 * Throws {@link InvalidSecretError} if it is empty, not base64, an asymmetric
 * key, or not 24–64 bytes long once decoded.
 *
 * @example
 * ```ts
 * const key = parseSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // 24-byte Buffer
 * ```
 */
export function parseSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidSecretError('Secret must be a non-empty string');
  }
  if (secretKind(secret) !== 'symmetric') {
    throw new InvalidSecretError(`Expected a symmetric ${SYMMETRIC_SECRET_PREFIX} secret, got an asymmetric ${secret.slice(0, 5)} key`);
  }
  const body = secret.startsWith(SYMMETRIC_SECRET_PREFIX) ? secret.slice(SYMMETRIC_SECRET_PREFIX.length) : secret;
  if (body.length === 0) throw new InvalidSecretError('Secret is empty after the whsec_ prefix');
  const key = decodeBase64(body, 'Secret');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new InvalidSecretError(`Secret must decode to ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes, got ${key.length}`);
  }
  return key;
}

/**
 * Decodes a `whsk_` secret key to its 32-byte seed and 32-byte public key,
 * checking that the public half really belongs to the seed.
 */
export function parseAsymmetricSecret(secret: string): { seed: Buffer; publicKey: Buffer } {
  if (typeof secret !== 'string' || !secret.startsWith(ASYMMETRIC_SECRET_PREFIX)) {
    throw new InvalidSecretError(`Asymmetric secret key must start with ${ASYMMETRIC_SECRET_PREFIX}`);
  }
  const bytes = decodeBase64(secret.slice(ASYMMETRIC_SECRET_PREFIX.length), 'Asymmetric secret key');
  if (bytes.length !== ED25519_SEED_BYTES + ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidSecretError(`Asymmetric secret key must decode to ${ED25519_SEED_BYTES + ED25519_PUBLIC_KEY_BYTES} bytes, got ${bytes.length}`);
  }
  const seed = bytes.subarray(0, ED25519_SEED_BYTES);
  const publicKey = bytes.subarray(ED25519_SEED_BYTES);
  if (!rawPublicKey(privateKeyFromSeed(seed)).equals(publicKey)) {
    throw new InvalidSecretError('Asymmetric secret key is corrupt: its public half does not match its seed');
  }
  return { seed, publicKey };
}

/** Decodes a `whpk_` public key to its 32 raw bytes. */
export function parsePublicKey(publicKey: string): Buffer {
  if (typeof publicKey !== 'string' || !publicKey.startsWith(PUBLIC_KEY_PREFIX)) {
    throw new InvalidSecretError(`Public key must start with ${PUBLIC_KEY_PREFIX}`);
  }
  const bytes = decodeBase64(publicKey.slice(PUBLIC_KEY_PREFIX.length), 'Public key');
  if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidSecretError(`Public key must decode to ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Generates an ed25519 key pair for asymmetric (`v1a`) signatures. Sign with
 * `secret`; publish `publicKey` to receivers.
 *
 * @example
 * ```ts
 * const { secret, publicKey } = generateAsymmetricKeyPair();
 * // secret: 'whsk_…' (keep private), publicKey: 'whpk_…' (share with receivers)
 * ```
 */
export function generateAsymmetricKeyPair(): AsymmetricKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.d === undefined || jwk.x === undefined) throw new Error('ed25519 JWK export lacks d or x');
  const seed = Buffer.from(jwk.d, 'base64url');
  const publicKey = Buffer.from(jwk.x, 'base64url');
  return {
    secret: ASYMMETRIC_SECRET_PREFIX + Buffer.concat([seed, publicKey]).toString('base64'),
    publicKey: PUBLIC_KEY_PREFIX + publicKey.toString('base64'),
  };
}

/**
 * Returns the `whpk_` public key that belongs to a `whsk_` secret key.
 *
 * @example
 * ```ts
 * const { secret } = generateAsymmetricKeyPair();
 * const publicKey = publicKeyFromSecret(secret); // 'whpk_…'
 * ```
 */
export function publicKeyFromSecret(secret: string): string {
  return PUBLIC_KEY_PREFIX + parseAsymmetricSecret(secret).publicKey.toString('base64');
}
