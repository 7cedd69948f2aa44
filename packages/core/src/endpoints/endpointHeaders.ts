import { endpointRepo, type Database } from '@hookline/db';
import { NotFoundError } from '../errors.ts';
import { encryptHeaderValues } from '../secrets/headerValues.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { headerValuePlace, readSecret } from '../secrets/secretPlaces.ts';
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
  options: { showValues: boolean } = { showValues: true },
): Promise<EndpointHeadersOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const out: EndpointHeadersOut = { headers: {}, sensitive: [] };
  for (const [name, value] of Object.entries(ep.headers)) {
    if (!options.showValues || isSensitiveHeader(name)) out.sensitive.push(name);
    else out.headers[name] = readSecret(box, value, headerValuePlace(ep, name), `The value of header "${name}"`, 'Set it again.');
  }
  return out;
}

/** Replaces all of the endpoint's headers. */
export async function replaceEndpointHeaders(db: Database, tenantId: string, appId: string, idOrUid: string, input: EndpointHeadersIn, box: SecretBox): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editHeaders(db, tenantId, ep.id, () => encryptHeaderValues(box, ep, withoutCaseDuplicates(input.headers)));
}

/** Sets the headers given, removes those set to `null` or named in `deleteHeaders`, keeps the rest. */
export async function patchEndpointHeaders(db: Database, tenantId: string, appId: string, idOrUid: string, input: EndpointHeadersPatchIn, box: SecretBox): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await editHeaders(db, tenantId, ep.id, (current) => {
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
 * replaced or removed.
 */
async function editHeaders(db: Database, tenantId: string, endpointId: string, edit: (current: Record<string, string>) => Record<string, string>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await endpointRepo.lockEndpoint(trx, tenantId, endpointId);
    if (!row) throw new NotFoundError('Endpoint not found');
    await endpointRepo.updateEndpoint(trx, tenantId, endpointId, { headers: JSON.stringify(edit(row.headers)) });
  });
}
