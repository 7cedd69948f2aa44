import { createHash, randomBytes } from 'node:crypto';
import { tenantRepo, type Database } from '@hookline/db';
import type { Config } from '../config.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { settingPlace } from '../secrets/secretPlaces.ts';

// Portal tokens name the key that signed them (`kid` in the JWT header), so that a key can be
// rotated with overlap: the new key signs, the old one still verifies the tokens it signed until
// the operator removes it (tokens live 7 days at most). Tokens from before key ids have no `kid`;
// only the legacy key (HOOKLINE_PORTAL_SIGNING_KEY, or the generated one) verifies those.

const KEY_SETTING = 'portal_signing_key';
/** The setting that holds the generated portal signing key (encrypted; re-encryption looks for it by name). */
export const PORTAL_SIGNING_KEY_SETTING = KEY_SETTING;
const KEY_ID_SETTING = 'portal_signing_key_id';

export interface PortalSigningKey {
  kid: string;
  key: Uint8Array;
}

/** The keys a process signs and verifies portal tokens with. */
export interface PortalKeyRing {
  /** Signs every new token. */
  signing: PortalSigningKey;
  /** Verifies a token by its `kid`. */
  byKid: ReadonlyMap<string, Uint8Array>;
  /** Verifies a token without `kid` (issued before key ids), if there is a legacy key. */
  legacy: Uint8Array | undefined;
}

/** A ring of keys: the first signs, all verify, `legacy` verifies tokens without key id (and by its own kid). */
export function portalKeyRing(keys: readonly PortalSigningKey[], legacy?: PortalSigningKey): PortalKeyRing {
  const all = legacy ? [...keys, legacy] : [...keys];
  const signing = all[0];
  if (!signing) throw new Error('a portal key ring needs a key');
  return { signing, byKid: new Map(all.map((k) => [k.kid, k.key])), legacy: legacy?.key };
}

const encode = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** A stable key id for the single configured key, so every api process puts the same one on its tokens. */
const derivedKeyId = (secret: string): string => `h${createHash('sha256').update(`hookline-portal-kid:${secret}`).digest('hex').slice(0, 16)}`;

/**
 * The portal key ring from the configuration: HOOKLINE_PORTAL_SIGNING_KEYS (`kid:key,…`, the first
 * signs) and/or HOOKLINE_PORTAL_SIGNING_KEY (the legacy key). With neither, the key generated once
 * and kept encrypted in the database, with a key id generated and kept beside it.
 */
export async function loadPortalKeyRing(db: Database, config: Pick<Config, 'portalSigningKey' | 'portalSigningKeys'>, box: SecretBox): Promise<PortalKeyRing> {
  const legacy = config.portalSigningKey === undefined ? undefined : { kid: derivedKeyId(config.portalSigningKey), key: encode(config.portalSigningKey) };
  const keys = (config.portalSigningKeys ?? []).map((k) => ({ kid: k.kid, key: encode(k.secret) }));
  if (keys.length > 0 || legacy) return portalKeyRing(keys, legacy);
  const key = await loadPortalSigningKey(db, undefined, box);
  const kid = await tenantRepo.putSettingIfAbsent(db, KEY_ID_SETTING, `g${randomBytes(8).toString('hex')}`);
  // Tokens issued before the key had an id were signed by it: it is the legacy key too.
  return portalKeyRing([], { kid, key });
}

/**
 * The HS256 key portal tokens are signed with: the configured one, else a random key generated once
 * and kept in the database (encrypted, like endpoint secrets: whoever reads the database must not
 * be able to mint tokens), so that every api process verifies the tokens any other one issued.
 */
export async function loadPortalSigningKey(db: Database, configured: string | undefined, box: SecretBox): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const generated = randomBytes(32).toString('base64');
  const place = settingPlace(KEY_SETTING);
  await db
    .insertInto('setting')
    .values({ key: KEY_SETTING, value: box.encrypt(generated, place) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = await tenantRepo.getSetting(db, KEY_SETTING);
  const key = stored === undefined ? generated : box.decrypt(stored, place);
  // Stored before encryption at rest, unbound, or under an older master key: the same key, stored encrypted and bound now.
  if (stored !== undefined && !box.isCurrent(stored)) await tenantRepo.putSetting(db, KEY_SETTING, box.encrypt(key, place));
  return Buffer.from(key, 'base64');
}
