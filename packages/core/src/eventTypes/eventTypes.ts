import { eventTypeRepo, type Database, type EventTypeRow } from '@hookline/db';
import type { AuditAction } from '../audit/auditActions.ts';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import type { EventTypeIn, EventTypeOut, EventTypePatch, EventTypeUpsertIn } from './eventTypeSchemas.ts';
import { isEventTypeVisible, type FeatureFlagScope } from './featureFlags.ts';

/** An event type and whether this call created it (201) or replaced it (200). */
export interface EventTypeResult {
  eventType: EventTypeOut;
  created: boolean;
}

export function toEventTypeOut(row: EventTypeRow, withContent = true): EventTypeOut {
  return {
    name: row.name,
    description: row.description,
    archived: row.archived,
    deprecated: row.deprecated,
    schemas: withContent ? row.schemas : null,
    featureFlags: row.featureFlags,
    featureFlag: row.featureFlags?.[0] ?? null,
    groupName: row.groupName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The stored flag set: `featureFlags` when given, else Svix's older single `featureFlag`.
 * Undefined when neither field was sent (a PATCH then leaves the flags alone); empty is null.
 */
function flagsOf(input: Pick<EventTypePatch, 'featureFlag' | 'featureFlags'>): string[] | null | undefined {
  let flags: string[] | null | undefined;
  if (input.featureFlags !== undefined) flags = input.featureFlags;
  else if (input.featureFlag !== undefined) flags = input.featureFlag === null ? null : [input.featureFlag];
  else return undefined;
  return flags && flags.length > 0 ? [...new Set(flags)] : null;
}

// Schemas can be large: their records say only that they changed.
const AUDITED_FIELDS = ['description', 'archived', 'deprecated', 'featureFlags', 'groupName', 'schemas'] as const;
const NAMED_ONLY = ['schemas'] as const;

/** Records a change of event type `name` from `before` (undefined: created) to `after` (undefined: deleted). */
async function auditEventType(trx: Database, audit: AuditContext, action: AuditAction, name: string, before?: EventTypeRow, after?: EventTypeRow): Promise<void> {
  await recordAudit(trx, audit, { action, target: { kind: 'eventType', id: name }, changes: describeChanges(before, after, AUDITED_FIELDS, NAMED_ONLY) });
}

/** Every column of a create or a PUT, with defaults for the absent fields (a PUT replaces them all). */
function rowOf(tenantId: string, name: string, input: EventTypeUpsertIn) {
  return {
    tenantId,
    name,
    description: input.description,
    archived: input.archived ?? false,
    deprecated: input.deprecated ?? false,
    schemas: input.schemas ? JSON.stringify(input.schemas) : null,
    featureFlags: flagsOf(input) ?? null,
    groupName: input.groupName ?? null,
  };
}

/**
 * Creates an event type. As in Svix, creating a name that exists archived revives it with the new
 * fields (description, schemas, … are not kept); a live one of that name is a 409.
 */
export async function createEventType(db: Database, tenantId: string, input: EventTypeIn, audit: AuditContext): Promise<EventTypeOut> {
  return inAuditedTransaction(db, async (trx) => {
    const row = await eventTypeRepo.createOrUnarchiveEventType(trx, rowOf(tenantId, input.name, input));
    if (!row) throw new ConflictError('An event type with this name already exists');
    await auditEventType(trx, audit, 'eventType.created', row.name, undefined, row);
    return toEventTypeOut(row);
  });
}

async function findEventType(db: Database, tenantId: string, name: string): Promise<EventTypeRow> {
  const row = await eventTypeRepo.findEventType(db, tenantId, name);
  if (!row) throw new NotFoundError('Event type not found');
  return row;
}

/**
 * One event type by name, archived ones included (they are only left out of lists); one hidden by
 * its feature flags from the caller's `scope` is not found.
 */
export async function getEventType(db: Database, tenantId: string, name: string, scope?: FeatureFlagScope): Promise<EventTypeOut> {
  const row = await findEventType(db, tenantId, name);
  if (!isEventTypeVisible(row.featureFlags, scope)) throw new NotFoundError('Event type not found');
  return toEventTypeOut(row);
}

/**
 * Event types are keyed by name, so their iterators are names. Schemas are listed only
 * `withContent`; those hidden by their feature flags from `featureFlags` are left out.
 */
export async function listEventTypes(
  db: Database,
  tenantId: string,
  params: ListParams & { includeArchived?: boolean | undefined; withContent?: boolean | undefined; featureFlags?: FeatureFlagScope },
): Promise<ListPage<EventTypeOut>> {
  return paginate(
    params,
    'ascending',
    (page) =>
      eventTypeRepo.listEventTypes(db, tenantId, {
        limit: page.limit,
        direction: page.direction,
        includeArchived: params.includeArchived ?? false,
        featureFlags: params.featureFlags,
        ...(page.afterId !== undefined ? { afterName: page.afterId } : {}),
        ...(page.beforeId !== undefined ? { beforeName: page.beforeId } : {}),
      }),
    (row) => toEventTypeOut(row, params.withContent ?? false),
    (row) => row.name,
  );
}

/** PUT: creates the event type `name` or replaces all its fields, in one statement. */
export async function upsertEventType(db: Database, tenantId: string, name: string, input: EventTypeUpsertIn, audit: AuditContext): Promise<EventTypeResult> {
  return inAuditedTransaction(db, async (trx) => {
    const before = await eventTypeRepo.findEventType(trx, tenantId, name);
    const { inserted, ...row } = await eventTypeRepo.upsertEventType(trx, rowOf(tenantId, name, input));
    await auditEventType(trx, audit, inserted ? 'eventType.created' : 'eventType.updated', name, inserted ? undefined : before, row);
    return { eventType: toEventTypeOut(row), created: inserted };
  });
}

/** PATCH: changes the fields present in `patch`; `null` clears schemas, flags or group. */
export async function patchEventType(db: Database, tenantId: string, name: string, patch: EventTypePatch, audit: AuditContext): Promise<EventTypeOut> {
  const flags = flagsOf(patch);
  return inAuditedTransaction(db, async (trx) => {
    const before = await eventTypeRepo.findEventType(trx, tenantId, name);
    const row = await eventTypeRepo.updateEventType(trx, tenantId, name, {
      updatedAt: new Date(),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
      ...(patch.deprecated !== undefined ? { deprecated: patch.deprecated } : {}),
      ...(patch.schemas !== undefined ? { schemas: patch.schemas === null ? null : JSON.stringify(patch.schemas) } : {}),
      ...(flags !== undefined ? { featureFlags: flags } : {}),
      ...(patch.groupName !== undefined ? { groupName: patch.groupName } : {}),
    });
    if (!row) throw new NotFoundError('Event type not found');
    await auditEventType(trx, audit, 'eventType.updated', name, before, row);
    return toEventTypeOut(row);
  });
}

/**
 * Archives an event type (it leaves lists and can be revived by a create), or with `expunge`
 * removes it for good. Messages already sent with it keep its name.
 */
export async function deleteEventType(db: Database, tenantId: string, name: string, audit: AuditContext, options: { expunge?: boolean | undefined } = {}): Promise<void> {
  await inAuditedTransaction(db, async (trx) => {
    const before = await eventTypeRepo.findEventType(trx, tenantId, name);
    if (options.expunge) {
      if (!(await eventTypeRepo.deleteEventType(trx, tenantId, name))) throw new NotFoundError('Event type not found');
      await auditEventType(trx, audit, 'eventType.deleted', name, before, undefined);
      return;
    }
    const after = await eventTypeRepo.updateEventType(trx, tenantId, name, { archived: true, updatedAt: new Date() });
    if (!after) throw new NotFoundError('Event type not found');
    await auditEventType(trx, audit, 'eventType.archived', name, before, after);
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The example payload at `index` of an event type's schemas: from version "1" as in Svix (else the
 * lowest version), in JSON Schema's `examples` (a lone OpenAPI-style `example` counts as the
 * first). Only objects count, since a message payload must be one.
 */
export function schemaExample(schemas: Record<string, unknown> | null, index = 0): Record<string, unknown> | undefined {
  if (!schemas) return undefined;
  const versions = Object.keys(schemas).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const version = '1' in schemas ? '1' : versions[0];
  const schema = version === undefined ? undefined : schemas[version];
  if (!isObject(schema)) return undefined;
  const examples = Array.isArray(schema.examples) ? schema.examples : 'example' in schema ? [schema.example] : [];
  const example: unknown = examples[index];
  return isObject(example) ? example : undefined;
}

/**
 * The first example of an event type's schema (or the one at Svix's `exampleIndex`), for an
 * endpoint's send-example. Undefined when the event type does not exist or has no such example;
 * archived event types still answer.
 */
export async function firstSchemaExample(db: Database, tenantId: string, eventType: string, exampleIndex = 0): Promise<Record<string, unknown> | undefined> {
  const row = await eventTypeRepo.findEventType(db, tenantId, eventType);
  return row ? schemaExample(row.schemas, exampleIndex) : undefined;
}
