import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { publishWithDrizzle } from '../src/drizzle.ts';
import { describeWrapper } from './wrapperContract.ts';

// publishWithDrizzle inside db.transaction(async (tx) => …), on node-postgres.
const invoices = pgTable('invoices', { id: text('id').primaryKey() });

describeWrapper('publishWithDrizzle', async (connectionString) => {
  const pool = new pg.Pool({ connectionString, max: 2 });
  const db = drizzle(pool);
  return {
    publishWithInvoice: (invoice, message, afterPublish) =>
      db.transaction(async (tx) => {
        await tx.insert(invoices).values({ id: invoice });
        const id = await publishWithDrizzle(tx, message);
        afterPublish?.(id);
        return id;
      }),
    close: () => pool.end(),
  };
});
