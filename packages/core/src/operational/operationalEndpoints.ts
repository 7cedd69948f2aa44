import { endpointRepo, operationalRepo, type Database, type EndpointRow } from '@hookline/db';
import { DELETED_ENDPOINT_END } from '../attempts/messageStatus.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { AllowList } from '../delivery/ssrfGuard.ts';
import { endpointChanges, endpointTarget } from '../endpoints/endpointAudit.ts';
import { endpointUidSchema } from '../endpoints/endpointSchemas.ts';
import { assertEndpointUrl, getEndpoint, toEndpointOut } from '../endpoints/endpoints.ts';
import { assertUrlAllowedForTenant } from '../tenants/httpsOnly.ts';
import { withoutCaseDuplicates } from '../endpoints/headerRules.ts';
import { initialSigningSecret } from '../endpoints/signingSecrets.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import { encryptHeaderValues } from '../secrets/headerValues.ts';
import { endpointSecretPlace } from '../secrets/secretPlaces.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import type { OperationalEndpointIn, OperationalEndpointOut, OperationalEndpointUpsertIn } from './operationalEndpointSchemas.ts';

// Svix's `/api/v1/operational-webhook/endpoint`: the endpoints of the tenant's hidden operational
// application, created with its first endpoint. Writes here emit no operational events (they
// would be about the operational application itself). Secret, headers and rotation use the
// ordinary endpoint functions with the application id from operationalAppId.

/** An endpoint as Svix shows operational ones: no channels and no payload filter. */
export const toOperationalEndpointOut = (row: EndpointRow): OperationalEndpointOut => {
  const { channels: _channels, filter: _filter, ...out } = toEndpointOut(row);
  return out;
};

/** The id of the tenant's operational application: 404 (as for its endpoint) while it has none. */
export async function operationalAppId(db: Database, tenantId: string): Promise<string> {
  const id = await operationalRepo.findOperationalAppId(db, tenantId);
  if (!id) throw new NotFoundError('Endpoint not found');
  return id;
}

async function uidChecked<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An endpoint with this uid already exists');
    throw err;
  }
}

/** Every setting of a PUT, with Svix's defaults for those left out. */
const settingsOf = (input: OperationalEndpointUpsertIn) => ({
  url: input.url,
  uid: input.uid ?? null,
  description: input.description ?? '',
  disabled: input.disabled ?? false,
  eventTypes: input.eventTypes && input.eventTypes.length > 0 ? [...new Set(input.eventTypes)] : null,
  throttleRate: input.throttleRate ?? null,
  metadata: JSON.stringify(input.metadata ?? {}),
});

export async function createOperationalEndpoint(
  db: Database,
  tenantId: string,
  input: OperationalEndpointIn,
  allow: AllowList,
  box: SecretBox,
  audit: AuditContext,
): Promise<OperationalEndpointOut> {
  await assertEndpointUrl(input.url, allow);
  await assertUrlAllowedForTenant(db, tenantId, input.url);
  const secret = initialSigningSecret({ secret: input.secret });
  const appId = await operationalRepo.ensureOperationalApp(db, tenantId, newId('app'));
  const ids = { endpoint: { id: newId('ep'), tenantId }, secret: { id: newId('sec'), tenantId } };
  const row = await uidChecked(() =>
    inAuditedTransaction(db, async (trx) => {
      const created = await endpointRepo.insertEndpoint(
        trx,
        {
          id: ids.endpoint.id,
          tenantId,
          appId,
          ...settingsOf(input),
          channels: null,
          headers: JSON.stringify(encryptHeaderValues(box, ids.endpoint, withoutCaseDuplicates(input.headers ?? {}))),
        },
        { id: ids.secret.id, secret: box.encrypt(secret, endpointSecretPlace(ids.secret)) },
      );
      await recordAudit(trx, audit, { action: 'operationalEndpoint.created', target: endpointTarget(created), changes: endpointChanges(undefined, created) });
      return created;
    }),
  );
  return toOperationalEndpointOut(row);
}

export async function listOperationalEndpoints(db: Database, tenantId: string, params: ListParams): Promise<ListPage<OperationalEndpointOut>> {
  const appId = await operationalRepo.findOperationalAppId(db, tenantId);
  if (!appId) return { data: [], iterator: null, prevIterator: null, done: true };
  return paginate(params, 'ascending', (page) => endpointRepo.listEndpoints(db, tenantId, appId, page), toOperationalEndpointOut);
}

export async function getOperationalEndpoint(db: Database, tenantId: string, idOrUid: string): Promise<EndpointRow> {
  return getEndpoint(db, tenantId, await operationalAppId(db, tenantId), idOrUid);
}

/**
 * PUT: replaces the settings of the operational endpoint at `idOrUid`, or creates it (taking the
 * path's value as its uid when that is a valid uid), as the ordinary endpoint PUT does.
 */
export async function upsertOperationalEndpoint(
  db: Database,
  tenantId: string,
  idOrUid: string,
  input: OperationalEndpointUpsertIn,
  allow: AllowList,
  box: SecretBox,
  audit: AuditContext,
): Promise<{ created: boolean; endpoint: OperationalEndpointOut }> {
  const appId = await operationalRepo.findOperationalAppId(db, tenantId);
  const current = appId ? await endpointRepo.findEndpoint(db, tenantId, appId, idOrUid) : undefined;
  if (!current) {
    const uid = input.uid ?? (endpointUidSchema.safeParse(idOrUid).success ? idOrUid : null);
    return { created: true, endpoint: await createOperationalEndpoint(db, tenantId, { ...input, uid }, allow, box, audit) };
  }
  await assertEndpointUrl(input.url, allow);
  await assertUrlAllowedForTenant(db, tenantId, input.url);
  const row = await uidChecked(() =>
    inAuditedTransaction(db, async (trx) => {
      const updated = await endpointRepo.updateEndpoint(trx, tenantId, current.id, settingsOf(input));
      if (!updated) throw new NotFoundError('Endpoint not found');
      await recordAudit(trx, audit, { action: 'operationalEndpoint.updated', target: endpointTarget(updated), changes: endpointChanges(current, updated) });
      return updated;
    }),
  );
  return { created: false, endpoint: toOperationalEndpointOut(row) };
}

export async function deleteOperationalEndpoint(db: Database, tenantId: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const ep = await getOperationalEndpoint(db, tenantId, idOrUid);
  await inAuditedTransaction(db, async (trx) => {
    if (!(await endpointRepo.deleteEndpoint(trx, tenantId, ep.id, DELETED_ENDPOINT_END))) return;
    await recordAudit(trx, audit, { action: 'operationalEndpoint.deleted', target: endpointTarget(ep), changes: endpointChanges(ep, undefined) });
  });
}
