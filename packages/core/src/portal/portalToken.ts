import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AuthenticationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { portalBrandOverrideSchema, type PortalBrandOverride } from '../tenants/portalBrand.ts';
import { PORTAL_CAPABILITIES, type PortalCapability } from './portalAccessSchemas.ts';
import type { PortalKeyRing } from './portalSigningKeys.ts';

const ISSUER = 'hookline';
const AUDIENCE = 'hookline-portal';

export interface PortalClaims {
  tenantId: string;
  appId: string;
  capabilities: PortalCapability[];
  /** The feature flags whose event types the session may see (Svix's AppPortalAccessIn.featureFlags). */
  featureFlags: string[];
  sessionId: string | null;
  issuedAt: Date;
  /** The token's own id (jti), which auth/logout records; null on a token without one. */
  tokenId: string | null;
  expiresAt: Date;
  /** The link's own brand (app-portal-access `brand`), over the tenant's; undefined: the tenant's. */
  brand?: PortalBrandOverride | undefined;
}

/** A signed, short-lived token for one application of one tenant, with its capabilities and feature flags. */
export async function signPortalToken(
  keys: PortalKeyRing,
  claims: {
    tenantId: string;
    appId: string;
    capabilities: readonly PortalCapability[];
    featureFlags?: readonly string[] | undefined;
    sessionId?: string | null | undefined;
    brand?: PortalBrandOverride | null | undefined;
  },
  expirySeconds: number,
): Promise<string> {
  const flags = [...new Set(claims.featureFlags ?? [])];
  // `iat` has whole seconds; `iatMs` tells a token issued just after an expire-all from one issued just before.
  return new SignJWT({
    tid: claims.tenantId,
    cap: [...claims.capabilities],
    iatMs: Date.now(),
    ...(flags.length > 0 ? { ff: flags } : {}),
    ...(claims.sessionId ? { sid: claims.sessionId } : {}),
    ...(claims.brand && Object.keys(claims.brand).length > 0 ? { brd: claims.brand } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keys.signing.kid })
    .setSubject(claims.appId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(newId('key'))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expirySeconds)
    .sign(keys.signing.key);
}

/** True when the bearer value is shaped like a JWT rather than an API key. */
export const looksLikePortalToken = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Verifies a portal token (signature by the key its `kid` names, or the legacy key when it names
 * none; issuer, audience, expiry) and returns its claims, or throws 401.
 */
export async function verifyPortalToken(keys: PortalKeyRing, token: string): Promise<PortalClaims> {
  try {
    const keyFor = ({ kid }: { kid?: string | undefined }): Uint8Array => {
      const key = kid === undefined ? keys.legacy : keys.byKid.get(kid);
      if (!key) throw new AuthenticationError('Portal token signed with an unknown key');
      return key;
    };
    const { payload } = await jwtVerify(token, keyFor, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const caps = Array.isArray(payload.cap) ? payload.cap.filter((c): c is PortalCapability => (PORTAL_CAPABILITIES as readonly unknown[]).includes(c)) : [];
    if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string' || typeof payload.iat !== 'number') throw new AuthenticationError('Invalid portal token');
    return {
      tenantId: payload.tid,
      appId: payload.sub,
      capabilities: caps,
      featureFlags: Array.isArray(payload.ff) ? payload.ff.filter((f): f is string => typeof f === 'string') : [],
      sessionId: typeof payload.sid === 'string' ? payload.sid : null,
      issuedAt: new Date(typeof payload.iatMs === 'number' ? payload.iatMs : payload.iat * 1000),
      tokenId: typeof payload.jti === 'string' ? payload.jti : null,
      expiresAt: new Date((typeof payload.exp === 'number' ? payload.exp : payload.iat) * 1000),
      // Signed by us, yet checked again: it ends up in the portal's CSS.
      brand: payload.brd === undefined ? undefined : portalBrandOverrideSchema.safeParse(payload.brd).data,
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AuthenticationError('Portal token expired');
    if (err instanceof AuthenticationError) throw err;
    throw new AuthenticationError('Invalid portal token');
  }
}

/** What a capability set allows: ManageEndpoint implies everything an endpoint owner does. */
export function hasCapability(granted: readonly PortalCapability[], needed: PortalCapability): boolean {
  if (granted.includes(needed)) return true;
  if (granted.includes('ManageEndpoint') && needed !== 'ManageTransformations') return true;
  return needed === 'ViewEndpointSecret' && granted.includes('ManageEndpointSecret');
}
