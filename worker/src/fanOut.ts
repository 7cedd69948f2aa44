import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { fanOutMessages, JOBS, type FanOutJob } from '@hookline/core';
import type { Database } from '@hookline/db';
import { settleAllInTransaction } from './settle.ts';

type Settled = { id: string; status: 'completed' | 'failed'; output?: object };

/**
 * The fan-out consumer: a batch of fan-out jobs is fanned out at once (one transaction that also
 * completes every job, fenced to its claim), which costs about the round trips of one message. If
 * the batch fails as a whole (a claim lapsed, one message's writes failed), it rolls back and
 * `oneByOne` handles each job alone, so one job's failure stays its own. Jobs that carry a trace
 * context also go one by one: each gets its own span, which its deliveries continue.
 */
export function fanOutInBatches(
  deps: { db: Database; boss: PgBoss; logger: Logger },
  oneByOne: (jobs: Job<FanOutJob>[]) => Promise<Settled[]>,
): (jobs: Job<FanOutJob>[]) => Promise<Settled[]> {
  return async (jobs) => {
    if (jobs.length < 2 || jobs.some((j) => j.data.trace)) return oneByOne(jobs);
    try {
      const counts = await fanOutMessages(deps.db, deps.boss, jobs.map((j) => j.data), settleAllInTransaction(deps.boss, JOBS.fanOut, jobs));
      if (deps.logger.isLevelEnabled('debug')) {
        jobs.forEach((job, i) => deps.logger.debug({ tenantId: job.data.tenantId, msgId: job.data.msgId, jobId: job.id, endpoints: counts[i] }, 'fanned out'));
      }
      return jobs.map((job) => ({ id: job.id, status: 'completed' as const }));
    } catch (err) {
      deps.logger.debug({ err, msgIds: jobs.map((j) => j.data.msgId) }, 'fan-out batch failed; fanning out one by one');
      return oneByOne(jobs);
    }
  };
}
