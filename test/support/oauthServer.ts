import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OAuth 2.0 authorization server (oidc-provider, client credentials grant) on loopback for
// endpoint OAuth tests. It keeps every access token it issued, with its expiry, so a receiver can
// check a bearer token the way a resource server would (was it issued, is it still valid, was it
// revoked), synchronously inside its reply.

export interface TestOAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface IssuedToken {
  clientId: string;
  scope: string | undefined;
  expiresAt: number;
}

export interface TestOAuthServer {
  tokenUrl: string;
  /** Authenticates with client_secret_basic. */
  basicClient: TestOAuthClient;
  /** Authenticates with client_secret_post. */
  postClient: TestOAuthClient;
  /** The scope both clients may ask for. */
  scope: string;
  /** Every access token issued, by value. */
  issued: Map<string, IssuedToken>;
  /** Token requests that got a token. */
  tokensIssued(): number;
  /** Lifetime (seconds) of the tokens issued from now on. */
  setTtl(seconds: number): void;
  /** Makes a token invalid before its expiry (as a revocation would). */
  revoke(token: string): void;
  /** Whether `authorization` carries a token issued here, unexpired and not revoked. */
  accepts(authorization: string | undefined): boolean;
  stop(): Promise<void>;
}

export async function startOAuthServer(): Promise<TestOAuthServer> {
  const scope = 'webhooks:write';
  const basicClient = { clientId: 'hookline-basic', clientSecret: `basic-secret-${crypto.randomUUID()}` };
  const postClient = { clientId: 'hookline-post', clientSecret: `post-secret-${crypto.randomUUID()}` };
  const issued = new Map<string, IssuedToken>();
  const revoked = new Set<string>();
  let ttl = 600;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (c: TestOAuthClient, method: 'client_secret_basic' | 'client_secret_post') => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: method,
    scope,
  });
  const provider = new Provider(issuer, {
    clients: [client(basicClient, 'client_secret_basic'), client(postClient, 'client_secret_post')],
    scopes: [scope],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    ttl: { ClientCredentials: () => ttl },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { access_token?: string; expires_in?: number; scope?: string } | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && body?.access_token) {
      issued.set(body.access_token, { clientId: ctx.oidc.client!.clientId, scope: body.scope, expiresAt: Date.now() + (body.expires_in ?? ttl) * 1000 });
    }
  });
  const handle = provider.callback();
  server.on('request', (req, res) => void handle(req, res));

  return {
    tokenUrl: `${issuer}/token`,
    basicClient,
    postClient,
    scope,
    issued,
    tokensIssued: () => issued.size,
    setTtl: (seconds) => void (ttl = seconds),
    revoke: (token) => void revoked.add(token),
    accepts(authorization) {
      const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      const found = token === undefined ? undefined : issued.get(token);
      return found !== undefined && !revoked.has(token!) && found.expiresAt > Date.now();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
