import type { Job, PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoss, ensureQueues, JOBS } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { createTestDatabase } from '../../test/support/database.ts';
import { GroupCommit } from '../src/groupCommit.ts';
import { ClaimLapsedError } from '../src/settle.ts';

// Group commit records several attempts in one transaction. Crash safety must not change: each
// job's completion stays fenced to its claim, and one lapsed claim in a shared transaction must
// neither lose the other attempts' records nor let the lapsed attempt's writes commit.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let boss: PgBoss;

beforeAll(async () => {
  database = await createTestDatabase();
  db = connectDatabase({ connectionString: database.connectionString, max: 4 });
  boss = createBoss(database.connectionString, 'producer', { max: 2 });
  await boss.start();
  await ensureQueues(boss, { deliveryTimeoutMs: 5000, queueRetentionSeconds: 3600 });
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db?.destroy();
  await database?.drop();
});

async function fetchJobs(n: number): Promise<Job<unknown>[]> {
  for (let i = 0; i < n; i++) {
    await boss.send(JOBS.deliver, { tenantId: 't', msgId: `m${i}`, endpointId: 'e', attempt: 1, trigger: 0 });
  }
  const jobs = await boss.fetch(JOBS.deliver, { batchSize: n });
  expect(jobs).toHaveLength(n);
  return jobs;
}

// Each attempt's "record" writes a tenant row named for its job: what committed is easy to see.
const probe = (job: Job<unknown>) => async (trx: Database) => {
  await trx.insertInto('tenant').values({ id: `probe-${job.id}`, name: 'probe', retrySchedule: null }).execute();
};
async function probed(): Promise<string[]> {
  const rows = await db.selectFrom('tenant').select('id').where('name', '=', 'probe').execute();
  return rows.map((r) => r.id.replace(/^probe-/, '')).sort();
}

async function states(jobs: Job<unknown>[]): Promise<string[]> {
  const found = await Promise.all(jobs.map((j) => boss.getJobById(JOBS.deliver, j.id)));
  return found.map((j) => j?.state ?? 'missing');
}

describe('group commit of attempts', () => {
  it('commits the others and fences the lapsed one when one claim in a shared transaction lapsed', async () => {
    const [first, ok1, lapsed, ok2] = await fetchJobs(4);
    // The claim lapsed: the job was handed back (as when its heartbeat stops) and is no longer this worker's.
    await boss.fail(JOBS.deliver, { id: lapsed!.id, retryCount: lapsed!.retryCount });
    const commits = new GroupCommit(db, boss, JOBS.deliver);
    // The first commits alone; the three queued behind it share the next transaction.
    const results = await Promise.allSettled([first!, ok1!, lapsed!, ok2!].map((job) => commits.commit(job, probe(job))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ClaimLapsedError);
    expect(await probed()).toEqual([first!.id, ok1!.id, ok2!.id].sort());
    expect(await states([first!, ok1!, ok2!])).toEqual(['completed', 'completed', 'completed']);
    expect(await states([lapsed!])).not.toEqual(['completed']);
  });

  it('reports a failing write as that attempt\'s error only', async () => {
    await db.deleteFrom('tenant').where('name', '=', 'probe').execute();
    const [first, broken, ok] = await fetchJobs(3);
    const commits = new GroupCommit(db, boss, JOBS.deliver);
    // Fails in any transaction: the row exists already.
    const failing = async (trx: Database) => {
      await trx.insertInto('tenant').values({ id: `probe-${first!.id}`, name: 'probe', retrySchedule: null }).execute();
    };
    const results = await Promise.allSettled([
      commits.commit(first!, probe(first!)), commits.commit(broken!, failing), commits.commit(ok!, probe(ok!)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await states([first!, ok!])).toEqual(['completed', 'completed']);
    expect(await states([broken!])).toEqual(['active']);
    expect(await probed()).toEqual([first!.id, ok!.id].sort());
  });
});
