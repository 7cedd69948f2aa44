import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiRateLimitRepo, tenantRepo, type ApiKeyRow, type Database } from '@hookline/db';
import { ApiRateLeases } from '../rateLimit/apiRateLeases.ts';
import { rateLimited, type ApiRateLimit } from '../rateLimit/apiRateLimit.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { AuthenticationError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ApiKeyCache } from './apiKeyCache.ts';
import type { ApiKeyOut } from './tenantSchemas.ts';

const KEY_PREFIX = 'hk_';

/** API keys are 256-bit random tokens, so a single SHA-256 is a safe hash for storing them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares two secrets in constant time (by hashing first, so lengths never leak). */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function generateToken(prefix = KEY_PREFIX): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function toApiKeyOut(row: ApiKeyRow): ApiKeyOut {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}

// A key's record shows its name and expiry: never the key, its hash or its prefix.
const KEY_FIELDS = ['name', 'expiresAt'] as const;
const keyTarget = (key: { id: string }) => ({ kind: 'apiKey' as const, id: key.id });

/** Creates an API key for a tenant. The plain key is returned once and only its hash is stored. */
export async function createApiKey(
  db: Database,
  tenantId: string,
  input: { name?: string | undefined; expiresAt?: Date | undefined },
  audit: AuditContext,
): Promise<ApiKeyOut & { key: string }> {
  return inAuditedTransaction(db, async (trx) => {
    const created = await insertApiKey(trx, tenantId, input);
    await recordAudit(trx, audit, { action: 'apiKey.created', target: keyTarget(created), changes: describeChanges(undefined, created, KEY_FIELDS) });
    return created;
  });
}

async function insertApiKey(db: Database, tenantId: string, input: { name?: string | undefined; expiresAt?: Date | undefined }): Promise<ApiKeyOut & { key: string }> {
  if (!(await tenantRepo.findTenant(db, tenantId))) throw new NotFoundError('Tenant not found');
  const key = generateToken();
  const row = await tenantRepo.insertApiKey(db, {
    id: newId('key'),
    tenantId,
    name: input.name ?? 'default',
    prefix: key.slice(0, KEY_PREFIX.length + 6),
    keyHash: hashToken(key),
    expiresAt: input.expiresAt ?? null,
  });
  return { ...toApiKeyOut(row), key };
}

/**
 * Replaces a key with a new one (same name). The old key keeps working for `gracePeriodSeconds`, so
 * a vendor can roll the new key out before the old one stops; 0 ends it at once. `keys`: this
 * process's cache, emptied once the change has committed (other processes' by its NOTIFY, 0047).
 */
export async function rotateApiKey(
  db: Database,
  tenantId: string,
  keyId: string,
  gracePeriodSeconds: number,
  audit: AuditContext,
  keys?: ApiKeyCache,
): Promise<ApiKeyOut & { key: string }> {
  const created = await inAuditedTransaction(db, async (trx) => {
    const old = (await tenantRepo.listApiKeys(trx, tenantId)).find((k) => k.id === keyId && k.revokedAt === null);
    if (!old || (old.expiresAt && old.expiresAt <= new Date())) throw new NotFoundError('API key not found');
    const graceEnd = new Date(Date.now() + gracePeriodSeconds * 1000);
    const oldEnds = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    await tenantRepo.expireApiKey(trx, tenantId, keyId, oldEnds);
    const created = await insertApiKey(trx, tenantId, { name: old.name });
    await recordAudit(trx, audit, {
      action: 'apiKey.rotated',
      target: keyTarget(old),
      changes: { key: { changed: true }, replacedBy: { to: created.id }, expiresAt: { from: old.expiresAt, to: oldEnds } },
    });
    return created;
  });
  keys?.forget();
  return created;
}

export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyOut[]> {
  if (!(await tenantRepo.findTenant(db, tenantId))) throw new NotFoundError('Tenant not found');
  return (await tenantRepo.listApiKeys(db, tenantId)).map(toApiKeyOut);
}

/** Revokes a key; once this returns, `keys` (this process's cache) no longer holds it (see rotateApiKey). */
export async function revokeApiKey(db: Database, tenantId: string, keyId: string, audit: AuditContext, keys?: ApiKeyCache): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    if (!(await tenantRepo.revokeApiKey(trx, tenantId, keyId))) throw new NotFoundError('API key not found');
    await recordAudit(trx, audit, { action: 'apiKey.revoked', target: keyTarget({ id: keyId }), changes: { revokedAt: { to: new Date() } } });
  });
  keys?.forget();
}

/** What authenticateApiKey counts requests against and keeps keys in (the api process's own). */
export interface ApiKeyAuthentication {
  /** The tenant's rate limit; unset or 0 per second: none. */
  limit?: ApiRateLimit | undefined;
  /** Keys this process has authenticated (see ApiKeyCache). */
  keys?: ApiKeyCache | undefined;
  /** This process's leases of the tenants' rate limits (see ApiRateLeases). */
  leases?: ApiRateLeases | undefined;
}

/**
 * Resolves a bearer token to its tenant, or throws AuthenticationError, and counts the request
 * against the tenant's rate limit (RateLimitedError over it). A key in `keys` costs no statement,
 * nor does a request `leases` still holds for its tenant; a key read from the database is counted in
 * the same statement (taking a lease for the requests to come).
 */
export async function authenticateApiKey(
  db: Database,
  token: string,
  { limit, keys, leases }: ApiKeyAuthentication = {},
): Promise<{ tenantId: string; keyId: string; keyName: string }> {
  if (!token.startsWith(KEY_PREFIX)) throw new AuthenticationError();
  const keyHash = hashToken(token);
  const limited = limit !== undefined && limit.perSecond > 0;
  // Rate limited without leases, a request costs a statement anyway (it reads the key too): no cache then.
  const cache = limited && !leases ? undefined : keys;
  let row = cache?.get(keyHash);
  if (row) {
    if (limited) await leases!.take(db, row.tenantId, limit);
  } else {
    const generation = cache?.generation;
    if (limited) {
      const found = await apiRateLimitRepo.findLiveApiKeyAndTakeRequest(db, keyHash, limit.perSecond, limit.burst, leases ? ApiRateLeases.sizeFor(limit) : 1);
      if (found && !found.decision.allowed) throw rateLimited(found.decision, limit);
      if (found) leases?.hold(found.key.tenantId, found.decision.granted - 1);
      row = found?.key;
    } else {
      row = await tenantRepo.findLiveApiKeyByHash(db, keyHash);
    }
    if (row && cache) cache.set(keyHash, row, generation!);
  }
  if (!row) throw await whyNotLive(db, keyHash);
  // The row just read says whether the minute has passed: most requests then cost no UPDATE at all.
  if (!row.lastUsedAt || row.lastUsedAt.getTime() < Date.now() - 60_000) {
    const at = new Date();
    cache?.used(keyHash, at);
    void tenantRepo.touchApiKey(db, row.id).catch(() => {});
  }
  return { tenantId: row.tenantId, keyId: row.id, keyName: row.name };
}

/** The error for a key that is not live: a clear word for an expired or revoked key (a second read on failures only). */
async function whyNotLive(db: Database, keyHash: string): Promise<AuthenticationError> {
  const ended = await tenantRepo.findApiKeyEndByHash(db, keyHash);
  if (ended?.revokedAt) return new AuthenticationError('This API key was revoked');
  if (ended?.expiresAt) return new AuthenticationError(`This API key expired at ${ended.expiresAt.toISOString()}`);
  return new AuthenticationError();
}
