import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../connect.ts';
import type { ApiKeyRow, PortalBrand, PortalTheme, SignatureHeaderNames, TenantRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

export async function insertTenant(db: Database, row: { id: string; name: string }): Promise<TenantRow> {
  return db.insertInto('tenant').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listTenants(db: Database, page: Page): Promise<TenantRow[]> {
  return pageQuery(db.selectFrom('tenant').selectAll(), page).execute();
}

export async function updateTenant(
  db: Database,
  id: string,
  patch: {
    name?: string | undefined;
    retrySchedule?: number[] | null | undefined;
    retentionDays?: number | null | undefined;
    signatureHeaderNames?: SignatureHeaderNames | undefined;
    httpsOnly?: boolean | undefined;
    portalTheme?: PortalTheme | null | undefined;
    portalFrameAncestors?: string | null | undefined;
    portalLogo?: string | null | undefined;
    portalBrand?: PortalBrand | null | undefined;
  },
): Promise<TenantRow | undefined> {
  const { portalTheme, portalBrand, ...rest } = patch;
  const json = (value: object | null | undefined) => (value === undefined ? undefined : value === null ? null : JSON.stringify(value));
  const set = Object.fromEntries(Object.entries({ ...rest, portalTheme: json(portalTheme), portalBrand: json(portalBrand) }).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return findTenant(db, id);
  return db.updateTable('tenant').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function findTenant(db: Database, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countTenants(db: Database): Promise<number> {
  const { n } = await db
    .selectFrom('tenant')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function insertApiKey(db: Database, row: Omit<ApiKeyRow, 'createdAt' | 'lastUsedAt' | 'revokedAt'>): Promise<ApiKeyRow> {
  return db.insertInto('apiKey').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('apiKey').selectAll().where('tenantId', '=', tenantId).orderBy('id').execute();
}

/** Marks a key revoked; returns false when the tenant has no such key. */
export async function revokeApiKey(db: Database, tenantId: string, keyId: string): Promise<boolean> {
  const res = await db
    .updateTable('apiKey')
    .set({ revokedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', keyId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  if (res.numUpdatedRows > 0n) return true;
  const found = await db.selectFrom('apiKey').select('id').where('tenantId', '=', tenantId).where('id', '=', keyId).executeTakeFirst();
  return found !== undefined;
}

export async function expireApiKey(db: Database, tenantId: string, keyId: string, at: Date): Promise<void> {
  await db.updateTable('apiKey').set({ expiresAt: at }).where('tenantId', '=', tenantId).where('id', '=', keyId).execute();
}

/**
 * The live (not revoked, not expired) API key with this hash: authentication's one rule, also the
 * first CTE of apiRateLimitRepo.findLiveApiKeyAndTakeRequest. Raw SQL: cheap to build on every
 * request, and prepared once per connection like any repeated statement.
 */
/** Every statement that changes or removes API keys (other than their last use) NOTIFYs this channel, at its commit (0047). */
export const API_KEY_CHANGES_CHANNEL = 'hookline_api_keys';

export function liveApiKeyByHash(keyHash: string): RawBuilder<ApiKeyRow> {
  return sql<ApiKeyRow>`SELECT * FROM api_key WHERE key_hash = ${keyHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;
}

export async function findLiveApiKeyByHash(db: Database, keyHash: string): Promise<ApiKeyRow | undefined> {
  return (await liveApiKeyByHash(keyHash).execute(db)).rows[0];
}

/** When the key with this hash expired or was revoked (for authentication's message, after a miss only). */
export async function findApiKeyEndByHash(db: Database, keyHash: string): Promise<Pick<ApiKeyRow, 'expiresAt' | 'revokedAt'> | undefined> {
  return db.selectFrom('apiKey').select(['expiresAt', 'revokedAt']).where('keyHash', '=', keyHash).executeTakeFirst();
}

/** Records use at most once a minute per key, so authentication stays a read on the hot path. */
export async function touchApiKey(db: Database, keyId: string): Promise<void> {
  await db
    .updateTable('apiKey')
    .set({ lastUsedAt: new Date() })
    .where('id', '=', keyId)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', new Date(Date.now() - 60_000))]))
    .execute();
}

export async function getSetting(db: Database, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `key` unless one is there already, and returns the stored one (whoever won). */
export async function putSettingIfAbsent(db: Database, key: string, value: string): Promise<string> {
  await db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key)) ?? value;
}

export async function putSetting(db: Database, key: string, value: string): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Serialises first-start bootstraps (an advisory lock held until the caller's transaction ends). */
export async function lockBootstrap(trx: Database): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(724661)`.execute(trx);
}

/** Tenants with their own retention (few: most keep the installation's), with how far it has been applied. */
export async function listTenantRetentions(db: Database): Promise<Array<{ id: string; retentionDays: number; clearedBefore: string | null }>> {
  const rows = await db.selectFrom('tenant').select(['id', 'retentionDays', 'retentionClearedBefore']).where('retentionDays', 'is not', null).execute();
  return rows.map((r) => ({ id: r.id, retentionDays: r.retentionDays!, clearedBefore: r.retentionClearedBefore }));
}

/** Moves the tenant's retention mark up to `clearedBefore` (never down: below it everything is cleared). */
export async function markRetentionCleared(db: Database, tenantId: string, clearedBefore: string): Promise<void> {
  await db
    .updateTable('tenant')
    .set({ retentionClearedBefore: clearedBefore })
    .where('id', '=', tenantId)
    .where((eb) => eb.or([eb('retentionClearedBefore', 'is', null), eb('retentionClearedBefore', '<', clearedBefore)]))
    .execute();
}
