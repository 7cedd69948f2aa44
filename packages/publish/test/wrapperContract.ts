import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { HooklinePublishError, type PublishMessage } from '../src/index.ts';

// What every ORM wrapper must do against real PostgreSQL, in the vendor's own ORM transaction next
// to the vendor's own row: commit → the message, its pending fan-out and the row; the vendor's
// failure after the publish → none of them; a refusal → HooklinePublishError with its SQLSTATE,
// and the ORM rolls the row back too. Each *.test.ts beside this supplies its ORM as a Vendor.

/** One ORM on one connection string. */
export interface Vendor {
  /**
   * In one ORM transaction: inserts the invoice, publishes, then calls `afterPublish` with the id
   * (which may throw, as the vendor's own failure). Returns the message id once committed.
   */
  publishWithInvoice(invoice: string, message: PublishMessage, afterPublish?: (id: string) => void): Promise<string>;
  close(): Promise<void>;
}

export function describeWrapper(name: string, connect: (connectionString: string) => Promise<Vendor>): void {
  const database = useTestDatabase();
  const tenantId = 'org_wrapperContract';
  const otherTenant = 'org_wrapperContractOther';
  let owner: pg.Pool;
  let vendor: Vendor;
  const roles: string[] = [];
  const others: Vendor[] = [];

  beforeAll(async () => {
    // As in a vendor's database: the vendor's table and sessions in `public`, Hookline in its schema.
    // (Test databases default to Hookline's schema; the vendor's connections here must not.)
    const name = decodeURIComponent(new URL(database.connectionString).pathname.slice(1));
    owner = new pg.Pool({ connectionString: database.connectionString, max: 2, options: '-c search_path=hookline,public' });
    await owner.query(`ALTER DATABASE "${name}" SET search_path = "$user", public`);
    await owner.query('CREATE TABLE public.invoices (id text PRIMARY KEY)');
    for (const id of [tenantId, otherTenant]) {
      await owner.query("INSERT INTO tenant (id, name) VALUES ($1, 'wrapper contract')", [id]);
      await owner.query("INSERT INTO application (id, tenant_id, uid, name) VALUES ($1, $2, 'billing', 'Billing')", [`app_${id.slice(4)}`, id]);
    }
    vendor = await connect(database.connectionString);
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await vendor?.close();
    for (const role of roles) await owner?.query(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`).catch(() => {});
    await owner?.end();
  });

  const rows = async (msgId: string, invoice: string) => {
    const { rows } = await owner.query(
      `SELECT (SELECT count(*)::int FROM message WHERE id = $1) AS messages, (SELECT count(*)::int FROM fanout_pending WHERE msg_id = $1) AS pending,
         (SELECT count(*)::int FROM invoices WHERE id = $2) AS invoices`,
      [msgId, invoice],
    );
    return rows[0] as { messages: number; pending: number; invoices: number };
  };
  const invoiceCount = async (invoice: string) => (await rows('', invoice)).invoices;
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: unknown) => err,
    );

  /** The same ORM connected as a login role of its own (roles are cluster-wide: a random name) that may write invoices. */
  async function asRole(): Promise<{ role: string; vendor: Vendor }> {
    const role = `hl_wrap_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await owner.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    roles.push(role);
    await owner.query(`GRANT INSERT, SELECT ON invoices TO "${role}"`);
    const url = new URL(database.connectionString);
    url.username = role;
    url.password = password;
    const other = await connect(url.toString());
    others.push(other);
    return { role, vendor: other };
  }

  describe(name, () => {
    it('commits with the ORM’s transaction, and rolls back with it', async () => {
      const message = { tenantId, app: 'billing', eventType: 'invoice.paid', tags: ['contract'] };
      const committed = await vendor.publishWithInvoice('in-1', { ...message, payload: { id: 'in-1' }, eventId: 'in-1' });
      expect(committed).toMatch(/^msg_/);
      expect(await rows(committed, 'in-1')).toEqual({ messages: 1, pending: 1, invoices: 1 });

      let rolledBack = '';
      const failure = new Error('the vendor’s own failure after the publish');
      const thrown = await refusal(
        vendor.publishWithInvoice('in-2', { ...message, payload: { id: 'in-2' } }, (id) => {
          rolledBack = id;
          throw failure;
        }),
      );
      expect(thrown).toBe(failure);
      expect(rolledBack).toMatch(/^msg_/);
      expect(await rows(rolledBack, 'in-2')).toEqual({ messages: 0, pending: 0, invoices: 0 });
    });

    it('a refusal is a HooklinePublishError with its SQLSTATE, and the ORM rolls the vendor’s row back', async () => {
      const missing = await refusal(vendor.publishWithInvoice('in-404', { tenantId, app: 'missing', eventType: 'invoice.paid', payload: {} }));
      expect(missing).toBeInstanceOf(HooklinePublishError);
      // PostgreSQL's own message, whatever the driver wrote around it (Knex: the query, with the arguments).
      expect(missing).toMatchObject({ code: 'HL404', message: 'application "missing" not found' });
      expect(await invoiceCount('in-404')).toBe(0);

      const invalid = await refusal(vendor.publishWithInvoice('in-422', { tenantId, app: 'billing', eventType: 'no spaces', payload: {} }));
      expect(invalid).toMatchObject({ name: 'HooklinePublishError', code: 'HL422', message: expect.stringMatching(/^event_type: /) as unknown });
      expect(await invoiceCount('in-422')).toBe(0);
    });

    it('a role without the grant gets 42501, one allowed for another tenant HL403, and publishes for its own', async () => {
      const { role, vendor: asIt } = await asRole();
      const message = { tenantId, app: 'billing', eventType: 'invoice.paid', payload: {} };
      expect(await refusal(asIt.publishWithInvoice('in-42501', message))).toMatchObject({ name: 'HooklinePublishError', code: '42501' });
      expect(await invoiceCount('in-42501')).toBe(0);

      await owner.query('SELECT hookline.allow_publish($1, $2)', [role, otherTenant]);
      expect(await refusal(asIt.publishWithInvoice('in-403', message))).toMatchObject({ name: 'HooklinePublishError', code: 'HL403' });
      expect(await invoiceCount('in-403')).toBe(0);

      const own = await asIt.publishWithInvoice('in-own', { ...message, tenantId: otherTenant });
      expect(await rows(own, 'in-own')).toEqual({ messages: 1, pending: 1, invoices: 1 });
    });
  });
}
