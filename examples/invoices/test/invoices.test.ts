import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { testEnv } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The invoice example as its users run it: a real process (app + Hookline + in-process worker) on a
// real PostgreSQL, killed with SIGKILL inside a payment. Killed between the UPDATE and the publish,
// the payment rolls back whole; killed after COMMIT, the invoice is paid and invoice.paid is
// delivered exactly once by the next start, even when the client retries the payment.

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');
/** How long a delivery that must not come is waited for: six of the worker's 0.5 s polls. */
const SILENCE_MS = 3_000;

interface InvoicesProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<unknown>;
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let receiver: Receiver;
let running: InvoicesProcess | undefined;
let tenantId: string;
let apiKey: string;
let secret: string;

async function startInvoices(env: Record<string, string> = {}): Promise<InvoicesProcess> {
  const { DATABASE_URL, ...settings } = testEnv(database.connectionString);
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL, ...settings, ...(tenantId ? { WEBHOOKS_TENANT_ID: tenantId } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const proc: InvoicesProcess = { child, url: '', output: () => out, exited };
  running = proc;
  await waitForOutput(proc, /invoices listening on (\S+)/, 60_000);
  proc.url = /invoices listening on (\S+)/.exec(out)![1]!;
  return proc;
}

async function waitForOutput(proc: InvoicesProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  await waitUntil(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`the example exited early:\n${proc.output()}`);
      return pattern.test(proc.output());
    },
    timeoutMs,
    String(pattern),
  );
}

async function kill(proc: InvoicesProcess, signal: NodeJS.Signals): Promise<void> {
  proc.child.kill(signal);
  await proc.exited;
  running = undefined;
}

async function call(proc: InvoicesProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${proc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Starts a payment that the process will never answer (it pauses, then is killed). */
function payUnanswered(proc: InvoicesProcess, id: string): void {
  fetch(`${proc.url}/invoices/${id}/pay`, { method: 'POST' }).catch(() => {});
}

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startReceiver();
  // The first start on an empty Hookline creates the tenant and shows its API key once.
  const first = await startInvoices({ HOOKLINE_BOOTSTRAP: 'true' });
  tenantId = /tenant: +(org_\S+)/.exec(first.output())![1]!;
  apiKey = /API key: +(\S+)/.exec(first.output())![1]!;
  // The customer's endpoint, through Hookline's API mounted in the app.
  expect((await call(first, 'POST', '/webhooks/api/v1/app', { name: 'Acme', uid: 'cus_acme' })).status).toBe(201);
  const endpoint = await call(first, 'POST', '/webhooks/api/v1/app/cus_acme/endpoint', { url: `${receiver.url}/hook` });
  expect(endpoint.status).toBe(201);
  secret = (await call(first, 'GET', `/webhooks/api/v1/app/cus_acme/endpoint/${String(endpoint.body.id)}/secret`)).body.key as string;
  await kill(first, 'SIGTERM');
});

afterAll(async () => {
  if (running) await kill(running, 'SIGKILL');
  await receiver?.close();
  await database?.drop();
});

// Each test starts the app once or twice (60 s each at most): on a loaded machine a start alone takes 10 s.
describe('the invoice example, killed inside a payment', { timeout: 180_000 }, () => {
  it('killed between the UPDATE and the publish: the payment rolls back, no message, nothing delivered', async () => {
    const paying = await startInvoices({ INVOICES_PAUSE_AT: 'before-publish' });
    const invoice = (await call(paying, 'POST', '/invoices', { customerId: 'cus_acme', amountCents: 1200 })).body as { id: string };
    payUnanswered(paying, invoice.id);
    await waitForOutput(paying, /paused at before-publish/, 10_000);
    await kill(paying, 'SIGKILL');

    const next = await startInvoices();
    expect((await call(next, 'GET', `/invoices/${invoice.id}`)).body).toMatchObject({ id: invoice.id, paidAt: null });
    // The invoice id is the message's eventId: no message has it.
    expect((await call(next, 'GET', `/webhooks/api/v1/app/cus_acme/msg/${invoice.id}`)).status).toBe(404);
    // A worker runs (the new process's): a message, had one committed, would come now.
    await new Promise((r) => setTimeout(r, SILENCE_MS));
    expect(receiver.requests).toEqual([]);
    await kill(next, 'SIGTERM');
  });

  it('killed after COMMIT, before answering: paid, and invoice.paid is delivered once, signed, though the client pays again', async () => {
    // No worker in the killed process: the delivery must come from the restarted app's worker, after the crash.
    const paying = await startInvoices({ INVOICES_PAUSE_AT: 'after-commit', INVOICES_WORKER: 'false' });
    const invoice = (await call(paying, 'POST', '/invoices', { customerId: 'cus_acme', amountCents: 4200 })).body as { id: string };
    payUnanswered(paying, invoice.id);
    await waitForOutput(paying, /paused at after-commit/, 10_000);
    await kill(paying, 'SIGKILL');
    expect(receiver.requests).toEqual([]);

    const next = await startInvoices();
    // The client never got its answer and retries: the invoice is already paid, nothing is published again.
    const retried = await call(next, 'POST', `/invoices/${invoice.id}/pay`);
    expect(retried).toMatchObject({ status: 200, body: { id: invoice.id, published: false } });
    expect(retried.body.paidAt).not.toBeNull();

    const [delivered] = await receiver.waitFor(1, 20_000);
    const message = await call(next, 'GET', `/webhooks/api/v1/app/cus_acme/msg/${invoice.id}`);
    expect(message.status).toBe(200);
    expect(delivered!.headers['webhook-id']).toBe(message.body.id);
    expect(new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).toEqual({
      id: invoice.id,
      customerId: 'cus_acme',
      amountCents: 4200,
      paidAt: retried.body.paidAt,
    });
    await new Promise((r) => setTimeout(r, SILENCE_MS));
    expect(receiver.requests.map((r) => JSON.parse(r.body).id)).toEqual([invoice.id]);
    await kill(next, 'SIGTERM');
  });

  it('answers bad input with 422 and an unknown invoice with 404', async () => {
    const app = await startInvoices();
    expect(await call(app, 'POST', '/invoices', { customerId: 'no spaces', amountCents: 1 })).toMatchObject({ status: 422, body: { code: 'validation' } });
    expect(await call(app, 'POST', '/invoices', { customerId: 'cus_acme', amountCents: 0 })).toMatchObject({ status: 422 });
    expect(await call(app, 'POST', '/invoices/inv_missing/pay')).toMatchObject({ status: 404, body: { code: 'not_found' } });
    await kill(app, 'SIGTERM');
  });
});
