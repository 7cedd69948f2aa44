import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

// A real OpenID provider (oidc-provider) on loopback for single sign-on tests. Its login
// interaction signs in whichever account the test chose (no form), consent is implied for the
// test client, and `tamper` rewrites claims of the next ID token, re-signed with the provider's own
// key, so only the relying party's checks (issuer, audience, nonce) can refuse it.

export interface TestAccount {
  email: string;
  emailVerified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next login interaction signs in (its sub is its email). */
  login(account: TestAccount): void;
  /** Claims to overwrite in the next ID token only. */
  tamper(claims: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function startOidcProvider(redirectUri: string): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = 'hookline-test';
  const clientSecret = `client-secret-${crypto.randomUUID()}`;
  const accounts = new Map<string, TestAccount>();
  let next: TestAccount | undefined;
  let tampering: Record<string, unknown> | undefined;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true, name: account.name ?? '' }) };
    },
    // First-party test client: consent is implied.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, nextMiddleware) => {
    await nextMiddleware();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && tampering && body?.id_token) {
      const claims = { ...decodeJwt(body.id_token), ...tampering };
      tampering = undefined;
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
    }
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
    void (async () => {
      const account = next;
      next = undefined;
      if (!account) return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no test account chosen' });
      accounts.set(account.email, account);
      return provider.interactionFinished(req, res, { login: { accountId: account.email } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    login: (account) => void (next = account),
    tamper: (claims) => void (tampering = claims),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser's cookies, kept per origin (stricter than a browser, which shares them across ports). */
export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, string>>();

  headerFor(url: string): string {
    return [...(this.#byOrigin.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.#byOrigin.get(origin) ?? new Map<string, string>();
    this.#byOrigin.set(origin, jar);
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(url: string, name: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin)?.get(name);
  }
}

/** GET with the jar's cookies, no redirects followed; stores what the response sets. */
export async function browserGet(jar: CookieJar, url: string): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.headerFor(url) } });
  jar.store(url, res);
  return res;
}

/** Follows redirects from `url` until the next hop would be `stopAt` (returned) or a response is not a redirect (an error). */
export async function followUntil(jar: CookieJar, url: string, stopAt: string): Promise<string> {
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    const res = await browserGet(jar, current);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) throw new Error(`${current} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    const target = new URL(location, current).href;
    if (target.startsWith(stopAt)) return target;
    current = target;
  }
  throw new Error('too many redirects');
}
