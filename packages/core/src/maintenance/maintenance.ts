import { idempotencyRepo, type Database } from '@hookline/db';
import { IDEMPOTENCY_RETENTION_HOURS } from '../idempotency/idempotency.ts';

export interface MaintenanceResult {
  idempotencyKeysPruned: number;
}

/**
 * Periodic clean-up, scheduled once for the whole deployment (not once per process): keeps the
 * tables that grow with traffic bounded.
 */
export async function runMaintenance(db: Database, now = new Date()): Promise<MaintenanceResult> {
  const idempotencyKeysPruned = await idempotencyRepo.pruneIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000));
  return { idempotencyKeysPruned };
}
