import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLogger,
  endpointSecretPlace,
  headerValuePlace,
  isBound,
  isEncrypted,
  loadConfig,
  loadOrCreateLocalKey,
  LOCAL_KEY_FILE,
  openSecretBox,
  parseEncryptionKeys,
  SecretBox,
  SecretDecryptionError,
  settingPlace,
  type EncryptionKey,
  type SecretPlace,
} from '@hookline/core';

const b64 = () => randomBytes(32).toString('base64');
const [k1, k2] = parseEncryptionKeys(`k1:${b64()},k2:${b64()}`);
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** A place to store values at, in these tests. */
const P: SecretPlace = { table: 'endpoint', column: 'headers', rowId: 'ep_a', tenantId: 'org_a', field: 'Authorization' };

/** An envelope as versions before binding wrote it: AES-256-GCM with only `hl1:<keyId>` as additional data. */
function hl1Envelope(key: EncryptionKey, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`hl1:${key.id}`));
  return `hl1:${key.id}:${Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64')}`;
}

/** The envelope with one byte of its binary part changed at `index` (negative: from the end). */
function flipByte(envelope: string, index: number): string {
  const [version, keyId, body] = envelope.split(':') as [string, string, string];
  const data = Buffer.from(body, 'base64');
  const i = index < 0 ? data.length + index : index;
  data[i] = data[i]! ^ 0x01;
  return `${version}:${keyId}:${data.toString('base64')}`;
}

describe('SecretBox', () => {
  it('encrypts into an hl2 envelope under the primary key, with a fresh IV each time, and decrypts it', () => {
    const box = new SecretBox([k1!, k2!]);
    const a = box.encrypt(secret, P);
    const b = box.encrypt(secret, P);
    expect(a).toMatch(/^hl2:k1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(box.decrypt(a, P)).toBe(secret);
    expect(box.decrypt(b, P)).toBe(secret);
    expect(box.isCurrent(a)).toBe(true);
    expect(isBound(a)).toBe(true);
    expect(box.decrypt(box.encrypt('', P), P)).toBe('');
    expect(box.decrypt(box.encrypt('ünïcødé ✓', P), P)).toBe('ünïcødé ✓');
  });

  it('reads values of any of its keys, and values stored before encryption as they are', () => {
    const old = new SecretBox([k1!]).encrypt(secret, P);
    const rotated = new SecretBox([k2!, k1!]);
    expect(rotated.decrypt(old, P)).toBe(secret);
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.encrypt(secret, P)).toMatch(/^hl2:k2:/);
    expect(isEncrypted(secret)).toBe(false);
    expect(rotated.decrypt(secret, P)).toBe(secret);
    expect(rotated.isCurrent(secret)).toBe(false);
  });

  it('decrypts a value only at its place: table, column, row, tenant and header name are authenticated', () => {
    const box = new SecretBox([k1!]);
    const stored = box.encrypt(secret, P);
    expect(box.decrypt(stored, P)).toBe(secret); // now cached: the cache must not answer for another place
    const elsewhere: SecretPlace[] = [
      { ...P, table: 'setting' },
      { ...P, column: 'secret' },
      { ...P, rowId: 'ep_other' },
      { ...P, tenantId: 'org_other' },
      { ...P, field: 'X-Team' },
      { table: P.table, column: P.column, rowId: P.rowId, tenantId: P.tenantId },
      // Boundaries cannot be shifted between fields.
      { ...P, rowId: `${P.rowId}org_a`, tenantId: '' },
    ];
    for (const place of elsewhere) {
      expect(() => box.decrypt(stored, place), JSON.stringify(place)).toThrow(SecretDecryptionError);
      expect(() => box.decrypt(stored, place)).toThrow(/copied from another place/);
    }
    // The real places of the kinds of secret: a signing secret does not read as a header value.
    const sec = box.encrypt(secret, endpointSecretPlace({ id: 'sec_1', tenantId: 'org_b' }));
    expect(() => box.decrypt(sec, headerValuePlace({ id: 'ep_a', tenantId: 'org_a' }, 'X-Team'))).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(sec, settingPlace('portal_signing_key'))).toThrow(SecretDecryptionError);
  });

  it('reads unbound (hl1) envelopes and plaintext only until it is told to refuse them', () => {
    const box = new SecretBox([k1!]);
    const legacy = hl1Envelope(k1!, secret);
    expect(isEncrypted(legacy)).toBe(true);
    expect(isBound(legacy)).toBe(false);
    expect(box.isCurrent(legacy)).toBe(false);
    expect(box.decrypt(legacy, P)).toBe(secret);
    expect(() => box.decrypt(legacy.replace('hl1:', 'hl2:'), P)).toThrow(SecretDecryptionError);
    const bound = box.encrypt(secret, P);
    box.refuseUnbound();
    expect(box.acceptsUnbound).toBe(false);
    expect(() => box.decrypt(legacy, P)).toThrow(/unbound \(hl1\) envelope, which is refused/);
    expect(() => box.decrypt(secret, P)).toThrow(/is not encrypted, which is refused/);
    expect(box.decrypt(bound, P)).toBe(secret);
  });

  it('fails with a clear error naming the key when the key is missing', () => {
    const stored = new SecretBox([k1!]).encrypt(secret, P);
    expect(() => new SecretBox([k2!]).decrypt(stored, P)).toThrow(SecretDecryptionError);
    expect(() => new SecretBox([k2!]).decrypt(stored, P)).toThrow(/encrypted with key "k1", which is not in HOOKLINE_ENCRYPTION_KEYS/);
  });

  it('fails, never returns a wrong plaintext, with a different key under the same id', () => {
    const stored = new SecretBox([k1!]).encrypt(secret, P);
    const impostor = new SecretBox([{ id: 'k1', key: randomBytes(32) }]);
    expect(() => impostor.decrypt(stored, P)).toThrow(/does not decrypt with key "k1"/);
  });

  it('detects tampering with the IV, the ciphertext, the tag, the key id or the envelope', () => {
    const box = new SecretBox([k1!, k2!]);
    const stored = box.encrypt(secret, P);
    expect(box.decrypt(stored, P)).toBe(secret); // now cached: an altered copy must still be checked
    for (const index of [0, 11, 12, 20, -17, -1]) {
      expect(() => box.decrypt(flipByte(stored, index), P), `byte ${index}`).toThrow(SecretDecryptionError);
    }
    // The key id is authenticated: relabelling the envelope with another key the box holds fails.
    expect(() => box.decrypt(stored.replace('hl2:k1:', 'hl2:k2:'), P)).toThrow(SecretDecryptionError);
    const body = stored.split(':')[2]!;
    expect(() => box.decrypt(`hl2:k1:${body.slice(0, 20)}`, P)).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(`hl2:k1:${body}!`, P)).toThrow(/not a valid encrypted value/);
    expect(() => box.decrypt('hl2:k1', P)).toThrow(SecretDecryptionError);
  });
});

describe('HOOKLINE_ENCRYPTION_KEYS', () => {
  it('parses comma-separated keyId:base64 entries, the first being the primary', () => {
    const a = b64();
    const keys = parseEncryptionKeys(` new:${a} , old:${b64()}`);
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(keys[0]!.key.equals(Buffer.from(a, 'base64'))).toBe(true);
    expect(loadConfig({ HOOKLINE_ENCRYPTION_KEYS: `k1:${a}` }).encryptionKeys?.map((k) => k.id)).toEqual(['k1']);
    expect(loadConfig({}).encryptionKeys).toBeUndefined();
  });

  it('refuses bad keys with a message that names the variable and never the key material', () => {
    const short = randomBytes(16).toString('base64');
    const good = b64();
    for (const bad of [good, `:${good}`, `k 1:${good}`, `k1:${short}`, `k1:${good.slice(0, -4)}@@@@`, `k1:${good},k1:${b64()}`, ',']) {
      let error: unknown;
      try {
        loadConfig({ HOOKLINE_ENCRYPTION_KEYS: bad });
      } catch (err) {
        error = err;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('HOOKLINE_ENCRYPTION_KEYS');
      expect(message).not.toContain(good);
      expect(message).not.toContain(short);
    }
  });
});

describe('master keys at start', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hookline-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('requires configured keys with DATABASE_URL', async () => {
    const dataDir = await tempDir();
    await expect(openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: false })).rejects.toThrow(ConfigError);
    await expect(openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: false })).rejects.toThrow(/HOOKLINE_ENCRYPTION_KEYS is required with DATABASE_URL/);
    const box = await openSecretBox({ encryptionKeys: [k1!], dataDir }, { embedded: false });
    expect(box.keyIds).toEqual(['k1']);
  });

  it('generates one key for the embedded database, owner-readable only, and keeps it', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const box = await openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: true });
    expect(box.keyIds).toEqual(['local']);
    const file = path.join(dataDir, LOCAL_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = box.encrypt(secret, P);
    const again = await openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: true });
    expect(again.decrypt(stored, P)).toBe(secret);
    expect((await loadOrCreateLocalKey(dataDir)).key.equals((await loadOrCreateLocalKey(dataDir)).key)).toBe(true);
    // Configured keys take over encrypting; the generated one still reads what it encrypted.
    const configured = await openSecretBox({ encryptionKeys: [k1!], dataDir }, { embedded: true });
    expect(configured.keyIds).toEqual(['k1', 'local']);
    expect(configured.decrypt(stored, P)).toBe(secret);
    expect(configured.encrypt(secret, P)).toMatch(/^hl2:k1:/);
  });

  it('creates no key file when keys are configured, and reports a damaged one by its path', async () => {
    const dataDir = await tempDir();
    await openSecretBox({ encryptionKeys: [k1!], dataDir }, { embedded: true });
    await expect(readFile(path.join(dataDir, LOCAL_KEY_FILE))).rejects.toThrow(/ENOENT/);
    await writeFile(path.join(dataDir, LOCAL_KEY_FILE), 'local:not-a-key\n');
    await expect(openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: true })).rejects.toThrow(new RegExp(LOCAL_KEY_FILE));
  });
});

describe('logger', () => {
  it('redacts credential fields and headers if a log call ever carries them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('trace', sink);
    logger.info({ req: { headers: { authorization: 'Bearer hk_secret1' } }, secret, apiKey: 'hk_secret2', nested: { token: 'jwt.secret.3' } }, 'x');
    logger.child({ adminToken: 'hka_secret4' }).debug({ connectionString: 'postgres://u:pw5@h/db' }, 'y');
    expect(lines).toHaveLength(2);
    const all = lines.join('');
    for (const leaked of ['hk_secret1', secret, 'hk_secret2', 'jwt.secret.3', 'hka_secret4', 'pw5']) expect(all).not.toContain(leaked);
    expect(all).toContain('[Redacted]');
  });
});
