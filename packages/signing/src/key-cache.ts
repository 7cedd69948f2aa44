import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { privateKeyFromSeed, publicKeyFromRaw } from './ed25519.ts';
import { LruCache } from './lru-cache.ts';
import { parseAsymmetricSecret, parsePublicKey, parseSecret, secretKind } from './secret.ts';

/**
 * Secret strings → ready-to-use KeyObjects. Parsing a secret and importing it
 * costs more than the HMAC itself (and HMAC with a KeyObject is several times
 * faster than with a raw Buffer), so each cache keeps up to this many keys.
 * Invalid secrets are never cached: they throw InvalidSecretError every time.
 */
export const KEY_CACHE_SIZE = 10_000;

const hmacKeys = new LruCache<string, KeyObject>(KEY_CACHE_SIZE);
const signingKeys = new LruCache<string, KeyObject>(KEY_CACHE_SIZE);
const verifyKeys = new LruCache<string, KeyObject>(KEY_CACHE_SIZE);

/** HMAC-SHA256 key for a `whsec_` (or bare base64) secret. */
export function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (key === undefined) {
    key = createSecretKey(parseSecret(secret));
    hmacKeys.set(secret, key);
  }
  return key;
}

/** ed25519 private key for a `whsk_` secret key. */
export function signingKey(secret: string): KeyObject {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = privateKeyFromSeed(parseAsymmetricSecret(secret).seed);
    signingKeys.set(secret, key);
  }
  return key;
}

/** ed25519 public key for a `whpk_` public key or a `whsk_` secret key. */
export function verifyKey(publicKeyOrSecret: string): KeyObject {
  let key = verifyKeys.get(publicKeyOrSecret);
  if (key === undefined) {
    const raw = secretKind(publicKeyOrSecret) === 'ed25519-secret' ? parseAsymmetricSecret(publicKeyOrSecret).publicKey : parsePublicKey(publicKeyOrSecret);
    key = publicKeyFromRaw(raw);
    verifyKeys.set(publicKeyOrSecret, key);
  }
  return key;
}
