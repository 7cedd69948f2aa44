import { sql, type Kysely } from 'kysely';

// The vendor's own table, in the vendor's own database: Hookline's schema sits beside it, and this
// app never reads Hookline's tables (it only calls hookline.publish, through @hookline/publish).

export interface InvoiceTable {
  id: string;
  customer_id: string;
  amount_cents: number;
  paid_at: Date | null;
}

export interface VendorDatabase {
  invoices: InvoiceTable;
}

/** The vendor's one-table migration; safe to run at every start. */
export async function migrateInvoices(db: Kysely<VendorDatabase>): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS invoices (
      id text PRIMARY KEY,
      customer_id text NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      paid_at timestamptz
    )`.execute(db);
}
