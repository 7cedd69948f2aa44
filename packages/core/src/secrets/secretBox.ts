import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

// Secrets at rest (endpoint signing keys, custom header values) are stored as a versioned
// envelope: `hl2:<keyId>:<base64(iv | ciphertext | tag)>`, AES-256-GCM. The key id says which
// master key decrypts it, so keys can be rotated while old rows are still readable. The GCM
// additional data is the key id and the value's place (table, column, row id, tenant, and the
// header name within `endpoint.headers`): an envelope relabelled with another key id, or copied
// to another row, column, header or tenant, fails to decrypt. `hl1:` envelopes (key id only) and
// plaintext come from older versions: read until re-encryption has bound every value, then refused.

const VERSION = 'hl2';
const UNBOUND_VERSION = 'hl1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Decrypted values kept per box: every delivery attempt reads its endpoint's secrets and headers. */
const CACHE_SIZE = 10_000;
const ENVELOPE = /^(hl[12]):([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/]+={0,2})$/;

export const ENCRYPTION_KEYS_VARIABLE = 'HOOKLINE_ENCRYPTION_KEYS';

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** A stored secret that cannot be decrypted: its key is missing or wrong, the data was altered or moved, or it is unbound after the upgrade. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

/** Where a secret is stored: authenticated with it, so it decrypts only there. */
export interface SecretPlace {
  readonly table: string;
  readonly column: string;
  /** The row's id (a setting's key). */
  readonly rowId: string;
  /** The owning tenant; '' for values of the whole installation (settings). */
  readonly tenantId: string;
  /** Within a JSON column, the key the value is stored under (a header's name). */
  readonly field?: string | undefined;
}

/** The place as logs show it: `endpoint.headers["X-Team"] of ep_…`; names only, never a value. */
export const describePlace = (place: SecretPlace): string =>
  `${place.table}.${place.column}${place.field === undefined ? '' : `[${JSON.stringify(place.field)}]`} of ${place.rowId}`;

/** The GCM additional data: a JSON array, so no two places (or key ids) share an encoding. */
const associatedData = (keyId: string, place: SecretPlace): Buffer =>
  Buffer.from(JSON.stringify([VERSION, keyId, place.table, place.column, place.rowId, place.tenantId, place.field ?? null]));

/**
 * Parses `keyId:base64,keyId:base64,…` (each key 32 bytes, e.g. `openssl rand -base64 32`).
 * Messages name the key id or position, never the key material, as they end up in logs.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
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

/** True when a stored value is an envelope (bound or not); anything else is a plaintext row from before encryption. */
export const isEncrypted = (stored: string): boolean => stored.startsWith(`${VERSION}:`) || stored.startsWith(`${UNBOUND_VERSION}:`);

/** True when a stored value is bound to its place (`hl2:`); false for `hl1:` envelopes and plaintext. */
export const isBound = (stored: string): boolean => stored.startsWith(`${VERSION}:`);

/**
 * Encrypts with the first (primary) key; decrypts with any key it holds, each value only at the
 * place it was encrypted for. Values from older versions (`hl1:` envelopes, plaintext) are read
 * as they are until {@link SecretBox.refuseUnbound} (re-encryption has bound every value).
 */
export class SecretBox {
  // KeyObjects, not Buffers: a Buffer key is imported again on every call, many times slower.
  readonly #keys: ReadonlyMap<string, KeyObject>;
  // By envelope and place (the envelope is unique per encryption, random IV): an altered or moved one is never a hit.
  readonly #decrypted = new Map<string, string>();
  #acceptsUnbound = true;
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

  /** False once every stored value is bound: `hl1:` envelopes and plaintext are refused from then on. */
  get acceptsUnbound(): boolean {
    return this.#acceptsUnbound;
  }

  /** Refuses unbound values from now on (there is no way back: a process learns it once). */
  refuseUnbound(): void {
    this.#acceptsUnbound = false;
    this.#decrypted.clear();
  }

  /** Encrypts for `place` with the primary key (another of the box's keys only for its start-up check value). */
  encrypt(plaintext: string, place: SecretPlace, keyId = this.primaryKeyId): string {
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`no encryption key "${keyId}"`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId, place));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${keyId}:${body.toString('base64')}`;
  }

  /** Decrypts a value stored at `place`; throws SecretDecryptionError when it was not encrypted for that place. */
  decrypt(stored: string, place: SecretPlace): string {
    const bound = isBound(stored);
    if (!bound && !this.#acceptsUnbound) {
      throw new SecretDecryptionError(
        `the stored value at ${describePlace(place)} is ${isEncrypted(stored) ? `an unbound (${UNBOUND_VERSION}) envelope` : 'not encrypted'}, ` +
          'which is refused since re-encryption bound every stored secret to its place',
      );
    }
    if (!isEncrypted(stored)) return stored;
    const cacheKey = bound ? `${stored}\n${JSON.stringify(place)}` : stored;
    const cached = this.#decrypted.get(cacheKey);
    if (cached !== undefined) return cached;
    const plaintext = this.#open(stored, place);
    // Insertion order evicts the oldest: cheap, and enough for a working set of live endpoints.
    if (this.#decrypted.size >= CACHE_SIZE) this.#decrypted.delete(this.#decrypted.keys().next().value!);
    this.#decrypted.set(cacheKey, plaintext);
    return plaintext;
  }

  #open(stored: string, place: SecretPlace): string {
    const match = ENVELOPE.exec(stored);
    const data = match ? Buffer.from(match[3]!, 'base64') : Buffer.alloc(0);
    if (!match || data.length < IV_BYTES + TAG_BYTES)
      throw new SecretDecryptionError(`the stored value at ${describePlace(place)} is not a valid encrypted value (the data was altered)`);
    const [, version, keyId] = match as unknown as [string, string, string];
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `the stored value at ${describePlace(place)} is encrypted with key "${keyId}", which is not in ${ENCRYPTION_KEYS_VARIABLE} ` +
          `(it has: ${this.keyIds.join(', ')}); add that key back, after the primary one, to read it`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(version === VERSION ? associatedData(keyId, place) : Buffer.from(`${UNBOUND_VERSION}:${keyId}`));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `the stored value at ${describePlace(place)} does not decrypt with key "${keyId}" of ${ENCRYPTION_KEYS_VARIABLE}: ` +
          'the key is not the one it was encrypted with, or the data was altered or copied from another place',
      );
    }
  }

  /** The prefix of every value bound and encrypted with the primary key: one that lacks it needs re-encrypting. */
  get currentPrefix(): string {
    return `${VERSION}:${this.primaryKeyId}:`;
  }

  /** True when a stored value is bound and encrypted with the primary key (nothing to re-encrypt). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(this.currentPrefix);
  }
}
