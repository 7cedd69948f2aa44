import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpSender, type HttpSender } from '../../src/delivery/httpClient.ts';
import { OAuthTokens, parseTokenResponse, tokenRequest, type OAuthClient } from '../../src/delivery/oauthTokens.ts';
import { parseAllowList } from '../../src/delivery/ssrfGuard.ts';

// The token cache against a real loopback token endpoint whose answers the test chooses: what the
// request carries for each client authentication, single flight, expiry, refusal, and reasons
// that never quote the response body.

type Answer = { status: number; body: string };
let server: Server;
let url: string;
let answer: (n: number) => Answer;
const seen: Array<{ authorization: string | undefined; contentType: string | undefined; form: URLSearchParams }> = [];
let sender: HttpSender;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], form: new URLSearchParams(Buffer.concat(chunks).toString()) });
      const { status, body } = answer(seen.length);
      // Slow enough that concurrent callers overlap.
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  sender = createHttpSender({ allow: parseAllowList('127.0.0.1/32'), timeoutMs: 5_000, connectTimeoutMs: 2_000, maxResponseBytes: 4096 });
});
afterAll(async () => {
  await sender.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (over: Partial<OAuthClient> = {}): OAuthClient => ({
  key: 'tenant/ep_1',
  version: 'v1',
  tokenUrl: url,
  clientId: 'id with space',
  clientSecret: () => 's3cret:+/=',
  authMethod: 'clientSecretBasic',
  scopes: ['a', 'b'],
  extraParams: { audience: 'https://api.example.com' },
  ...over,
});
const issue = (token: string, expiresIn = 600): Answer => ({ status: 200, body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }) });

it('builds the client credentials request for basic and post client authentication', () => {
  const basic = tokenRequest(client());
  expect(basic.contentType).toBe('application/x-www-form-urlencoded');
  const form = new URLSearchParams(basic.body);
  expect(Object.fromEntries(form)).toEqual({ grant_type: 'client_credentials', scope: 'a b', audience: 'https://api.example.com' });
  const [id, secret] = Buffer.from(basic.headers.authorization!.slice('Basic '.length), 'base64').toString().split(':');
  expect([decodeURIComponent(id!.replaceAll('+', ' ')), decodeURIComponent(secret!.replaceAll('+', ' '))]).toEqual(['id with space', 's3cret:+/=']);
  const post = tokenRequest(client({ authMethod: 'clientSecretPost', scopes: null, extraParams: null }));
  expect(post.headers.authorization).toBeUndefined();
  expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({ grant_type: 'client_credentials', client_id: 'id with space', client_secret: 's3cret:+/=' });
});

it('shares one request among concurrent callers, and serves the token until shortly before it expires', async () => {
  let now = 1_000_000;
  const tokens = new OAuthTokens((req) => sender.send(req), { now: () => now });
  answer = (n) => issue(`tok-${n}`, 100);
  const start = seen.length;
  const results = await Promise.all(Array.from({ length: 5 }, () => tokens.get(client())));
  expect(new Set(results.map((r) => (r.kind === 'token' ? r.token : r.reason))).size).toBe(1);
  expect(seen.length - start).toBe(1);
  expect(seen.at(-1)!.contentType).toBe('application/x-www-form-urlencoded');
  now += 89_000;
  expect(await tokens.get(client())).toEqual(results[0]);
  now += 2_000;
  expect(await tokens.get(client())).not.toEqual(results[0]);
  expect(seen.length - start).toBe(2);
  // A refused token is replaced; a new client version never gets the old one.
  const current = await tokens.get(client());
  const refreshed = await tokens.get(client(), current.kind === 'token' ? current.token : '');
  expect(refreshed).not.toEqual(current);
  expect(await tokens.get(client({ version: 'v2' }))).not.toEqual(refreshed);
  expect(seen.length - start).toBe(4);
});

it('fails with the status and OAuth error code only, and does not cache a failure', async () => {
  const tokens = new OAuthTokens((req) => sender.send(req));
  answer = () => ({ status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: 'secret s3cret:+/= is wrong' }) });
  expect(await tokens.get(client({ key: 'tenant/ep_2' }))).toEqual({ kind: 'failed', reason: 'oauth token: HTTP 401 invalid_client' });
  answer = () => issue('tok-after');
  expect(await tokens.get(client({ key: 'tenant/ep_2' }))).toEqual({ kind: 'token', token: 'tok-after' });
});

it('refuses token responses it cannot use', () => {
  const response = (status: number, body: string) =>
    parseTokenResponse({ kind: 'response', status, body, bodyEncoding: 'utf8', truncated: false, headers: {}, requestHeaders: {}, durationMs: 1 });
  expect(response(200, '{"access_token":"x","token_type":"mac"}')).toEqual({ kind: 'failed', reason: 'oauth token: token_type is not Bearer' });
  expect(response(200, '{"token_type":"Bearer"}')).toEqual({ kind: 'failed', reason: 'oauth token: the response has no valid access_token' });
  expect(response(200, '{"access_token":"two words"}')).toEqual({ kind: 'failed', reason: 'oauth token: the response has no valid access_token' });
  expect(response(200, 'not json')).toEqual({ kind: 'failed', reason: 'oauth token: HTTP 200 without a JSON object' });
  expect(response(500, '{"error":"secret leaked here <x>"}')).toEqual({ kind: 'failed', reason: 'oauth token: HTTP 500' });
  expect(response(200, '{"access_token":"ok","expires_in":"60"}')).toEqual({ kind: 'token', token: 'ok', expiresIn: 60 });
});
