import { endpointRepo, type Database } from '@hookline/db';
import { describeKeyChanges } from '../audit/auditChanges.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { NotFoundError } from '../errors.ts';
import { encryptHeaderValues } from '../secrets/headerValues.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { headerValuePlace, readSecret } from '../secrets/secretPlaces.ts';
import { endpointTarget } from './endpointAudit.ts';
import { getEndpoint } from './endpoints.ts';
import type { EndpointHeadersIn, EndpointHeadersOut, EndpointHeadersPatchIn } from './endpointSchemas.ts';
import { isSensitiveHeader, withoutCaseDuplicates } from './headerRules.ts';

// The custom headers sent with every attempt to an endpoint (the worker adds them under the
// Standard Webhooks headers). Names compare case-insensitively, as HTTP does, so setting
// `x-team` replaces a stored `X-Team` instead of sending both.

/**
 * The endpoint's headers as Svix shows them: credentials (Authorization, Cookie, X-Api-Key and the
 * like, see isSensitiveHeader) are left out of `headers` and only named in `sensitive`, so reading
 * the settings never reveals them. A caller that may not manage the endpoint (a read-only portal
 * session, `showValues: false`) sees no value at all: a name rule cannot know every credential.
 */
export async function getEndpointHeaders(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  box: SecretBox,
  audit: AuditContext,
  options: { showValues: boolean } = { showValues: true },
): Promise<EndpointHeadersOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const out: EndpointHeadersOut = { headers: {}, sensitive: [] };
  for (const [name, value] of Object.entries(ep.headers)) {
    if (!options.showValues || isSensitiveHeader(name)) out.sensitive.push(name);
    else out.headers[name] = readSecret(box, value, headerValuePlace(ep, name), `The value of header "${name}"`, 'Set it again.');
  }
  // A header value may be a credential, so showing values is a secret read; the names shown are recorded, never the values.
  const shown = Object.keys(out.headers);
  if (shown.length > 0) await recordAudit(db, audit, { action: 'endpoint.headers.read', target: endpointTarget(ep), changes: { headers: { to: shown } } });
  return out;
}

/** Replaces all of the endpoint's headers. */
export async function replaceEndpointHeaders(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointHeadersIn,
  box: SecretBox,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editHeaders(db, audit, ep, () => encryptHeaderValues(box, ep, withoutCaseDuplicates(input.headers)));
}

/** Sets the headers given, removes those set to `null` or named in `deleteHeaders`, keeps the rest. */
export async function patchEndpointHeaders(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointHeadersPatchIn,
  box: SecretBox,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editHeaders(db, audit, ep, (current) => {
    const next = new Map(Object.entries(current).map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
    for (const name of input.deleteHeaders ?? []) next.delete(name.toLowerCase());
    for (const [name, value] of Object.entries(input.headers)) {
      if (value === null) next.delete(name.toLowerCase());
      else next.set(name.toLowerCase(), [name, box.encrypt(value, headerValuePlace(ep, name))]);
    }
    return Object.fromEntries(next.values());
  });
}

/**
 * Read-modify-write under the endpoint's row lock, so concurrent patches do not lose each other's
 * changes. `edit` sees and returns stored (encrypted) values: a header it keeps keeps its envelope,
 * still bound to this endpoint and name, so nothing is decrypted and an unreadable value can be
 * replaced or removed. The audit record names the headers added, changed or removed, never a value.
 */
async function editHeaders(
  db: Database,
  audit: AuditContext,
  ep: { id: string; tenantId: string; appId: string },
  edit: (current: Record<string, string>) => Record<string, string>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await endpointRepo.lockEndpoint(trx, ep.tenantId, ep.id);
    if (!row) throw new NotFoundError('Endpoint not found');
    const headers = edit(row.headers);
    await endpointRepo.updateEndpoint(trx, ep.tenantId, ep.id, { headers: JSON.stringify(headers) });
    await recordAudit(trx, audit, { action: 'endpoint.headers.updated', target: endpointTarget(ep), changes: describeKeyChanges(row.headers, headers) });
  });
}
