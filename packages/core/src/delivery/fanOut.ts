import type { PgBoss } from 'pg-boss';
import { attemptRepo, endpointRepo, messageRepo, type Database } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { enqueueDeliveries, type FanOutJob } from '../queue/jobs.ts';
import { traceField } from '../telemetry/tracing.ts';
import { splitByPayloadFilter } from './payloadFilter.ts';

/**
 * Creates one delivery (state row + first attempt job) per enabled endpoint that subscribes to the
 * message. An endpoint whose payload filter leaves the message out gets a canceled delivery (status
 * 4) and no job: the logs show the message as skipped there, and a resend still delivers it.
 * Everything, including `settle` (the caller's completion of its own job), commits in one
 * transaction, so a crash leaves either all deliveries or none, and a retried fan-out adds none twice.
 */
export async function fanOutMessage(
  db: Database,
  boss: PgBoss,
  job: FanOutJob,
  settle: (trx: Database) => Promise<void>,
): Promise<number> {
  const msg = await messageRepo.findMessageForDelivery(db, job.tenantId, job.msgId);
  const subscribed = msg ? await endpointRepo.findSubscribedEndpoints(db, msg.tenantId, msg.appId, msg.eventType, msg.channels) : [];
  const { matching: endpoints, skipped } = splitByPayloadFilter(subscribed, msg?.payload ?? null);
  await db.transaction().execute(async (trx) => {
    if (msg && skipped.length > 0) {
      await attemptRepo.insertDeliveries(trx, skipped.map((ep) => ({
        tenantId: msg.tenantId, appId: msg.appId, msgId: msg.id, endpointId: ep.id, status: MESSAGE_STATUS.canceled, nextAttemptAt: null,
      })));
    }
    if (msg && endpoints.length > 0) {
      const now = new Date();
      // The deliveries continue the fan-out's trace (the caller runs this in its span).
      const trace = traceField();
      await attemptRepo.insertDeliveries(trx, endpoints.map((ep) => ({
        tenantId: msg.tenantId, appId: msg.appId, msgId: msg.id, endpointId: ep.id, status: MESSAGE_STATUS.pending, nextAttemptAt: now,
      })));
      await enqueueDeliveries(boss, trx, endpoints.map((ep) => ({
        data: { tenantId: msg.tenantId, msgId: msg.id, endpointId: ep.id, attempt: 1, trigger: 0 as const, ...trace },
        // An endpoint already failing gets its attempts one at a time (see endpointGroupConcurrency).
        failing: ep.failingSince !== null,
      })));
    }
    await settle(trx);
  });
  return endpoints.length;
}
