import { endpointAuthRepo, type Database, type EndpointAuthRow, type EndpointAuthValues, type EndpointRow } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import type { AuditAction } from '../audit/auditActions.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { ValidationError } from '../errors.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { basicAuthPasswordPlace } from '../secrets/secretPlaces.ts';
import { endpointTarget } from './endpointAudit.ts';
import { endpointBasicAuthInSchema, type EndpointBasicAuthIn } from './endpointAuthSchemas.ts';

// Writing an endpoint's credentials row and its audit record; shared by the …/oauth and
// …/basic-auth routes and by endpoint writes whose URL carries basic-auth userinfo.

const EMPTY: EndpointAuthValues = { oauth: null, oauthClientSecret: null, basicUsername: null, basicPassword: null };

/**
 * An endpoint URL without its userinfo, and the basic-auth credentials it carried (as receivers
 * written for Svix give them: https://user:pass@host/). Undefined URL in, undefined out.
 */
export function splitUrlCredentials(url: string | undefined): { url: string | undefined; credentials?: EndpointBasicAuthIn } {
  if (url === undefined) return { url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (parsed.username === '' && parsed.password === '') return { url };
  const parsedCredentials = endpointBasicAuthInSchema.safeParse({ username: safeDecode(parsed.username), password: safeDecode(parsed.password) });
  if (!parsedCredentials.success)
    throw new ValidationError(['body', 'url'], "the URL's userinfo must be user:password (percent-encoded), with a password, for HTTP basic auth");
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, credentials: parsedCredentials.data };
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Stores basic-auth credentials given in an endpoint URL's userinfo (written in the endpoint's own
 * transaction, which holds its row): the URL itself is stored without them.
 */
export async function saveUrlBasicAuth(
  trx: Database,
  box: SecretBox,
  audit: AuditContext,
  ep: Pick<EndpointRow, 'id' | 'tenantId' | 'appId'>,
  credentials: EndpointBasicAuthIn,
): Promise<void> {
  const before = await endpointAuthRepo.lockEndpointAuth(trx, ep.tenantId, ep.id);
  await saveAndAudit(trx, audit, ep, 'endpoint.basicAuth.updated', before, withBasicAuth(valuesOf(before), ep, credentials, box));
}

export const withBasicAuth = (before: EndpointAuthValues, ep: { id: string; tenantId: string }, input: EndpointBasicAuthIn, box: SecretBox): EndpointAuthValues => ({
  ...before,
  basicUsername: input.username,
  basicPassword: box.encrypt(input.password, basicAuthPasswordPlace(ep)),
});

export const valuesOf = (row: EndpointAuthRow | undefined): EndpointAuthValues =>
  row ? { oauth: row.oauth, oauthClientSecret: row.oauthClientSecret, basicUsername: row.basicUsername, basicPassword: row.basicPassword } : EMPTY;

export async function saveAndAudit(
  trx: Database,
  audit: AuditContext,
  ep: Pick<EndpointRow, 'id' | 'tenantId' | 'appId'>,
  action: AuditAction,
  before: EndpointAuthRow | undefined,
  after: EndpointAuthValues,
): Promise<void> {
  await endpointAuthRepo.saveEndpointAuth(trx, ep.tenantId, ep.id, after, new Date());
  await recordAudit(trx, audit, { action, target: endpointTarget(ep), changes: authChanges(valuesOf(before), after) });
}

/** Plain settings from and to; secrets (and extraParams, which may carry one) only as changed. */
function authChanges(before: EndpointAuthValues, after: EndpointAuthValues) {
  const flat = (v: EndpointAuthValues) => ({
    tokenUrl: v.oauth?.tokenUrl,
    clientId: v.oauth?.clientId,
    authMethod: v.oauth?.authMethod,
    grantType: v.oauth?.grantType,
    scopes: v.oauth?.scopes,
    extraParams: v.oauth?.extraParams,
    clientSecret: v.oauthClientSecret,
    username: v.basicUsername,
    password: v.basicPassword,
  });
  return describeChanges(
    flat(before),
    flat(after),
    ['tokenUrl', 'clientId', 'authMethod', 'grantType', 'scopes', 'extraParams', 'clientSecret', 'username', 'password'],
    ['extraParams', 'clientSecret', 'password'],
  );
}
