import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError, createLogger, isEncrypted, loadConfig, loadOrCreateLocalKey, LOCAL_KEY_FILE, openSecretBox, parseEncryptionKeys, SecretBox,
  SecretDecryptionError,
} from '@hookline/core';

const b64 = () => randomBytes(32).toString('base64');
const [k1, k2] = parseEncryptionKeys(`k1:${b64()},k2:${b64()}`);
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The envelope with one byte of its binary part changed at `index` (negative: from the end). */
function flipByte(envelope: string, index: number): string {
  const [version, keyId, body] = envelope.split(':') as [string, string, string];
  const data = Buffer.from(body, 'base64');
  const i = index < 0 ? data.length + index : index;
  data[i] = data[i]! ^ 0x01;
  return `${version}:${keyId}:${data.toString('base64')}`;
}

describe('SecretBox', () => {
  it('encrypts into an hl1 envelope under the primary key, with a fresh IV each time, and decrypts it', () => {
    const box = new SecretBox([k1!, k2!]);
    const a = box.encrypt(secret);
    const b = box.encrypt(secret);
    expect(a).toMatch(/^hl1:k1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe(secret);
    expect(box.decrypt(b)).toBe(secret);
    expect(box.isCurrent(a)).toBe(true);
    expect(box.decrypt(box.encrypt(''))).toBe('');
    expect(box.decrypt(box.encrypt('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('reads values of any of its keys, and values stored before encryption as they are', () => {
    const old = new SecretBox([k1!]).encrypt(secret);
    const rotated = new SecretBox([k2!, k1!]);
    expect(rotated.decrypt(old)).toBe(secret);
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.encrypt(secret)).toMatch(/^hl1:k2:/);
    expect(isEncrypted(secret)).toBe(false);
    expect(rotated.decrypt(secret)).toBe(secret);
    expect(rotated.isCurrent(secret)).toBe(false);
  });

  it('fails with a clear error naming the key when the key is missing', () => {
    const stored = new SecretBox([k1!]).encrypt(secret);
    expect(() => new SecretBox([k2!]).decrypt(stored)).toThrow(SecretDecryptionError);
    expect(() => new SecretBox([k2!]).decrypt(stored)).toThrow(/encrypted with key "k1", which is not in HOOKLINE_ENCRYPTION_KEYS/);
  });

  it('fails, never returns a wrong plaintext, with a different key under the same id', () => {
    const stored = new SecretBox([k1!]).encrypt(secret);
    const impostor = new SecretBox([{ id: 'k1', key: randomBytes(32) }]);
    expect(() => impostor.decrypt(stored)).toThrow(/does not decrypt with key "k1"/);
  });

  it('detects tampering with the IV, the ciphertext, the tag, the key id or the envelope', () => {
    const box = new SecretBox([k1!, k2!]);
    const stored = box.encrypt(secret);
    expect(box.decrypt(stored)).toBe(secret); // now cached: an altered copy must still be checked
    for (const index of [0, 11, 12, 20, -17, -1]) {
      expect(() => box.decrypt(flipByte(stored, index)), `byte ${index}`).toThrow(SecretDecryptionError);
    }
    // The key id is authenticated: relabelling the envelope with another key the box holds fails.
    expect(() => box.decrypt(stored.replace('hl1:k1:', 'hl1:k2:'))).toThrow(SecretDecryptionError);
    const body = stored.split(':')[2]!;
    expect(() => box.decrypt(`hl1:k1:${body.slice(0, 20)}`)).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(`hl1:k1:${body}!`)).toThrow(/not a valid encrypted value/);
    expect(() => box.decrypt('hl1:k1')).toThrow(SecretDecryptionError);
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
    const stored = box.encrypt(secret);
    const again = await openSecretBox({ encryptionKeys: undefined, dataDir }, { embedded: true });
    expect(again.decrypt(stored)).toBe(secret);
    expect((await loadOrCreateLocalKey(dataDir)).key.equals((await loadOrCreateLocalKey(dataDir)).key)).toBe(true);
    // Configured keys take over encrypting; the generated one still reads what it encrypted.
    const configured = await openSecretBox({ encryptionKeys: [k1!], dataDir }, { embedded: true });
    expect(configured.keyIds).toEqual(['k1', 'local']);
    expect(configured.decrypt(stored)).toBe(secret);
    expect(configured.encrypt(secret)).toMatch(/^hl1:k1:/);
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
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const logger = createLogger('trace', sink);
    logger.info({ req: { headers: { authorization: 'Bearer hk_secret1' } }, secret, apiKey: 'hk_secret2', nested: { token: 'jwt.secret.3' } }, 'x');
    logger.child({ adminToken: 'hka_secret4' }).debug({ connectionString: 'postgres://u:pw5@h/db' }, 'y');
    expect(lines).toHaveLength(2);
    const all = lines.join('');
    for (const leaked of ['hk_secret1', secret, 'hk_secret2', 'jwt.secret.3', 'hka_secret4', 'pw5']) expect(all).not.toContain(leaked);
    expect(all).toContain('[Redacted]');
  });
});
