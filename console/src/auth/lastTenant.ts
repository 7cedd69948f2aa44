// The tenant a person last worked in, remembered on this device (an id, not a secret): sign-in
// asks for it again, and the SSO button starts with it.
const KEY = 'hookline-last-tenant';

export function lastTenant(): string | null {
  return localStorage.getItem(KEY);
}

export function rememberTenant(tenantId: string | null | undefined): void {
  if (tenantId) localStorage.setItem(KEY, tenantId);
}
