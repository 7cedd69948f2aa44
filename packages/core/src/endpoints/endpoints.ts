import { endpointRepo, eventTypeRepo, type Database, type EndpointRow } from '@hookline/db';
import { generateSecret, parseSecret } from '@hookline/signing';
import { checkEndpointUrl, type AllowList } from '../delivery/ssrfGuard.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import type { EndpointIn, EndpointOut, EndpointUpdateIn } from './endpointSchemas.ts';


export const toEndpointOut = (row: EndpointRow): EndpointOut => ({
  id: row.id,
  uid: row.uid,
  url: row.url,
  description: row.description,
  disabled: row.disabled,
  eventTypes: row.eventTypes,
  channels: row.channels,
  throttleRate: row.throttleRate,
  metadata: row.metadata,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** The rules every endpoint write checks against stored state and the network policy. */
async function checkEndpointInput(db: Database, tenantId: string, input: EndpointUpdateIn, allow: AllowList): Promise<void> {
  const verdict = await checkEndpointUrl(input.url, allow);
  if (!verdict.ok) throw new ValidationError(['body', 'url'], verdict.reason);
  const missing = await eventTypeRepo.findMissingEventTypes(db, tenantId, input.eventTypes ?? []);
  if (missing.length > 0) throw new ValidationError(['body', 'eventTypes'], `Unknown event type(s): ${missing.join(', ')}`);
}

const emptyToNull = <T>(list: T[] | null | undefined): T[] | null => (list && list.length > 0 ? list : null);

export async function createEndpoint(db: Database, tenantId: string, appId: string, input: EndpointIn, allow: AllowList): Promise<EndpointOut> {
  await checkEndpointInput(db, tenantId, input, allow);
  if (input.secret) {
    try {
      parseSecret(input.secret);
    } catch (err) {
      throw new ValidationError(['body', 'secret'], err instanceof Error ? err.message : 'Invalid secret');
    }
  }
  try {
    const row = await endpointRepo.insertEndpoint(db, {
      id: newId('ep'),
      tenantId,
      appId,
      uid: input.uid ?? null,
      url: input.url,
      description: input.description ?? '',
      disabled: input.disabled ?? false,
      eventTypes: emptyToNull(input.eventTypes),
      channels: emptyToNull(input.channels),
      throttleRate: input.throttleRate ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
      headers: JSON.stringify(input.headers ?? {}),
    }, { id: newId('sec'), secret: input.secret ?? generateSecret() });
    return toEndpointOut(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An endpoint with this uid already exists');
    throw err;
  }
}

export async function getEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointRow> {
  const row = await endpointRepo.findEndpoint(db, tenantId, appId, idOrUid);
  if (!row) throw new NotFoundError('Endpoint not found');
  return row;
}

export async function listEndpoints(db: Database, tenantId: string, appId: string, params: ListParams): Promise<ListPage<EndpointOut>> {
  return paginate(params, 'ascending', (page) => endpointRepo.listEndpoints(db, tenantId, appId, page), toEndpointOut);
}

/** Replaces an endpoint's settings (Svix's PUT update); fields left out return to their defaults. */
export async function updateEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string, input: EndpointUpdateIn, allow: AllowList): Promise<EndpointOut> {
  const current = await getEndpoint(db, tenantId, appId, idOrUid);
  await checkEndpointInput(db, tenantId, input, allow);
  try {
    const row = await endpointRepo.updateEndpoint(db, tenantId, current.id, {
      url: input.url,
      description: input.description ?? '',
      uid: input.uid ?? null,
      disabled: input.disabled ?? false,
      eventTypes: emptyToNull(input.eventTypes),
      channels: emptyToNull(input.channels),
      throttleRate: input.throttleRate ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
    });
    if (!row) throw new NotFoundError('Endpoint not found');
    return toEndpointOut(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An endpoint with this uid already exists');
    throw err;
  }
}

export async function deleteEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<void> {
  const current = await getEndpoint(db, tenantId, appId, idOrUid);
  await endpointRepo.deleteEndpoint(db, tenantId, current.id);
}

/** The endpoint's current signing secret. */
export async function getEndpointSecret(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<{ key: string }> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const [current] = await endpointRepo.listLiveSecrets(db, tenantId, ep.id);
  if (!current) throw new NotFoundError('Endpoint secret not found');
  return { key: current };
}
