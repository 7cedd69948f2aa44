import {
  DEFAULT_HISTORY_PARTITION_SECONDS,
  deliveryStatsRepo,
  historyPartitionRepo,
  idempotencyRepo,
  idTime,
  inviteRepo,
  passwordResetRepo,
  payloadIndexRepo,
  totpRepo,
  usageRepo,
  retentionRepo,
  sessionRepo,
  tenantRepo,
  type Database,
} from '@hookline/db';
import { pruneAuditLog } from '../audit/auditLog.ts';
import { IDEMPOTENCY_RETENTION_HOURS } from '../idempotency/idempotency.ts';
import { idBoundary } from '../ids.ts';
import { reencryptSecrets } from '../secrets/reencrypt.ts';
import type { SecretBox } from '../secrets/secretBox.ts';

/** Unbound values are refused once the maintenance has met none for a day (see reencryptSecrets). */
export const BIND_AFTER_QUIET_MS = 86_400_000;

/** Minute statistics are kept two days: a chart of minutes looks back hours, not weeks. */
const STAT_MINUTES_RETENTION_MS = 48 * 3_600_000;
/** Daily message counts (the operator's usage) are kept at least this long, whatever the message retention. */
export const MESSAGE_COUNT_MIN_RETENTION_DAYS = 90;

export interface MaintenanceResult {
  payloadsExpired: number;
  /** History partitions (message ids of one period, in the three tables) dropped whole, by suffix. */
  partitionsDropped: string[];
  /** History partitions created ahead of time. */
  partitionsCreated: string[];
  /** Messages found in the DEFAULT partition (none while partitions are made ahead; see docs/operations.md). */
  messagesInDefault: number;
  eventIdsPruned: number;
  /** Tombstones of deleted endpoints whose deliveries have all left history. */
  deletedEndpointsPruned: number;
  idempotencyKeysPruned: number;
  /** Statistics rows past their retention (minute rows: 48 h; hour rows: as messages). */
  statisticsPruned: number;
  /** Secrets and endpoints (header values) re-encrypted with the primary key. */
  secretsReencrypted: number;
  /** Audit records past their retention (HOOKLINE_AUDIT_RETENTION_DAYS). */
  auditRecordsPruned: number;
  /** Console sessions, invitations and password reset links that ended (expired, revoked, used) over a day ago. */
  accountsPruned: number;
  /** Pending delivery counters of past hours back at zero, and daily message counts past their retention (see usageRepo). */
  countersPruned: number;
  /** The closed history partition whose payload index (payload_contains) this run built, by suffix; null: none. */
  payloadIndexBuilt: string | null;
}

export interface RetentionSettings {
  /** Messages (with their attempts) older than this are deleted, a whole partition at a time. */
  messageRetentionDays: number;
  /** Audit records older than this are deleted (in batches, by id range); a year when not given. */
  auditRetentionDays?: number;
  /** Width of a history partition (HOOKLINE_HISTORY_PARTITION_SECONDS); a day when not given. */
  historyPartitionSeconds?: number;
  /** When given, stored secrets not under its primary key are re-encrypted, a bounded number per run. */
  secretBox?: SecretBox;
}

/**
 * Periodic clean-up, scheduled once for the whole deployment (not once per process): removes
 * payloads past their message's or their tenant's retention for real, drops history partitions past the message
 * retention (creating the next ones ahead), deletes
 * old idempotency keys, so storage stays bounded under constant load; re-encrypts stored secrets
 * that are not under the primary master key yet (after a key rotation or an upgrade); and builds
 * the payload index of a history partition that has closed.
 */
export async function runMaintenance(db: Database, settings: RetentionSettings, now = new Date()): Promise<MaintenanceResult> {
  let payloadsExpired = await retentionRepo.expirePayloads(db, now);
  // A tenant's own retention only shortens: its older payloads go now, its messages with their partition.
  for (const tenant of await tenantRepo.listTenantRetentions(db)) {
    const beforeId = idBoundary('msg', new Date(now.getTime() - tenant.retentionDays * 86_400_000), 'start');
    if (tenant.clearedBefore !== null && tenant.clearedBefore >= beforeId) continue;
    payloadsExpired += await retentionRepo.expireTenantPayloads(db, tenant.id, { fromId: tenant.clearedBefore, beforeId });
    await tenantRepo.markRetentionCleared(db, tenant.id, beforeId);
  }
  // A partition change that cannot get its lock within a few seconds waits for the next run.
  const unlessLocked = <T>(work: Promise<T>, otherwise: T): Promise<T> =>
    work.catch((err: unknown) => {
      if (historyPartitionRepo.isLockTimeout(err)) return otherwise;
      throw err;
    });
  const ensured = await unlessLocked(
    historyPartitionRepo.ensureHistoryPartitions(db, { widthSeconds: settings.historyPartitionSeconds ?? DEFAULT_HISTORY_PARTITION_SECONDS, now }),
    { created: [], movedFromDefault: 0 },
  );
  // Ids sort by creation time, so "created before the cutoff" is an id range: partitions whose
  // every id is below it go whole. The one that straddles it waits until its end passes.
  const cutoff = idBoundary('msg', new Date(now.getTime() - settings.messageRetentionDays * 86_400_000), 'start');
  const dropped = await unlessLocked(historyPartitionRepo.dropHistoryPartitionsBefore(db, cutoff), []);
  // eventId claims of messages no partition holds any more: below the lowest remaining range.
  const remaining = (await historyPartitionRepo.listHistoryPartitions(db)).filter((p) => !p.isDefault);
  const lowest = remaining[0];
  const eventIdsPruned = lowest?.from ? await retentionRepo.pruneEventIds(db, lowest.from) : 0;
  const deletedEndpointsPruned = lowest?.from ? await retentionRepo.pruneDeletedEndpoints(db, idTime(lowest.from)) : 0;
  const messagesInDefault = await historyPartitionRepo.countMessagesInDefault(db);
  // Hour rows go once their hour has ended before the cutoff; the hours of a dropped partition's
  // deliveries are among them (a partition drop fires no trigger to take them out of the counters).
  const statisticsPruned = await deliveryStatsRepo.pruneStatistics(db, {
    minutesBefore: new Date(now.getTime() - STAT_MINUTES_RETENTION_MS),
    hoursBefore: new Date(now.getTime() - settings.messageRetentionDays * 86_400_000 - 3_600_000),
  });
  const auditRecordsPruned = await pruneAuditLog(db, settings.auditRetentionDays ?? 365, now);
  const idempotencyKeysPruned = await idempotencyRepo.pruneIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000));
  // A day's grace: a session or invitation that just ended still shows why a request was refused.
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const accountsPruned =
    (await sessionRepo.deleteEndedSessions(db, dayAgo)) +
    (await inviteRepo.deleteEndedInvites(db, dayAgo)) +
    (await totpRepo.deleteExpiredChallenges(db, dayAgo)) +
    (await passwordResetRepo.deleteEndedPasswordResets(db, dayAgo));
  // An hour's pending counters settle as its deliveries are made; those at zero are left out of the backlog's reads.
  const countDays = Math.max(MESSAGE_COUNT_MIN_RETENTION_DAYS, Math.ceil(settings.messageRetentionDays) + 1);
  const countersPruned =
    (await deliveryStatsRepo.pruneSettledPendingCounts(db, new Date(now.getTime() - 3_600_000))) +
    (await usageRepo.pruneMessageCounts(db, new Date(now.getTime() - countDays * 86_400_000).toISOString().slice(0, 10)));
  // Last, so a secret that cannot be decrypted (its key was removed too early) never stops retention.
  const reencrypted = settings.secretBox
    ? await reencryptSecrets(db, settings.secretBox, { batchSize: 500, maxBatches: 20, bindAfterQuietMs: BIND_AFTER_QUIET_MS })
    : undefined;
  // Last, as on a big partition it takes minutes: one index per run, of a partition no message goes to any more.
  const payloadIndexBuilt = (await unlessLocked(payloadIndexRepo.buildNextPayloadIndex(db, idBoundary('msg', now, 'start')), undefined)) ?? null;
  return {
    payloadsExpired,
    partitionsDropped: dropped.map((p) => p.suffix),
    partitionsCreated: ensured.created,
    messagesInDefault,
    eventIdsPruned,
    deletedEndpointsPruned,
    idempotencyKeysPruned,
    statisticsPruned,
    secretsReencrypted: (reencrypted?.secrets ?? 0) + (reencrypted?.endpoints ?? 0),
    auditRecordsPruned,
    accountsPruned,
    countersPruned,
    payloadIndexBuilt,
  };
}
