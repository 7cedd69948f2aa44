import { sql } from 'kysely';
import type { Database, Transaction } from '../connect.ts';

// Queries of the re-encryption pass (see core's secrets/reencrypt.ts): rows holding a secret that
// is not bound and encrypted with the primary key (`prefix`), in id order, locked until the caller
// commits, so a concurrent rotation or header edit waits for the rewrite instead of racing it.

export async function lockSecretsNotUnder(
  trx: Transaction,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<{ id: string; tenantId: string; secret: string }>> {
  return trx
    .selectFrom('endpointSecret')
    .select(['id', 'tenantId', 'secret'])
    .where('id', '>', afterId)
    .where(sql<boolean>`NOT starts_with(secret, ${prefix})`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function setSecret(trx: Database, id: string, secret: string): Promise<void> {
  await trx.updateTable('endpointSecret').set({ secret }).where('id', '=', id).execute();
}

/** Endpoints' mutual TLS client keys not under `prefix`, in endpoint order, locked. */
export async function lockMtlsKeysNotUnder(
  trx: Transaction,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<{ endpointId: string; tenantId: string; clientKey: string }>> {
  return trx
    .selectFrom('endpointMtls')
    .select(['endpointId', 'tenantId', 'clientKey'])
    .where('endpointId', '>', afterId)
    .where('clientKey', 'is not', null)
    .where(sql<boolean>`NOT starts_with(client_key, ${prefix})`)
    .orderBy('endpointId')
    .limit(limit)
    .forUpdate()
    .$narrowType<{ clientKey: string }>()
    .execute();
}

/** Rewrites the stored form of a client key; not a change of the settings (updatedAt stays). */
export async function setMtlsKey(trx: Database, endpointId: string, clientKey: string): Promise<void> {
  await trx.updateTable('endpointMtls').set({ clientKey }).where('endpointId', '=', endpointId).execute();
}

export async function lockEndpointsWithHeadersNotUnder(
  trx: Transaction,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<{ id: string; tenantId: string; headers: Record<string, string> }>> {
  return trx
    .selectFrom('endpoint')
    .select(['id', 'tenantId', 'headers'])
    .where('id', '>', afterId)
    .where(sql<boolean>`EXISTS (SELECT 1 FROM jsonb_each_text(headers) h WHERE NOT starts_with(h.value, ${prefix}))`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

/** Rewrites the stored form of an endpoint's headers; not a change of its settings (version and updatedAt stay). */
export async function setStoredHeaders(trx: Database, id: string, headers: Record<string, string>): Promise<void> {
  await trx
    .updateTable('endpoint')
    .set({ headers: JSON.stringify(headers) })
    .where('id', '=', id)
    .execute();
}

export async function lockEndpointAuthNotUnder(
  trx: Transaction,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<{ id: string; tenantId: string; oauthClientSecret: string | null; basicPassword: string | null }>> {
  return trx
    .selectFrom('endpointAuth')
    .select(['endpointId as id', 'tenantId', 'oauthClientSecret', 'basicPassword'])
    .where('endpointId', '>', afterId)
    .where(sql<boolean>`(NOT starts_with(oauth_client_secret, ${prefix}) OR NOT starts_with(basic_password, ${prefix}))`)
    .orderBy('endpointId')
    .limit(limit)
    .forUpdate()
    .execute();
}

/** Rewrites the stored form of an endpoint's OAuth client secret and basic-auth password; not a change (updatedAt, the token cache's key, stays). */
export async function setEndpointAuthSecrets(
  trx: Database,
  endpointId: string,
  values: { oauthClientSecret: string | null; basicPassword: string | null },
): Promise<void> {
  await trx.updateTable('endpointAuth').set(values).where('endpointId', '=', endpointId).execute();
}

const KEY_CHECK = 'encryption_key_check:';

/** The setting that holds a master key's check value. */
export const keyCheckSetting = (keyId: string): string => `${KEY_CHECK}${keyId}`;

/**
 * Settings holding an encrypted value (an `hl1:`/`hl2:` envelope, or one of `secretKeys`, which may
 * be plaintext from before encryption at rest) not under `prefix`; not the key checks.
 */
export async function lockEncryptedSettingsNotUnder(trx: Transaction, prefix: string, secretKeys: readonly string[]): Promise<Array<{ key: string; value: string }>> {
  return (
    trx
      .selectFrom('setting')
      .select(['key', 'value'])
      // '' keeps the list non-empty; no setting has that key.
      .where((eb) => eb.or([eb('value', '~', '^hl[12]:'), eb('key', 'in', [...secretKeys, ''])]))
      .where(sql<boolean>`NOT starts_with(value, ${prefix})`)
      .where('key', 'not like', `${KEY_CHECK}%`)
      .forUpdate()
      .execute()
  );
}

export async function setSetting(trx: Database, key: string, value: string): Promise<void> {
  await trx.updateTable('setting').set({ value }).where('key', '=', key).execute();
}

/** Each master key's check value (a known text encrypted with it), by key id. */
export async function listKeyChecks(db: Database): Promise<Map<string, string>> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'like', `${KEY_CHECK}%`).execute();
  return new Map(rows.map((r) => [r.key.slice(KEY_CHECK.length), r.value]));
}

export async function insertKeyCheck(db: Database, keyId: string, value: string): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key: `${KEY_CHECK}${keyId}`, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function updateKeyCheck(db: Database, keyId: string, value: string): Promise<void> {
  await db.updateTable('setting').set({ value }).where('key', '=', `${KEY_CHECK}${keyId}`).execute();
}

/** Forgets every key but `keyId`: called once nothing is encrypted with the others any more. */
export async function deleteKeyChecksExcept(db: Database, keyId: string): Promise<void> {
  await db.deleteFrom('setting').where('key', 'like', `${KEY_CHECK}%`).where('key', '<>', `${KEY_CHECK}${keyId}`).execute();
}

const SECRETS_BOUND = 'secrets_bound_at';
const UNBOUND_SEEN = 'secrets_unbound_seen_at';

/** When a re-encryption pass found every stored secret bound to its place (ISO time), if one has. */
export async function findSecretsBoundAt(db: Database): Promise<string | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', SECRETS_BOUND).executeTakeFirst();
  return row?.value;
}

/** Records that every stored secret is bound; the first record stays. */
export async function markSecretsBound(db: Database, at: Date): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key: SECRETS_BOUND, value: at.toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** Notes that a re-encryption pass met (and bound) unbound values at `at`. */
export async function noteUnboundSeen(db: Database, at: Date): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key: UNBOUND_SEEN, value: at.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at.toISOString() }))
    .execute();
}

/** When a re-encryption pass last met unbound values, if one ever has. */
export async function findUnboundSeenAt(db: Database): Promise<Date | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', UNBOUND_SEEN).executeTakeFirst();
  return row ? new Date(row.value) : undefined;
}

/** Tenants' single sign-on client secrets not under `prefix`, in tenant order, locked. */
export async function lockSsoSecretsNotUnder(
  trx: Transaction,
  prefix: string,
  afterTenantId: string,
  limit: number,
): Promise<Array<{ tenantId: string; clientSecret: string }>> {
  return trx
    .selectFrom('tenantSso')
    .select(['tenantId', 'clientSecret'])
    .where('tenantId', '>', afterTenantId)
    .where(sql<boolean>`NOT starts_with(client_secret, ${prefix})`)
    .orderBy('tenantId')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function setSsoSecret(trx: Database, tenantId: string, clientSecret: string): Promise<void> {
  await trx.updateTable('tenantSso').set({ clientSecret }).where('tenantId', '=', tenantId).execute();
}

/** People's TOTP secrets not under `prefix`, in person order, locked. */
export async function lockTotpSecretsNotUnder(
  trx: Transaction,
  prefix: string,
  afterPersonId: string,
  limit: number,
): Promise<Array<{ personId: string; secret: string }>> {
  return trx
    .selectFrom('personTotp')
    .select(['personId', 'secret'])
    .where('personId', '>', afterPersonId)
    .where(sql<boolean>`NOT starts_with(secret, ${prefix})`)
    .orderBy('personId')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function setTotpSecret(trx: Database, personId: string, secret: string): Promise<void> {
  await trx.updateTable('personTotp').set({ secret }).where('personId', '=', personId).execute();
}

/** Integration keys not under `prefix`, in id order, locked. */
export async function lockIntegrationKeysNotUnder(
  trx: Transaction,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<{ id: string; tenantId: string; key: string }>> {
  return trx
    .selectFrom('integration')
    .select(['id', 'tenantId', 'key'])
    .where('id', '>', afterId)
    .where(sql<boolean>`NOT starts_with(key, ${prefix})`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

/** Rewrites the stored form of an integration's key; not a change of the integration (updatedAt stays). */
export async function setIntegrationKey(trx: Database, id: string, key: string): Promise<void> {
  await trx.updateTable('integration').set({ key }).where('id', '=', id).execute();
}
