import { idempotencyRepo, retentionRepo, type Database } from '@hookline/db';
import { IDEMPOTENCY_RETENTION_HOURS } from '../idempotency/idempotency.ts';
import { idBoundary } from '../ids.ts';

export interface MaintenanceResult {
  payloadsExpired: number;
  messagesPruned: number;
  idempotencyKeysPruned: number;
}

export interface RetentionSettings {
  /** Messages (with their attempts) older than this are deleted. */
  messageRetentionDays: number;
}

/**
 * Periodic clean-up, scheduled once for the whole deployment (not once per process): removes
 * payloads past their message's retention for real, deletes old messages with their attempts and
 * old idempotency keys, so storage stays bounded under constant load.
 */
export async function runMaintenance(db: Database, settings: RetentionSettings, now = new Date()): Promise<MaintenanceResult> {
  const payloadsExpired = await retentionRepo.expirePayloads(db, now);
  // Ids sort by creation time, so "created before the cutoff" is an id range the primary key answers.
  const cutoff = idBoundary('msg', new Date(now.getTime() - settings.messageRetentionDays * 86_400_000), 'start');
  const messagesPruned = await retentionRepo.deleteMessagesBefore(db, cutoff);
  const idempotencyKeysPruned = await idempotencyRepo.pruneIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000));
  return { payloadsExpired, messagesPruned, idempotencyKeysPruned };
}
