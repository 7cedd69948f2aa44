import { createApiClient, type ApiClient } from '@hookline/ui';

// The console's two callers of the one typed client (@hookline/ui): a person, whose session rides
// in its HttpOnly cookie, and the operator, whose token the console holds for the tab's lifetime.

/** The header every cookie-authenticated change must carry (the API refuses cross-site requests without it). */
export const CSRF_HEADER = 'x-hookline-csrf';

/** A person's client: same-origin, with the session cookie and the CSRF header. */
export function createConsoleClient(onUnauthorized?: () => void): ApiClient {
  return createApiClient({ baseUrl: '', credentials: 'same-origin', headers: { [CSRF_HEADER]: '1' }, onUnauthorized });
}

/** The operator's client for /admin/v1: the token as Bearer, no cookie. */
export function createOperatorClient(token: string, onUnauthorized?: () => void): ApiClient {
  return createApiClient({ baseUrl: '', credentials: 'omit', headers: { Authorization: `Bearer ${token}` }, onUnauthorized });
}
