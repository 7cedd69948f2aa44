import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { secretStorageRepo, type Database } from '@hookline/db';
import { ConfigError, type Config } from '../config.ts';
import { ENCRYPTION_KEYS_VARIABLE, isBound, isEncrypted, parseEncryptionKeys, SecretBox, SecretDecryptionError, type EncryptionKey } from './secretBox.ts';
import { settingPlace } from './secretPlaces.ts';

/** The generated key of an embedded-database install, next to its data (same format as the variable). */
export const LOCAL_KEY_FILE = 'encryption-key';
const LOCAL_KEY_ID = 'local';
const CHECK_TEXT = 'hookline key check';

async function readLocalKey(file: string): Promise<EncryptionKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return parseEncryptionKeys(text)[0];
  } catch (err) {
    throw new ConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The key of a zero-configuration install: generated on first start and kept in the data folder,
 * readable by its owner only, as the embedded database's password is. Two processes starting at
 * once agree on one key: only one of them can create the file.
 */
export async function loadOrCreateLocalKey(dataDir: string): Promise<EncryptionKey> {
  const file = path.join(dataDir, LOCAL_KEY_FILE);
  const existing = await readLocalKey(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${LOCAL_KEY_ID}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const created = await readLocalKey(file);
  if (!created) throw new Error(`${file} vanished while it was being created`);
  return created;
}

/**
 * The master keys of this process: HOOKLINE_ENCRYPTION_KEYS (the first encrypts). Against the
 * embedded database they may be left out: the local key file is used, created when missing, and
 * it stays readable (as a decrypt-only key) after keys are configured, so that moving from it to
 * configured keys is an ordinary rotation. With DATABASE_URL the keys must be configured: a key
 * kept on one machine's disk would not reach the other processes, and would be lost with it.
 */
export async function openSecretBox(config: Pick<Readonly<Config>, 'encryptionKeys' | 'dataDir'>, database: { embedded: boolean }): Promise<SecretBox> {
  const configured = config.encryptionKeys ?? [];
  if (!database.embedded) {
    if (configured.length === 0) {
      throw new ConfigError(
        `${ENCRYPTION_KEYS_VARIABLE} is required with DATABASE_URL: endpoint secrets and header values are ` +
          `encrypted with it. Generate a key with "openssl rand -base64 32" and set ${ENCRYPTION_KEYS_VARIABLE}=k1:<that key>.`,
      );
    }
    return new SecretBox(configured);
  }
  const file = path.join(config.dataDir, LOCAL_KEY_FILE);
  const local = configured.length === 0 ? await loadOrCreateLocalKey(config.dataDir) : await readLocalKey(file);
  const extra = local && !configured.some((k) => k.id === local.id) ? [local] : [];
  return new SecretBox([...configured, ...extra]);
}

/**
 * Checks the keys against the database at start, so a wrong key fails here with a clear message
 * rather than later at each delivery. Each key used here leaves a check value (a known text
 * encrypted with it): a configured key that does not decrypt its own check value is not the key
 * of that id, and a check value of a key that is not configured means data may still be encrypted
 * with it (a full re-encryption pass removes the check values of the keys it moved data off).
 */
export async function checkMasterKeys(db: Database, box: SecretBox): Promise<void> {
  const checks = await secretStorageRepo.listKeyChecks(db);
  for (const keyId of box.keyIds) {
    const check = checks.get(keyId);
    const place = settingPlace(secretStorageRepo.keyCheckSetting(keyId));
    if (check === undefined) {
      await secretStorageRepo.insertKeyCheck(db, keyId, box.encrypt(CHECK_TEXT, place, keyId));
      continue;
    }
    let ok = false;
    try {
      // Read before the box learns whether unbound values are refused: an older version's check value is unbound.
      ok = isEncrypted(check) && check.split(':')[1] === keyId && box.decrypt(check, place) === CHECK_TEXT;
    } catch (err) {
      if (!(err instanceof SecretDecryptionError)) throw err;
    }
    if (!ok) {
      throw new ConfigError(`${ENCRYPTION_KEYS_VARIABLE}: key "${keyId}" is not the key this database's secrets were encrypted with under that id`);
    }
    if (!isBound(check)) await secretStorageRepo.updateKeyCheck(db, keyId, box.encrypt(CHECK_TEXT, place, keyId));
  }
  const missing = [...checks.keys()].filter((id) => !box.keyIds.includes(id));
  if (missing.length > 0) {
    throw new ConfigError(
      `${ENCRYPTION_KEYS_VARIABLE} lacks key(s) ${missing.map((id) => `"${id}"`).join(', ')}, which stored secrets may still be ` +
        'encrypted with: add them back after the primary key, and run "hookline reencrypt" before removing them',
    );
  }
}
