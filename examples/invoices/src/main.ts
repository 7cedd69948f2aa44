import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createHookline } from '@hookline/server';
import { createInvoicesApp } from './app.ts';
import { invoiceService, type Checkpoint } from './invoices.ts';
import { migrateInvoices, type VendorDatabase } from './schema.ts';

// The invoice app and Hookline in one process, on one pg pool: `node src/main.ts` with
// DATABASE_URL and HOOKLINE_ENCRYPTION_KEYS set (README.md). Other HOOKLINE_* settings apply as
// they do to `hookline start`.

const env = process.env;
if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to your PostgreSQL database');
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
const db = new Kysely<VendorDatabase>({ dialect: new PostgresDialect({ pool }) });
await migrateInvoices(db);

// Migrates Hookline's schema too; on an empty database it creates the first tenant.
const { DATABASE_URL: _url, ...hooklineEnv } = env;
const hookline = await createHookline({ pool, env: hooklineEnv });
if (hookline.bootstrap) {
  // As `hookline start` does at its first start: shown once, never logged.
  process.stdout.write(
    `Hookline is set up. Keep these; they are shown only once.\n  tenant:  ${hookline.bootstrap.tenant.id}\n  API key: ${hookline.bootstrap.apiKey}\n`,
  );
}
const tenantId = env.WEBHOOKS_TENANT_ID ?? hookline.bootstrap?.tenant.id;
if (!tenantId) throw new Error('set WEBHOOKS_TENANT_ID to the tenant printed at the first start');

// Test-only: INVOICES_PAUSE_AT stops a payment there for good, so that a test can kill the process.
const checkpoint: Checkpoint = async (at) => {
  if (env.INVOICES_PAUSE_AT !== at) return;
  process.stdout.write(`paused at ${at}\n`);
  await new Promise(() => {});
};

const app = createInvoicesApp(invoiceService(db, tenantId, checkpoint), hookline);
// INVOICES_WORKER=false leaves delivery to `hookline start --role worker` processes beside the app.
if (env.INVOICES_WORKER !== 'false') await hookline.worker.start();
const server = app.listen(Number(env.PORT ?? 3000), env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`invoices listening on http://${env.HOST ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}\n`);
});

process.once('SIGTERM', () => {
  // Hookline's close stops the worker (deliveries in flight finish or go back); the pool is ours to end.
  server.close(() => void hookline.close().then(() => db.destroy()));
});
