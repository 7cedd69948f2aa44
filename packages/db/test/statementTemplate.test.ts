import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { connectDatabase, scopeToTenant, StatementTemplate, TenantScopeError, type Database } from '../src/index.ts';

// A template is compiled once, by whichever handle runs it first; later runs on handles scoped to
// other tenants must behave exactly as a freshly built query on that handle would.

let drop: () => Promise<void>;
let db: Database;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  for (const t of ['a', 'b']) {
    await db
      .insertInto('tenant')
      .values({ id: `ten_${t}`, name: t })
      .execute();
    // The same uid in both tenants: only the scope tells them apart.
    await db
      .insertInto('application')
      .values({ id: `app_${t}`, tenantId: `ten_${t}`, uid: 'shared', name: `app ${t}`, throttleRate: null, metadata: '{}' })
      .execute();
  }
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

/** Finds an application by uid; the repository's own tenant filter plus the scope's. */
const byUid = () =>
  new StatementTemplate<{ tenantId: string; uid: string }, { id: string }>(['tenantId', 'uid'], (handle, { tenantId, uid }) =>
    handle.selectFrom('application').select('id').where('tenantId', '=', tenantId).where('uid', '=', uid),
  );

/** The same without a tenant filter of its own: only the scope keeps it in its tenant. */
const anyByUid = () =>
  new StatementTemplate<{ uid: string }, { id: string }>(['uid'], (handle, { uid }) => handle.selectFrom('application').select('id').where('uid', '=', uid));

it('runs a template built on one tenant scope for another tenant', async () => {
  const template = byUid();
  expect(await template.executeTakeFirst(scopeToTenant(db, 'ten_a'), { tenantId: 'ten_a', uid: 'shared' })).toEqual({ id: 'app_a' });
  expect(await template.executeTakeFirst(scopeToTenant(db, 'ten_b'), { tenantId: 'ten_b', uid: 'shared' })).toEqual({ id: 'app_b' });
});

it('keeps the scope filter when the statement has none of its own', async () => {
  const template = anyByUid();
  expect(await template.executeTakeFirst(scopeToTenant(db, 'ten_b'), { uid: 'shared' })).toEqual({ id: 'app_b' });
  expect(await template.executeTakeFirst(scopeToTenant(db, 'ten_a'), { uid: 'shared' })).toEqual({ id: 'app_a' });
});

it('refuses another tenant than its scope, as the scope does', async () => {
  const template = byUid();
  await expect(template.executeTakeFirst(scopeToTenant(db, 'ten_a'), { tenantId: 'ten_b', uid: 'shared' })).rejects.toThrow(TenantScopeError);
});

it('runs unscoped with the tenant as a plain value', async () => {
  const template = byUid();
  expect(await template.executeTakeFirst(db, { tenantId: 'ten_b', uid: 'shared' })).toEqual({ id: 'app_b' });
  expect(await template.executeTakeFirst(db, { tenantId: 'ten_a', uid: 'nope' })).toBeUndefined();
});

it('fails a value that does not compile to a parameter of its own', async () => {
  const literal = new StatementTemplate<{ uid: string }, { id: string }>(['uid'], (handle) => handle.selectFrom('application').select('id').where('uid', '=', 'shared'));
  await expect(literal.executeTakeFirst(db, { uid: 'shared' })).rejects.toThrow(/uid did not compile/);
});
