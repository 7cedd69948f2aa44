import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOBS, type RecoverJob } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { ClaimLapsedError, settleInTransaction } from '../../../src/delivery/recording/settle.ts';

// A recovery job is completed in the transaction of its work, fenced to the claim it was fetched
// with: once the claim lapsed (the job went back to the queue), the transaction rolls back.

let database: QueueTestDatabase;
beforeAll(async () => {
  database = await createQueueTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const job: RecoverJob = { tenantId: 'ten_st', taskId: 'task_st', endpointId: 'ep_st', since: new Date(0).toISOString(), until: null };

it('completes a job still held, in the caller’s transaction', async () => {
  const { db, boss } = database;
  await boss.send(JOBS.recover, job);
  const [held] = await boss.fetch<RecoverJob>(JOBS.recover);
  await db.transaction().execute((trx) => settleInTransaction(boss, JOBS.recover, held!)(trx));
  expect((await boss.getJobById(JOBS.recover, held!.id))?.state).toBe('completed');
});

it('throws ClaimLapsedError, completing nothing, once the claim lapsed', async () => {
  const { db, boss } = database;
  await boss.send(JOBS.recover, { ...job, taskId: 'task_st_2' });
  const [held] = await boss.fetch<RecoverJob>(JOBS.recover);
  await boss.fail(JOBS.recover, { id: held!.id, retryCount: held!.retryCount });
  await expect(db.transaction().execute((trx) => settleInTransaction(boss, JOBS.recover, held!)(trx))).rejects.toBeInstanceOf(ClaimLapsedError);
  expect((await boss.getJobById(JOBS.recover, held!.id))?.state).toBe('retry');
});
