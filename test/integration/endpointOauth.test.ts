import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startOAuthServer, type TestOAuthServer } from '@hookline/test-support/oauthServer';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Endpoint OAuth 2.0 (client credentials) and HTTP basic auth end to end: a real authorization
// server (oidc-provider) issues the tokens, a real receiver accepts only tokens it issued that are
// unexpired and not revoked, and the worker caches, refreshes and retries as the docs say.

let h: TestHookline;
let auth: { authorization: string };
let as: TestOAuthServer;
let rx: Receiver;
/** Requests to the receiver refused with 401, by path. */
const refused = new Map<string, number>();
const refusedAt = (path: string) => refused.get(path) ?? 0;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600' });
  const { apiKey } = await h.createTenant('oauth');
  auth = { authorization: `Bearer ${apiKey}` };
  as = await startOAuthServer();
  rx = await startReceiver((req) => {
    if (req.path.startsWith('/oauth')) {
      if (as.accepts(req.headers.authorization)) return { status: 200, body: 'ok' };
      refused.set(req.path, refusedAt(req.path) + 1);
      return { status: 401, body: 'invalid token' };
    }
    return { status: 200, body: 'ok' };
  });
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'paid' }).expect(201);
});
afterAll(async () => {
  await h?.stop();
  await rx?.close();
  await as?.stop();
});

// Each endpoint has an application of its own, so a publish reaches that endpoint only.
const appOf = new Map<string, string>();
const epPath = (id: string) => `/api/v1/app/${appOf.get(id)}/endpoint/${id}`;

async function newApp(): Promise<string> {
  return (await h.http.post('/api/v1/app').set(auth).send({ name: 'oauth' }).expect(201)).body.id as string;
}

async function createEndpoint(path: string): Promise<string> {
  const appId = await newApp();
  const id = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${rx.url}${path}` })
      .expect(201)
  ).body.id as string;
  appOf.set(id, appId);
  return id;
}

/** The bearer token the receiver last got at `path`. */
const lastToken = (path: string) =>
  rx.requests
    .filter((r) => r.path === path)
    .at(-1)!
    .headers.authorization!.slice('Bearer '.length);

const basicConfig = () => ({
  authMethod: 'clientSecretBasic',
  grantType: 'clientCredentials',
  clientId: as.basicClient.clientId,
  clientSecret: as.basicClient.clientSecret,
  tokenUrl: as.tokenUrl,
  scopes: [as.scope],
});

async function publish(ep: string): Promise<string> {
  return (
    await h.http
      .post(`/api/v1/app/${appOf.get(ep)}/msg`)
      .set(auth)
      .send({ eventType: 'invoice.paid', payload: { amount: 1 } })
      .expect(202)
  ).body.id as string;
}

type Attempt = { id: string; msgId: string; status: number; responseStatusCode: number; response: string };
async function attemptsOf(endpointId: string): Promise<Attempt[]> {
  return (
    await h.http
      .get(`/api/v1/app/${appOf.get(endpointId)}/attempt/endpoint/${endpointId}`)
      .set(auth)
      .expect(200)
  ).body.data;
}
async function settled(endpointId: string, count: number): Promise<Attempt[]> {
  let attempts: Attempt[] = [];
  await waitUntil(async () => (attempts = await attemptsOf(endpointId)).length >= count, 30_000, `${count} attempts to ${endpointId}`);
  return attempts;
}

describe('the OAuth routes (Svix shapes)', () => {
  it('stores the client, shows it without its secret, audits it without secrets, and deletes it', async () => {
    const ep = await createEndpoint('/oauth/routes');
    await h.http
      .get(`${epPath(ep)}/oauth`)
      .set(auth)
      .expect(404);
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), extraParams: { audience: 'https://api.example.com' } })
      .expect(204);
    const shown = (
      await h.http
        .get(`${epPath(ep)}/oauth`)
        .set(auth)
        .expect(200)
    ).body;
    expect(shown).toEqual({
      authMethod: 'clientSecretBasic',
      grantType: 'clientCredentials',
      clientId: as.basicClient.clientId,
      tokenUrl: as.tokenUrl,
      scopes: [as.scope],
      extraParams: { audience: 'https://api.example.com' },
    });
    // A PUT without the secret keeps it while the token URL stays; another token URL needs it again.
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), clientSecret: undefined, scopes: null })
      .expect(204);
    const moved = await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), clientSecret: undefined, tokenUrl: `${rx.url}/elsewhere` })
      .expect(422);
    expect(JSON.stringify(moved.body)).toContain('clientSecret');
    const audit = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.oauth.updated' }).expect(200)).body.data;
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain(as.basicClient.clientSecret);
    expect(audit.at(-1).changes).toMatchObject({ clientSecret: { changed: true }, extraParams: { changed: true }, clientId: { to: as.basicClient.clientId } });
    await h.http
      .delete(`${epPath(ep)}/oauth`)
      .set(auth)
      .expect(204);
    await h.http
      .get(`${epPath(ep)}/oauth`)
      .set(auth)
      .expect(404);
  });

  it('answers 422 for configurations it cannot use, and stores none of them', async () => {
    const ep = await createEndpoint('/oauth/bad');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ grantType: 'refreshToken', refreshToken: 'r' }, 'grantType'],
      [{ authMethod: 'clientSecretJwt' }, 'authMethod'],
      [{ clientSecret: null }, 'clientSecret'],
      [{ tokenUrl: 'ftp://example.com/token' }, 'tokenUrl'],
      [{ tokenUrl: 'http://169.254.169.254/token' }, 'tokenUrl'],
      [{ tokenUrl: 'not a url' }, 'tokenUrl'],
      [{ extraParams: { client_secret: 'x' } }, 'extraParams'],
      [{ scopes: ['two words'] }, 'scopes'],
      [{ clientId: '' }, 'clientId'],
      [{ authMethod: 'none' }, 'authMethod'],
    ];
    for (const [change, field] of bad) {
      const res = await h.http
        .put(`${epPath(ep)}/oauth`)
        .set(auth)
        .send({ ...basicConfig(), ...change });
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(JSON.stringify(res.body.detail), JSON.stringify(change)).toContain(field);
    }
    await h.http
      .get(`${epPath(ep)}/oauth`)
      .set(auth)
      .expect(404);
    await h.http
      .put(`/api/v1/app/${appOf.get(ep)}/endpoint/ep_nope/oauth`)
      .set(auth)
      .send(basicConfig())
      .expect(404);
  });
});

describe('delivery with an OAuth client', () => {
  it('fetches one token for concurrent attempts, reuses it, and never records it', async () => {
    const ep = await createEndpoint('/oauth/cached');
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send(basicConfig())
      .expect(204);
    const before = as.tokensIssued();
    const msgs = await Promise.all(Array.from({ length: 6 }, () => publish(ep)));
    const attempts = await settled(ep, msgs.length);
    expect(attempts.every((a) => a.responseStatusCode === 200)).toBe(true);
    for (const _ of [1, 2]) await publish(ep);
    await settled(ep, msgs.length + 2);
    expect(as.tokensIssued() - before).toBe(1);
    const token = lastToken('/oauth/cached');
    expect(as.issued.get(token)).toMatchObject({ clientId: as.basicClient.clientId, scope: as.scope });
    // The attempt's recorded headers name the Authorization header without its value.
    const detail = (
      await h.http
        .get(`/api/v1/app/${appOf.get(ep)}/msg/${attempts[0]!.msgId}/attempt/${attempts[0]!.id}`)
        .set(auth)
        .expect(200)
    ).body;
    expect(detail.requestHeaders.redacted).toContain('authorization');
    expect(JSON.stringify(detail)).not.toContain(token);
  });

  it('authenticates with client_secret_post too', async () => {
    const ep = await createEndpoint('/oauth/post');
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), authMethod: 'clientSecretPost', clientId: as.postClient.clientId, clientSecret: as.postClient.clientSecret })
      .expect(204);
    await publish(ep);
    const [attempt] = await settled(ep, 1);
    expect(attempt!.responseStatusCode).toBe(200);
    expect(as.issued.get(lastToken('/oauth/post'))?.clientId).toBe(as.postClient.clientId);
  });

  it('gets a new token shortly before the old one expires, without a 401', async () => {
    const ep = await createEndpoint('/oauth/expiry');
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send(basicConfig())
      .expect(204);
    as.setTtl(2);
    try {
      const before = as.tokensIssued();
      await publish(ep);
      await settled(ep, 1);
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      await publish(ep);
      const attempts = await settled(ep, 2);
      expect(attempts.map((a) => a.responseStatusCode)).toEqual([200, 200]);
      expect(as.tokensIssued() - before).toBe(2);
      expect(refusedAt('/oauth/expiry')).toBe(0);
    } finally {
      as.setTtl(600);
    }
  });

  it('gets a new token once when the receiver answers 401, and the attempt succeeds with it', async () => {
    const ep = await createEndpoint('/oauth/revoked');
    await h.http
      .put(`${epPath(ep)}/oauth`)
      .set(auth)
      .send(basicConfig())
      .expect(204);
    await publish(ep);
    await settled(ep, 1);
    const before = as.tokensIssued();
    const first = lastToken('/oauth/revoked');
    as.revoke(first);
    await publish(ep);
    const attempts = await settled(ep, 2);
    expect(attempts[0]!.responseStatusCode).toBe(200);
    expect(as.tokensIssued() - before).toBe(1);
    expect(refusedAt('/oauth/revoked')).toBe(1);
    expect(lastToken('/oauth/revoked')).not.toBe(first);
    // One recorded attempt per message: the retry with the new token is part of the attempt.
    expect(attempts.length).toBe(2);
  });

  it('records a failing token endpoint as a failed attempt with a clear reason and no secret', async () => {
    const wrong = await createEndpoint('/oauth/wrong-secret');
    await h.http
      .put(`${epPath(wrong)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), clientSecret: 'not-the-secret-3f9a' })
      .expect(204);
    const down = await createEndpoint('/oauth/down');
    const closed = await startReceiver();
    const closedUrl = `${closed.url}/token`;
    await closed.close();
    await h.http
      .put(`${epPath(down)}/oauth`)
      .set(auth)
      .send({ ...basicConfig(), tokenUrl: closedUrl })
      .expect(204);
    const received = rx.requests.length;
    await publish(wrong);
    await publish(down);
    const [w] = await settled(wrong, 1);
    const [d] = await settled(down, 1);
    expect(w).toMatchObject({ responseStatusCode: 0, response: 'oauth token: HTTP 401 invalid_client' });
    expect(d).toMatchObject({ responseStatusCode: 0, response: 'oauth token: connection refused' });
    // Nothing reached the receivers of those two endpoints.
    expect(rx.requests.slice(received).filter((r) => r.path === '/oauth/wrong-secret' || r.path === '/oauth/down')).toEqual([]);
  });
});

describe('HTTP basic auth', () => {
  it('sends the credentials set through …/basic-auth, shows only the username, and removes them', async () => {
    const ep = await createEndpoint('/basic/route');
    await h.http
      .get(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .expect(404);
    await h.http
      .put(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .send({ username: 'hooks', password: 'basic-pass-7c1d' })
      .expect(204);
    const shown = (
      await h.http
        .get(`${epPath(ep)}/basic-auth`)
        .set(auth)
        .expect(200)
    ).body;
    expect(shown).toEqual({ username: 'hooks' });
    await h.http
      .put(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .send({ username: 'a:b', password: 'x' })
      .expect(422);
    await h.http
      .put(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .send({ username: 'hooks', password: '' })
      .expect(422);
    await publish(ep);
    await settled(ep, 1);
    const got = rx.requests.filter((r) => r.path === '/basic/route').at(-1)!;
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hooks:basic-pass-7c1d').toString('base64')}`);
    const audit = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.basicAuth.updated' }).expect(200)).body.data;
    expect(JSON.stringify(audit)).not.toContain('basic-pass-7c1d');
    await h.http
      .delete(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .expect(204);
    await h.http
      .get(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .expect(404);
    await publish(ep);
    await settled(ep, 2);
    expect(rx.requests.filter((r) => r.path === '/basic/route').at(-1)!.headers.authorization).toBeUndefined();
  });

  it('sends them with the transformed request too', async () => {
    const ep = await createEndpoint('/basic/original');
    await h.http
      .put(`${epPath(ep)}/basic-auth`)
      .set(auth)
      .send({ username: 'hooks', password: 'transformed-pass-2d4e' })
      .expect(204);
    const code = `function handler(webhook) { webhook.url = ${JSON.stringify(`${rx.url}/basic/transformed`)}; webhook.payload = { wrapped: webhook.payload }; return webhook; }`;
    await h.http
      .patch(`${epPath(ep)}/transformation`)
      .set(auth)
      .send({ code, enabled: true })
      .expect(204);
    await publish(ep);
    const [attempt] = await settled(ep, 1);
    expect(attempt!.responseStatusCode).toBe(200);
    const got = rx.requests.filter((r) => r.path === '/basic/transformed').at(-1)!;
    expect(JSON.parse(got.body)).toEqual({ wrapped: { amount: 1 } });
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hooks:transformed-pass-2d4e').toString('base64')}`);
  });

  it("takes credentials from the endpoint URL's userinfo, stores the URL without them, and never echoes them", async () => {
    const port = new URL(rx.url).port;
    const appId = await newApp();
    const created = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `http://svix-user:p%40ss-9e2b@127.0.0.1:${port}/basic/userinfo` })
      .expect(201);
    expect(created.body.url).toBe(`http://127.0.0.1:${port}/basic/userinfo`);
    const ep = created.body.id as string;
    appOf.set(ep, appId);
    expect(JSON.stringify((await h.http.get(epPath(ep)).set(auth).expect(200)).body)).not.toContain('9e2b');
    expect(
      (
        await h.http
          .get(`${epPath(ep)}/basic-auth`)
          .set(auth)
          .expect(200)
      ).body,
    ).toEqual({ username: 'svix-user' });
    await publish(ep);
    await settled(ep, 1);
    const got = rx.requests.filter((r) => r.path === '/basic/userinfo').at(-1)!;
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('svix-user:p@ss-9e2b').toString('base64')}`);
    // PATCH with userinfo replaces them too.
    const patched = await h.http
      .patch(epPath(ep))
      .set(auth)
      .send({ url: `http://other:second-1a2b@127.0.0.1:${port}/basic/userinfo` })
      .expect(200);
    expect(patched.body.url).toBe(`http://127.0.0.1:${port}/basic/userinfo`);
    expect(
      (
        await h.http
          .get(`${epPath(ep)}/basic-auth`)
          .set(auth)
          .expect(200)
      ).body,
    ).toEqual({ username: 'other' });
    const audit = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.updated' }).expect(200)).body.data;
    expect(JSON.stringify(audit)).not.toContain('second-1a2b');
    // A username without a password is not basic auth: refused, as before.
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `http://only-user@127.0.0.1:${port}/basic/userinfo` })
      .expect(422);
  });
});
