import { beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { applicationRepo, endpointRepo, portalTokenRepo, scopeToTenant, secretStorageRepo, type Database } from '../src/index.ts';

// A row lock outside a transaction ends with its statement and protects nothing: the functions that
// lock take a `Transaction`, so a pool handle passed to them is a type error (`pnpm typecheck`),
// and the lock they take inside one holds until it ends (against a real PostgreSQL).

let db: Database;

const testDb = useTestDatabase({ max: 4 });

beforeAll(async () => {
  db = testDb.db;
  await db.insertInto('tenant').values({ id: 'ten_t', name: 't' }).execute();
  await db.insertInto('application').values({ id: 'app_t', tenantId: 'ten_t', uid: null, name: 'a', throttleRate: null, metadata: '{}' }).execute();
});

// Checked by tsc, never run: each line is an error unless its function demands a Transaction.
export function lockingFunctionsDemandATransaction(pool: Database): void {
  // @ts-expect-error a pool handle is not inside a transaction
  void applicationRepo.lockApplication(pool, 'ten_t', 'app_t');
  // @ts-expect-error a pool handle is not inside a transaction
  void endpointRepo.lockEndpoint(pool, 'ten_t', 'ep_t');
  // @ts-expect-error a pool handle is not inside a transaction
  void portalTokenRepo.lockPortalTokenRevocations(pool, 'ten_t', 'app_t');
  // @ts-expect-error a pool handle is not inside a transaction
  void secretStorageRepo.lockSecretsNotUnder(pool, 'hl2:', '', 10);
}

it('holds the application lock of a tenant-scoped transaction until it ends', async () => {
  const scoped = scopeToTenant(db, 'ten_t');
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const first = scoped.transaction().execute(async (trx) => {
    expect(await applicationRepo.lockApplication(trx, 'ten_t', 'app_t')).toBe(true);
    locked();
    await held;
    order.push('first commits');
  });
  await new Promise<void>((resolve) => {
    locked = resolve;
  });
  const second = scoped.transaction().execute(async (trx) => {
    await applicationRepo.lockApplication(trx, 'ten_t', 'app_t');
    order.push('second locks');
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(order).toEqual([]);
  release();
  await Promise.all([first, second]);
  expect(order).toEqual(['first commits', 'second locks']);
});
