import { enqueueDeliveries, type PgBoss, type Transaction } from '@hookline/db';

/** Deliver jobs are inserted in batches of this size (one statement each). */
const ENQUEUE_BATCH = 500;

/**
 * Queues a manual attempt (a resend, trigger 1) to one endpoint for each of these deliveries, its
 * number the one after their last: what recover and the replays send, in the caller's transaction.
 */
export async function queueManualResends(
  trx: Transaction,
  boss: PgBoss,
  to: { tenantId: string; endpointId: string },
  deliveries: ReadonlyArray<{ msgId: string; attemptCount: number }>,
): Promise<void> {
  for (let i = 0; i < deliveries.length; i += ENQUEUE_BATCH) {
    await enqueueDeliveries(
      boss,
      trx,
      deliveries.slice(i, i + ENQUEUE_BATCH).map((d) => ({
        data: { tenantId: to.tenantId, msgId: d.msgId, endpointId: to.endpointId, attempt: d.attemptCount + 1, trigger: 1 as const },
      })),
    );
  }
}
