import type * as Oidc from 'openid-client';
import { inviteRepo, membershipRepo, personRepo, ssoRepo, type Database, type TenantSsoRow } from '@hookline/db';
import type { AuditChanges } from '../../audit/auditChanges.ts';
import { recordAudit } from '../../audit/auditLog.ts';
import { personActor } from '../../audit/personAudit.ts';
import type { RequestOrigin } from '../../audit/actor.ts';
import { AuthenticationError, BadRequestError, ForbiddenError, HooklineError, NotFoundError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { SecretBox } from '../../secrets/secretBox.ts';
import { createSession, type NewSession, type SessionPolicy } from '../sessions.ts';
import { ssoClientSecretOf } from './ssoConfig.ts';
import { isLoopbackHttp } from './ssoSchemas.ts';
import { openSsoTransaction, sealSsoTransaction, SSO_TRANSACTION_SECONDS } from './ssoTransaction.ts';

/** A provider's discovered configuration is reused this long (and until the tenant's configuration changes). */
const DISCOVERY_TTL_MS = 5 * 60_000;
const PROVIDER_TIMEOUT_SECONDS = 10;
// Loaded on the first sign-in: most installations never use SSO, and the api need not hold it.
const openidClient = () => import('openid-client');
const discovered = new Map<string, { updatedAt: number; at: number; config: Oidc.Configuration }>();

async function clientOf(box: SecretBox, row: TenantSsoRow): Promise<Oidc.Configuration> {
  const cached = discovered.get(row.tenantId);
  if (cached && cached.updatedAt === row.updatedAt.getTime() && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
  const secret = ssoClientSecretOf(box, row);
  const issuer = new URL(row.issuer);
  const oidc = await openidClient();
  let config: Oidc.Configuration;
  try {
    config = await oidc.discovery(issuer, row.clientId, { client_secret: secret }, oidc.ClientSecretBasic(secret), {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      ...(isLoopbackHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (err) {
    throw new BadRequestError(`The tenant's OpenID provider cannot be reached or its discovery document is not valid: ${messageOf(err)}`);
  }
  discovered.set(row.tenantId, { updatedAt: row.updatedAt.getTime(), at: Date.now(), config });
  return config;
}

/** openid-client's message and, when it wraps one, its cause's (which names the failed check); fixed texts, never a token. */
const messageOf = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error && err.cause.message !== err.message ? `${err.message}: ${err.cause.message}` : err.message;
};

async function enabledSso(db: Database, tenantId: string): Promise<TenantSsoRow> {
  const row = await ssoRepo.findSso(db, tenantId);
  if (!row?.enabled) throw new NotFoundError('Single sign-on is not configured for this tenant');
  return row;
}

/**
 * Starts a sign-in with the tenant's provider: the authorization URL (code flow, PKCE S256, state
 * and nonce) and the sealed transaction for the browser's short-lived cookie. The verifier and
 * nonce never leave the server in clear; the URL carries only what the protocol needs.
 */
export async function startSsoSignIn(db: Database, tenantId: string, deps: { box: SecretBox; redirectUri: string }): Promise<{ url: string; transaction: string }> {
  const row = await enabledSso(db, tenantId);
  const [config, oidc] = await Promise.all([clientOf(deps.box, row), openidClient()]);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: deps.redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const transaction = sealSsoTransaction(deps.box, {
    tenantId,
    state,
    nonce,
    verifier,
    redirectUri: deps.redirectUri,
    expiresAt: Date.now() + SSO_TRANSACTION_SECONDS * 1000,
  });
  return { url: url.href, transaction };
}

/**
 * Finishes a sign-in at the callback: the transaction cookie must be there and its state must
 * match; openid-client then exchanges the code (with the PKCE verifier) and checks the ID token's
 * signature, issuer, audience, nonce and expiry. The provider must vouch for the address
 * (email_verified) in one of the tenant's allowed domains. A member signs in; otherwise an open
 * invitation for the address is taken, or (just-in-time provisioning) the person joins with the
 * default role. The session is new (as at password sign-in) and confined to the tenant.
 */
export async function finishSsoSignIn(
  db: Database,
  input: { query: URLSearchParams; transaction: string | undefined },
  deps: { box: SecretBox; policy: SessionPolicy; origin: RequestOrigin },
): Promise<NewSession> {
  const tx = openSsoTransaction(deps.box, input.transaction);
  const state = input.query.get('state');
  if (!state) throw new BadRequestError('The provider’s answer has no state: start the sign-in again');
  if (state !== tx.state) throw new BadRequestError('The provider’s answer is not for the sign-in this browser started (state does not match): start again');
  const row = await enabledSso(db, tx.tenantId);
  const [config, oidc] = await Promise.all([clientOf(deps.box, row), openidClient()]);
  const currentUrl = new URL(tx.redirectUri);
  currentUrl.search = input.query.toString();

  let email: string;
  let name: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: tx.verifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    let claims: Record<string, unknown> = { ...tokens.claims()! };
    if (typeof claims.email !== 'string') claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string)) };
    if (typeof claims.email !== 'string' || claims.email_verified !== true) throw new ForbiddenError('The provider did not vouch for an email address (email_verified)');
    email = claims.email;
    name = typeof claims.name === 'string' ? claims.name.slice(0, 256) : '';
  } catch (err) {
    if (err instanceof HooklineError) throw err;
    throw new AuthenticationError(`Single sign-on failed: ${messageOf(err)}`);
  }
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!row.allowedDomains.includes(domain)) throw new ForbiddenError('Addresses of this domain may not sign in to this tenant with single sign-on');

  return db.transaction().execute(async (trx) => {
    let person = await personRepo.findPersonByEmail(trx, email);
    const role = person ? await membershipRepo.findRole(trx, tx.tenantId, person.id) : undefined;
    if (!role) {
      const invite = await inviteRepo.takeInviteForEmail(trx, tx.tenantId, email);
      const newRole = invite?.role ?? (row.jitProvisioning ? row.defaultRole : undefined);
      if (!newRole) throw new ForbiddenError('You are not a member of this tenant: ask an owner or admin for an invitation');
      person ??= await personRepo.insertPerson(trx, { id: newId('psn'), email, name, passwordHash: null });
      await membershipRepo.addMember(trx, { tenantId: tx.tenantId, personId: person.id, role: newRole });
      const by: AuditChanges = invite ? { by: { to: 'sso invitation' }, invite: { to: invite.id } } : { by: { to: 'sso just-in-time' } };
      await recordAudit(
        trx,
        { tenantId: tx.tenantId, actor: personActor(person), origin: deps.origin },
        { action: 'member.joined', target: { kind: 'person', id: person.id }, changes: { role: { to: newRole }, ...by } },
      );
    }
    return createSession(trx, person!.id, tx.tenantId, deps.policy, deps.origin, { ssoTenantId: tx.tenantId });
  });
}
