import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// A vendor transaction that publishes and then stays open (a slow request, a long batch) must not
// hold anyone else up: other transactions' publishes, the API's, and the worker's deliveries go on
// while it is open; it is delivered when it commits, and never when it rolls back.

const PUBLISH = 'SELECT hookline.publish($1, $2, $3, $4::jsonb) AS id';
/** How long a delivery that must not come is waited for: six of the worker's 0.5 s polls. */
const SILENCE_MS = 3_000;

let h: TestHookline;
let receiver: Receiver;
let tenantId: string;
let auth: { authorization: string };
let secret: string;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
  clients.push(client);
  return client;
}

/** Fails instead of hanging when `work` is blocked (by a lock the open transaction holds). */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms: blocked?`)), ms))]);
}

const publish = async (client: pg.Client, label: string): Promise<string> =>
  (await within(5_000, `publish ${label}`, client.query(PUBLISH, [tenantId, 'billing', 'invoice.paid', JSON.stringify({ tx: label })]))).rows[0].id;

const idsDelivered = () => receiver.requests.map((r) => r.headers['webhook-id']);
const verified = (n: number) => {
  const d = receiver.requests[n]!;
  return new Webhook(secret).verify(d.body, d.headers as Record<string, string>);
};

beforeAll(async () => {
  h = await startTestHookline();
  const tenant = await h.createTenant('long-tx');
  tenantId = tenant.tenantId;
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  receiver = await startReceiver();
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Billing', uid: 'billing' }).expect(201);
  const ep = await h.http
    .post('/api/v1/app/billing/endpoint')
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  secret = (await h.http.get(`/api/v1/app/billing/endpoint/${ep.body.id}/secret`).set(auth).expect(200)).body.key;
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => {});
  await receiver?.close();
  await h?.stop();
});

describe('a long-open vendor transaction that has published', () => {
  it('blocks no other publish and no delivery; it is delivered once it commits', async () => {
    const a = await connect();
    const b = await connect();
    await a.query('BEGIN');
    const idA = await publish(a, 'A');

    // While A is open: B publishes and commits, and the API publishes; the worker delivers both.
    await b.query('BEGIN');
    const idB = await publish(b, 'B');
    await within(5_000, 'commit B', b.query('COMMIT'));
    const viaApi = await within(
      5_000,
      'the API publish',
      h.http
        .post('/api/v1/app/billing/msg')
        .set(auth)
        .send({ eventType: 'invoice.paid', payload: { tx: 'api' } }),
    );
    expect(viaApi.status).toBe(202);
    await receiver.waitFor(2);
    expect(idsDelivered().sort()).toEqual([idB, viaApi.body.id].sort());
    expect(verified(idsDelivered().indexOf(idB))).toEqual({ tx: 'B' });
    // A was open all along: its publish is not visible outside it, and it still holds its write (its xid).
    expect((await h.http.get(`/api/v1/app/billing/msg/${idA}`).set(auth)).status).toBe(404);
    expect((await a.query('SELECT txid_current_if_assigned() IS NOT NULL AS open')).rows[0].open).toBe(true);

    await a.query('COMMIT');
    await receiver.waitFor(3);
    expect(idsDelivered()[2]).toBe(idA);
    expect(verified(2)).toEqual({ tx: 'A' });
  });

  it('rolled back after others were delivered meanwhile: never delivered', async () => {
    const a = await connect();
    const b = await connect();
    const before = receiver.requests.length;
    await a.query('BEGIN');
    const idA = await publish(a, 'A-rolled-back');
    const idB = await publish(b, 'B-autocommit'); // a statement of its own: committed at once
    await receiver.waitFor(before + 1);
    expect(idsDelivered()[before]).toBe(idB);

    await a.query('ROLLBACK');
    await new Promise((r) => setTimeout(r, SILENCE_MS));
    expect(idsDelivered()).not.toContain(idA);
    expect(receiver.requests).toHaveLength(before + 1);
    expect((await h.http.get(`/api/v1/app/billing/msg/${idA}`).set(auth)).status).toBe(404);
  });
});
