import { attemptRepo, type DeliverJob } from '@hookline/db';
import { DELETED_ENDPOINT_END } from '../attempts/messageStatus.ts';
import type { AttemptCommit } from './attemptRecord.ts';

/**
 * Completes a job that has nothing to send (loadDelivery found no context). Should its endpoint be
 * gone, its delivery, written after the deletion by a fan-out or a retry that raced it, ends as
 * the deletion ends the others (canceled) instead of showing as waiting forever; for any other
 * reason (message or payload gone, endpoint disabled, attempt moot) it stays as it is.
 */
export async function completeDroppedDelivery(job: DeliverJob, commit: AttemptCommit): Promise<void> {
  await commit((trx) => attemptRepo.endDeliveryOfDeletedEndpoint(trx, job, DELETED_ENDPOINT_END));
}
