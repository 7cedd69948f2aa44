import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Credential headers (issue 17, 2g): Cookie, X-Api-Key and any name with key, token, secret, auth,
// password or session count as sensitive, and their values are never shown; a portal session
// that may not manage endpoints sees no header value at all. Deliveries still carry them.

let h: TestHookline;
let receiver: Receiver;
let auth: { authorization: string };
let appId: string;
let epId: string;

const HEADERS = {
  Cookie: 'session=cookie-credential-1f2e',
  'X-Api-Key': 'api-key-credential-3a4b',
  'X-Customer-Session': 'session-credential-5c6d',
  'X-Webhook-Password': 'password-credential-7e8f',
  Authorization: 'Bearer authorization-credential-9a0b',
  'X-Team': 'team-acme',
};
const CREDENTIALS = Object.entries(HEADERS)
  .filter(([name]) => name !== 'X-Team')
  .map(([, value]) => value);

beforeAll(async () => {
  [h, receiver] = await Promise.all([startTestHookline(), startReceiver()]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Customer', uid: 'customer' }).expect(201)).body.id;
  epId = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/hook`, headers: HEADERS })
      .expect(201)
  ).body.id;
});
afterAll(async () => Promise.all([h?.stop(), receiver?.close()]));

async function portalToken(body: object = {}): Promise<{ authorization: string }> {
  const res = await h.http.post('/api/v1/auth/app-portal-access/customer').set(auth).send(body).expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

const sorted = (names: string[]) => [...names].sort();

describe('sensitive endpoint headers', () => {
  it('never shows credential header values, to the API key or a managing portal session', async () => {
    for (const who of [auth, await portalToken(), await portalToken({ capabilities: ['ManageEndpoint'] })]) {
      const res = await h.http.get(`/api/v1/app/${appId}/endpoint/${epId}/headers`).set(who).expect(200);
      expect(res.body.headers).toEqual({ 'X-Team': 'team-acme' });
      expect(sorted(res.body.sensitive)).toEqual(sorted(Object.keys(HEADERS).filter((n) => n !== 'X-Team')));
      for (const value of CREDENTIALS) expect(res.text).not.toContain(value);
    }
  });

  it('shows a read-only portal session no header value at all', async () => {
    for (const body of [{ readOnly: true }, { capabilities: ['ViewBase', 'ViewEndpointSecret', 'CreateAttempts'] }]) {
      const res = await h.http
        .get(`/api/v1/app/${appId}/endpoint/${epId}/headers`)
        .set(await portalToken(body))
        .expect(200);
      expect(res.body).toEqual({ headers: {}, sensitive: expect.arrayContaining(Object.keys(HEADERS)) });
      expect(res.text).not.toContain('team-acme');
      for (const value of CREDENTIALS) expect(res.text).not.toContain(value);
    }
  });

  it('still sends every header with each delivery', async () => {
    await h.http
      .post(`/api/v1/app/${appId}/msg`)
      .set(auth)
      .send({ eventType: 'any.event', payload: { n: 1 } })
      .expect(202);
    await receiver.waitFor(1);
    const got = receiver.requests[0]!.headers;
    expect({ cookie: got.cookie, key: got['x-api-key'], team: got['x-team'] }).toEqual({ cookie: HEADERS.Cookie, key: HEADERS['X-Api-Key'], team: 'team-acme' });
  });
});
