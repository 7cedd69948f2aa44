import { endpointAuthRepo, endpointRepo, type Database, type EndpointAuthValues, type EndpointRow } from '@hookline/db';
import type { AuditAction } from '../audit/auditActions.ts';
import type { AuditContext } from '../audit/auditLog.ts';
import type { AllowList } from '../delivery/ssrfGuard.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { oauthClientSecretPlace } from '../secrets/secretPlaces.ts';
import { saveAndAudit, valuesOf, withBasicAuth } from './endpointAuthStore.ts';
import type { EndpointBasicAuthIn, EndpointBasicAuthOut, EndpointOauthConfigIn, EndpointOauthConfigOut } from './endpointAuthSchemas.ts';
import { assertEndpointUrl, getEndpoint } from './endpoints.ts';

// An endpoint's OAuth 2.0 client (Svix's …/endpoint/{id}/oauth) and HTTP basic auth (Hookline's
// …/endpoint/{id}/basic-auth): the secret parts are encrypted, bound to the endpoint's row, and
// never shown; audit records name what changed, never a secret.

/** Svix's GET …/oauth: the client without its secret. */
export async function getEndpointOauth(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointOauthConfigOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const oauth = (await endpointAuthRepo.findEndpointAuth(db, tenantId, ep.id))?.oauth;
  if (!oauth) throw new NotFoundError('This endpoint has no OAuth configuration');
  return oauth;
}

/**
 * Svix's PUT …/oauth: sets the endpoint's OAuth client. A left-out clientSecret keeps the stored
 * one only while tokenUrl stays the same, so a caller who cannot read the secret cannot send it
 * to a server of its choosing. Grants and client authentications Hookline does not implement are
 * a 422, never stored to fail every attempt later.
 */
export async function putEndpointOauth(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointOauthConfigIn,
  box: SecretBox,
  allow: AllowList,
  audit: AuditContext,
): Promise<void> {
  if (input.grantType !== 'clientCredentials') throw new ValidationError(['body', 'grantType'], `grantType ${input.grantType} is not supported; use clientCredentials`);
  if (input.authMethod === 'clientSecretJwt') {
    throw new ValidationError(['body', 'authMethod'], 'authMethod clientSecretJwt is not supported; use clientSecretBasic or clientSecretPost');
  }
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await assertEndpointUrl(input.tokenUrl, allow, ['body', 'tokenUrl']);
  const oauth = {
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    authMethod: input.authMethod,
    grantType: input.grantType,
    scopes: input.scopes && input.scopes.length > 0 ? input.scopes : null,
    extraParams: input.extraParams && Object.keys(input.extraParams).length > 0 ? input.extraParams : null,
  };
  await editAuth(db, audit, ep, 'endpoint.oauth.updated', (before) => {
    let clientSecret = input.clientSecret ? box.encrypt(input.clientSecret, oauthClientSecretPlace(ep)) : null;
    if (clientSecret === null && before.oauth?.tokenUrl === input.tokenUrl) clientSecret = before.oauthClientSecret;
    if (clientSecret === null)
      throw new ValidationError(['body', 'clientSecret'], `clientSecret is required for ${input.authMethod} (a stored one is kept only while tokenUrl stays the same)`);
    return { ...before, oauth, oauthClientSecret: clientSecret };
  });
}

/** Svix's DELETE …/oauth: attempts go out without a bearer token again. */
export async function deleteEndpointOauth(db: Database, tenantId: string, appId: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editAuth(db, audit, ep, 'endpoint.oauth.deleted', (before) => ({ ...before, oauth: null, oauthClientSecret: null }));
}

/** The basic-auth username (never the password). */
export async function getEndpointBasicAuth(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointBasicAuthOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const username = (await endpointAuthRepo.findEndpointAuth(db, tenantId, ep.id))?.basicUsername;
  if (username == null) throw new NotFoundError('This endpoint has no basic auth');
  return { username };
}

export async function putEndpointBasicAuth(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointBasicAuthIn,
  box: SecretBox,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editAuth(db, audit, ep, 'endpoint.basicAuth.updated', (before) => withBasicAuth(before, ep, input, box));
}

export async function deleteEndpointBasicAuth(db: Database, tenantId: string, appId: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editAuth(db, audit, ep, 'endpoint.basicAuth.deleted', (before) => ({ ...before, basicUsername: null, basicPassword: null }));
}

/** Read-modify-write under the endpoint's row lock (the auth row may not exist yet). */
async function editAuth(
  db: Database,
  audit: AuditContext,
  ep: Pick<EndpointRow, 'id' | 'tenantId' | 'appId'>,
  action: AuditAction,
  edit: (before: EndpointAuthValues) => EndpointAuthValues,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await endpointRepo.lockEndpoint(trx, ep.tenantId, ep.id))) throw new NotFoundError('Endpoint not found');
    const before = await endpointAuthRepo.lockEndpointAuth(trx, ep.tenantId, ep.id);
    await saveAndAudit(trx, audit, ep, action, before, edit(valuesOf(before)));
  });
}
