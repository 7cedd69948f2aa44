import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HooklinePublishError, publishErrorCode, publishWithKysely, publishWithPg } from '../src/index.ts';
import { describeWrapper } from './wrapperContract.ts';

// The package root's wrappers, pg inside BEGIN and a Kysely Transaction, held to the same contract
// as the ORM subpaths' (wrapperContract.ts).

describeWrapper('publishWithPg', async (connectionString) => {
  const pool = new pg.Pool({ connectionString, max: 2 });
  return {
    publishWithInvoice: async (invoice, message, afterPublish) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO invoices VALUES ($1)', [invoice]);
        const id = await publishWithPg(client, message);
        afterPublish?.(id);
        await client.query('COMMIT');
        return id;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
});

describeWrapper('publishWithKysely', async (connectionString) => {
  const db = new Kysely<{ invoices: { id: string } }>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 2 }) }) });
  return {
    publishWithInvoice: (invoice, message, afterPublish) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('invoices').values({ id: invoice }).execute();
        const id = await publishWithKysely(trx, message);
        afterPublish?.(id);
        return id;
      }),
    close: () => db.destroy(),
  };
});

describe('publishErrorCode', () => {
  it('finds the SQLSTATE through each driver’s wrapping, and nothing in other errors', () => {
    const postgres = { code: 'HL409', message: 'eventId "x" already exists' };
    expect(publishErrorCode(postgres)).toBe('HL409');
    expect(publishErrorCode(new Error('Failed query', { cause: postgres }))).toBe('HL409');
    expect(publishErrorCode({ code: 'P2010', meta: { driverAdapterError: { cause: { ...postgres, code: 'HL413' } } } })).toBe('HL413');
    expect(publishErrorCode({ code: 'P2010', meta: { code: 'HL422', message: '…' } })).toBe('HL422');
    expect(publishErrorCode(new HooklinePublishError('HL403', 'not allowed', { cause: postgres }))).toBe('HL403');
    expect(publishErrorCode({ code: '23505' })).toBeUndefined();
    expect(publishErrorCode(new Error('other'))).toBeUndefined();
    expect(publishErrorCode(null)).toBeUndefined();
  });
});
