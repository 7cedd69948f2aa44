import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

// Secrets at rest (endpoint signing keys, custom header values) are stored as a versioned
// envelope: `hl1:<keyId>:<base64(iv | ciphertext | tag)>`, AES-256-GCM. The key id says which
// master key decrypts it, so keys can be rotated while old rows are still readable, and it is the
// GCM additional data: an envelope relabelled with another key id fails to decrypt.

const VERSION = 'hl1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Decrypted values kept per box: every delivery attempt reads its endpoint's secrets and headers. */
const CACHE_SIZE = 10_000;
const ENVELOPE = /^hl1:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/]+={0,2})$/;

export const ENCRYPTION_KEYS_VARIABLE = 'HOOKLINE_ENCRYPTION_KEYS';

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** A stored secret that cannot be decrypted: its key is missing or wrong, or the data was altered. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

/**
 * Parses `keyId:base64,keyId:base64,…` (each key 32 bytes, e.g. `openssl rand -base64 32`).
 * Messages name the key id or position, never the key material, as they end up in logs.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) throw new Error('expected comma-separated keyId:base64key entries, e.g. "k1:$(openssl rand -base64 32)"');
  const keys: EncryptionKey[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id)) throw new Error(`entry ${i + 1}: expected keyId:base64key with a key id of letters, digits, "-", "_" or "." (1 to 64)`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    // Buffer.from ignores what is not base64; re-encoding shows whether the whole value was.
    if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/')) {
      throw new Error(`key "${id}": expected the base64 of exactly ${KEY_BYTES} random bytes (openssl rand -base64 32)`);
    }
    if (keys.some((k) => k.id === id)) throw new Error(`key "${id}" is given twice`);
    keys.push({ id, key });
  });
  return keys;
}

/** True when a stored value is an envelope; anything else is a plaintext row from before encryption. */
export const isEncrypted = (stored: string): boolean => stored.startsWith(`${VERSION}:`);

/**
 * Encrypts with the first (primary) key; decrypts with any key it holds. Values stored before
 * encryption at rest (no `hl1:` prefix) are read as they are, until re-encryption rewrites them.
 */
export class SecretBox {
  // KeyObjects, not Buffers: a Buffer key is imported again on every call, many times slower.
  readonly #keys: ReadonlyMap<string, KeyObject>;
  // By envelope, which is unique per encryption (random IV): an altered one is never a hit.
  readonly #decrypted = new Map<string, string>();
  readonly primaryKeyId: string;

  constructor(keys: readonly EncryptionKey[]) {
    const [primary] = keys;
    if (!primary) throw new Error('a SecretBox needs at least one key');
    this.primaryKeyId = primary.id;
    this.#keys = new Map(keys.map((k) => [k.id, createSecretKey(k.key)]));
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts with the primary key (another of the box's keys only for its start-up check value). */
  encrypt(plaintext: string, keyId = this.primaryKeyId): string {
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`no encryption key "${keyId}"`);
    const header = `${VERSION}:${keyId}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(header));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${header}:${body.toString('base64')}`;
  }

  decrypt(stored: string): string {
    if (!isEncrypted(stored)) return stored;
    const cached = this.#decrypted.get(stored);
    if (cached !== undefined) return cached;
    const plaintext = this.#open(stored);
    // Insertion order evicts the oldest: cheap, and enough for a working set of live endpoints.
    if (this.#decrypted.size >= CACHE_SIZE) this.#decrypted.delete(this.#decrypted.keys().next().value!);
    this.#decrypted.set(stored, plaintext);
    return plaintext;
  }

  #open(stored: string): string {
    const match = ENVELOPE.exec(stored);
    const data = match ? Buffer.from(match[2]!, 'base64') : Buffer.alloc(0);
    if (!match || data.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError('a stored secret is not a valid encrypted value (the data was altered)');
    const keyId = match[1]!;
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(`a stored secret is encrypted with key "${keyId}", which is not in ${ENCRYPTION_KEYS_VARIABLE} ` +
        `(it has: ${this.keyIds.join(', ')}); add that key back, after the primary one, to read it`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(`a stored secret does not decrypt with key "${keyId}" of ${ENCRYPTION_KEYS_VARIABLE}: ` +
        'the key is not the one it was encrypted with, or the data was altered');
    }
  }

  /** The prefix of every value encrypted with the primary key: one that lacks it needs re-encrypting. */
  get currentPrefix(): string {
    return `${VERSION}:${this.primaryKeyId}:`;
  }

  /** True when a stored value is encrypted with the primary key (nothing to re-encrypt). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(this.currentPrefix);
  }
}
