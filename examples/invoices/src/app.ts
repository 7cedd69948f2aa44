import express from 'express';
import type { HooklineLibrary } from '@hookline/server';
import type { Invoice, InvoiceService } from './invoices.ts';

const CUSTOMER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const invoiceOut = (invoice: Invoice) => ({
  id: invoice.id,
  customerId: invoice.customer_id,
  amountCents: invoice.amount_cents,
  paidAt: invoice.paid_at?.toISOString() ?? null,
});

/** The vendor's app: its own routes, and Hookline's API and portal under /webhooks. */
export function createInvoicesApp(invoices: InvoiceService, hookline: Pick<HooklineLibrary, 'router'>): express.Express {
  const app = express();
  // Hookline parses its own bodies: mount it before the app's body parser.
  app.use('/webhooks', hookline.router);
  app.use(express.json());

  app.post('/invoices', async (req, res) => {
    const { customerId, amountCents } = (req.body ?? {}) as { customerId?: unknown; amountCents?: unknown };
    if (typeof customerId !== 'string' || !CUSTOMER_ID.test(customerId) || !Number.isInteger(amountCents) || (amountCents as number) <= 0) {
      res.status(422).json({ code: 'validation', detail: 'customerId (1-64 letters, digits, - _ .) and amountCents (a positive integer) are required' });
      return;
    }
    res.status(201).json(invoiceOut(await invoices.create({ customerId, amountCents: amountCents as number })));
  });

  app.get('/invoices/:id', async (req, res) => {
    const invoice = await invoices.find(req.params.id);
    if (!invoice) res.status(404).json({ code: 'not_found', detail: 'no such invoice' });
    else res.json(invoiceOut(invoice));
  });

  // Paying twice (a client retrying after a lost response) answers the paid invoice again.
  app.post('/invoices/:id/pay', async (req, res) => {
    const result = await invoices.pay(req.params.id);
    if (!result) res.status(404).json({ code: 'not_found', detail: 'no such invoice' });
    else res.json({ ...invoiceOut(result.invoice), published: result.published });
  });

  return app;
}
