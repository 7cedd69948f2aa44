import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueueTestDatabase, type QueueTestDatabase } from '@hookline/test-support/queueDatabase';
import { createBoss } from '../../src/queue/boss.ts';
import { endpointGroupConcurrency, JOBS } from '../../src/queue/jobs.ts';

// A worker's pg-boss runs its statements as prepared ones planned once, generically: its fetch,
// run for every few deliveries, took longer to plan than to run. Read back from the server's own
// pg_prepared_statements, on a pool of one connection so every statement meets the same session.

let database: QueueTestDatabase;
beforeAll(async () => {
  database = await createQueueTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function fetchTenTimes(role: 'producer' | 'worker', preparedStatements?: boolean) {
  const boss = createBoss(database.connectionString, role, {
    max: 1,
    ...(preparedStatements === undefined ? {} : { preparedStatements }),
  });
  await boss.start();
  try {
    for (let i = 0; i < 10; i++) await boss.fetch(JOBS.deliver, { batchSize: 100, groupConcurrency: endpointGroupConcurrency(16) });
    const { rows } = await boss
      .getDb()
      .executeSql(`SELECT generic_plans AS "genericPlans", custom_plans AS "customPlans" FROM pg_prepared_statements WHERE statement LIKE '%active_group_count_map%'`);
    return rows as Array<{ genericPlans: number; customPlans: number }>;
  } finally {
    await boss.stop({ graceful: false });
  }
}

it("plans a worker's fetch once, generically", async () => {
  expect(await fetchTenTimes('worker')).toEqual([{ genericPlans: 8, customPlans: 0 }]);
});

it('prepares nothing for a producer, or with prepared statements off', async () => {
  expect(await fetchTenTimes('producer')).toEqual([]);
  expect(await fetchTenTimes('worker', false)).toEqual([]);
});
