import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryAttemptRepo, JOBS, type Database, type Job, type PgBoss, type SucceededAttempt } from '@hookline/db';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { GroupCommit } from '../../../src/delivery/recording/groupCommit.ts';
import { ClaimLapsedError } from '../../../src/delivery/recording/settle.ts';

// Group commit records several attempts in one transaction. Crash safety must not change: each
// job's completion stays fenced to its claim, and one lapsed claim in a shared transaction must
// neither lose the other attempts' records nor let the lapsed attempt's writes commit.

let database: QueueTestDatabase;
let db: Database;
let boss: PgBoss;

beforeAll(async () => {
  database = await createQueueTestDatabase();
  ({ db, boss } = database);
});

afterAll(async () => {
  await database?.close();
});

/** Sends n jobs and fetches them, in the order sent (jobs handed back by earlier tests, due again, are fetched past and left active). */
async function fetchJobs(n: number, endpointId = 'e'): Promise<Job<unknown>[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await boss.send(JOBS.deliver, { tenantId: 't', msgId: `m${i}`, endpointId, attempt: 1, trigger: 0 }))!);
  }
  const byId = new Map<string, Job<unknown>>();
  for (let tries = 0; tries < 10 && byId.size < n; tries++) {
    for (const job of await boss.fetch(JOBS.deliver, { batchSize: n })) if (ids.includes(job.id)) byId.set(job.id, job);
  }
  expect(byId.size).toBe(n);
  return ids.map((id) => byId.get(id)!);
}

// Each attempt's "record" writes a tenant row named for its job: what committed is easy to see.
const probe = (job: Job<unknown>) => async (trx: Database) => {
  await trx
    .insertInto('tenant')
    .values({ id: `probe-${job.id}`, name: 'probe', retrySchedule: null })
    .execute();
};
async function probed(): Promise<string[]> {
  const rows = await db.selectFrom('tenant').select('id').where('name', '=', 'probe').execute();
  return rows.map((r) => r.id.replace(/^probe-/, '')).sort();
}

async function states(jobs: Job<unknown>[]): Promise<string[]> {
  const found = await Promise.all(jobs.map((j) => boss.getJobById(JOBS.deliver, j.id)));
  return found.map((j) => j?.state ?? 'deleted');
}

describe('group commit of attempts', () => {
  it('commits the others and fences the lapsed one when one claim in a shared transaction lapsed', async () => {
    const [first, ok1, lapsed, ok2] = await fetchJobs(4);
    // The claim lapsed: the job was handed back (as when its heartbeat stops) and is no longer this worker's.
    await boss.fail(JOBS.deliver, { id: lapsed!.id, retryCount: lapsed!.retryCount });
    const commits = new GroupCommit(db);
    // The first commits alone; the three queued behind it share the next transaction.
    const results = await Promise.allSettled([first!, ok1!, lapsed!, ok2!].map((job) => commits.commit(job, probe(job))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ClaimLapsedError);
    expect(await probed()).toEqual([first!.id, ok1!.id, ok2!.id].sort());
    expect(await states([first!, ok1!, ok2!])).toEqual(['deleted', 'deleted', 'deleted']);
    expect(await states([lapsed!])).not.toEqual(['deleted']);
  });

  it("reports a failing write as that attempt's error only", async () => {
    await db.deleteFrom('tenant').where('name', '=', 'probe').execute();
    const [first, broken, ok] = await fetchJobs(3);
    const commits = new GroupCommit(db);
    // Fails in any transaction: the row exists already.
    const failing = async (trx: Database) => {
      await trx
        .insertInto('tenant')
        .values({ id: `probe-${first!.id}`, name: 'probe', retrySchedule: null })
        .execute();
    };
    const results = await Promise.allSettled([commits.commit(first!, probe(first!)), commits.commit(broken!, failing), commits.commit(ok!, probe(ok!))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await states([first!, ok!])).toEqual(['deleted', 'deleted']);
    expect(await states([broken!])).toEqual(['active']);
    expect(await probed()).toEqual([first!.id, ok!.id].sort());
  });
});

// Plain successes take the fast path: their rows and their jobs' completions in one statement.
describe('group commit of plain successes', () => {
  const tenantId = 'ten_gc';
  let client: pg.Client;
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.connectionString });
    await client.connect();
    await q('INSERT INTO tenant (id, name) VALUES ($1, $2)', [tenantId, 'gc']);
    await q('INSERT INTO application (id, tenant_id, name) VALUES ($1, $2, $3)', ['app_gc', tenantId, 'gc']);
    await q('INSERT INTO endpoint (id, tenant_id, app_id, url) VALUES ($1, $2, $3, $4)', ['ep_gc', tenantId, 'app_gc', 'http://127.0.0.1/']);
  });
  afterAll(async () => client?.end());

  /** A pending delivery of a new message, and its job fetched. */
  async function deliveries(n: number): Promise<Array<{ job: Job<unknown>; attempt: SucceededAttempt }>> {
    const out = [];
    for (let i = 0; i < n; i++) {
      const msgId = `msg_gc_${Math.random().toString(36).slice(2)}`;
      await q(`INSERT INTO message (id, tenant_id, app_id, event_type, payload, expires_at) VALUES ($1, $2, 'app_gc', 'x', '{}', now() + interval '1 day')`, [
        msgId,
        tenantId,
      ]);
      await q(`INSERT INTO message_delivery (tenant_id, app_id, msg_id, endpoint_id, status, next_attempt_at) VALUES ($1, 'app_gc', $2, 'ep_gc', 1, now())`, [
        tenantId,
        msgId,
      ]);
      const id = await boss.send(JOBS.deliver, { tenantId, msgId, endpointId: 'ep_gc', attempt: 1, trigger: 0 });
      // Jobs that earlier tests handed back come due again in between: fetched past, left active.
      let job: Job<unknown> | undefined;
      for (let tries = 0; tries < 100 && job?.id !== id; tries++) [job] = await boss.fetch(JOBS.deliver, { batchSize: 1 });
      expect(job?.id).toBe(id);
      out.push({
        job: job!,
        attempt: {
          id: `atmpt_gc_${msgId}`,
          createdAt: new Date(),
          tenantId,
          appId: 'app_gc',
          msgId,
          endpointId: 'ep_gc',
          url: 'http://127.0.0.1/',
          status: 0,
          responseStatusCode: 200,
          response: 'ok',
          responseDurationMs: 1,
          responseHeaders: null,
          triggerType: 0,
          attemptCount: 1,
        },
      });
    }
    return out;
  }
  const recorded = async (attempts: SucceededAttempt[]) =>
    (
      await db
        .selectFrom('messageAttempt')
        .select('id')
        .where(
          'id',
          'in',
          attempts.map((a) => a.id),
        )
        .execute()
    )
      .map((r) => r.id)
      .sort();
  const deliveryStates = async (attempts: SucceededAttempt[]) =>
    (
      await db
        .selectFrom('messageDelivery')
        .select(['msgId', 'status', 'attemptCount'])
        .where(
          'msgId',
          'in',
          attempts.map((a) => a.msgId),
        )
        .orderBy('msgId')
        .execute()
    ).map((r) => [r.status, r.attemptCount]);

  it('records them and completes their jobs', async () => {
    const made = await deliveries(3);
    const commits = new GroupCommit(db);
    await Promise.all(
      made.map(({ job, attempt }) =>
        commits.commit(
          job,
          async () => {
            throw new Error('the fast path writes them');
          },
          attempt,
        ),
      ),
    );
    expect(await recorded(made.map((m) => m.attempt))).toEqual(made.map((m) => m.attempt.id).sort());
    expect(await deliveryStates(made.map((m) => m.attempt))).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(await states(made.map((m) => m.job))).toEqual(['deleted', 'deleted', 'deleted']);
  });

  it('writes nothing for a lapsed claim and commits the others', async () => {
    const made = await deliveries(3);
    const lapsed = made[1]!;
    await boss.fail(JOBS.deliver, { id: lapsed.job.id, retryCount: lapsed.job.retryCount });
    const commits = new GroupCommit(db);
    // The "alone" fallback writes through `work`, as recordAttempt's would.
    const work = (a: SucceededAttempt) => async (trx: Database) => deliveryAttemptRepo.writeSucceededAttempts(trx, [a], new Date());
    const results = await Promise.allSettled(made.map(({ job, attempt }) => commits.commit(job, work(attempt), attempt)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ClaimLapsedError);
    expect(await recorded(made.map((m) => m.attempt))).toEqual([made[0]!.attempt.id, made[2]!.attempt.id].sort());
    expect(await states([made[0]!.job, made[2]!.job])).toEqual(['deleted', 'deleted']);
    expect(await states([lapsed.job])).not.toEqual(['deleted']);
  });

  it('fails the statement, writing nothing, when a claim lapsed', async () => {
    const made = await deliveries(2);
    await boss.fail(JOBS.deliver, { id: made[0]!.job.id, retryCount: made[0]!.job.retryCount });
    await expect(
      deliveryAttemptRepo.writeSucceededAttempts(
        db,
        made.map((m) => m.attempt),
        new Date(),
        {
          queue: JOBS.deliver,
          jobs: made.map(({ job }) => ({ id: job.id, retryCount: job.retryCount })),
        },
      ),
    ).rejects.toThrow(deliveryAttemptRepo.CLAIM_LAPSED_MARK);
    expect(await recorded(made.map((m) => m.attempt))).toEqual([]);
    expect(await states([made[1]!.job])).toEqual(['active']);
  });

  // A delivery job is finished by deleting it (its attempt's row is its history), in the statement
  // that records the attempt: only the jobs recorded, and pg-boss goes on with the rest.
  it('finishes the jobs it records by deleting them, and no other', async () => {
    const made = await deliveries(3);
    await deliveryAttemptRepo.writeSucceededAttempts(
      db,
      made.slice(0, 2).map((m) => m.attempt),
      new Date(),
      {
        queue: JOBS.deliver,
        jobs: made.slice(0, 2).map(({ job }) => ({ id: job.id, retryCount: job.retryCount })),
      },
    );
    expect(await states(made.map((m) => m.job))).toEqual(['deleted', 'deleted', 'active']);
    await boss.complete(JOBS.deliver, { id: made[2]!.job.id, retryCount: made[2]!.job.retryCount }, null);
    expect(await states([made[2]!.job])).toEqual(['completed']);
  });

  // 50 hanging endpoints time out together: hundreds of failures reach the group commit at once.
  describe('a burst of failures', () => {
    /**
     * `failures` attempts to `endpointId` (other than plain successes) and then a plain success to
     * ep_gc, all queued behind a first commit held open until they are: where the success was
     * committed among them, and its attempt.
     */
    async function burstThenSuccess(failures: number, endpointId: string): Promise<{ at: number; success: { job: Job<unknown>; attempt: SucceededAttempt } }> {
      const [first, ...burst] = await fetchJobs(failures + 1, endpointId);
      const [success] = await deliveries(1);
      const commits = new GroupCommit(db);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const held = commits.commit(first!, () => gate);
      const order: string[] = [];
      const all = [
        ...burst.map((job) => commits.commit(job, probe(job)).then(() => order.push('failure'))),
        commits.commit(success!.job, async () => {}, success!.attempt).then(() => order.push('success')),
      ];
      release();
      await Promise.all([held, ...all]);
      return { at: order.indexOf('success'), success: success! };
    }

    it('holds back the successes that finish behind it by one batch, not by all of it', async () => {
      const { at, success } = await burstThenSuccess(100, 'ep_burst');
      // Before: the success waited for the 100 failures ahead of it (two transactions of 64 and 36).
      expect(at).toBe(0);
      expect(await recorded([success.attempt])).toEqual([success.attempt.id]);
    });

    it("keeps an endpoint's attempts in their order: its success waits for its earlier failures", async () => {
      expect((await burstThenSuccess(70, 'ep_gc')).at).toBe(70);
    });
  });
});
