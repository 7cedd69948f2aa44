import { setTimeout as sleep } from 'node:timers/promises';
import { idempotencyRepo, type Database, type Transaction } from '@hookline/db';
import { ConflictError } from '../errors.ts';

export type IdempotencyRef = idempotencyRepo.IdempotencyRef;

/** The request runs (`owner`), or its first successful response is replayed. */
export type IdempotencyClaim = { kind: 'owner' } | { kind: 'replay'; statusCode: number; body: string | null };

/** Keys are replayed for this long at least; older ones are pruned. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/**
 * Claims an idempotency key for a request. A repeat of a completed request replays its response; a
 * repeat of one still running waits for it (up to `waitMs`, then 409); a claim whose owner went
 * silent for `staleMs` (a crashed process) is taken over.
 */
export async function claimIdempotencyKey(
  db: Database,
  ref: IdempotencyRef,
  options: { waitMs?: number; staleMs?: number; pollMs?: number } = {},
): Promise<IdempotencyClaim> {
  const { waitMs = 30_000, staleMs = 60_000, pollMs = 25 } = options;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await idempotencyRepo.insertIdempotencyKey(db, ref)) return { kind: 'owner' };
    const row = await idempotencyRepo.findIdempotencyKey(db, ref);
    if (row?.completedAt && row.statusCode !== null) return { kind: 'replay', statusCode: row.statusCode, body: row.responseBody };
    const staleBefore = new Date(Date.now() - staleMs);
    if (row && row.createdAt < staleBefore && (await idempotencyRepo.reclaimIdempotencyKey(db, ref, staleBefore))) {
      return { kind: 'owner' };
    }
    if (Date.now() > deadline) throw new ConflictError('A request with this idempotency-key is still being processed');
    // Absent (the first request failed and released it) or still running: look again shortly.
    if (row) await sleep(pollMs);
  }
}

/**
 * Claims a key inside the transaction that also makes the request's effect, so the claim commits or
 * rolls back with it. False when the key is taken; a transaction holding it uncommitted makes this
 * wait until that one ends.
 */
export async function claimIdempotencyKeyIn(trx: Transaction, ref: IdempotencyRef): Promise<boolean> {
  return idempotencyRepo.insertIdempotencyKey(trx, ref);
}

/** Records the owner's successful response for replay (inside the effect's transaction, or after it). */
export async function completeIdempotencyKey(db: Database, ref: IdempotencyRef, statusCode: number, body: unknown): Promise<void> {
  await idempotencyRepo.completeIdempotencyKey(db, ref, statusCode, body === undefined ? null : JSON.stringify(body));
}

/** Frees the key after a failed request, so that a retry with it runs again. */
export async function releaseIdempotencyKey(db: Database, ref: IdempotencyRef): Promise<void> {
  await idempotencyRepo.deleteIdempotencyKey(db, ref);
}
