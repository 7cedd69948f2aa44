import { toApiError } from '@hookline/ui';
import { CSRF_HEADER } from './client.ts';

// Password reset by email. These two routes are built alongside the console and are not yet in
// the generated schema, so they are called by hand here; once they are, use the typed client.
//   POST /console/v1/auth/password-reset {email}             → 202, whether or not the address has an account
//   POST /console/v1/auth/password-reset/complete {token, password}

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: '1', Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await toApiError(res);
}

export function requestPasswordReset(email: string): Promise<void> {
  return post('/console/v1/auth/password-reset', { email });
}

export function completePasswordReset(token: string, password: string): Promise<void> {
  return post('/console/v1/auth/password-reset/complete', { token, password });
}
