import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMaintenance } from '@hookline/core';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { QUEUE_SCHEMA } from '@hookline/test-support/queueTables';

let h: TestHookline;

beforeAll(async () => {
  h = await startTestHookline();
});
afterAll(async () => h?.stop());

it('prunes idempotency keys past their retention and keeps recent ones', async () => {
  const { db } = h.hookline;
  const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);
  await db
    .insertInto('idempotencyKey')
    .values([
      { tenantId: 'org_a', key: 'old', request: 'POST /x', statusCode: 202, responseBody: '{}', createdAt: hoursAgo(25), completedAt: hoursAgo(25) },
      { tenantId: 'org_a', key: 'recent', request: 'POST /x', statusCode: 202, responseBody: '{}', createdAt: hoursAgo(13), completedAt: hoursAgo(13) },
    ])
    .execute();
  const result = await runMaintenance(db, { messageRetentionDays: 90 });
  expect(result.idempotencyKeysPruned).toBe(1);
  const left = await db.selectFrom('idempotencyKey').select('key').execute();
  expect(left.map((r) => r.key)).toEqual(['recent']);
});

it('is scheduled once for the deployment by the worker', async () => {
  const { rows } = await sql<{ name: string; cron: string }>`SELECT name, cron FROM ${sql.table(`${QUEUE_SCHEMA}.schedule`)}`.execute(h.hookline.db);
  expect(rows).toEqual([{ name: 'maintenance.v1', cron: '*/10 * * * *' }]);
});
