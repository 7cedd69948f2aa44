import type { PgBoss } from 'pg-boss';
import { attemptRepo, fanOutRepo, type Database } from '@hookline/db';
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
  const [count] = await fanOutMessages(db, boss, [job], settle);
  return count!;
}

/**
 * fanOutMessage for several messages at once, in one transaction with `settle` (the completion of
 * all their jobs): two reads sent together and the same writes as for one message, so a batch
 * costs about the round trips of one. Returns each message's number of endpoints. The deliveries'
 * jobs carry the trace context active here (the caller's span).
 */
export async function fanOutMessages(
  db: Database,
  boss: PgBoss,
  jobs: readonly FanOutJob[],
  settle: (trx: Database) => Promise<void>,
): Promise<number[]> {
  const found = new Map((await fanOutRepo.findMessagesToFanOut(db, jobs)).map((m) => [`${m.tenantId}/${m.id}`, m]));
  const trace = traceField();
  const now = new Date();
  const deliveries: Parameters<typeof attemptRepo.insertDeliveries>[1] = [];
  const deliverJobs: Parameters<typeof enqueueDeliveries>[2] = [];
  const counts = jobs.map((job) => {
    const msg = found.get(`${job.tenantId}/${job.msgId}`);
    if (!msg) return 0;
    const { matching: endpoints, skipped } = splitByPayloadFilter(msg.endpoints, msg.payload);
    for (const ep of skipped) {
      deliveries.push({ tenantId: msg.tenantId, appId: msg.appId, msgId: msg.id, endpointId: ep.id, status: MESSAGE_STATUS.canceled, nextAttemptAt: null });
    }
    for (const ep of endpoints) {
      deliveries.push({ tenantId: msg.tenantId, appId: msg.appId, msgId: msg.id, endpointId: ep.id, status: MESSAGE_STATUS.pending, nextAttemptAt: now });
      deliverJobs.push({
        data: { tenantId: msg.tenantId, msgId: msg.id, endpointId: ep.id, attempt: 1, trigger: 0 as const, ...trace },
        // An endpoint already failing gets its attempts one at a time (see endpointGroupConcurrency).
        failing: ep.failingSince !== null,
      });
    }
    return endpoints.length;
  });
  await db.transaction().execute(async (trx) => {
    await attemptRepo.insertDeliveries(trx, deliveries);
    await enqueueDeliveries(boss, trx, deliverJobs);
    await settle(trx);
  });
  return counts;
}
