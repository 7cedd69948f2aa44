import type { SendRequest, SendResult } from './httpClient.ts';

// The worker's OAuth 2.0 access tokens (client credentials grant), one per endpoint and client
// version, held in its memory only: fetched when first needed, reused until shortly before they
// expire, fetched again early when the receiver answers 401. Concurrent attempts of one endpoint
// share one token request. Tokens and client secrets never enter a result's reason.

/** An endpoint's OAuth client as an attempt uses it; the secret is decrypted only for a token request, not for every attempt. */
export interface OAuthClient {
  /** The cache key: one endpoint's client (tenant and endpoint id). */
  key: string;
  /** Changes whenever the client's settings do: a new version is never served an older token. */
  version: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: () => string;
  authMethod: 'clientSecretBasic' | 'clientSecretPost';
  scopes: readonly string[] | null;
  extraParams: Readonly<Record<string, string>> | null;
}

export type TokenResult = { kind: 'token'; token: string } | { kind: 'failed'; reason: string };

/** Sends the token request: the delivery sender, so it passes the same SSRF guard, proxy, timeout and size bound. */
export type TokenSend = (req: SendRequest) => Promise<SendResult>;

export interface OAuthTokensOptions {
  /** Tokens kept (one per endpoint); the oldest is dropped beyond it. */
  maxEntries?: number;
  now?: () => number;
}

/** Lifetime assumed when the token response has no expires_in. */
const DEFAULT_LIFETIME_S = 300;
/** A token is replaced this long before it expires (at most a tenth of its lifetime). */
const REFRESH_MARGIN_MS = 60_000;
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** What a header value may carry (RFC 6750's b64token is narrower; receivers differ). */
const TOKEN_CHARS = /^[\x21-\x7e]{1,8192}$/;

type Entry = { version: string; token?: string; refreshAt: number; pending?: Promise<TokenResult> };

export class OAuthTokens {
  readonly #send: TokenSend;
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Token requests made, for tests and the bench. */
  requests = 0;

  constructor(send: TokenSend, options: OAuthTokensOptions = {}) {
    this.#send = send;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A token for the client: the cached one while it is fresh, else a new one. `rejected` is a
   * token the receiver refused (401): it is not served again, though one another attempt got
   * meanwhile is.
   */
  get(client: OAuthClient, rejected?: string): Promise<TokenResult> {
    const entry = this.#entries.get(client.key);
    if (entry?.version === client.version) {
      if (entry.pending) return entry.pending;
      if (entry.token !== undefined && entry.token !== rejected && this.#now() < entry.refreshAt) return Promise.resolve({ kind: 'token', token: entry.token });
    }
    const next: Entry = { version: client.version, refreshAt: 0 };
    // Re-inserted, so the map's order is the order of use and the oldest is dropped first.
    this.#entries.delete(client.key);
    this.#entries.set(client.key, next);
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    next.pending = this.#fetch(client)
      .catch(() => ({ kind: 'failed' as const, reason: 'oauth token: request failed' }))
      .then((fetched): TokenResult => {
        next.pending = undefined;
        if (fetched.kind === 'failed') {
          if (this.#entries.get(client.key) === next) this.#entries.delete(client.key);
          return fetched;
        }
        next.token = fetched.token;
        next.refreshAt = fetched.refreshAt;
        return { kind: 'token', token: fetched.token };
      });
    return next.pending;
  }

  async #fetch(client: OAuthClient): Promise<{ kind: 'token'; token: string; refreshAt: number } | { kind: 'failed'; reason: string }> {
    this.requests++;
    const started = this.#now();
    const parsed = parseTokenResponse(await this.#send(tokenRequest(client)));
    if (parsed.kind === 'failed') return parsed;
    const lifetimeMs = (parsed.expiresIn ?? DEFAULT_LIFETIME_S) * 1000;
    return { kind: 'token', token: parsed.token, refreshAt: started + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10) };
  }
}

/** The client credentials request (RFC 6749 4.4), the client authenticated as configured (2.3.1). */
export function tokenRequest(client: OAuthClient): SendRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (client.scopes && client.scopes.length > 0) form.set('scope', client.scopes.join(' '));
  for (const [name, value] of Object.entries(client.extraParams ?? {})) form.set(name, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (client.authMethod === 'clientSecretBasic') {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret())}`).toString('base64')}`;
  } else {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret());
  }
  return { method: 'POST', url: client.tokenUrl, headers, body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);

type ParsedToken = { kind: 'token'; token: string; expiresIn?: number } | { kind: 'failed'; reason: string };

/** The token, or why there is none: the status and the OAuth error code only, never the body, which may echo a secret. */
export function parseTokenResponse(res: SendResult): ParsedToken {
  const failed = (why: string): ParsedToken => ({ kind: 'failed', reason: `oauth token: ${why}` });
  if (res.kind === 'error') return failed(res.error);
  if (res.incomplete !== undefined) return failed(res.incomplete);
  let body: Record<string, unknown> | undefined;
  try {
    const json: unknown = res.bodyEncoding === 'utf8' && !res.truncated ? JSON.parse(res.body) : undefined;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) body = json as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    const code = typeof body?.error === 'string' && ERROR_CODE.test(body.error) ? ` ${body.error}` : '';
    return failed(`HTTP ${res.status}${code}`);
  }
  if (!body) return failed(`HTTP ${res.status} without a JSON object`);
  const token = body.access_token;
  if (typeof token !== 'string' || !TOKEN_CHARS.test(token)) return failed('the response has no valid access_token');
  const type = body.token_type;
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) return failed('token_type is not Bearer');
  const expiresIn = Number(body.expires_in);
  return { kind: 'token', token, ...(body.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresIn } : {}) };
}
