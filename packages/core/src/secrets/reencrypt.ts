import { noticeRepo, secretStorageRepo, type Database, type Transaction } from '@hookline/db';
import { PORTAL_SIGNING_KEY_SETTING } from '../portal/portalSigningKeys.ts';
import { ssoClientSecretPlace } from '../accounts/sso/ssoConfig.ts';
import { totpSecretPlace } from '../accounts/totp/totp.ts';
import { isBound, type SecretBox } from './secretBox.ts';
import { loadSecretBinding } from './secretBinding.ts';
import {
  basicAuthPasswordPlace,
  endpointSecretPlace,
  headerValuePlace,
  integrationKeyPlace,
  mtlsKeyPlace,
  noticeChatUrlPlace,
  oauthClientSecretPlace,
  settingPlace,
} from './secretPlaces.ts';

export interface ReencryptResult {
  /** Endpoint signing secrets rewritten. */
  secrets: number;
  /** Endpoints whose header values were rewritten. */
  endpoints: number;
  /** Endpoints whose OAuth client secret or basic-auth password was rewritten. */
  endpointCredentials: number;
  /** Application integrations' keys rewritten. */
  integrationKeys: number;
  /** Endpoints' mutual TLS client keys rewritten. */
  mtlsKeys: number;
  /** Applications' failure-notice chat webhook URLs rewritten. */
  noticeChatUrls: number;
  /** Other stored keys rewritten (the generated portal signing key). */
  settings: number;
  /** Tenants' single sign-on client secrets and people's TOTP secrets rewritten. */
  ssoSecrets: number;
  /** Of the values rewritten, those that were unbound (`hl1:` envelopes or plaintext from older versions). */
  unbound: number;
  /** False when the batch limit stopped the pass early: run it again. */
  done: boolean;
  /** True once a complete pass found every value bound: unbound values are refused from then on. */
  bound: boolean;
}

export interface ReencryptLimits {
  /** Rows per transaction. */
  batchSize?: number;
  /** Batches per table before stopping (the scheduled maintenance bounds its run this way). */
  maxBatches?: number;
  /**
   * How long no pass may have met an unbound value before completion is recorded (default 0).
   * The scheduled maintenance waits a day: processes of an older version, still running during a
   * slow rolling deploy, write unbound values that would be refused once it is recorded.
   */
  bindAfterQuietMs?: number;
}

/**
 * Encrypts with the primary key, bound to its place, every stored secret that is not yet: rows
 * from before encryption at rest (plaintext), `hl1:` rows from before binding, and rows of an
 * older key after a rotation. Each batch is one transaction over rows locked in id order. A value
 * that does not decrypt stops the pass with its error, as it would stop its deliveries. After a
 * complete pass nothing depends on the other keys any more, so their check values are dropped and
 * they may be removed from the configuration. A complete pass that met no unbound value (and none
 * was met for `bindAfterQuietMs`) records that every value is bound: processes of an older
 * version may still have been writing unbound ones during a pass that upgraded some. Unbound
 * values are refused from then on.
 */
export async function reencryptSecrets(db: Database, box: SecretBox, limits: ReencryptLimits = {}): Promise<ReencryptResult> {
  const batchSize = limits.batchSize ?? 500;
  const maxBatches = limits.maxBatches ?? Number.POSITIVE_INFINITY;
  const prefix = box.currentPrefix;
  let unbound = 0;
  const rewrite = (stored: string, place: Parameters<SecretBox['decrypt']>[1]) => {
    if (!isBound(stored)) unbound++;
    return box.encrypt(box.decrypt(stored, place), place);
  };

  const secrets = await inBatches(db, batchSize, maxBatches, async (trx, afterId) => {
    const rows = await secretStorageRepo.lockSecretsNotUnder(trx, prefix, afterId, batchSize);
    for (const row of rows) await secretStorageRepo.setSecret(trx, row.id, rewrite(row.secret, endpointSecretPlace(row)));
    return rows.map((r) => r.id);
  });
  const endpoints = await inBatches(db, batchSize, maxBatches, async (trx, afterId) => {
    const rows = await secretStorageRepo.lockEndpointsWithHeadersNotUnder(trx, prefix, afterId, batchSize);
    for (const row of rows) {
      // Values already bound under the primary key are kept as they are; the others are rewritten.
      const next = Object.fromEntries(
        Object.entries(row.headers).map(([name, stored]) => [name, box.isCurrent(stored) ? stored : rewrite(stored, headerValuePlace(row, name))]),
      );
      await secretStorageRepo.setStoredHeaders(trx, row.id, next);
    }
    return rows.map((r) => r.id);
  });

  const endpointCredentials = await inBatches(db, batchSize, maxBatches, async (trx, afterId) => {
    const rows = await secretStorageRepo.lockEndpointAuthNotUnder(trx, prefix, afterId, batchSize);
    const keep = (stored: string | null, place: Parameters<SecretBox['decrypt']>[1]) => (stored === null || box.isCurrent(stored) ? stored : rewrite(stored, place));
    for (const row of rows) {
      await secretStorageRepo.setEndpointAuthSecrets(trx, row.id, {
        oauthClientSecret: keep(row.oauthClientSecret, oauthClientSecretPlace(row)),
        basicPassword: keep(row.basicPassword, basicAuthPasswordPlace(row)),
      });
    }
    return rows.map((r) => r.id);
  });

  const integrationKeys = await inBatches(db, batchSize, maxBatches, async (trx, afterId) => {
    const rows = await secretStorageRepo.lockIntegrationKeysNotUnder(trx, prefix, afterId, batchSize);
    for (const row of rows) await secretStorageRepo.setIntegrationKey(trx, row.id, rewrite(row.key, integrationKeyPlace(row)));
    return rows.map((r) => r.id);
  });

  const mtlsKeys = await inBatches(db, batchSize, maxBatches, async (trx, afterId) => {
    const rows = await secretStorageRepo.lockMtlsKeysNotUnder(trx, prefix, afterId, batchSize);
    for (const row of rows) await secretStorageRepo.setMtlsKey(trx, row.endpointId, rewrite(row.clientKey, mtlsKeyPlace(row)));
    return rows.map((r) => r.endpointId);
  });

  const noticeChatUrls = await inBatches(db, batchSize, maxBatches, async (trx, afterAppId) => {
    const rows = await noticeRepo.lockChatUrlsNotUnder(trx, prefix, afterAppId, batchSize);
    for (const row of rows) await noticeRepo.setChatUrl(trx, row.appId, rewrite(row.chatWebhookUrl, noticeChatUrlPlace(row)));
    return rows.map((r) => r.appId);
  });

  const ssoSecrets = await inBatches(db, batchSize, maxBatches, async (trx, afterTenantId) => {
    const rows = await secretStorageRepo.lockSsoSecretsNotUnder(trx, prefix, afterTenantId, batchSize);
    for (const row of rows) await secretStorageRepo.setSsoSecret(trx, row.tenantId, rewrite(row.clientSecret, ssoClientSecretPlace(row.tenantId)));
    return rows.map((r) => r.tenantId);
  });
  const totpSecrets = await inBatches(db, batchSize, maxBatches, async (trx, afterPersonId) => {
    const rows = await secretStorageRepo.lockTotpSecretsNotUnder(trx, prefix, afterPersonId, batchSize);
    for (const row of rows) await secretStorageRepo.setTotpSecret(trx, row.personId, rewrite(row.secret, totpSecretPlace(row.personId)));
    return rows.map((r) => r.personId);
  });

  // A handful of rows at most (the generated portal signing key).
  const settings = await db.transaction().execute(async (trx) => {
    const rows = await secretStorageRepo.lockEncryptedSettingsNotUnder(trx, prefix, [PORTAL_SIGNING_KEY_SETTING]);
    for (const row of rows) await secretStorageRepo.setSetting(trx, row.key, rewrite(row.value, settingPlace(row.key)));
    return rows.length;
  });

  const done =
    secrets.done && endpoints.done && endpointCredentials.done && integrationKeys.done && mtlsKeys.done && noticeChatUrls.done && ssoSecrets.done && totpSecrets.done;
  if (done) await secretStorageRepo.deleteKeyChecksExcept(db, box.primaryKeyId);
  const now = new Date();
  if (unbound > 0) await secretStorageRepo.noteUnboundSeen(db, now);
  else if (done && box.acceptsUnbound) {
    const seen = await secretStorageRepo.findUnboundSeenAt(db);
    if (seen === undefined || now.getTime() - seen.getTime() >= (limits.bindAfterQuietMs ?? 0)) await secretStorageRepo.markSecretsBound(db, now);
  }
  const bound = await loadSecretBinding(db, box);
  return {
    secrets: secrets.count,
    endpoints: endpoints.count,
    endpointCredentials: endpointCredentials.count,
    integrationKeys: integrationKeys.count,
    mtlsKeys: mtlsKeys.count,
    noticeChatUrls: noticeChatUrls.count,
    settings,
    ssoSecrets: ssoSecrets.count + totpSecrets.count,
    unbound,
    done,
    bound,
  };
}

/** Runs `batch` (which returns the ids it handled, in order) until a short batch or the limit. */
async function inBatches(
  db: Database,
  batchSize: number,
  maxBatches: number,
  batch: (trx: Transaction, afterId: string) => Promise<string[]>,
): Promise<{ count: number; done: boolean }> {
  let afterId = '';
  let count = 0;
  for (let i = 0; i < maxBatches; i++) {
    const ids = await db.transaction().execute((trx) => batch(trx, afterId));
    count += ids.length;
    if (ids.length < batchSize) return { count, done: true };
    afterId = ids[ids.length - 1]!;
  }
  return { count, done: false };
}
