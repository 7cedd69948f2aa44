import { deliveryStatsRepo, idempotencyRepo, retentionRepo, type Database } from '@hookline/db';
import { IDEMPOTENCY_RETENTION_HOURS } from '../idempotency/idempotency.ts';
import { idBoundary } from '../ids.ts';
import { reencryptSecrets } from '../secrets/reencrypt.ts';
import type { SecretBox } from '../secrets/secretBox.ts';

/** Unbound values are refused once the maintenance has met none for a day (see reencryptSecrets). */
export const BIND_AFTER_QUIET_MS = 86_400_000;

/** Minute statistics are kept two days: a chart of minutes looks back hours, not weeks. */
const STAT_MINUTES_RETENTION_MS = 48 * 3_600_000;

export interface MaintenanceResult {
  payloadsExpired: number;
  messagesPruned: number;
  idempotencyKeysPruned: number;
  /** Statistics rows past their retention (minute rows: 48 h; hour rows: as messages). */
  statisticsPruned: number;
  /** Secrets and endpoints (header values) re-encrypted with the primary key. */
  secretsReencrypted: number;
}

export interface RetentionSettings {
  /** Messages (with their attempts) older than this are deleted. */
  messageRetentionDays: number;
  /** When given, stored secrets not under its primary key are re-encrypted, a bounded number per run. */
  secretBox?: SecretBox;
}

/**
 * Periodic clean-up, scheduled once for the whole deployment (not once per process): removes
 * payloads past their message's retention for real, deletes old messages with their attempts and
 * old idempotency keys, so storage stays bounded under constant load; and re-encrypts stored secrets
 * that are not under the primary master key yet (after a key rotation or an upgrade).
 */
export async function runMaintenance(db: Database, settings: RetentionSettings, now = new Date()): Promise<MaintenanceResult> {
  const payloadsExpired = await retentionRepo.expirePayloads(db, now);
  // Ids sort by creation time, so "created before the cutoff" is an id range the primary key answers.
  const cutoff = idBoundary('msg', new Date(now.getTime() - settings.messageRetentionDays * 86_400_000), 'start');
  const messagesPruned = await retentionRepo.deleteMessagesBefore(db, cutoff);
  // After the messages: their deletion has taken their deliveries out of the hour counters, and an
  // hour row goes only once the hour has ended before the cutoff (a later delete never touches it).
  const statisticsPruned = await deliveryStatsRepo.pruneStatistics(db, {
    minutesBefore: new Date(now.getTime() - STAT_MINUTES_RETENTION_MS),
    hoursBefore: new Date(now.getTime() - settings.messageRetentionDays * 86_400_000 - 3_600_000),
  });
  const idempotencyKeysPruned = await idempotencyRepo.pruneIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000));
  // Last, so a secret that cannot be decrypted (its key was removed too early) never stops retention.
  const reencrypted = settings.secretBox
    ? await reencryptSecrets(db, settings.secretBox, { batchSize: 500, maxBatches: 20, bindAfterQuietMs: BIND_AFTER_QUIET_MS })
    : undefined;
  return { payloadsExpired, messagesPruned, idempotencyKeysPruned, statisticsPruned, secretsReencrypted: (reencrypted?.secrets ?? 0) + (reencrypted?.endpoints ?? 0) };
}
