import { applicationRepo, endpointRepo, eventTypeRepo, type Database, type EndpointRow, type EndpointUpdate, type Transaction } from '@hookline/db';
import { DELETED_ENDPOINT_END } from '../attempts/messageStatus.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { AuditAction } from '../audit/auditActions.ts';
import type { PayloadFilter } from '../delivery/payloadFilter.ts';
import { checkEndpointDeliverySettings, type EndpointDeliverySettings } from '../delivery/endpointDeliverySettings.ts';
import { checkEndpointUrl, type AllowList } from '../delivery/ssrfGuard.ts';
import { ConflictError, NotFoundError, RefusedTargetError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { emitEndpointChange, type OperationalEmitter } from '../operational/operationalEvents.ts';
import type { FeatureFlagScope } from '../eventTypes/featureFlags.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { assertUrlAllowedForTenant } from '../tenants/httpsOnly.ts';
import { isUniqueViolation } from '../postgresErrors.ts';
import { encryptHeaderValues } from '../secrets/headerValues.ts';
import { endpointSecretPlace, readSecret } from '../secrets/secretPlaces.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { endpointChanges, endpointTarget } from './endpointAudit.ts';
import { saveUrlBasicAuth, splitUrlCredentials } from './endpointAuthStore.ts';
import { withoutCaseDuplicates } from './headerRules.ts';
import { initialSigningSecret, shownSecret } from './signingSecrets.ts';
import { endpointUidSchema, type EndpointIn, type EndpointOut, type EndpointPatchIn, type EndpointUpdateIn } from './endpointSchemas.ts';

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
  filter: row.filter,
  signatureHeaderNames: row.signatureHeaderNames,
  retrySchedule: row.retrySchedule,
  timeoutMs: row.timeoutMs,
  maxAttempts: row.maxAttempts,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** The rules an endpoint write checks against stored state and the network policy, for the fields it sets. */
/** An endpoint URL the network policy refuses is a 422 on `url`. */
export async function assertEndpointUrl(url: string, allow: AllowList, loc: string[] = ['body', 'url']): Promise<void> {
  const verdict = await checkEndpointUrl(url, allow);
  if (!verdict.ok) throw new RefusedTargetError(loc, verdict.reason, verdict.logDetail);
}

/**
 * Checks the URL and the event types. An event type hidden from the caller's feature flags `scope`
 * is unknown to it, unless the endpoint is already subscribed to it (the vendor did that; keeping
 * it reveals nothing new), so a portal session cannot subscribe to flag-gated event types.
 */
async function checkEndpointInput(
  db: Database,
  tenantId: string,
  input: EndpointPatchIn,
  allow: AllowList,
  limits: Pick<EndpointLimits, 'deliveryTimeoutMs'>,
  scope: FeatureFlagScope,
  current?: EndpointRow,
): Promise<void> {
  checkEndpointDeliverySettings(deliverySettingsOf(input, current), limits.deliveryTimeoutMs);
  if (input.url !== undefined) {
    await assertEndpointUrl(input.url, allow);
    await assertUrlAllowedForTenant(db, tenantId, input.url);
  }
  let missing = await eventTypeRepo.findMissingEventTypes(db, tenantId, eventTypeFilterOf(input) ?? [], scope);
  const kept = missing.filter((name) => current?.eventTypes?.includes(name));
  if (scope !== undefined && kept.length > 0) {
    const gone = await eventTypeRepo.findMissingEventTypes(db, tenantId, kept);
    missing = missing.filter((name) => !kept.includes(name) || gone.includes(name));
  }
  if (missing.length > 0) throw new ValidationError(['body', 'eventTypes'], `Unknown event type(s): ${missing.join(', ')}`);
}

/**
 * The event-type filter an endpoint write asks for, from `eventTypes` or Svix's older
 * `filterTypes` (undefined: neither given). Both, naming different lists, is a 422.
 */
export function eventTypeFilterOf(input: Pick<EndpointPatchIn, 'eventTypes' | 'filterTypes'>): string[] | null | undefined {
  const { eventTypes, filterTypes } = input;
  if (eventTypes === undefined) return filterTypes;
  if (filterTypes !== undefined && JSON.stringify(filterTypes) !== JSON.stringify(eventTypes)) {
    throw new ValidationError(['body', 'filterTypes'], 'filterTypes is the older name of eventTypes: give one of them, or the same list in both');
  }
  return eventTypes;
}

const emptyToNull = <T>(list: T[] | null | undefined): T[] | null => (list && list.length > 0 ? list : null);
/** A payload filter as stored: an empty one (it matches everything) is no filter. */
const filterColumn = (filter: PayloadFilter | null | undefined): string | null => (filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : null);

/**
 * Runs an endpoint write (of the row `before` it, null for a creation) in a transaction with the
 * operational events it causes (endpoint.created / updated / disabled / enabled), so they are
 * published if and only if the change commits; its audit record commits with it too.
 */
async function writeWithEvents(
  db: Database,
  events: OperationalEmitter,
  before: EndpointRow | null,
  write: (trx: Transaction) => Promise<EndpointRow | undefined>,
  audit: AuditContext,
): Promise<EndpointRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const after = await write(trx);
    if (after) {
      await emitEndpointChange(trx, events, before, after);
      const action: AuditAction = before ? 'endpoint.updated' : 'endpoint.created';
      await recordAudit(trx, audit, { action, target: endpointTarget(after), changes: endpointChanges(before ?? undefined, after) });
    }
    return after;
  });
}

/** Runs an endpoint write, reporting a taken uid as a conflict. */
async function uidConflictAsError<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An endpoint with this uid already exists');
    throw err;
  }
}

/** The delivery settings an endpoint write leaves stored: those it gives, else the current ones. */
function deliverySettingsOf(input: EndpointPatchIn, current?: EndpointRow): EndpointDeliverySettings {
  return {
    retrySchedule: input.retrySchedule !== undefined ? input.retrySchedule : (current?.retrySchedule ?? null),
    timeoutMs: input.timeoutMs !== undefined ? input.timeoutMs : (current?.timeoutMs ?? null),
    maxAttempts: input.maxAttempts !== undefined ? input.maxAttempts : (current?.maxAttempts ?? null),
  };
}

/** The delivery settings a write names, as columns (left out: not set). */
const deliverySettingColumns = (input: EndpointPatchIn): Partial<EndpointDeliverySettings> =>
  Object.fromEntries(
    Object.entries({ retrySchedule: input.retrySchedule, timeoutMs: input.timeoutMs, maxAttempts: input.maxAttempts }).filter(([, v]) => v !== undefined),
  );

/** The stored columns of an endpoint's settings, defaults applied (create and PUT share them). */
function settingsColumns(input: EndpointUpdateIn) {
  return {
    uid: input.uid ?? null,
    url: input.url,
    description: input.description ?? '',
    disabled: input.disabled ?? false,
    eventTypes: emptyToNull(eventTypeFilterOf(input)),
    channels: emptyToNull(input.channels),
    throttleRate: input.throttleRate ?? null,
    metadata: JSON.stringify(input.metadata ?? {}),
    filter: filterColumn(input.filter),
    // Hookline's own field: a PUT that leaves it out (every Svix client's, the portal's) keeps it.
    ...(input.signatureHeaderNames !== undefined ? { signatureHeaderNames: input.signatureHeaderNames } : {}),
    ...deliverySettingColumns(input),
  };
}

/** Limits on what one application may hold. */
export interface EndpointLimits {
  /** Endpoints per application: each one adds a delivery to every publish of the application. */
  maxEndpointsPerApp: number;
  /** The installation's delivery timeout: an endpoint's own is at most it. */
  deliveryTimeoutMs: number;
}

/** What writing an endpoint needs besides its input: the same for every write of one installation. */
export interface EndpointWriter {
  db: Database;
  /** The SSRF guard's allow list for endpoint URLs. */
  allow: AllowList;
  events: OperationalEmitter;
  box: SecretBox;
  limits: EndpointLimits;
}

/** Where and for whom: the application written in, the audit context, and the caller's feature flags (see checkEndpointInput). */
export interface EndpointWriteScope {
  tenantId: string;
  appId: string;
  audit: AuditContext;
  flags?: FeatureFlagScope | undefined;
}

/** Creates an endpoint. */
export async function createEndpoint(writer: EndpointWriter, at: EndpointWriteScope, input: EndpointIn): Promise<EndpointOut> {
  const { db, allow, events, box, limits } = writer;
  const { tenantId, appId, audit, flags: scope } = at;
  // Basic-auth userinfo in the URL is stored apart, encrypted; the URL is stored without it.
  const { url, credentials } = splitUrlCredentials(input.url);
  input = { ...input, url: url ?? input.url };
  await checkEndpointInput(db, tenantId, input, allow, limits, scope);
  const secret = initialSigningSecret(input);
  const ids = { endpoint: { id: newId('ep'), tenantId }, secret: { id: newId('sec'), tenantId } };
  const row = await uidConflictAsError(() =>
    writeWithEvents(
      db,
      events,
      null,
      async (trx) => {
        // The application's row is locked while counting, so concurrent creations cannot pass the cap together.
        await applicationRepo.lockApplication(trx, tenantId, appId);
        if ((await endpointRepo.countEndpoints(trx, tenantId, appId)) >= limits.maxEndpointsPerApp) {
          throw new ConflictError(
            `This application already has ${limits.maxEndpointsPerApp} endpoints, the most one may have; delete one to add another`,
            'endpoint_limit_reached',
          );
        }
        const inserted = await endpointRepo.insertEndpoint(
          trx,
          {
            id: ids.endpoint.id,
            tenantId,
            appId,
            ...settingsColumns(input),
            headers: JSON.stringify(encryptHeaderValues(box, ids.endpoint, withoutCaseDuplicates(input.headers ?? {}))),
          },
          { id: ids.secret.id, secret: box.encrypt(secret, endpointSecretPlace(ids.secret)) },
        );
        if (inserted && credentials) await saveUrlBasicAuth(trx, box, audit, inserted, credentials);
        return inserted;
      },
      audit,
    ),
  );
  if (!row) throw new Error('endpoint insert returned no row');
  return toEndpointOut(row);
}

export async function getEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointRow> {
  const row = await endpointRepo.findEndpoint(db, tenantId, appId, idOrUid);
  if (!row) throw new NotFoundError('Endpoint not found');
  return row;
}

/** Newest first unless `order` says otherwise, as Svix lists them. */
export async function listEndpoints(db: Database, tenantId: string, appId: string, params: ListParams): Promise<ListPage<EndpointOut>> {
  return paginate(params, 'descending', (page) => endpointRepo.listEndpoints(db, tenantId, appId, page), toEndpointOut);
}

/**
 * Svix's PUT: replaces an endpoint's settings (fields left out return to their defaults; headers
 * and secret are kept), or creates the endpoint when there is none by that id or uid. A created
 * endpoint takes the path's value as its uid when the body names none and the value is a valid
 * endpoint uid, so repeating the same PUT updates instead of creating again.
 */
export async function upsertEndpoint(
  writer: EndpointWriter,
  at: EndpointWriteScope,
  idOrUid: string,
  input: EndpointUpdateIn,
): Promise<{ created: boolean; endpoint: EndpointOut }> {
  const { db, allow, events, box, limits } = writer;
  const { tenantId, appId, audit, flags: scope } = at;
  const current = await endpointRepo.findEndpoint(db, tenantId, appId, idOrUid);
  if (!current) {
    const uid = input.uid ?? (endpointUidSchema.safeParse(idOrUid).success ? idOrUid : null);
    return { created: true, endpoint: await createEndpoint(writer, at, { ...input, uid }) };
  }
  const { url, credentials } = splitUrlCredentials(input.url);
  input = { ...input, url: url ?? input.url };
  await checkEndpointInput(db, tenantId, input, allow, limits, scope, current);
  const endpoint = await writeEndpoint(
    db,
    events,
    current,
    settingsColumns(input),
    audit,
    credentials && ((trx) => saveUrlBasicAuth(trx, box, audit, current, credentials)),
  );
  return { created: false, endpoint };
}

/** Svix's PATCH: changes only the fields given; `null` clears a nullable one. */
export async function patchEndpoint(writer: EndpointWriter, at: EndpointWriteScope, idOrUid: string, input: EndpointPatchIn): Promise<EndpointOut> {
  const { db, allow, events, box, limits } = writer;
  const { tenantId, appId, audit, flags: scope } = at;
  const current = await getEndpoint(db, tenantId, appId, idOrUid);
  const { url, credentials } = splitUrlCredentials(input.url);
  if (url !== undefined) input = { ...input, url };
  await checkEndpointInput(db, tenantId, input, allow, limits, scope, current);
  const set: EndpointUpdate = {};
  if (input.url !== undefined) set.url = input.url;
  if (input.description !== undefined) set.description = input.description;
  if (input.disabled !== undefined) set.disabled = input.disabled;
  if (input.metadata !== undefined) set.metadata = JSON.stringify(input.metadata);
  if (input.uid !== undefined) set.uid = input.uid;
  const eventTypes = eventTypeFilterOf(input);
  if (eventTypes !== undefined) set.eventTypes = emptyToNull(eventTypes);
  if (input.channels !== undefined) set.channels = emptyToNull(input.channels);
  if (input.throttleRate !== undefined) set.throttleRate = input.throttleRate;
  if (input.filter !== undefined) set.filter = filterColumn(input.filter);
  if (input.signatureHeaderNames !== undefined) set.signatureHeaderNames = input.signatureHeaderNames;
  Object.assign(set, deliverySettingColumns(input));
  return writeEndpoint(db, events, current, set, audit, credentials && ((trx) => saveUrlBasicAuth(trx, box, audit, current, credentials)));
}

/** `alsoWrite` runs in the same transaction, after the endpoint's row is updated (and so locked). */
async function writeEndpoint(
  db: Database,
  events: OperationalEmitter,
  current: EndpointRow,
  set: EndpointUpdate,
  audit: AuditContext,
  alsoWrite?: (trx: Transaction) => Promise<void>,
): Promise<EndpointOut> {
  const row = await uidConflictAsError(() =>
    writeWithEvents(
      db,
      events,
      current,
      async (trx) => {
        const updated = await endpointRepo.updateEndpoint(trx, current.tenantId, current.id, set);
        if (updated && alsoWrite) await alsoWrite(trx);
        return updated;
      },
      audit,
    ),
  );
  // Deleted between the read and the write.
  if (!row) throw new NotFoundError('Endpoint not found');
  return toEndpointOut(row);
}

export async function deleteEndpoint(db: Database, tenantId: string, appId: string, idOrUid: string, events: OperationalEmitter, audit: AuditContext): Promise<void> {
  const current = await getEndpoint(db, tenantId, appId, idOrUid);
  // endpoint.deleted (event and audit record) commits with the deletion (and only when this call deleted it).
  await db.transaction().execute(async (trx) => {
    if (!(await endpointRepo.deleteEndpoint(trx, tenantId, current.id, DELETED_ENDPOINT_END))) return;
    await emitEndpointChange(trx, events, current, null);
    await recordAudit(trx, audit, { action: 'endpoint.deleted', target: endpointTarget(current), changes: endpointChanges(current, undefined) });
  });
}

/**
 * The endpoint's current signing secret (during a rotation's grace period, the new one); for an
 * ed25519 endpoint its `whpk_` public key, as the private key never leaves Hookline.
 */
export async function getEndpointSecret(db: Database, tenantId: string, appId: string, idOrUid: string, box: SecretBox, audit: AuditContext): Promise<{ key: string }> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const [current] = await endpointRepo.listLiveSecrets(db, tenantId, ep.id);
  if (!current) throw new NotFoundError('Endpoint secret not found');
  const key = shownSecret(
    readSecret(box, current.secret, endpointSecretPlace({ id: current.id, tenantId }), "The endpoint's signing secret", 'Rotate it, giving the new key.'),
  );
  // Recorded before the secret is shown: a read the log missed would be worse than a record of a failed send.
  await recordAudit(db, audit, { action: 'endpoint.secret.read', target: endpointTarget(ep) });
  return { key };
}
