import type { LoadedEndpointAuth } from '@hookline/db';
import type { SecretBox } from '../secrets/secretBox.ts';
import { basicAuthPasswordPlace, oauthClientSecretPlace } from '../secrets/secretPlaces.ts';
import type { SendRequest, SendResult } from './httpClient.ts';
import type { OAuthClient, OAuthTokens, TokenSend } from './oauthTokens.ts';

// What an attempt presents to its endpoint besides the signature: an OAuth 2.0 bearer token, or
// HTTP basic auth. Either replaces any Authorization custom header; with both set, OAuth wins.
// Added after the transformation, so the transformed request carries it too.

export interface EndpointCredentials {
  basic: { username: string; password: string } | null;
  oauth: OAuthClient | null;
}

/** The credentials of a loaded endpoint (the basic-auth password decrypted, the OAuth secret when a token is requested); null when it has none. */
export function decryptCredentials(box: SecretBox, endpoint: { id: string; tenantId: string }, auth: LoadedEndpointAuth | null): EndpointCredentials | null {
  if (!auth) return null;
  const { oauth, oauthClientSecret, basicUsername, basicPassword } = auth;
  return {
    basic: basicUsername !== null && basicPassword !== null ? { username: basicUsername, password: box.decrypt(basicPassword, basicAuthPasswordPlace(endpoint)) } : null,
    oauth:
      oauth !== null && oauthClientSecret !== null
        ? {
            ...oauth,
            key: `${endpoint.tenantId}/${endpoint.id}`,
            version: auth.version,
            clientSecret: () => box.decrypt(oauthClientSecret, oauthClientSecretPlace(endpoint)),
          }
        : null,
  };
}

/**
 * Sends the attempt with the endpoint's credentials. A token that cannot be had is the attempt's
 * failure (status 0, the reason saying why). A 401 to a bearer token gets one new token and one
 * more try, whose result is the attempt's.
 */
export async function sendWithCredentials(send: TokenSend, tokens: OAuthTokens, credentials: EndpointCredentials | null, req: SendRequest): Promise<SendResult> {
  if (!credentials) return send(req);
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  const { basic, oauth } = credentials;
  if (!oauth) return send({ ...req, headers: basic ? { ...headers, authorization: basicAuthorization(basic) } : headers });
  const first = await tokens.get(oauth);
  if (first.kind === 'failed') return tokenFailure(first.reason);
  const result = await send({ ...req, headers: { ...headers, authorization: `Bearer ${first.token}` } });
  if (result.kind !== 'response' || result.status !== 401) return result;
  const fresh = await tokens.get(oauth, first.token);
  if (fresh.kind === 'failed') return tokenFailure(fresh.reason);
  return send({ ...req, headers: { ...headers, authorization: `Bearer ${fresh.token}` } });
}

const basicAuthorization = ({ username, password }: { username: string; password: string }): string =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

const tokenFailure = (reason: string): SendResult => ({ kind: 'error', status: 0, error: reason, blocked: false, durationMs: 0 });
