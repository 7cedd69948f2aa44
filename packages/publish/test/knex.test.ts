import knex from 'knex';
import { publishWithKnex } from '../src/knex.ts';
import { describeWrapper } from './wrapperContract.ts';

// publishWithKnex inside knex.transaction(async (trx) => …), on the pg client.
describeWrapper('publishWithKnex', async (connectionString) => {
  const db = knex({ client: 'pg', connection: connectionString, pool: { min: 0, max: 2 } });
  return {
    publishWithInvoice: (invoice, message, afterPublish) =>
      db.transaction(async (trx) => {
        await trx('invoices').insert({ id: invoice });
        const id = await publishWithKnex(trx, message);
        afterPublish?.(id);
        return id;
      }),
    close: () => db.destroy(),
  };
});
