/** What a portal token allows (Svix's capability names). */
export type Capability = 'ViewBase' | 'ViewEndpointSecret' | 'ManageEndpointSecret' | 'ManageTransformations' | 'CreateAttempts' | 'ManageEndpoint';

export interface PortalSession {
  token: string;
  appId: string;
  capabilities: Set<Capability>;
  /** Seconds since the epoch. */
  expiresAt: number | null;
}

interface TokenClaims {
  exp?: number;
  cap?: string[];
  app?: string;
  appId?: string;
  sub?: string;
}

function decodeBase64Url(part: string): string {
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a portal JWT without verifying it (the API verifies; the portal only needs to know what to
 * show). Returns null for anything that is not a JWT.
 */
export function decodePortalToken(token: string): PortalSession | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  let claims: TokenClaims;
  try {
    claims = JSON.parse(decodeBase64Url(parts[1])) as TokenClaims;
  } catch {
    return null;
  }
  const appId = claims.app ?? claims.appId ?? claims.sub ?? '';
  return {
    token,
    appId,
    capabilities: new Set((claims.cap ?? ['ViewBase']) as Capability[]),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
  };
}

export function isExpired(session: PortalSession, now = Date.now()): boolean {
  return session.expiresAt !== null && session.expiresAt * 1000 <= now;
}

/**
 * Takes `#token=…` out of the address bar (so it is not bookmarked, shared or kept in history)
 * and returns it. The token then lives only in memory.
 */
export function takeTokenFromLocation(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const token = new URLSearchParams(hash).get('token');
  if (token !== null) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return token;
}
