import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { publishWithKysely } from '@hookline/publish';
import type { InvoiceTable, VendorDatabase } from './schema.ts';

export type Invoice = Selectable<InvoiceTable>;

/**
 * Where a test may stop the app: between the UPDATE and the publish, or after COMMIT before the
 * response. Production passes no checkpoint.
 */
export type Checkpoint = (at: 'before-publish' | 'after-commit') => Promise<void>;

export interface InvoiceService {
  create(input: { customerId: string; amountCents: number }): Promise<Invoice>;
  find(id: string): Promise<Invoice | undefined>;
  /** Marks the invoice paid and publishes `invoice.paid`, in one transaction; a repeat changes nothing. */
  pay(id: string): Promise<{ invoice: Invoice; published: boolean } | undefined>;
}

export function invoiceService(db: Kysely<VendorDatabase>, tenantId: string, checkpoint: Checkpoint = async () => {}): InvoiceService {
  const find = (id: string) => db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    find,
    create: ({ customerId, amountCents }) =>
      db
        .insertInto('invoices')
        .values({ id: `inv_${randomBytes(8).toString('hex')}`, customer_id: customerId, amount_cents: amountCents })
        .returningAll()
        .executeTakeFirstOrThrow(),
    async pay(id) {
      const paid = await db.transaction().execute(async (trx) => {
        // The row lock serialises two payments of one invoice: the second finds it paid.
        const invoice = await trx
          .updateTable('invoices')
          .set({ paid_at: new Date() })
          .where('id', '=', id)
          .where('paid_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!invoice) return undefined;
        await checkpoint('before-publish');
        await publishWithKysely(trx, {
          tenantId,
          app: invoice.customer_id,
          eventType: 'invoice.paid',
          payload: { id: invoice.id, customerId: invoice.customer_id, amountCents: invoice.amount_cents, paidAt: invoice.paid_at?.toISOString() },
          // The invoice id as the message's eventId: Hookline refuses a second invoice.paid for it.
          eventId: invoice.id,
          // Each customer is an application of the vendor's tenant, created by its first message.
          application: { name: invoice.customer_id, uid: invoice.customer_id },
        });
        return invoice;
      });
      if (paid) {
        await checkpoint('after-commit');
        return { invoice: paid, published: true };
      }
      const existing = await find(id);
      return existing && { invoice: existing, published: false };
    },
  };
}
