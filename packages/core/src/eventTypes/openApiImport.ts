import { eventTypeRepo, type Database, type EventTypeRow } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { eventTypesOf, readDocument } from './openApiDocument.ts';
import type { EventTypeFromOpenApi, EventTypeImportOpenApiIn, EventTypeImportOpenApiOut } from './openApiImportSchemas.ts';

const AUDITED_FIELDS = ['description', 'archived', 'deprecated', 'featureFlags', 'groupName', 'schemas'] as const;

/** JSON with sorted keys: jsonb reorders keys, so stored and imported schemas compare by content. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether importing `incoming` would change the stored event type (an archived one is revived). */
function differs(row: EventTypeRow | undefined, incoming: EventTypeFromOpenApi): boolean {
  if (!row) return true;
  return (
    row.archived ||
    row.description !== incoming.description ||
    row.deprecated !== incoming.deprecated ||
    (row.groupName ?? null) !== incoming.groupName ||
    canonical(row.featureFlags ?? null) !== canonical(incoming.featureFlags) ||
    canonical(row.schemas ?? null) !== canonical(incoming.schemas)
  );
}

/**
 * Svix's `v1.event-type.import-openapi`: creates or updates an event type for each webhook of an
 * OpenAPI 3.x document (reviving archived ones); unchanged ones are left alone. With `replaceAll`,
 * live event types the document does not name are archived. A dry run changes nothing and
 * answers what would change in `to_modify`. One transaction, one audit record per event type.
 */
export async function importOpenApi(db: Database, tenantId: string, input: EventTypeImportOpenApiIn, audit: AuditContext): Promise<EventTypeImportOpenApiOut> {
  const doc = await readDocument(input);
  const incoming = eventTypesOf(doc, input.specRaw !== undefined && input.specRaw !== null ? 'specRaw' : 'spec');
  return inAuditedTransaction(db, async (trx) => {
    const existing = new Map(
      (
        await eventTypeRepo.findEventTypes(
          trx,
          tenantId,
          incoming.map((e) => e.name),
        )
      ).map((r) => [r.name, r]),
    );
    const toModify = incoming.filter((e) => differs(existing.get(e.name), e));
    const named = new Set(incoming.map((e) => e.name));
    const toArchive = input.replaceAll ? (await eventTypeRepo.listLiveEventTypeNames(trx, tenantId)).filter((n) => !named.has(n)) : [];
    if (input.dryRun) return { data: { modified: [], to_modify: toModify } };
    for (const e of toModify) {
      const before = existing.get(e.name);
      const { inserted: _inserted, ...after } = await eventTypeRepo.upsertEventType(trx, {
        tenantId,
        name: e.name,
        description: e.description,
        archived: false,
        deprecated: e.deprecated,
        schemas: e.schemas ? JSON.stringify(e.schemas) : null,
        featureFlags: e.featureFlags,
        groupName: e.groupName,
      });
      await recordAudit(trx, audit, {
        action: 'eventType.imported',
        target: { kind: 'eventType', id: e.name },
        changes: describeChanges(before, after, AUDITED_FIELDS, ['schemas']),
      });
    }
    for (const name of toArchive) {
      const before = existing.get(name) ?? (await eventTypeRepo.findEventType(trx, tenantId, name));
      const after = await eventTypeRepo.updateEventType(trx, tenantId, name, { archived: true, updatedAt: new Date() });
      await recordAudit(trx, audit, {
        action: 'eventType.archived',
        target: { kind: 'eventType', id: name },
        changes: describeChanges(before, after, AUDITED_FIELDS, ['schemas']),
      });
    }
    return { data: { modified: [...toModify.map((e) => e.name), ...toArchive], to_modify: null } };
  });
}
